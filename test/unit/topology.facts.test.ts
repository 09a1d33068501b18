// Facts, not guesses, in what Podnet prints (issue 12, point 10): the arrival on the destination node's NIC,
// traceroute as the source pod would see it, the assumed NIC name marked assumed, a node without Node object
// said as such, and backend hovers in the cluster's own addresses. Expected values are what the seed
// clusters showed (shared/examples/README.md; seeds 000 and 003).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatPath } from '../../server/src/cli/topology';
import { hoverAt } from '../../server/src/features/hover';
import { pathToUri } from '../../server/src/model/workspace';
import { buildTopology } from '../../server/src/topology/build';
import { packetPath } from '../../server/src/topology/path';
import { toolOutput } from '../../server/src/topology/tools';
import { formatTraceroute, predictTraceroute, type Traceroute } from '../../server/src/topology/traceroute';
import {
  type Files,
  flannelConfigMap,
  flannelManifest,
  FLANNEL_NAMED,
  loadExample,
  mutate,
  workspaceOf,
} from './helpers';

const CFG = '/ws/cluster-10.100/kube-flannel-cfg.yaml';
const seed003 = (backend = 'vxlan'): Files =>
  backend === 'vxlan'
    ? loadExample('cluster-10.100')
    : mutate(loadExample('cluster-10.100'), CFG, '"vxlan"', `"${backend}"`);

function clusterOf(files: Files) {
  const cluster = workspaceOf(files, FLANNEL_NAMED).clusters()[0];
  return { cluster, topology: buildTopology(cluster) };
}

const hopAddresses = (trace: Traceroute) => {
  assert.ok(trace.ok, trace.ok ? '' : trace.reason);
  return trace.hops.map((h) => h.address);
};

const AGENT =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  nodeName: worker232\n  hostNetwork: true\n' +
  '  containers:\n  - name: a\n    image: busybox\n';

test('a cross-node path shows its arrival on the destination NIC with the node IP (vxlan and host-gw)', () => {
  for (const backend of ['vxlan', 'host-gw']) {
    const { cluster, topology } = clusterOf(seed003(backend));
    const path = packetPath(cluster, topology, 'xiuxian-v1', 'xiuxian-v2');
    assert.ok(path.ok, path.reason);
    const wire = path.hops.findIndex((h) => h.action === 'wire');
    const arrival = path.hops[wire + 1];
    assert.equal(`${arrival.node} ${arrival.netns} ${arrival.device} ${arrival.action}`, 'worker233 host eth0 receive');
    assert.equal(arrival.address, '10.0.0.233', backend);
    assert.equal(arrival.ttl, 63, 'forwarded once by worker232, not yet by worker233');
    assert.match(
      formatPath(path),
      /\[receive\] ttl 63\n {4}Arrives on worker233's eth0 \(10\.0\.0\.233\)[^\n]*\n {4}address: 10\.0\.0\.233\n/,
    );
  }
});

test('traceroute, host-gw: the cni0 gateway, the destination NIC (10.0.0.233), the pod', () => {
  const { cluster, topology } = clusterOf(seed003('host-gw'));
  const trace = predictTraceroute(cluster, topology, 'xiuxian-v1', 'xiuxian-v2');
  assert.deepEqual(hopAddresses(trace), ['10.100.1.1', '10.0.0.233', '10.100.2.2']);
  const text = formatTraceroute(trace).split('\n');
  assert.match(text[0], /^# predicted by podnet/);
  assert.deepEqual(text.slice(1, 5), [
    'traceroute to 10.100.2.2 (10.100.2.2), 30 hops max, 60 byte packets',
    ' 1  10.100.1.1 (10.100.1.1)',
    ' 2  10.0.0.233 (10.0.0.233)',
    ' 3  10.100.2.2 (10.100.2.2)',
  ]);
  assert.match(text[6], /^# 2: worker233 .* 10\.100\.1\.0\/24 via 10\.0\.0\.232 dev eth0\)$/);
});

test("traceroute, vxlan: the cni0 gateway, the destination's flannel.1 address (x.x.N.0), the pod", () => {
  const { cluster, topology } = clusterOf(seed003());
  assert.deepEqual(hopAddresses(predictTraceroute(cluster, topology, 'xiuxian-v1', 'xiuxian-v2')), [
    '10.100.1.1',
    '10.100.2.0',
    '10.100.2.2',
  ]);
  // Seed 000: cni0 10.244.1.1/24 on k8s-worker1 and flannel.1 10.244.2.0/32 on k8s-worker2 (`ip -c a`).
  const multi = clusterOf(loadExample('seed-multi-node'));
  assert.deepEqual(hopAddresses(predictTraceroute(multi.cluster, multi.topology, 'mypod1', 'mypod2')), [
    '10.244.1.1',
    '10.244.2.0',
    '10.244.2.2',
  ]);
});

test('traceroute on one node: bridged, no router answers, only the destination', () => {
  const { cluster, topology } = clusterOf(loadExample('seed-single-node'));
  const path = packetPath(cluster, topology, 'mypod1', 'mypod2');
  const trace = predictTraceroute(cluster, topology, 'mypod1', 'mypod2');
  assert.deepEqual(hopAddresses(trace), [path.hops.at(-1)!.dst]);
});

test('traceroute with host-network ends: the reply leaves by the route back to the address the probe carried', () => {
  const files = { ...seed003(), '/ws/cluster-10.100/agent.yaml': AGENT };
  const { cluster, topology } = clusterOf(files);
  // The node sends to a remote pod from flannel.1's address; worker233 answers from its own flannel.1.
  assert.deepEqual(hopAddresses(predictTraceroute(cluster, topology, 'agent', 'xiuxian-v2')), [
    '10.100.2.0',
    '10.100.2.2',
  ]);
  // A pod to a remote node: worker233 forwards (answering from its cni0); the node answers from the address probed.
  assert.deepEqual(hopAddresses(predictTraceroute(cluster, topology, 'xiuxian-v2', 'agent')), [
    '10.100.2.1',
    '10.0.0.232',
  ]);
  const hostGw = clusterOf({ ...seed003('host-gw'), '/ws/cluster-10.100/agent.yaml': AGENT });
  assert.deepEqual(hopAddresses(predictTraceroute(hostGw.cluster, hostGw.topology, 'agent', 'xiuxian-v2')), [
    '10.0.0.233',
    '10.100.2.2',
  ]);
  const none = predictTraceroute(cluster, topology, 'agent', 'ghost');
  assert.equal(none.ok, false);
  assert.match(formatTraceroute(none), /^No path from agent to ghost: no pod `ghost`/);
});

test('the assumed NIC name is marked assumed in ip output, path text and hovers; a given --iface is not', () => {
  const files = seed003();
  const { cluster, topology } = clusterOf(files);
  const worker = topology.nodes.find((n) => n.name === 'worker233')!;
  const note = /^# eth0: name assumed; flanneld uses the interface of the default route unless --iface is set\.$/m;
  assert.match(toolOutput(topology, worker, 'ip-addr'), note);
  assert.match(toolOutput(topology, worker, 'ip-route'), note);
  const path = packetPath(cluster, topology, 'xiuxian-v1', 'xiuxian-v2');
  assert.ok(path.hops.filter((h) => h.device === 'eth0' && h.netns === 'host').every((h) => h.deviceAssumed));
  assert.match(formatPath(path), /worker232 host eth0 \(name assumed\) \[wire\]/);
  assert.match(formatPath(path), /Note: The NIC name eth0 is assumed/);
  const nodeFile = '/ws/cluster-10.100/nodes.yaml';
  const hover = hoverAt(workspaceOf(files), pathToUri(nodeFile), files[nodeFile].indexOf('worker233') + 1)!;
  assert.match(
    hover.markdown,
    /`10\.0\.0\.233` on `eth0` \(name assumed: flanneld takes the default route's interface/,
  );

  // flanneld given --iface=eth0: the same name, now known.
  const netConf = '{"Network": "10.100.0.0/16", "Backend": {"Type": "vxlan"}}';
  const manifest = flannelManifest('docker.io/flannel/flannel:v0.26.1', netConf).replace(
    '"--kube-subnet-mgr" ]',
    '"--kube-subnet-mgr", "--iface=eth0" ]',
  );
  const given = { ...files, [CFG]: manifest };
  const known = clusterOf(given);
  const nic = known.topology.nodes[0].devices.find((d) => d.kind === 'nic')!;
  assert.equal(nic.nameCertainty, 'known');
  assert.doesNotMatch(toolOutput(known.topology, known.topology.nodes[0], 'ip-addr'), /assumed/);
  assert.doesNotMatch(formatPath(packetPath(known.cluster, known.topology, 'xiuxian-v1', 'xiuxian-v2')), /assumed/);
  const knownHover = hoverAt(workspaceOf(given), pathToUri(nodeFile), files[nodeFile].indexOf('worker233') + 1)!;
  assert.doesNotMatch(knownHover.markdown, /name assumed/);
});

test('a node with no Node object is said to have none, not "a Node object without InternalIP"', () => {
  const files: Files = {
    ...loadExample('seed-single-node'),
    '/ws/seed-single-node/agent.yaml': AGENT.replace('worker232', 'k8s-worker1'),
  };
  const { cluster, topology } = clusterOf(files);
  const worker = topology.nodes[0];
  const everything = JSON.stringify(topology) + toolOutput(topology, worker, 'ip-addr');
  assert.doesNotMatch(everything, /Node object has no InternalIP/);
  assert.ok(
    worker.devices
      .find((d) => d.kind === 'nic')!
      .facts.includes('Node IP unknown: no Node object in the workspace; its address is unknown.'),
  );
  assert.match(
    toolOutput(topology, worker, 'ip-addr'),
    /^# eth0: node IP not shown: no Node object in the workspace; its address is unknown\.$/m,
  );
  const path = packetPath(cluster, topology, 'mypod1', 'agent');
  assert.equal(path.ok, false);
  assert.match(path.reason!, /whose IP is unknown \(no Node object in the workspace; its address is unknown\)/);
  const podFile = '/ws/seed-single-node/pod-to-pod-single-node.yml';
  const hover = hoverAt(workspaceOf(files), pathToUri(podFile), files[podFile].indexOf('k8s-worker1') + 1)!;
  assert.match(hover.markdown, /node IP: unknown \(no Node object in the workspace\)/);

  // A Node object that lists no InternalIP is a different fact, and says that one.
  const bare = clusterOf(
    mutate(seed003(), '/ws/cluster-10.100/nodes.yaml', '  - {type: InternalIP, address: 10.0.0.233}\n', ''),
  );
  const nic = bare.topology.nodes.find((n) => n.name === 'worker233')!.devices.find((d) => d.kind === 'nic')!;
  assert.ok(nic.facts.includes('Node IP unknown: the Node object has no InternalIP in status.addresses.'));
});

test("the backend hover's tunnel address is the cluster's own, not an example from 10.244.0.0/16", () => {
  const files = seed003();
  const hoverOn = (all: Files, file: string, needle: string) =>
    hoverAt(workspaceOf(all), pathToUri(file), all[file].indexOf(needle) + 1)!.markdown;
  const vxlan = hoverOn(files, CFG, '"vxlan"');
  assert.match(vxlan, /holding its subnet address as \/32 \(on master231: `10\.100\.0\.0\/32`\)/);
  assert.doesNotMatch(vxlan, /10\.244/);
  // No node in the workspace: the second subnet of Network, marked as an example.
  const alone = { '/ws/cm.yaml': flannelConfigMap('{"Network": "10.100.0.0/16", "Backend": {"Type": "vxlan"}}') };
  assert.match(
    hoverOn(alone, '/ws/cm.yaml', '"vxlan"'),
    /\(e\.g\. `10\.100\.1\.0\/32` on a node whose subnet is `10\.100\.1\.0\/24`\)/,
  );
  const wireguard = {
    '/ws/cm.yaml': flannelConfigMap('{"Network": "10.100.0.0/16", "Backend": {"Type": "wireguard"}}'),
  };
  assert.match(hoverOn(wireguard, '/ws/cm.yaml', '"wireguard"'), /`10\.100\.1\.0\/16`/);
});
