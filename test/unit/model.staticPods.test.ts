// Control-plane static pods run on the control-plane node with the host network; a single-node cluster's
// node is the control plane and gets the first podCIDR (issue 12, point 10).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { formatCidr } from '../../server/src/core/cidr';
import { hoverAt } from '../../server/src/features/hover';
import { pathToUri } from '../../server/src/model/workspace';
import { buildTopology } from '../../server/src/topology/build';
import { packetPath } from '../../server/src/topology/path';
import { diagnose, type Files, FIXTURES, FLANNEL_NAMED, loadExample, mutate, workspaceOf } from './helpers';

const DIR = '/ws/lab';

/** test/fixtures/single-node-kubeadm: one unlabelled Node `lab`, kubeadm's static pods, three plain pods. */
function lab(): Files {
  const dir = path.join(FIXTURES, 'single-node-kubeadm');
  const files: Files = {};
  for (const name of fs.readdirSync(dir)) files[`${DIR}/${name}`] = fs.readFileSync(path.join(dir, name), 'utf8');
  return files;
}

const SECOND_NODE =
  '---\napiVersion: v1\nkind: Node\nmetadata:\n  name: worker-1\nspec: {}\nstatus:\n  addresses:\n' +
  '  - {type: InternalIP, address: 192.168.49.3}\n';
const withSecondNode = (files: Files): Files => ({
  ...files,
  [`${DIR}/node.yaml`]: files[`${DIR}/node.yaml`] + SECOND_NODE,
});
const ROLE = '    node-role.kubernetes.io/control-plane: ""\n';
/** Labels `lab` (which has labels already) or `worker-1` (which has none) as kubeadm labels a control plane. */
const labelled = (files: Files, node: 'lab' | 'worker-1'): Files =>
  node === 'lab'
    ? mutate(files, `${DIR}/node.yaml`, '    kubernetes.io/os: linux\n', `    kubernetes.io/os: linux\n${ROLE}`)
    : mutate(files, `${DIR}/node.yaml`, '  name: worker-1\n', `  name: worker-1\n  labels:\n${ROLE}`);

function clusterOf(files: Files) {
  const cluster = workspaceOf(files, FLANNEL_NAMED).clusters()[0];
  return { cluster, topology: buildTopology(cluster) };
}

test('static pods run on the only node with its IP and no veth; the scheduler binds a plain pod there too', () => {
  const { cluster, topology } = clusterOf(lab());
  const node = topology.nodes.find((n) => n.name === 'lab')!;
  const statics = node.pods.filter((p) => p.staticPod);
  assert.deepEqual(statics.map((p) => `${p.namespace}/${p.name} ${p.staticPod}`).sort(), [
    'kube-system/etcd etcd',
    'kube-system/kube-apiserver kube-apiserver',
    'kube-system/kube-controller-manager kube-controller-manager',
  ]);
  for (const pod of statics) {
    assert.equal(pod.hostNetwork, true);
    assert.deepEqual(pod.address, { ip: '192.168.49.2', certainty: 'known' });
    assert.deepEqual(pod.devices, [], 'a host-network pod gets no veth');
  }
  assert.equal(node.devices.filter((d) => d.kind === 'veth-host').length, 2, "only web's and loose's veths");
  const loose = node.pods.find((p) => p.name === 'loose');
  assert.equal(loose?.placement, undefined, 'one node: the scheduler has no choice');
  assert.deepEqual(
    topology.unplaced.map((u) => `${u.pod}: ${u.reason}`),
    ['kube-system/kube-vip: no spec.nodeName: the scheduler picks its node at runtime'],
  );
  // A packet from web to the API server goes to the node's own address.
  const path = packetPath(cluster, topology, 'web', 'kube-apiserver');
  assert.ok(path.ok, path.reason);
  assert.equal(path.hops.at(-1)?.address, '192.168.49.2');
});

test("a single-node cluster's node is the control plane and gets the first podCIDR (minikube's 10.244.0.0/24)", () => {
  const { cluster } = clusterOf(lab());
  const node = cluster.network.nodes.find((n) => n.name === 'lab')!;
  assert.equal(formatCidr(node.podCidr!), '10.244.0.0/24');
  assert.match(node.podCidrInferred!, /Node object has no spec\.podCIDR/);
  // Without kube-controller-manager, from flannel's default Network: the same first subnet.
  const bare = { ...lab() };
  delete bare[`${DIR}/kube-controller-manager.yaml`];
  assert.equal(formatCidr(clusterOf(bare).cluster.network.nodes[0].podCidr!), '10.244.0.0/24');
  // One Node named like a worker is not a whole cluster: the first subnet stays with a control plane elsewhere.
  const worker = mutate(bare, `${DIR}/node.yaml`, '  name: lab\n', '  name: k8s-worker1\n');
  assert.equal(formatCidr(clusterOf(worker).cluster.network.nodes[0].podCidr!), '10.244.1.0/24');
});

test('with several nodes the control plane is the labelled one, whatever its name', () => {
  const { cluster, topology } = clusterOf(labelled(withSecondNode(lab()), 'lab'));
  const byName = new Map(cluster.network.nodes.map((n) => [n.name, n]));
  assert.equal(formatCidr(byName.get('lab')!.podCidr!), '10.244.0.0/24');
  assert.equal(formatCidr(byName.get('worker-1')!.podCidr!), '10.244.1.0/24');
  const lab1 = topology.nodes.find((n) => n.name === 'lab')!;
  assert.equal(lab1.pods.filter((p) => p.staticPod).length, 3);
  // `worker-1` labelled instead: the static pods move there.
  const moved = clusterOf(labelled(withSecondNode(lab()), 'worker-1')).topology;
  assert.equal(moved.nodes.find((n) => n.name === 'worker-1')!.pods.filter((p) => p.staticPod).length, 3);
});

test('when the control-plane node cannot be told, the static pods say so instead of "on no node"', () => {
  const { topology } = clusterOf(withSecondNode(lab()));
  const apiserver = topology.unplaced.find((u) => u.pod === 'kube-system/kube-apiserver');
  assert.ok(apiserver);
  assert.match(
    apiserver.reason,
    /^a static pod of the control plane \(kube-apiserver\), run by kubelet on the control-plane node: no Node is labelled node-role\.kubernetes\.io\/control-plane or named like a control plane/,
  );
  assert.doesNotMatch(apiserver.reason, /scheduler/);
  // Two control planes: each runs its own copy, and this file is only one of them.
  const ha = clusterOf(labelled(labelled(withSecondNode(lab()), 'lab'), 'worker-1')).topology;
  assert.match(
    ha.unplaced.find((u) => u.pod === 'kube-system/etcd')!.reason,
    /2 nodes are labelled .*\(lab, worker-1\)/,
  );
});

test('a node named like a control plane takes the static pods when no Node is labelled', () => {
  const files = mutate(withSecondNode(lab()), `${DIR}/node.yaml`, '  name: lab\n', '  name: k8s-master\n');
  const fixed = mutate(files, `${DIR}/pods.yaml`, 'nodeName: lab', 'nodeName: k8s-master');
  const { topology } = clusterOf(fixed);
  assert.equal(topology.nodes.find((n) => n.name === 'k8s-master')!.pods.filter((p) => p.staticPod).length, 3);
});

test('the seed cluster: kube-controller-manager runs on master231 (labelled control-plane) at 10.0.0.231', () => {
  const files = loadExample('cluster-10.100');
  const { topology } = clusterOf(files);
  assert.deepEqual(topology.unplaced, []);
  const kcm = topology.nodes
    .find((n) => n.name === 'master231')!
    .pods.find((p) => p.name === 'kube-controller-manager');
  assert.deepEqual(kcm?.address, { ip: '10.0.0.231', certainty: 'known' });
  const file = '/ws/cluster-10.100/kube-controller-manager.yaml';
  const offset = files[file].indexOf('name: kube-controller-manager') + 7;
  const hover = hoverAt(workspaceOf(files), pathToUri(file), offset)!.markdown;
  assert.match(hover, /static pod of the control plane \(kube\\-controller\\-manager\)/);
  assert.ok(hover.includes('node: master231 (the node labelled node\\-role'), hover);
  assert.match(hover, /`10\.0\.0\.231`/);
  assert.doesNotMatch(hover, /scheduler picks/);
});

test('static pods change no finding: the fixture cluster gives no error and no warning', () => {
  const findings = diagnose(lab()).filter((d) => d.severity === 'error' || d.severity === 'warning');
  assert.deepEqual(
    findings.map((d) => `${d.code}: ${d.message}`),
    [],
  );
});
