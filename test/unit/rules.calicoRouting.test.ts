// calico-routing-missing and calico-mtu.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { coveredText, type Files, withCode } from './helpers';
import { addEnv, calicoManifest, edited, installation, ipPool, withEnv } from './calicoFixtures';

const routing = (files: Files) => withCode(files, 'calico-routing-missing');
const mtu = (files: Files) => withCode(files, 'calico-mtu');
const vxlanBackend = () => edited('calico_backend: "bird"', 'calico_backend: "vxlan"');

test('an IPIP pool without BIRD before Calico 3.33: error at the IPIP mode; from 3.33 or no tag: nothing', () => {
  const files = vxlanBackend();
  const [finding] = routing(files);
  assert.equal(finding.severity, 'error');
  assert.equal(coveredText(files, finding), 'Always');
  assert.match(finding.message, /BIRD does not run \(the networking backend is vxlan\)/);
  assert.match(finding.message, /calico\/node 3\.26\.4/);
  const newer = edited('calico/node:v3.26.4', 'calico/node:v3.33.0', files);
  assert.deepEqual(routing(newer), []);
  assert.deepEqual(routing(edited('calico/node:v3.26.4', 'calico/node:master', files)), []);
  assert.deepEqual(routing(calicoManifest()), []);
  // VXLAN needs no BIRD.
  const vxlan = withEnv('CALICO_IPV4POOL_VXLAN', 'Always', withEnv('CALICO_IPV4POOL_IPIP', 'Never', files));
  assert.deepEqual(routing(vxlan), []);
});

test('an unencapsulated pool without BIRD: warning (the network may route it), at any release', () => {
  const files = edited(
    'calico/node:v3.26.4',
    'calico/node:v3.33.0',
    withEnv('CALICO_IPV4POOL_IPIP', 'Never', vxlanBackend()),
  );
  const [finding] = routing(files);
  assert.equal(finding.severity, 'warning');
  assert.equal(coveredText(files, finding), 'Never');
});

test('Felix programming cluster routes (3.31 on, or the operator) silences the missing-BIRD findings', () => {
  // IPIP without BIRD on 3.31: FELIX_PROGRAMCLUSTERROUTES=Enabled hands the routes to Felix.
  const ipip = edited('calico/node:v3.26.4', 'calico/node:v3.31.2', vxlanBackend());
  assert.equal(routing(ipip).length, 1);
  assert.deepEqual(routing(addEnv('FELIX_PROGRAMCLUSTERROUTES', 'Enabled', ipip)), []);
  // Felix 3.26 has no such parameter: the finding stays.
  assert.equal(routing(addEnv('FELIX_PROGRAMCLUSTERROUTES', 'Enabled', vxlanBackend())).length, 1);
  // An unencapsulated pool, with FelixConfiguration programClusterRoutes: Enabled.
  const plain = withEnv('CALICO_IPV4POOL_IPIP', 'Never', ipip);
  assert.equal(routing(plain).length, 1);
  const felix =
    'apiVersion: projectcalico.org/v3\nkind: FelixConfiguration\nmetadata:\n  name: default\nspec:\n' +
    '  programClusterRoutes: Enabled\n';
  assert.deepEqual(routing({ ...plain, '/ws/calico/felix.yaml': felix }), []);
  // The operator's clusterRoutingMode: Felix for both, BIRD for neither.
  const operator = (mode: string) => ({
    '/ws/op/installation.yaml': installation(
      `bgp: Disabled\nclusterRoutingMode: ${mode}\nipPools:\n- cidr: 10.48.0.0/16\n  encapsulation: IPIP`,
    ),
  });
  assert.deepEqual(routing(operator('Felix')), []);
  assert.equal(routing(operator('BIRD')).length, 1);
});

test('BGP mesh off with no BGPPeer: warning at nodeToNodeMeshEnabled; a BGPPeer silences it', () => {
  const bgp =
    'apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata:\n  name: default\nspec:\n' +
    '  nodeToNodeMeshEnabled: false\n';
  const files = { ...calicoManifest(), '/ws/calico/bgp.yaml': bgp };
  const [finding] = routing(files);
  assert.equal(finding.severity, 'warning');
  assert.equal(coveredText(files, finding), 'false');
  const peer =
    'apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: tor\n' +
    'spec:\n  peerIP: 10.0.0.1\n  asNumber: 64512\n';
  assert.deepEqual(routing({ ...files, '/ws/calico/bgp.yaml': `${bgp}---\n${peer}` }), []);
});

test('policy-only Calico (USE_POD_CIDR, host-local IPAM) is not checked for routes', () => {
  const files = edited(
    '"type": "calico-ipam"',
    '"type": "host-local",\n              "subnet": "usePodCidr"',
    vxlanBackend(),
  );
  assert.deepEqual(routing(files), []);
});

test('an MTU above 1500 minus the encapsulation overhead: warning at the value; 0 and fitting values: nothing', () => {
  const files = edited('veth_mtu: "0"', 'veth_mtu: "1500"');
  const [finding] = mtu(files);
  assert.equal(finding.severity, 'warning');
  assert.equal(coveredText(files, finding), '1500');
  assert.match(finding.message, /IPIP .*20 bytes on a 1500-byte NIC \(assumed/);
  assert.deepEqual(mtu(edited('veth_mtu: "0"', 'veth_mtu: "1480"')), []);
  assert.deepEqual(mtu(calicoManifest()), []);
  const vxlan = {
    ...edited('veth_mtu: "0"', 'veth_mtu: "1480"'),
    '/ws/calico/pools.yaml': ipPool('racks', 'cidr: 10.80.0.0/16\nvxlanMode: Always'),
  };
  assert.match(mtu(vxlan)[0].message, /Use at most 1450/);
  // A value above 1500 means larger NICs, which manifests do not tell.
  assert.deepEqual(mtu(edited('veth_mtu: "0"', 'veth_mtu: "8981"')), []);
});
