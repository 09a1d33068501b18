// The seed labs (shared/examples/README.md, seeds 000, 002, 003) expressed with controllers instead of
// pinned Pods (test/fixtures/seed-controllers): a StatefulSet, DaemonSets on a kubeadm control plane
// that is tainted, and Deployments pinned by `nodeSelector: kubernetes.io/hostname`. The pods must land
// where the seeds' pods ran, and the predicted devices, routes and paths must read as the seeds recorded.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { buildTopology } from '../../server/src/topology/build';
import { packetPath } from '../../server/src/topology/path';
import { toolOutput } from '../../server/src/topology/tools';
import { type NodeTopology, type PodTopology, type Topology } from '../../server/src/topology/types';
import { FIXTURES, type Files, workspaceOf } from './helpers';

function lab(folder: string, edit: (files: Files) => Files = (files) => files) {
  const dir = path.join(FIXTURES, 'seed-controllers', folder);
  const files: Files = {};
  for (const name of fs.readdirSync(dir)) files[`/ws/${name}`] = fs.readFileSync(path.join(dir, name), 'utf8');
  const clusters = workspaceOf(edit(files)).clusters();
  assert.equal(clusters.length, 1, 'one cluster per lab');
  return { cluster: clusters[0], topology: buildTopology(clusters[0]) };
}

const nodeOf = (topology: Topology, name: string): NodeTopology => {
  const found = topology.nodes.find((n) => n.name === name);
  assert.ok(found, `node ${name}`);
  return found;
};

/** Where each pod of a controller landed, as `pod node`. */
const placed = (topology: Topology, owner: string): string[] =>
  topology.nodes.flatMap((n) => n.pods.filter((p) => p.owner?.name === owner).map((p) => `${p.name} ${n.name}`));

const pod = (topology: Topology, name: string): PodTopology => {
  const found = topology.nodes.flatMap((n) => n.pods).find((p) => p.name === name);
  assert.ok(found, `pod ${name}`);
  return found;
};

/** A bridged pod's eth0: an address inside the node's podCIDR (the seeds' exact IPs depend on pod churn). */
function assertOnPodSubnet(p: PodTopology, subnet: string, mtu: number): void {
  const eth0 = p.devices.find((d) => d.name === 'eth0');
  assert.ok(eth0, `${p.name} has an eth0`);
  assert.equal(eth0.mtu, mtu);
  assert.match(eth0.addresses[0]?.cidr ?? '', new RegExp(`^${subnet.replace(/\./g, '\\.')}\\.\\d+/24$`));
  assert.equal(eth0.addresses[0].certainty, 'inferred');
}

// --- Seed 003: the kubeadm cluster on 10.100.0.0/16 (master231, worker232, worker233) ----------------

test("seed 003: flannel's DaemonSet runs on the tainted control plane too, with each node's IP", () => {
  const { topology } = lab('cluster-10.100');
  // `kubectl -n kube-flannel get pods -o wide` in the seed: one pod per node, IP = the node's.
  assert.deepEqual(placed(topology, 'kube-flannel-ds'), [
    'kube-flannel-ds@master231 master231',
    'kube-flannel-ds@worker232 worker232',
    'kube-flannel-ds@worker233 worker233',
  ]);
  const onMaster = pod(topology, 'kube-flannel-ds@master231');
  assert.equal(onMaster.hostNetwork, true);
  assert.deepEqual(onMaster.address, { ip: '10.0.0.231', certainty: 'known' });
  assert.equal(onMaster.placement, undefined, 'a DaemonSet pod is bound to its node: no guess');
  assert.deepEqual(topology.unplaced, []);
});

test('seed 003: a DaemonSet without the toleration skips master231, whose only pods stay host-network', () => {
  const { topology } = lab('cluster-10.100');
  assert.deepEqual(placed(topology, 'net-probe'), ['net-probe@worker232 worker232', 'net-probe@worker233 worker233']);
  const master = nodeOf(topology, 'master231');
  assert.deepEqual(
    master.pods.map((p) => `${p.namespace}/${p.name}`),
    ['kube-system/kube-controller-manager', 'kube-flannel/kube-flannel-ds@master231'],
  );
  assert.ok(!master.devices.some((d) => d.name === 'cni0'), 'no bridged pod on master231: no cni0');
});

test('seed 003: the StatefulSet puts xiuxian-0 on worker232 and xiuxian-1 on worker233, one per node', () => {
  const { topology } = lab('cluster-10.100');
  assert.deepEqual(placed(topology, 'xiuxian'), ['xiuxian-0 worker232', 'xiuxian-1 worker233']);
  const first = pod(topology, 'xiuxian-0');
  assert.equal(first.generatedName, 'xiuxian-0', "a StatefulSet pod's name is real");
  assert.deepEqual(first.owner, { kind: 'StatefulSet', name: 'xiuxian' });
  assert.match(first.placement ?? '', /^inferred: the scheduler picks one of worker232, worker233;/);
  // The seed's xiuxian-v1 had 10.100.1.9, xiuxian-v2 10.100.2.3: inside each worker's podCIDR.
  assertOnPodSubnet(first, '10.100.1', 1450);
  assertOnPodSubnet(pod(topology, 'xiuxian-1'), '10.100.2', 1450);
});

test('seed 003: a Deployment pinned by kubernetes.io/hostname lands on worker233, no guess involved', () => {
  const { topology } = lab('cluster-10.100');
  assert.deepEqual(placed(topology, 'xiuxian-v2'), ['xiuxian-v2-1 worker233']);
  const pinned = pod(topology, 'xiuxian-v2-1');
  assert.equal(pinned.placement, undefined, 'one node has the label: the scheduler has no choice');
  assert.equal(pinned.generatedName, 'xiuxian-v2-<hash>-<id>');
  assertOnPodSubnet(pinned, '10.100.2', 1450);
});

test('seed 003 with a bare Pod: `kubectl run --overrides` pinning xiuxian-v2 by hostname puts it on worker233', () => {
  const barePod = (files: Files): Files => {
    const { '/ws/xiuxian-v2-deployment.yaml': _deployment, ...rest } = files;
    const pod = path.join(FIXTURES, 'seed-controllers', 'bare-pods', 'xiuxian-v2-pod.yaml');
    return { ...rest, '/ws/xiuxian-v2-pod.yaml': fs.readFileSync(pod, 'utf8') };
  };
  const { cluster, topology } = lab('cluster-10.100', barePod);
  assert.deepEqual(topology.unplaced, []);
  const bare = pod(topology, 'xiuxian-v2');
  assert.equal(bare.node, 'worker233');
  assert.equal(bare.placement, undefined, 'one node has the label: the scheduler has no choice');
  assert.equal(bare.owner, undefined);
  assertOnPodSubnet(bare, '10.100.2', 1450);
  const trace = packetPath(cluster, topology, 'xiuxian-0', 'xiuxian-v2');
  assert.ok(trace.ok, trace.reason);
  assert.equal(trace.encapsulation?.outerDst, '10.0.0.233');
});

test("seed 003: routes, neighbours and FDB as the seed's master231 and worker233 showed them", () => {
  const { topology } = lab('cluster-10.100');
  const master = nodeOf(topology, 'master231');
  const masterRoutes = toolOutput(topology, master, 'ip-route');
  assert.match(masterRoutes, /^10\.100\.1\.0\/24 via 10\.100\.1\.0 dev flannel\.1 onlink$/m);
  assert.match(masterRoutes, /^10\.100\.2\.0\/24 via 10\.100\.2\.0 dev flannel\.1 onlink$/m);
  assert.match(toolOutput(topology, master, 'ip-neigh'), /^10\.100\.1\.0 lladdr <vtep mac of worker232> PERMANENT$/m);
  assert.match(toolOutput(topology, master, 'ip-neigh'), /^10\.100\.2\.0 lladdr <vtep mac of worker233> PERMANENT$/m);
  assert.match(
    toolOutput(topology, master, 'bridge-fdb'),
    /^<vtep mac of worker232> dst 10\.0\.0\.232 self permanent$/m,
  );
  // `route -n | grep 10.100` on worker233: two peers through flannel.1, its own subnet on cni0.
  const worker = nodeOf(topology, 'worker233');
  const routes = toolOutput(topology, worker, 'ip-route');
  assert.match(routes, /^10\.100\.0\.0\/24 via 10\.100\.0\.0 dev flannel\.1 onlink$/m);
  assert.match(routes, /^10\.100\.1\.0\/24 via 10\.100\.1\.0 dev flannel\.1 onlink$/m);
  assert.match(routes, /^10\.100\.2\.0\/24 dev cni0 proto kernel scope link src 10\.100\.2\.1$/m);
  const ipA = toolOutput(topology, worker, 'ip-addr');
  assert.match(ipA, /inet 10\.100\.2\.0\/32 scope global flannel\.1/);
  assert.match(ipA, /cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 /);
  assert.match(ipA, /inet 10\.100\.2\.1\/24 brd 10\.100\.2\.255 scope global cni0/);
  assert.match(ipA, /veth<xiuxian-1>@if2: .* master cni0 /);
});

test('seed 003: xiuxian-0 → xiuxian-1 crosses the vxlan: outer 10.0.0.232 → 10.0.0.233:8472, VNI 1, TTL 62', () => {
  const { cluster, topology } = lab('cluster-10.100');
  const trace = packetPath(cluster, topology, 'xiuxian-0', 'xiuxian-1');
  assert.ok(trace.ok, trace.reason);
  assert.deepEqual(trace.encapsulation, {
    type: 'vxlan',
    outerSrc: '10.0.0.232',
    outerDst: '10.0.0.233',
    port: 8472,
    vni: 1,
    overhead: 50,
  });
  assert.equal(trace.ttl, 62);
  assert.equal(trace.mtu, 1450);
  assert.ok(trace.hops.some((h) => h.route === '10.100.2.0/24 via 10.100.2.0 dev flannel.1 onlink'));
});

test("seed 003 with host-gw: worker233 routes to its peers' node IPs, and the path is not encapsulated", () => {
  const hostGw = (files: Files): Files => ({
    ...files,
    '/ws/kube-flannel.yml': files['/ws/kube-flannel.yml'].replace('"Type": "vxlan"', '"Type": "host-gw"'),
  });
  const { cluster, topology } = lab('cluster-10.100', hostGw);
  const routes = toolOutput(topology, nodeOf(topology, 'worker233'), 'ip-route');
  assert.match(routes, /^10\.100\.0\.0\/24 via 10\.0\.0\.231 dev eth0$/m);
  assert.match(routes, /^10\.100\.1\.0\/24 via 10\.0\.0\.232 dev eth0$/m);
  assert.match(routes, /^10\.100\.2\.0\/24 dev cni0 proto kernel scope link src 10\.100\.2\.1$/m);
  const trace = packetPath(cluster, topology, 'xiuxian-0', 'xiuxian-v2-1');
  assert.ok(trace.ok, trace.reason);
  assert.equal(trace.encapsulation, null);
  assert.equal(trace.ttl, 62);
  assert.ok(trace.hops.some((h) => h.route === '10.100.2.0/24 via 10.0.0.233 dev eth0'));
});

// --- Seeds 000 and 002: k8s-worker1 and k8s-worker2 on 192.168.118.0/24 (ens33) ------------------------

test('seeds 000/002: two net-box replicas and the two-container pod pinned to k8s-worker1 share its cni0', () => {
  const { topology } = lab('k8s-workers');
  assert.deepEqual(placed(topology, 'net-box'), ['net-box-1 k8s-worker1', 'net-box-2 k8s-worker1']);
  assert.deepEqual(placed(topology, 'my-pod'), ['my-pod-1 k8s-worker1']);
  const worker = nodeOf(topology, 'k8s-worker1');
  const cni0 = worker.devices.find((d) => d.name === 'cni0');
  assert.deepEqual(
    cni0?.addresses.map((a) => a.cidr),
    ['10.244.1.1/24'],
  );
  assert.equal(cni0?.mtu, 1450);
  // The seed: mypod1 10.244.1.26, mypod2 10.244.1.25, my-pod 10.244.1.4, all with eth0 mtu 1450.
  for (const name of ['net-box-1', 'net-box-2', 'my-pod-1']) assertOnPodSubnet(pod(topology, name), '10.244.1', 1450);
  const myPod = pod(topology, 'my-pod-1');
  assert.deepEqual(myPod.containers, ['container1', 'container2']);
  assert.equal(myPod.devices.filter((d) => d.kind === 'veth-pod').length, 1, 'one network namespace, one eth0');
  const brctl = toolOutput(topology, worker, 'brctl');
  for (const name of ['net-box-1', 'net-box-2', 'my-pod-1']) assert.match(brctl, new RegExp(`\\tveth<${name}>$`, 'm'));
});

test('seed 000 multi-node: the StatefulSet puts one mypod on each worker, and the path crosses ens33', () => {
  const { cluster, topology } = lab('k8s-workers');
  const spread = placed(topology, 'mypod');
  assert.deepEqual(spread.map((p) => p.split(' ')[1]).sort(), ['k8s-worker1', 'k8s-worker2']);
  assert.deepEqual(spread.map((p) => p.split(' ')[0]).sort(), ['mypod-0', 'mypod-1']);
  const onWorker = (node: string) => nodeOf(topology, node).pods.find((p) => p.owner?.name === 'mypod')!;
  assert.match(
    onWorker('k8s-worker1').placement ?? '',
    /^inferred: the scheduler picks one of k8s-worker1, k8s-worker2/,
  );
  assertOnPodSubnet(onWorker('k8s-worker2'), '10.244.2', 1450);
  // `ip -c a` on the workers in the seed.
  const ipA = (node: string) => toolOutput(topology, nodeOf(topology, node), 'ip-addr');
  assert.match(ipA('k8s-worker1'), /inet 192\.168\.118\.128\/<prefix> scope global ens33/);
  assert.match(ipA('k8s-worker1'), /inet 10\.244\.1\.0\/32 scope global flannel\.1/);
  assert.match(ipA('k8s-worker2'), /inet 10\.244\.2\.0\/32 scope global flannel\.1/);
  assert.match(ipA('k8s-worker2'), /inet 10\.244\.2\.1\/24 brd 10\.244\.2\.255 scope global cni0/);
  // From the pod on k8s-worker1 to the one on k8s-worker2, as the seed pinged mypod2 from mypod1.
  const trace = packetPath(cluster, topology, onWorker('k8s-worker1').name, onWorker('k8s-worker2').name);
  assert.ok(trace.ok, trace.reason);
  assert.equal(trace.encapsulation?.outerSrc, '192.168.118.128');
  assert.equal(trace.encapsulation?.outerDst, '192.168.118.130');
  assert.equal(trace.encapsulation?.vni, 1);
  assert.ok(trace.hops.some((h) => h.route === '10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink'));
  const wire = trace.hops.find((h) => h.action === 'wire');
  assert.equal(wire?.device, 'ens33');
  assert.equal(wire?.deviceAssumed, undefined, 'flanneld is given --iface=ens33');
});
