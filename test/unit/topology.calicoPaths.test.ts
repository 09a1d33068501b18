// Calico's packet paths (calico.md §3): routed by the host on one node (TTL −1, no bridge), and across nodes
// unencapsulated, IPIP (outer IP protocol 4, +20) or VXLAN (UDP 4789, VNI 4096, +50), CrossSubnet choosing
// per node pair; the MTU and TTL at each hop.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildTopology } from '../../server/src/topology/build';
import { caliName } from '../../server/src/topology/dataplanes/calicoPods';
import { packetPath } from '../../server/src/topology/path';
import { predictTraceroute } from '../../server/src/topology/traceroute';
import { type Files, workspaceOf } from './helpers';
import { calicoLab, withModes } from './calicoLab';

function pathOf(files: Files, from: string, to: string) {
  const [cluster] = workspaceOf(files).clusters();
  const topology = buildTopology(cluster);
  const path = packetPath(cluster, topology, from, to);
  assert.ok(path.ok, path.reason);
  return path;
}

const steps = (path: ReturnType<typeof pathOf>) => path.hops.map((h) => `${h.node} ${h.device} ${h.action} ${h.ttl}`);

test('same node: routed by the host through the cali veths (TTL −1), no bridge hop', () => {
  const path = pathOf(calicoLab(), 'web-a', 'web-b');
  const [a, b] = [caliName('cali', 'shop', 'web-a'), caliName('cali', 'shop', 'web-b')];
  assert.deepEqual(steps(path), ['n1 eth0 send 64', `n1 ${a} veth 64`, `n1 ${b} route 63`, 'n1 eth0 deliver 63']);
  assert.equal(path.hops[0].route, 'default via 169.254.1.1 dev eth0');
  assert.match(path.hops[0].description, /ee:ee:ee:ee:ee:ee \(proxy ARP\)/);
  assert.equal(path.hops[2].route, `10.70.10.2 dev ${b} scope link`);
  assert.ok(!path.hops.some((h) => h.action === 'bridge'));
  assert.equal(path.encapsulation, null);
  assert.equal(path.ttl, 63);
  assert.equal(path.mtu, 1480, "the pods' MTU under an IPIP pool");
});

test('IPIP Always across subnets: outer IPv4 protocol 4 between node IPs, +20 bytes, TTL 62, MTU 1480', () => {
  const path = pathOf(calicoLab(), 'web-a', 'db');
  assert.deepEqual(path.encapsulation, { type: 'ipip', outerSrc: '10.0.1.11', outerDst: '10.0.2.13', overhead: 20 });
  const encapsulate = path.hops.find((h) => h.action === 'encapsulate')!;
  assert.equal(encapsulate.device, 'tunl0');
  assert.match(encapsulate.description, /IP protocol 4/);
  assert.equal(
    path.hops.find((h) => h.action === 'route')!.route,
    '10.70.30.128/26 via 10.0.2.13 dev tunl0 proto bird onlink',
  );
  assert.deepEqual(
    path.hops.filter((h) => h.encapsulation).map((h) => `${h.node} ${h.device} ${h.action}`),
    ['n1 tunl0 encapsulate', 'n1 eth0 wire', 'n3 eth0 receive', 'n3 tunl0 decapsulate'],
  );
  assert.equal(path.ttl, 62);
  assert.equal(path.mtu, 1480);
  // Each hop carries its device's MTU: the pod and tunnel side 1480, the NICs 1500.
  assert.deepEqual(
    path.hops.map((h) => h.mtu),
    [1480, 1480, 1480, 1480, 1500, 1500, 1480, 1480, 1480],
  );
  const last = path.hops.at(-2)!;
  assert.equal(last.route, `10.70.30.129 dev ${caliName('cali', 'shop', 'db')} scope link`);
});

test('IPIP CrossSubnet chooses per node pair: plain to the same subnet, IPIP to the other', () => {
  const files = withModes(calicoLab(), 'CrossSubnet', 'Never');
  const near = pathOf(files, 'web-a', 'cache');
  assert.equal(near.encapsulation, null);
  assert.deepEqual(
    near.hops.filter((h) => h.node === 'n1' && h.device === 'eth0' && h.netns === 'host').map((h) => h.action),
    ['route', 'wire'],
  );
  assert.equal(near.hops.find((h) => h.action === 'route')!.route, '10.70.20.64/26 via 10.0.1.12 dev eth0 proto bird');
  assert.equal(near.ttl, 62);
  const far = pathOf(files, 'web-a', 'db');
  assert.equal(far.encapsulation?.type, 'ipip');
});

test('VXLAN Always: UDP 4789, VNI 4096, +50 bytes, VTEP MACs from vxlan.calico, MTU 1450', () => {
  const path = pathOf(withModes(calicoLab(), 'Never', 'Always', 'vxlan'), 'web-a', 'cache');
  const e = path.encapsulation!;
  assert.equal(e.type, 'vxlan');
  assert.equal(e.port, 4789);
  assert.equal(e.vni, 4096);
  assert.equal(e.overhead, 50);
  assert.equal(e.outerSrc, '10.0.1.11');
  assert.equal(e.outerDst, '10.0.1.12');
  assert.match(e.innerDstMac ?? '', /^66:/);
  assert.equal(
    path.hops.find((h) => h.action === 'route')!.route,
    '10.70.20.64/26 via 10.70.20.64 dev vxlan.calico proto 80 onlink',
  );
  assert.deepEqual(
    path.hops.filter((h) => h.action === 'encapsulate' || h.action === 'decapsulate').map((h) => h.device),
    ['vxlan.calico', 'vxlan.calico'],
  );
  assert.equal(path.mtu, 1450);
  assert.equal(path.ttl, 62);
});

test('VXLAN CrossSubnet: the same-subnet peer unencapsulated (Felix route), the other through VXLAN', () => {
  const files = withModes(calicoLab(), 'Never', 'CrossSubnet', 'vxlan');
  assert.equal(pathOf(files, 'web-a', 'cache').encapsulation, null);
  assert.equal(pathOf(files, 'web-a', 'db').encapsulation?.vni, 4096);
});

test('no BIRD and an unencapsulated pool: no route between nodes, and the path says why', () => {
  const [cluster] = workspaceOf(withModes(calicoLab(), 'Never', 'Never', 'none')).clusters();
  const topology = buildTopology(cluster);
  const path = packetPath(cluster, topology, 'web-a', 'db');
  assert.equal(path.ok, false);
  assert.match(path.reason ?? '', /n1 has no route to n3's block .*BIRD does not run/);
});

test('traceroute: the node routes even between its own pods and answers from its node IP; IPIP shows tunl0', () => {
  const [cluster] = workspaceOf(calicoLab()).clusters();
  const topology = buildTopology(cluster);
  const addresses = (from: string, to: string) => {
    const trace = predictTraceroute(cluster, topology, from, to);
    assert.ok(trace.ok, trace.ok ? '' : trace.reason);
    return trace.hops.map((h) => h.address);
  };
  assert.deepEqual(addresses('web-a', 'web-b'), ['10.0.1.11', '10.70.10.2']);
  assert.deepEqual(addresses('web-a', 'db'), ['10.0.1.11', '10.70.30.128', '10.70.30.129']);
});
