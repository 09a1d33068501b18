// Calico's pool in its four shapes (calico.md §1) read into one model with Calico's defaults: the operator's
// Installation, calico-config plus calico-node env, v3 IPPool objects and the crd.projectcalico.org/v1 IPPool
// with its legacy fields. Values Calico refuses are kept, with their place, for the rules.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatCidr } from '../../server/src/core/cidr';
import { type CalicoNetwork, type CalicoPool } from '../../server/src/model/calico/model';
import { ENCAPSULATIONS } from '../../server/src/model/calico/pools';
import { type Files, loadFixture, loadExample, workspaceOf } from './helpers';

function calicoOf(files: Files): CalicoNetwork {
  const clusters = workspaceOf(files).clusters();
  assert.equal(clusters.length, 1, clusters.map((c) => c.name).join(', '));
  const calico = clusters[0].network.calico;
  assert.ok(calico, 'the cluster runs Calico');
  return calico;
}

/** A pool's values, plain, for deepEqual. */
const plain = (pool: CalicoPool) => ({
  name: pool.name,
  shape: pool.shape,
  cidr: pool.cidr && formatCidr(pool.cidr),
  blockSize: pool.blockSize.value,
  ipipMode: pool.ipipMode.value,
  vxlanMode: pool.vxlanMode.value,
  natOutgoing: pool.natOutgoing.value,
  nodeSelector: pool.nodeSelector.value,
  disabled: pool.disabled.value,
});

/** The text a value's source range covers. */
const written = (files: Files, source: { uri: string; range: readonly [number, number] } | undefined) => {
  assert.ok(source, 'the value has a source');
  const text = files[decodeURIComponent(new URL(source.uri).pathname)];
  return text.slice(source.range[0], source.range[1]);
};

const installation = (calicoNetwork: string) =>
  `apiVersion: operator.tigera.io/v1\nkind: Installation\nmetadata:\n  name: default\nspec:\n${calicoNetwork}`;
const kubeadm = (podSubnet: string) =>
  `apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: ${podSubnet}\n`;

test('operator Installation: the pool as written, each value pointing at its token', () => {
  const files = loadExample('calico-operator');
  const calico = calicoOf(files);
  assert.equal(calico.install, 'operator');
  assert.equal(calico.version, undefined, 'the operator picks the release: taken as the newest');
  assert.deepEqual(calico.pools.map(plain), [
    {
      name: 'default-ipv4-ippool',
      shape: 'installation',
      cidr: '10.48.0.0/16',
      blockSize: 26,
      ipipMode: 'CrossSubnet',
      vxlanMode: 'Never',
      natOutgoing: true,
      nodeSelector: 'all()',
      disabled: false,
    },
  ]);
  const [pool] = calico.pools;
  assert.equal(written(files, pool.cidrText.source), '10.48.0.0/16');
  assert.equal(written(files, pool.ipipMode.source), 'IPIPCrossSubnet');
  assert.equal(pool.encapsulation?.value, 'IPIPCrossSubnet');
  assert.equal(calico.backend.value, 'bird');
  assert.equal(calico.bgp.value, true);
  assert.deepEqual(calico.invalid, []);
});

test('Installation encapsulation maps to ipipMode and vxlanMode, each of the five values', () => {
  for (const [encapsulation, [ipip, vxlan]] of Object.entries(ENCAPSULATIONS)) {
    const calico = calicoOf({
      '/ws/c/installation.yaml': installation(
        `  calicoNetwork:\n    ipPools:\n    - cidr: 10.10.0.0/16\n      encapsulation: ${encapsulation}\n`,
      ),
    });
    assert.deepEqual([calico.pools[0].ipipMode.value, calico.pools[0].vxlanMode.value], [ipip, vxlan], encapsulation);
  }
  assert.deepEqual(ENCAPSULATIONS.IPIPCrossSubnet, ['CrossSubnet', 'Never']);
  assert.deepEqual(ENCAPSULATIONS.VXLANCrossSubnet, ['Never', 'CrossSubnet']);
});

test('Installation defaults: IPIP, /26, NAT, all(); no pool given: kubeadm podSubnet, else 192.168.0.0/16', () => {
  const defaults = calicoOf({
    '/ws/c/installation.yaml': installation('  calicoNetwork:\n    ipPools:\n    - cidr: 10.9.0.0/16\n'),
  });
  assert.deepEqual(plain(defaults.pools[0]), {
    name: 'default-ipv4-ippool',
    shape: 'installation',
    cidr: '10.9.0.0/16',
    blockSize: 26,
    ipipMode: 'Always',
    vxlanMode: 'Never',
    natOutgoing: true,
    nodeSelector: 'all()',
    disabled: false,
  });
  assert.match(defaults.pools[0].ipipMode.defaulted ?? '', /IPIP/);

  const bare = installation('  calicoNetwork:\n    bgp: Enabled\n');
  const alone = calicoOf({ '/ws/c/installation.yaml': bare });
  assert.deepEqual(
    alone.pools.map((p) => [p.shape, p.cidr && formatCidr(p.cidr)]),
    [['default', '192.168.0.0/16']],
  );
  const withKubeadm = calicoOf({ '/ws/c/installation.yaml': bare, '/ws/c/kubeadm.yaml': kubeadm('10.77.0.0/16') });
  assert.deepEqual(
    withKubeadm.pools.map((p) => p.cidr && formatCidr(p.cidr)),
    ['10.77.0.0/16'],
  );
  assert.match(withKubeadm.pools[0].cidrText.defaulted ?? '', /kubeadm/);

  // `ipPools: []` written empty: the operator creates no pool.
  assert.deepEqual(
    calicoOf({ '/ws/c/installation.yaml': installation('  calicoNetwork:\n    ipPools: []\n') }).pools,
    [],
  );
});

test('calico-config plus calico-node env (calico.yaml): the env pool, backend, MTU, autodetection, version', () => {
  const files = loadFixture('calico-manifest');
  const calico = calicoOf(files);
  assert.equal(calico.install, 'manifest');
  assert.equal(calico.version, '3.26.4');
  assert.deepEqual(calico.pools.map(plain), [
    {
      name: 'default-ipv4-ippool',
      shape: 'calico-node-env',
      cidr: '10.60.0.0/16',
      blockSize: 24,
      ipipMode: 'Always',
      vxlanMode: 'Never',
      natOutgoing: true,
      nodeSelector: "pool == 'main' || has(edge)",
      disabled: false,
    },
  ]);
  assert.equal(written(files, calico.pools[0].cidrText.source), '10.60.0.0/16');
  // CALICO_NETWORKING_BACKEND comes from calico-config's calico_backend: the source is the ConfigMap's value.
  assert.equal(calico.backend.value, 'bird');
  assert.equal(written(files, calico.backend.source), 'bird');
  assert.equal(calico.mtu?.value, 0, 'veth_mtu "0": auto-detected');
  assert.deepEqual([calico.autodetection?.kind, calico.autodetection?.argument], ['interface', 'eth1']);
  assert.equal(written(files, calico.autodetection?.source), 'interface=eth1');
  assert.equal(calico.interfacePrefix, 'cali');
  assert.deepEqual(calico.invalid, []);
});

test('calico-vxlan.yaml style: vxlan backend, cross-subnet (any case), no CIDR env: kubeadm podSubnet', () => {
  const calico = calicoOf(loadFixture('calico-vxlan'));
  assert.equal(calico.version, '3.17.1', 'quay.io/calico/node');
  assert.equal(calico.backend.value, 'vxlan');
  assert.equal(calico.bgp.value, false);
  assert.equal(calico.mtu?.value, 1410);
  const [pool] = calico.pools;
  assert.deepEqual(
    [pool.ipipMode.value, pool.vxlanMode.value, pool.natOutgoing.value],
    ['Never', 'CrossSubnet', false],
  );
  assert.equal(pool.cidr && formatCidr(pool.cidr), '10.70.0.0/16', "the IPv4 entry of kubeadm's dual-stack podSubnet");
  assert.match(pool.cidrText.defaulted ?? '', /kubeadm/);
});

const calicoNode = (env: Record<string, string>) =>
  'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: calico-node\n  namespace: kube-system\nspec:\n' +
  '  template:\n    spec:\n      containers:\n      - name: calico-node\n        image: calico/node:v3.27.0\n' +
  '        env:\n' +
  Object.entries(env)
    .map(([name, value]) => `        - name: ${name}\n          value: "${value}"\n`)
    .join('');

test('calico-node env modes are case-insensitive; a mode it does not know is kept as invalid, not a crash', () => {
  const modes: Array<[string, string]> = [
    ['', 'Never'],
    ['off', 'Never'],
    ['NEVER', 'Never'],
    ['Always', 'Always'],
    ['crosssubnet', 'CrossSubnet'],
    ['Cross-Subnet', 'CrossSubnet'],
  ];
  for (const [text, mode] of modes) {
    const calico = calicoOf({ '/ws/c/calico.yaml': calicoNode({ CALICO_IPV4POOL_IPIP: text }) });
    assert.equal(calico.pools[0].ipipMode.value, mode, text);
    assert.deepEqual(calico.invalid, []);
  }
  const files = {
    '/ws/c/calico.yaml': calicoNode({ CALICO_IPV4POOL_VXLAN: 'sometimes', CALICO_IPV4POOL_BLOCK_SIZE: 'x' }),
  };
  const calico = calicoOf(files);
  assert.deepEqual(
    calico.invalid.map((p) => [p.what, written(files, p.source)]),
    [
      ['CALICO_IPV4POOL_BLOCK_SIZE', 'x'],
      ['CALICO_IPV4POOL_VXLAN', 'sometimes'],
    ],
  );
  assert.equal(calico.pools[0].vxlanMode.value, 'Never');
  assert.equal(calico.pools[0].blockSize.value, 26);
});

test('calico-node env: no CIDR → 192.168.0.0/16; `none`, NO_DEFAULT_POOLS: no pool; a bad CIDR keeps its text', () => {
  const bare = calicoOf({ '/ws/c/calico.yaml': calicoNode({ DATASTORE_TYPE: 'kubernetes' }) });
  assert.deepEqual(
    bare.pools.map((p) => [p.shape, p.cidr && formatCidr(p.cidr)]),
    [['calico-node-env', '192.168.0.0/16']],
  );
  assert.deepEqual(calicoOf({ '/ws/c/calico.yaml': calicoNode({ CALICO_IPV4POOL_CIDR: 'none' }) }).pools, []);
  const noDefault = calicoOf({
    '/ws/c/calico.yaml': calicoNode({ NO_DEFAULT_POOLS: 'true', CALICO_IPV4POOL_CIDR: '10.1.0.0/16' }),
  });
  assert.deepEqual(noDefault.pools, []);
  assert.deepEqual(
    noDefault.invalid.map((p) => p.what),
    ['CALICO_IPV4POOL_CIDR'],
    'calico-node refuses both at once',
  );
  const bad = calicoOf({ '/ws/c/calico.yaml': calicoNode({ CALICO_IPV4POOL_CIDR: '10.1.0.0/33' }) });
  assert.equal(bad.pools[0].cidr, undefined);
  assert.equal(bad.pools[0].cidrText.value, '10.1.0.0/33');
  assert.match(bad.invalid[0].message, /not a CIDR/);
});

test('v3 IPPool and v1 crd IPPool with legacy ipip and nat-outgoing; the env pool is ignored, with why', () => {
  const files = loadFixture('calico-ippools');
  const calico = calicoOf(files);
  assert.deepEqual(calico.pools.map(plain), [
    {
      name: 'rack-pool',
      shape: 'ippool-v3',
      cidr: '10.80.0.0/18',
      blockSize: 27,
      ipipMode: 'Never',
      vxlanMode: 'CrossSubnet',
      natOutgoing: true,
      nodeSelector: "rack in {'r1', 'r2'} && !has(edge)",
      disabled: false,
    },
    {
      name: 'edge-pool',
      shape: 'ippool-crd-v1',
      cidr: '10.80.64.0/20',
      blockSize: 26,
      ipipMode: 'CrossSubnet',
      vxlanMode: 'Never',
      natOutgoing: true,
      nodeSelector: 'has(edge)',
      disabled: false,
    },
    {
      name: 'retired-pool',
      shape: 'ippool-v3',
      cidr: '10.81.0.0/16',
      blockSize: 26,
      ipipMode: 'Never',
      vxlanMode: 'Never',
      natOutgoing: false,
      nodeSelector: 'all()',
      disabled: true,
    },
  ]);
  assert.equal(written(files, calico.pools[1].ipipMode.source), 'cross-subnet', 'the legacy mode is the source');
  assert.equal(written(files, calico.pools[1].natOutgoing.source), 'true');
  assert.equal(calico.ignoredPools.length, 1);
  assert.equal(calico.ignoredPools[0].pool.shape, 'calico-node-env');
  assert.equal(calico.ignoredPools[0].pool.cidrText.value, '192.168.0.0/16');
  assert.match(calico.ignoredPools[0].why, /only when no IPv4 pool exists; IPPool rack-pool exists/);
});

test('IPPool objects: a wrong-case mode, a non-boolean are invalid at their token; the model keeps the default', () => {
  const files = {
    '/ws/c/pool.yaml':
      'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\nspec:\n  cidr: 10.5.0.0/16\n' +
      '  ipipMode: always\n  natOutgoing: yes please\n',
  };
  const calico = calicoOf(files);
  assert.deepEqual(
    calico.invalid.map((p) => [p.what, written(files, p.source)]),
    [
      ['IPPool p spec.ipipMode', 'always'],
      ['IPPool p natOutgoing', 'yes please'],
    ],
  );
  assert.equal(calico.pools[0].ipipMode.value, 'Never');
  // Legacy ipip disabled.
  const legacy = calicoOf({
    '/ws/c/pool.yaml':
      'apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata:\n  name: old\nspec:\n  cidr: 10.6.0.0/16\n' +
      '  ipip:\n    enabled: false\n',
  });
  assert.equal(legacy.pools[0].ipipMode.value, 'Never');
  assert.equal(legacy.pools[0].ipipMode.defaulted, undefined, 'written: enabled false');
});

test('an IPPool dump of an Installation pool (same CIDR) is that pool, not a second one', () => {
  const calico = calicoOf({
    ...loadExample('calico-operator'),
    '/ws/calico-operator/ippools.yaml':
      'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: default-ipv4-ippool\nspec:\n' +
      '  cidr: 10.48.0.0/16\n  ipipMode: CrossSubnet\n',
  });
  assert.deepEqual(
    calico.pools.map((p) => p.shape),
    ['installation'],
  );
});

test('operator MTU, autodetection, bgp Disabled (vxlan backend) and the BGP mesh switch', () => {
  const files = {
    '/ws/c/installation.yaml': installation(
      '  calicoNetwork:\n    bgp: Disabled\n    mtu: 1450\n    nodeAddressAutodetectionV4:\n' +
        '      cidrs:\n      - 10.10.0.0/16\n    ipPools:\n    - cidr: 10.9.0.0/16\n      encapsulation: VXLAN\n',
    ),
    '/ws/c/bgp.yaml':
      'apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata:\n  name: default\nspec:\n' +
      '  nodeToNodeMeshEnabled: false\n',
  };
  const calico = calicoOf(files);
  assert.equal(calico.backend.value, 'vxlan');
  assert.equal(calico.bgp.value, false);
  assert.equal(calico.mtu?.value, 1450);
  assert.deepEqual([calico.autodetection?.kind, calico.autodetection?.argument], ['cidr', '10.10.0.0/16']);
  assert.equal(calico.nodeToNodeMesh.value, false);
  assert.equal(written(files, calico.nodeToNodeMesh.source), 'false');
});

test('an unknown encapsulation and an unreadable autodetection method are invalid, never thrown', () => {
  const files = {
    '/ws/c/installation.yaml': installation(
      '  calicoNetwork:\n    ipPools:\n    - cidr: 10.9.0.0/16\n      encapsulation: VXLANAlways\n',
    ),
  };
  const calico = calicoOf(files);
  assert.deepEqual(
    calico.invalid.map((p) => written(files, p.source)),
    ['VXLANAlways'],
  );
  assert.equal(calico.pools[0].ipipMode.value, 'Always', "the operator's default stands in");
  const env = { '/ws/c/calico.yaml': calicoNode({ IP_AUTODETECTION_METHOD: 'eth1' }) };
  const manifest = calicoOf(env);
  assert.equal(manifest.autodetection, undefined);
  assert.match(manifest.invalid[0].message, /Invalid IP autodetection method/);
  assert.equal(written(env, manifest.invalid[0].source), 'eth1');
});

test('FELIX_INTERFACEPREFIX (any case) sets the veth prefix, its first entry', () => {
  const calico = calicoOf({ '/ws/c/calico.yaml': calicoNode({ Felix_InterfacePrefix: 'eni,cali' }) });
  assert.equal(calico.interfacePrefix, 'eni');
});
