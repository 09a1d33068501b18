// The topology engine against what the seed clusters showed (shared/examples/README.md, seeds 000-003).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildTopology } from '../../server/src/topology/build';
import { packetPath } from '../../server/src/topology/path';
import { toolOutput } from '../../server/src/topology/tools';
import { type Files, FLANNEL_NAMED, loadExample, workspaceOf } from './helpers';

function clusterOf(files: Files, root: string) {
  const cluster = workspaceOf(files, FLANNEL_NAMED)
    .clusters()
    .find((c) => c.root === root);
  assert.ok(cluster, `cluster ${root}`);
  return { cluster, topology: buildTopology(cluster) };
}

const hostGw = (files: Files): Files => {
  const key = '/ws/cluster-10.100/kube-flannel-cfg.yaml';
  return { ...files, [key]: files[key].replace('"Type": "vxlan"', '"Type": "host-gw"') };
};

const node = (topology: ReturnType<typeof buildTopology>, name: string) => {
  const found = topology.nodes.find((n) => n.name === name);
  assert.ok(found, name);
  return found;
};

test('seed-multi-node: flannel.1 10.244.1.0/32 and cni0 10.244.1.1/24 with MTU 1450 on k8s-worker1', () => {
  const { topology } = clusterOf(loadExample('seed-multi-node'), '/ws/seed-multi-node');
  const worker = node(topology, 'k8s-worker1');
  const flannel = worker.devices.find((d) => d.name === 'flannel.1')!;
  assert.deepEqual(
    flannel.addresses.map((a) => a.cidr),
    ['10.244.1.0/32'],
  );
  assert.equal(flannel.mtu, 1450);
  const cni0 = worker.devices.find((d) => d.name === 'cni0')!;
  assert.deepEqual(
    cni0.addresses.map((a) => a.cidr),
    ['10.244.1.1/24'],
  );
  assert.equal(cni0.mtu, 1450);
  const nic = worker.devices.find((d) => d.kind === 'nic')!;
  assert.deepEqual(
    nic.addresses.map((a) => a.cidr),
    ['192.168.118.128'],
  );
  assert.equal(
    node(topology, 'k8s-worker2').devices.find((d) => d.name === 'flannel.1')!.addresses[0].cidr,
    '10.244.2.0/32',
  );
});

test('seed-single-node: one veth per pod enslaved to cni0; two containers share one namespace', () => {
  const { topology } = clusterOf(loadExample('seed-single-node'), '/ws/seed-single-node');
  const worker = node(topology, 'k8s-worker1');
  const veths = worker.devices.filter((d) => d.kind === 'veth-host');
  assert.equal(veths.length, 3);
  assert.ok(veths.every((v) => v.master === 'cni0' && v.nameCertainty === 'placeholder'));
  const myPod = worker.pods.find((p) => p.name === 'my-pod')!;
  assert.deepEqual(myPod.containers, ['container1', 'container2']);
  assert.equal(myPod.devices.filter((d) => d.kind === 'veth-pod').length, 1);
  const brctl = toolOutput(topology, worker, 'brctl');
  assert.match(brctl, /^cni0\t\t8000\.<mac of cni0>\tno\t\tveth<my-pod>$/m);
  assert.match(brctl, /^\t+veth<mypod2>$/m);
});

test('cluster-10.100 vxlan: routes, neighbours and FDB on master231 as the seed showed', () => {
  const { topology } = clusterOf(loadExample('cluster-10.100'), '/ws/cluster-10.100');
  const master = node(topology, 'master231');
  const routes = toolOutput(topology, master, 'ip-route');
  assert.match(routes, /^10\.100\.1\.0\/24 via 10\.100\.1\.0 dev flannel\.1 onlink$/m);
  assert.match(routes, /^10\.100\.2\.0\/24 via 10\.100\.2\.0 dev flannel\.1 onlink$/m);
  assert.match(toolOutput(topology, master, 'ip-neigh'), /^10\.100\.1\.0 lladdr <vtep mac of worker232> PERMANENT$/m);
  assert.match(
    toolOutput(topology, master, 'bridge-fdb'),
    /^<vtep mac of worker233> dst 10\.0\.0\.233 self permanent$/m,
  );
  const worker = node(topology, 'worker233');
  assert.match(
    toolOutput(topology, worker, 'ip-route'),
    /^10\.100\.2\.0\/24 dev cni0 proto kernel scope link src 10\.100\.2\.1$/m,
  );
  const ipA = toolOutput(topology, worker, 'ip-addr');
  assert.match(ipA, /flannel\.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450/);
  assert.match(ipA, /inet 10\.100\.2\.1\/24 brd 10\.100\.2\.255 scope global cni0/);
  assert.match(ipA, /veth<xiuxian-v2>@if2: .* master cni0 /);
});

test("cluster-10.100 host-gw: routes via the peers' node IPs on eth0, local subnet on cni0", () => {
  const { topology } = clusterOf(hostGw(loadExample('cluster-10.100')), '/ws/cluster-10.100');
  const routes = toolOutput(topology, node(topology, 'worker233'), 'ip-route');
  assert.match(routes, /^10\.100\.0\.0\/24 via 10\.0\.0\.231 dev eth0$/m);
  assert.match(routes, /^10\.100\.1\.0\/24 via 10\.0\.0\.232 dev eth0$/m);
  assert.match(routes, /^10\.100\.2\.0\/24 dev cni0 proto kernel scope link src 10\.100\.2\.1$/m);
  assert.ok(!node(topology, 'worker233').devices.some((d) => d.name === 'flannel.1'));
});

test('cross-node vxlan path: outer UDP 10.0.0.232 → 10.0.0.233:8472, VNI 1, delivered with TTL 62', () => {
  const { cluster, topology } = clusterOf(loadExample('cluster-10.100'), '/ws/cluster-10.100');
  const path = packetPath(cluster, topology, 'xiuxian-v1', 'xiuxian-v2');
  assert.ok(path.ok, path.reason);
  assert.deepEqual(path.encapsulation, {
    type: 'vxlan',
    outerSrc: '10.0.0.232',
    outerDst: '10.0.0.233',
    port: 8472,
    vni: 1,
    overhead: 50,
  });
  assert.equal(path.ttl, 62);
  assert.equal(path.mtu, 1450);
  assert.deepEqual(
    path.hops.map((h) => `${h.node} ${h.netns} ${h.device} ${h.action}`),
    [
      'worker232 default/xiuxian-v1 eth0 send',
      'worker232 host veth<xiuxian-v1> veth',
      'worker232 host cni0 bridge',
      'worker232 host flannel.1 route',
      'worker232 host flannel.1 encapsulate',
      'worker232 host eth0 wire',
      'worker233 host eth0 receive',
      'worker233 host flannel.1 decapsulate',
      'worker233 host cni0 route',
      'worker233 host veth<xiuxian-v2> veth',
      'worker233 default/xiuxian-v2 eth0 deliver',
    ],
  );
  assert.equal(path.hops[3].route, '10.100.2.0/24 via 10.100.2.0 dev flannel.1 onlink');
});

test('cross-node host-gw path: no encapsulation, route via the peer node IP, TTL 62', () => {
  const { cluster, topology } = clusterOf(hostGw(loadExample('cluster-10.100')), '/ws/cluster-10.100');
  const path = packetPath(cluster, topology, 'xiuxian-v1', 'default/xiuxian-v2');
  assert.ok(path.ok, path.reason);
  assert.equal(path.encapsulation, null);
  assert.equal(path.ttl, 62);
  assert.equal(path.mtu, 1500);
  assert.ok(path.hops.some((h) => h.route === '10.100.2.0/24 via 10.0.0.233 dev eth0'));
});

test('same-node path goes through cni0 without routing (TTL 64); containers of one pod use lo', () => {
  const { cluster, topology } = clusterOf(loadExample('seed-single-node'), '/ws/seed-single-node');
  const path = packetPath(cluster, topology, 'mypod1', 'mypod2');
  assert.ok(path.ok, path.reason);
  assert.equal(path.ttl, 64);
  assert.equal(path.encapsulation, null);
  assert.deepEqual(
    path.hops.map((h) => h.action),
    ['send', 'veth', 'bridge', 'veth', 'deliver'],
  );
  const local = packetPath(cluster, topology, 'my-pod', 'my-pod');
  assert.ok(local.ok);
  assert.deepEqual(
    local.hops.map((h) => `${h.device} ${h.action}`),
    ['lo loopback', 'lo deliver'],
  );
  assert.equal(local.mtu, 65536);
});

test('paths that cannot exist say why', () => {
  const files = loadExample('cluster-10.100');
  const { cluster, topology } = clusterOf(files, '/ws/cluster-10.100');
  assert.match(packetPath(cluster, topology, 'nope', 'xiuxian-v2').reason!, /no pod `nope`/);
  const broken = {
    ...files,
    '/ws/cluster-10.100/nodes.yaml': files['/ws/cluster-10.100/nodes.yaml'].replace(
      /10\.100\.2\.0\/24/g,
      '10.200.2.0/24',
    ),
  };
  const b = clusterOf(broken, '/ws/cluster-10.100');
  const path = packetPath(b.cluster, b.topology, 'xiuxian-v1', 'xiuxian-v2');
  assert.equal(path.ok, false);
  assert.match(path.reason!, /outside flannel's Network/);
});

/** cluster-10.100 with another net-conf.json Backend. */
const withBackend = (backend: string): Files => {
  const files = loadExample('cluster-10.100');
  const key = '/ws/cluster-10.100/kube-flannel-cfg.yaml';
  return { ...files, [key]: files[key].replace('"Type": "vxlan"', backend) };
};

const crossNode = (files: Files) => {
  const { cluster, topology } = clusterOf(files, '/ws/cluster-10.100');
  const path = packetPath(cluster, topology, 'xiuxian-v1', 'xiuxian-v2');
  assert.ok(path.ok, path.reason);
  return { path, topology };
};

test('wireguard: flannel-wg carries encrypted UDP 51820, pod MTU 1420', () => {
  const { path, topology } = crossNode(withBackend('"Type": "wireguard"'));
  assert.deepEqual(path.encapsulation, {
    type: 'wireguard',
    outerSrc: '10.0.0.232',
    outerDst: '10.0.0.233',
    port: 51820,
    overhead: 80,
  });
  assert.equal(path.mtu, 1420);
  assert.equal(path.ttl, 62);
  assert.match(
    toolOutput(topology, node(topology, 'worker232'), 'ip-route'),
    /^10\.100\.0\.0\/16 dev flannel-wg proto kernel scope link src 10\.100\.1\.0$/m,
  );
});

test('ipip: flannel.ipip with routes via the peer node IP onlink, 20 bytes of overhead', () => {
  const { path, topology } = crossNode(withBackend('"Type": "ipip"'));
  assert.deepEqual(path.encapsulation, { type: 'ipip', outerSrc: '10.0.0.232', outerDst: '10.0.0.233', overhead: 20 });
  assert.equal(path.mtu, 1480);
  assert.match(
    toolOutput(topology, node(topology, 'worker232'), 'ip-route'),
    /^10\.100\.2\.0\/24 via 10\.0\.0\.233 dev flannel\.ipip onlink$/m,
  );
});

test('udp: flanneld relays through flannel0 in user space on UDP 8285', () => {
  const { path } = crossNode(withBackend('"Type": "udp"'));
  assert.deepEqual(path.encapsulation, {
    type: 'udp',
    outerSrc: '10.0.0.232',
    outerDst: '10.0.0.233',
    port: 8285,
    overhead: 28,
  });
  assert.deepEqual(
    path.hops.filter((h) => h.action === 'userspace').map((h) => `${h.node} ${h.device}`),
    ['worker232 flannel0', 'worker233 flannel0'],
  );
  assert.equal(path.mtu, 1472);
});

test('vxlan with DirectRouting: nodes on one /24 are routed directly, without encapsulation', () => {
  const { path, topology } = crossNode(withBackend('"Type": "vxlan", "DirectRouting": true'));
  assert.equal(path.encapsulation, null);
  assert.ok(path.hops.some((h) => h.route === '10.100.2.0/24 via 10.0.0.233 dev eth0'));
  assert.ok(path.notes.some((n) => /DirectRouting/.test(n)));
  assert.deepEqual(node(topology, 'worker232').neighbours, [], 'no VXLAN neighbours for directly routed peers');
});

test('vxlan with another VNI and port: flannel.<VNI> and the configured UDP port', () => {
  const { path, topology } = crossNode(withBackend('"Type": "vxlan", "VNI": 4096, "Port": 4789'));
  assert.equal(path.encapsulation?.vni, 4096);
  assert.equal(path.encapsulation?.port, 4789);
  assert.ok(node(topology, 'worker233').devices.some((d) => d.name === 'flannel.4096'));
});

test('hostNetwork endpoints: node to pod across nodes goes out of flannel.1 unforwarded (TTL 63 at delivery)', () => {
  const files = loadExample('cluster-10.100');
  files['/ws/cluster-10.100/agent.yaml'] =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  nodeName: worker232\n  hostNetwork: ' +
    'true\n  containers:\n  - name: a\n    image: busybox\n';
  const { cluster, topology } = clusterOf(files, '/ws/cluster-10.100');
  const toPod = packetPath(cluster, topology, 'agent', 'xiuxian-v2');
  assert.ok(toPod.ok, toPod.reason);
  assert.equal(toPod.hops[0].netns, 'host');
  assert.equal(toPod.ttl, 63);
  assert.equal(toPod.encapsulation?.type, 'vxlan');
  const fromPod = packetPath(cluster, topology, 'xiuxian-v2', 'agent');
  assert.ok(fromPod.ok, fromPod.reason);
  assert.equal(fromPod.encapsulation, null, 'a node IP is reached over the underlay, not the overlay');
  assert.ok(
    fromPod.hops.some((h) => h.action === 'nat'),
    'flannel masquerades pod traffic leaving the pod network',
  );
  const local = packetPath(cluster, topology, 'agent', 'xiuxian-v1');
  assert.ok(local.ok);
  assert.equal(local.ttl, 64, 'locally originated and delivered on the same node');
});

test('a node without podCIDR and an unscheduled pod give reasons instead of paths', () => {
  const files = loadExample('cluster-10.100');
  files['/ws/cluster-10.100/nodes.yaml'] = files['/ws/cluster-10.100/nodes.yaml'].replace(
    '  podCIDR: 10.100.2.0/24\n  podCIDRs: ["10.100.2.0/24"]\n',
    '',
  );
  const { cluster, topology } = clusterOf(files, '/ws/cluster-10.100');
  const worker = node(topology, 'worker233');
  assert.ok(worker.podCidrNote, 'the podCIDR is inferred');
  files['/ws/cluster-10.100/loose.yaml'] =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: loose\nspec:\n  nodeSelector: {disk: none}\n  containers:\n' +
    '  - name: a\n    image: busybox\n';
  const again = clusterOf(files, '/ws/cluster-10.100');
  const path = packetPath(again.cluster, again.topology, 'xiuxian-v1', 'loose');
  assert.equal(path.ok, false);
  assert.match(path.reason!, /no node it can run on: nodeSelector disk=none/);
  void cluster;
});
