// calico-setting-invalid: the values Calico refuses, at the value, and `interface=<nic>` for a bare NIC.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyFixAndCheck, coveredText, diagnose, type Files, withCode } from './helpers';
import { addEnv, CALICO, calicoManifest, edited, installation, ipPool, withEnv } from './calicoFixtures';

const invalid = (files: Files) => withCode(files, 'calico-setting-invalid');
const loud = (files: Files) =>
  diagnose(files)
    .filter((d) => d.severity === 'error' || d.severity === 'warning')
    .map((d) => `${d.code}: ${d.message}`);

test("calico.yaml's real shape is clean: cni_network_config's placeholders (__CNI_MTU__) are no JSON error", () => {
  const files = calicoManifest();
  assert.match(files[CALICO], /"mtu": __CNI_MTU__/);
  assert.deepEqual(loud(files), []);
  assert.deepEqual(
    diagnose(files).filter((d) => /json|yaml/.test(d.code)),
    [],
  );
});

test('a bare NIC name as IP_AUTODETECTION_METHOD: error at the value, fixed to interface=<nic>', () => {
  const files = withEnv('IP_AUTODETECTION_METHOD', 'eth1');
  const [finding] = invalid(files);
  assert.equal(finding.severity, 'error');
  assert.equal(coveredText(files, finding), 'eth1');
  assert.match(finding.message, /Invalid IP autodetection method/);
  const { fixed } = applyFixAndCheck(files, finding, { codes: ['calico-setting-invalid'] });
  assert.match(fixed[CALICO], /value: "interface=eth1"/);
  for (const method of ['first-found', 'can-reach=8.8.8.8', 'cidr=10.0.0.0/8', 'kubernetes-internal-ip'])
    assert.deepEqual(invalid(withEnv('IP_AUTODETECTION_METHOD', method)), [], method);
  // Not a NIC name: no fix offered.
  assert.deepEqual(invalid(withEnv('IP_AUTODETECTION_METHOD', 'eth.*'))[0].fixes, []);
});

test('CALICO_IPV4POOL_IPIP/_VXLAN: never, off, always, crosssubnet in any case, else calico-node exits', () => {
  for (const mode of ['always', 'ALWAYS', 'cross-subnet', 'CrossSubnet', 'off', ''])
    assert.deepEqual(invalid(withEnv('CALICO_IPV4POOL_IPIP', mode)), [], mode);
  const files = withEnv('CALICO_IPV4POOL_IPIP', 'enabled');
  const [finding] = invalid(files);
  assert.equal(coveredText(files, finding), 'enabled');
  assert.match(finding.message, /exits/);
  assert.equal(
    coveredText(withEnv('CALICO_IPV4POOL_VXLAN', 'yes'), invalid(withEnv('CALICO_IPV4POOL_VXLAN', 'yes'))[0]),
    'yes',
  );
});

test('block size outside 20..32 (IPv4) or 116..128 (IPv6): error at the value', () => {
  const files = withEnv('CALICO_IPV4POOL_BLOCK_SIZE', '33');
  const [finding] = invalid(files);
  assert.equal(coveredText(files, finding), '33');
  assert.match(finding.message, /Invalid blocksize/);
  assert.deepEqual(invalid(withEnv('CALICO_IPV4POOL_BLOCK_SIZE', '20')), []);
  const v6 = addEnv('CALICO_IPV6POOL_BLOCK_SIZE', '64');
  assert.equal(coveredText(v6, invalid(v6)[0]), '64');
  const pool = { ...calicoManifest(), '/ws/calico/pools.yaml': ipPool('v6', 'cidr: fd00:10::/48\nblockSize: 26') };
  assert.equal(coveredText(pool, invalid(pool)[0]), '26');
  assert.deepEqual(
    invalid({ ...pool, '/ws/calico/pools.yaml': ipPool('v6', 'cidr: fd00:10::/48\nblockSize: 122') }),
    [],
  );
});

test('IPIP on an IPv6 pool: error at the mode; VXLAN on IPv6 is fine', () => {
  const files = { ...calicoManifest(), '/ws/calico/pools.yaml': ipPool('v6', 'cidr: fd00:10::/48\nipipMode: Always') };
  const [finding] = invalid(files);
  assert.equal(coveredText(files, finding), 'Always');
  assert.match(finding.message, /IPv6/);
  assert.deepEqual(
    invalid({ ...files, '/ws/calico/pools.yaml': ipPool('v6', 'cidr: fd00:10::/48\nvxlanMode: Always') }),
    [],
  );
});

test('NO_DEFAULT_POOLS=true with CALICO_IPV4POOL_CIDR: error at the CIDR', () => {
  const files = addEnv('NO_DEFAULT_POOLS', 'true');
  const [finding] = invalid(files);
  assert.equal(coveredText(files, finding), '10.60.0.0/16');
  assert.match(finding.message, /NO_DEFAULT_POOLS/);
  assert.deepEqual(invalid(addEnv('NO_DEFAULT_POOLS', 'false')), []);
});

test('a pool nodeSelector Calico cannot parse: error at the selector', () => {
  const files = withEnv('CALICO_IPV4POOL_NODE_SELECTOR', "pool = 'main'");
  const [finding] = invalid(files);
  assert.equal(coveredText(files, finding), "pool = 'main'");
});

test("Installation: encapsulation, natOutgoing and bgp spellings; an empty value is the operator's default", () => {
  const files = {
    '/ws/op/installation.yaml': installation(
      'bgp: enabled\nipPools:\n- cidr: 10.48.0.0/16\n  encapsulation: VXLANCrosssubnet\n  natOutgoing: "true"',
    ),
  };
  assert.deepEqual(
    invalid(files).map((d) => coveredText(files, d)),
    ['enabled', 'VXLANCrosssubnet', 'true'],
  );
  const fine = {
    '/ws/op/installation.yaml': installation(
      'bgp: Enabled\nipPools:\n- cidr: 10.48.0.0/16\n  encapsulation: ""\n  natOutgoing: ""\n  nodeSelector: ""',
    ),
  };
  assert.deepEqual(invalid(fine), []);
});

test('calico_backend other than bird/vxlan/none runs BIRD: information, not an error', () => {
  const files = edited('calico_backend: "bird"', 'calico_backend: "gobgp"');
  const [finding] = invalid(files);
  assert.equal(finding.severity, 'information');
  assert.equal(coveredText(files, finding), 'gobgp');
  assert.deepEqual(invalid(edited('calico_backend: "bird"', 'calico_backend: "vxlan"')), []);
});
