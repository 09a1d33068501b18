// What Calico builds on each node (calico.md §3), per pool mode and node pair: cali veths, pod /32s with
// 169.254.1.1, block routes by who programs them (BIRD `proto bird` up to 3.32, Felix `proto 80`), the
// blackhole, tunnel devices only where a pool uses them, MTUs, VXLAN neighbour and FDB entries.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { caliName } from '../../server/src/topology/dataplanes/calicoPods';
import { formatRoute } from '../../server/src/topology/tools';
import { type NodeTopology } from '../../server/src/topology/types';
import { CONFIG, DS, NODES, PODS, calicoLab, nodeOf, topologyOf, withModes, withVersion } from './calicoLab';
import { mutate } from './helpers';

const routes = (node: NodeTopology) => node.routes.map(formatRoute);
const deviceNames = (node: NodeTopology) => node.devices.map((d) => d.name);

test("cali veth names are Calico's: prefix + 11 hex of SHA-1(namespace.pod), Calico's own test vector", () => {
  assert.equal(caliName('eni', 'namespace', 'podname'), 'eni82111e10a96');
  const n1 = nodeOf(topologyOf(calicoLab()), 'n1');
  const webA = n1.pods.find((p) => p.name === 'web-a')!;
  const hostEnd = n1.devices.find((d) => d.id === webA.devices.find((e) => e.name === 'eth0')!.peer)!;
  assert.equal(hostEnd.name, caliName('cali', 'shop', 'web-a'));
  assert.equal(hostEnd.name.length, 15);
  assert.equal(hostEnd.nameCertainty, 'known');
  // FELIX_INTERFACEPREFIX's first entry names them.
  const prefixed = mutate(
    calicoLab(),
    DS,
    '            - name: CLUSTER_TYPE',
    '            - name: FELIX_INTERFACEPREFIX\n              value: "eni,cali"\n            - name: CLUSTER_TYPE',
  );
  const veths = nodeOf(topologyOf(prefixed), 'n1').devices.filter((d) => d.kind === 'veth-host');
  assert.deepEqual(
    veths.map((v) => v.name),
    [caliName('eni', 'shop', 'web-a'), caliName('eni', 'shop', 'web-b')],
  );
});

test('no bridge: host ends with ee:ee:ee:ee:ee:ee and no address; pod /32 with default via 169.254.1.1', () => {
  const n1 = nodeOf(topologyOf(calicoLab()), 'n1');
  assert.ok(!n1.devices.some((d) => d.kind === 'bridge' || d.name === 'cni0' || d.name === 'flannel.1'));
  const veths = n1.devices.filter((d) => d.kind === 'veth-host');
  assert.equal(veths.length, 2);
  for (const veth of veths) {
    assert.equal(veth.mac, 'ee:ee:ee:ee:ee:ee');
    assert.deepEqual(veth.addresses, []);
    assert.equal(veth.master, undefined);
  }
  const webA = n1.pods.find((p) => p.name === 'web-a')!;
  assert.deepEqual(webA.address, { ip: '10.70.10.1', certainty: 'inferred' }, 'after tunl0 10.70.10.0');
  assert.deepEqual(
    webA.devices.find((d) => d.name === 'eth0')!.addresses.map((a) => a.cidr),
    ['10.70.10.1/32'],
  );
  assert.deepEqual(webA.routes?.map(formatRoute), [
    'default via 169.254.1.1 dev eth0',
    '169.254.1.1 dev eth0 scope link',
  ]);
  assert.ok(routes(n1).includes(`10.70.10.1 dev ${caliName('cali', 'shop', 'web-a')} scope link`));
  assert.ok(routes(n1).includes(`10.70.10.2 dev ${caliName('cali', 'shop', 'web-b')} scope link`));
});

test("a live pod's status.podIP is known; the others are predicted past it", () => {
  const live = mutate(
    calicoLab(),
    PODS,
    '  name: web-a\n  namespace: shop\nspec:\n  nodeName: n1\n  containers:\n  - name: web\n    image: nginx:1.27\n',
    '  name: web-a\n  namespace: shop\nspec:\n  nodeName: n1\n  containers:\n  - name: web\n    image: nginx:1.27\n' +
      'status:\n  phase: Running\n  hostIP: 10.0.1.11\n  podIP: 10.70.10.7\n',
  );
  const n1 = nodeOf(topologyOf(live), 'n1');
  const webA = n1.pods.find((p) => p.name === 'web-a')!;
  assert.deepEqual(webA.address, { ip: '10.70.10.7', certainty: 'known' });
  assert.deepEqual(webA.devices.find((d) => d.name === 'eth0')!.addresses, [
    { cidr: '10.70.10.7/32', certainty: 'known' },
  ]);
  const route = n1.routes.find((r) => r.destination === '10.70.10.7')!;
  assert.equal(route.certainty, 'known');
});

test('IPIP Always, calico/node 3.28: tunl0 /32 mtu 1480, block routes via tunl0 proto bird onlink, blackhole', () => {
  const topology = topologyOf(calicoLab());
  const n1 = nodeOf(topology, 'n1');
  const tunl0 = n1.devices.find((d) => d.name === 'tunl0')!;
  assert.equal(tunl0.kind, 'ipip');
  assert.deepEqual(
    tunl0.addresses.map((a) => `${a.cidr} ${a.certainty}`),
    ['10.70.10.0/32 known'],
  );
  assert.equal(tunl0.mtu, 1480);
  assert.ok(!deviceNames(n1).includes('vxlan.calico'), 'no VXLAN pool, no vxlan.calico');
  assert.deepEqual(routes(n1), [
    'default via <gateway> dev eth0',
    '10.0.1.0/24 dev eth0 proto kernel scope link src 10.0.1.11',
    'blackhole 10.70.10.0/26 proto bird',
    `10.70.10.1 dev ${caliName('cali', 'shop', 'web-a')} scope link`,
    `10.70.10.2 dev ${caliName('cali', 'shop', 'web-b')} scope link`,
    '10.70.20.64/26 via 10.0.1.12 dev tunl0 proto bird onlink',
    '10.70.30.128/26 via 10.0.2.13 dev tunl0 proto bird onlink',
  ]);
  assert.equal(n1.pods[0].devices.find((d) => d.name === 'eth0')!.mtu, 1480);
  // Felix's permanent ARP entry per local pod (the pod's MAC is not in manifests); no VXLAN peer.
  assert.deepEqual(
    n1.neighbours.map((n) => `${n.ip} dev ${n.device} lladdr ${n.lladdr}`),
    [
      `10.70.10.1 dev ${caliName('cali', 'shop', 'web-a')} lladdr <mac of shop/web-a eth0>`,
      `10.70.10.2 dev ${caliName('cali', 'shop', 'web-b')} lladdr <mac of shop/web-b eth0>`,
    ],
  );
  assert.deepEqual(n1.fdb, []);
  assert.equal(topology.cluster.cni, 'calico');
  assert.deepEqual(topology.cluster.calico, {
    pools: [
      { name: 'default-ipv4-ippool', cidr: '10.70.0.0/16', blockSize: 26, encapsulation: 'IPIP', disabled: false },
    ],
    version: '3.28.1',
  });
  assert.equal(topology.cluster.backend, 'ipip');
  assert.equal(topology.cluster.podMtu, 1480);
});

test('IPIP routes are Felix-programmed (proto 80) from calico/node 3.33; no tag: the newest release, 3.32', () => {
  assert.ok(
    routes(nodeOf(topologyOf(withVersion(calicoLab(), '3.32.4')), 'n1')).includes(
      '10.70.30.128/26 via 10.0.2.13 dev tunl0 proto bird onlink',
    ),
  );
  const felix = nodeOf(topologyOf(withVersion(calicoLab(), '3.33.0')), 'n1');
  assert.ok(routes(felix).includes('10.70.30.128/26 via 10.0.2.13 dev tunl0 proto 80 onlink'));
  const unknown = topologyOf(mutate(calicoLab(), DS, 'calico/node:v3.28.1', 'calico/node'));
  const route = nodeOf(unknown, 'n1').routes.find((r) => r.destination === '10.70.30.128/26')!;
  assert.equal(formatRoute(route), '10.70.30.128/26 via 10.0.2.13 dev tunl0 proto bird onlink');
  assert.equal(route.certainty, 'inferred', 'the protocol depends on a version manifests do not tell');
  assert.ok(unknown.notes.some((n) => /version not visible: taken as the newest release \(3\.32\)/.test(n)));
});

test('IPIP CrossSubnet: same subnet unencapsulated via eth0 proto bird, other subnet via tunl0', () => {
  const n1 = nodeOf(topologyOf(withModes(calicoLab(), 'CrossSubnet', 'Never')), 'n1');
  assert.ok(routes(n1).includes('10.70.20.64/26 via 10.0.1.12 dev eth0 proto bird'));
  assert.ok(routes(n1).includes('10.70.30.128/26 via 10.0.2.13 dev tunl0 proto bird onlink'));
  assert.ok(deviceNames(n1).includes('tunl0'));
  // A node alone in its subnet reaches both others through tunl0.
  const n3 = nodeOf(topologyOf(withModes(calicoLab(), 'CrossSubnet', 'Never')), 'n3');
  assert.deepEqual(
    n3.routes
      .filter((r) => r.via)
      .map(formatRoute)
      .filter((r) => !r.startsWith('default')),
    [
      '10.70.10.0/26 via 10.0.1.11 dev tunl0 proto bird onlink',
      '10.70.20.64/26 via 10.0.1.12 dev tunl0 proto bird onlink',
    ],
  );
});

test('VXLAN Always: vxlan.calico /32 mtu 1450, routes via the peer tunnel IP proto 80 onlink, neigh and FDB', () => {
  const topology = topologyOf(withModes(calicoLab(), 'Never', 'Always', 'vxlan'));
  const n1 = nodeOf(topology, 'n1');
  assert.ok(!deviceNames(n1).includes('tunl0'), 'no IPIP pool, no tunl0');
  const vxlan = n1.devices.find((d) => d.name === 'vxlan.calico')!;
  assert.equal(vxlan.kind, 'vxlan');
  assert.deepEqual(
    vxlan.addresses.map((a) => a.cidr),
    ['10.70.10.0/32'],
  );
  assert.equal(vxlan.mtu, 1450);
  assert.match(vxlan.mac ?? '', /^66(:[0-9a-f]{2}){5}$/);
  assert.ok(vxlan.facts.some((f) => /VNI 4096, UDP 4789/.test(f)));
  assert.ok(routes(n1).includes('10.70.20.64/26 via 10.70.20.64 dev vxlan.calico proto 80 onlink'));
  assert.ok(routes(n1).includes('10.70.30.128/26 via 10.70.30.128 dev vxlan.calico proto 80 onlink'));
  assert.ok(routes(n1).includes('blackhole 10.70.10.0/26 proto 80'), 'no BIRD: Felix owns the blackhole');
  const n2mac = nodeOf(topology, 'n2').devices.find((d) => d.name === 'vxlan.calico')!.mac;
  const vxlanNeighbours = n1.neighbours.filter((n) => n.device === 'vxlan.calico');
  assert.deepEqual(
    vxlanNeighbours.map((n) => `${n.ip} dev ${n.device} lladdr ${n.lladdr}`),
    [
      `10.70.20.64 dev vxlan.calico lladdr ${n2mac}`,
      `10.70.30.128 dev vxlan.calico lladdr ${vxlanNeighbours[1].lladdr}`,
    ],
  );
  assert.deepEqual(
    n1.fdb.map((f) => `${f.mac} dev ${f.device} dst ${f.dst} self permanent`),
    [
      `${n2mac} dev vxlan.calico dst 10.0.1.12 self permanent`,
      `${n1.fdb[1].mac} dev vxlan.calico dst 10.0.2.13 self permanent`,
    ],
  );
  assert.equal(topology.cluster.backend, 'vxlan');
  assert.equal(topology.cluster.vni, 4096);
  assert.equal(topology.cluster.port, 4789);
});

test('VXLAN CrossSubnet: same subnet via eth0 proto 80 onlink (Felix), other subnet through vxlan.calico', () => {
  const n1 = nodeOf(topologyOf(withModes(calicoLab(), 'Never', 'CrossSubnet', 'vxlan')), 'n1');
  assert.ok(routes(n1).includes('10.70.20.64/26 via 10.0.1.12 dev eth0 proto 80 onlink'));
  assert.ok(routes(n1).includes('10.70.30.128/26 via 10.70.30.128 dev vxlan.calico proto 80 onlink'));
  assert.deepEqual(
    n1.fdb.map((f) => f.node),
    ['n3'],
    'FDB entries only for the peer reached through the tunnel',
  );
});

test('None (BGP only): every block via the peer node IP on eth0 proto bird, no tunnel device, MTU 1500', () => {
  const n1 = nodeOf(topologyOf(withModes(calicoLab(), 'Never', 'Never')), 'n1');
  assert.ok(routes(n1).includes('10.70.20.64/26 via 10.0.1.12 dev eth0 proto bird'));
  assert.ok(routes(n1).includes('10.70.30.128/26 via 10.0.2.13 dev eth0 proto bird'));
  assert.ok(!n1.devices.some((d) => ['tunl0', 'vxlan.calico', 'wireguard.cali'].includes(d.name)));
  assert.equal(n1.devices.find((d) => d.kind === 'veth-host')!.mtu, 1500);
  // Without BIRD nobody programs routes for an unencapsulated pool.
  const noBird = topologyOf(withModes(calicoLab(), 'Never', 'Never', 'none'));
  assert.ok(!nodeOf(noBird, 'n1').routes.some((r) => r.destination === '10.70.20.64/26'));
  assert.ok(noBird.notes.some((n) => /BIRD does not run/.test(n)));
  // FelixConfiguration programClusterRoutes: Enabled (read from 3.31): Felix programs them, proto 80, onlink.
  const felix =
    'apiVersion: projectcalico.org/v3\nkind: FelixConfiguration\nmetadata:\n  name: default\nspec:\n' +
    '  programClusterRoutes: Enabled\n';
  const byFelix = nodeOf(
    topologyOf({
      ...withVersion(withModes(calicoLab(), 'Never', 'Never', 'none'), '3.31.0'),
      [CONFIG.replace(/[^/]+$/, 'felix.yaml')]: felix,
    }),
    'n1',
  );
  assert.ok(routes(byFelix).includes('10.70.20.64/26 via 10.0.1.12 dev eth0 proto 80 onlink'));
});

test('a configured veth_mtu wins over the NIC minus the encapsulation', () => {
  const n1 = nodeOf(topologyOf(mutate(calicoLab(), CONFIG, 'veth_mtu: "0"', 'veth_mtu: "1400"')), 'n1');
  assert.equal(n1.devices.find((d) => d.name === 'tunl0')!.mtu, 1400);
  assert.equal(n1.devices.find((d) => d.kind === 'veth-host')!.mtu, 1400);
});

test('no tunnel-address annotation: blocks predicted, their routes inferred; no prefix: a /24 assumed', () => {
  const bare = {
    ...calicoLab(),
    [NODES]: calicoLab()[NODES].replace(/\n {6}projectcalico\.org\/IPv4\w+: \S+/g, ''),
  };
  assert.doesNotMatch(bare[NODES], /projectcalico/);
  const topology = topologyOf(withModes(bare, 'CrossSubnet', 'Never'));
  const n1 = nodeOf(topology, 'n1');
  const blackhole = n1.routes.find((r) => r.blackhole)!;
  assert.equal(blackhole.certainty, 'inferred');
  const peerRoutes = n1.routes.filter((r) => r.proto === 'bird' && !r.blackhole);
  assert.equal(peerRoutes.length, 2);
  assert.ok(peerRoutes.every((r) => r.certainty === 'inferred'));
  assert.ok(topology.notes.some((n) => /Blocks predicted/.test(n)));
  assert.ok(topology.notes.some((n) => /subnet is assumed to be the \/24/.test(n)));
  assert.equal(n1.devices.find((d) => d.name === 'tunl0')!.addresses[0]?.certainty, 'inferred');
});
