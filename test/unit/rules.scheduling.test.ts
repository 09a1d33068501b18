// pod-unschedulable and daemonset-no-node: pods no node the workspace knows can take, judged only on the
// labels and taints it knows (test/fixtures/workloads/nodes.yaml: a kubeadm control plane with its taint,
// workers labelled disktype ssd/hdd, an arm64 worker tainted dedicated=gpu).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { coveredText, type Files, FIXTURES, withCode } from './helpers';

const NODES = fs.readFileSync(path.join(FIXTURES, 'workloads', 'nodes.yaml'), 'utf8');
const APPS = fs.readFileSync(path.join(FIXTURES, 'workloads', 'apps.yaml'), 'utf8');

/** A Deployment whose pod template spec holds `spec` (indented as under `template.spec`). */
const deployment = (name: string, spec: string, replicas = 2) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${replicas}\n` +
  `  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n` +
  `        app: ${name}\n    spec:\n${spec}      containers:\n      - name: app\n        image: nginx:1.27\n`;

const daemonSet = (name: string, spec: string) =>
  `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels:\n` +
  `      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n${spec}` +
  `      containers:\n      - name: agent\n        image: busybox:1.36\n`;

const withNodes = (apps: string): Files => ({ '/ws/nodes.yaml': NODES, '/ws/apps.yaml': apps });

const selector = (key: string, value: string) => `      nodeSelector:\n        ${key}: ${value}\n`;

const affinity = (...terms: string[]) =>
  '      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n' +
  '            nodeSelectorTerms:\n' +
  terms.map((t) => `            - matchExpressions:\n              - ${t}\n`).join('');

test('the shop fixture places every controller: no finding', () => {
  const files = withNodes(APPS);
  assert.deepEqual(withCode(files, 'pod-unschedulable'), []);
  assert.deepEqual(withCode(files, 'daemonset-no-node'), []);
});

test('pod-unschedulable: a nodeSelector label no node has, at its key, naming the nodes checked', () => {
  const files = withNodes(deployment('web', selector('disktype', 'nvme')));
  const [finding] = withCode(files, 'pod-unschedulable');
  assert.equal(finding.severity, 'warning');
  assert.equal(coveredText(files, finding), 'disktype');
  assert.match(finding.message, /^No node has the label disktype=nvme, so the pods of Deployment web stay Pending\./);
  assert.match(finding.message, /The nodes have disktype=ssd \(node-1\), disktype=hdd \(node-2\)\./);
  assert.match(finding.message, /Podnet checked the 4 nodes it knows \(cp-1, node-1, node-2, node-10\)\./);
  // A label a node has: the pods run there.
  assert.deepEqual(withCode(withNodes(deployment('web', selector('disktype', 'ssd'))), 'pod-unschedulable'), []);
  // No pods, nothing Pending.
  assert.deepEqual(withCode(withNodes(deployment('web', selector('disktype', 'nvme'), 0)), 'pod-unschedulable'), []);
});

test('pod-unschedulable: a required affinity expression that holds nowhere, at its key', () => {
  const files = withNodes(deployment('web', affinity('{key: topology.kubernetes.io/zone, operator: In, values: [a]}')));
  const [finding] = withCode(files, 'pod-unschedulable');
  assert.equal(coveredText(files, finding), 'topology.kubernetes.io/zone');
  assert.match(
    finding.message,
    /The required node affinity's topology\.kubernetes\.io\/zone In \[a\] holds on no node/,
  );
  // NotIn holds where the label is absent: every node qualifies.
  const notIn = withNodes(
    deployment('web', affinity('{key: topology.kubernetes.io/zone, operator: NotIn, values: [a]}')),
  );
  assert.deepEqual(withCode(notIn, 'pod-unschedulable'), []);
  // Two terms, neither holding anywhere: the terms are ORed, reported at the name with each node's reason.
  const twoTerms = withNodes(
    deployment(
      'web',
      affinity('{key: gpu, operator: In, values: ["false"]}', '{key: disktype, operator: In, values: [nvme]}'),
    ),
  );
  const [both] = withCode(twoTerms, 'pod-unschedulable');
  assert.equal(coveredText(twoTerms, both), 'web');
  assert.match(both.message, /none of its 2 terms holds/);
  // Some terms hold on some node: no finding (the gpu-less workers meet the first term).
  assert.equal(
    withCode(withNodes(deployment('web', affinity('{key: gpu, operator: DoesNotExist}'))), 'pod-unschedulable').length,
    0,
  );
});

test('pod-unschedulable: labels and taints together keep the pods off every node, reported at the name', () => {
  // Only node-10 has gpu=true, and its dedicated=gpu taint is not tolerated.
  const files = withNodes(deployment('train', selector('gpu', '"true"')));
  const [finding] = withCode(files, 'pod-unschedulable');
  assert.equal(coveredText(files, finding), 'train');
  assert.match(finding.message, /taint dedicated=gpu:NoSchedule not tolerated \(node-10\)/);
  assert.match(finding.message, /nodeSelector gpu=true: the node has no label gpu \(cp-1, node-1, node-2\)/);
  const tolerated = deployment(
    'train',
    `${selector('gpu', '"true"')}      tolerations:\n` +
      '      - {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}\n',
  );
  assert.deepEqual(withCode(withNodes(tolerated), 'pod-unschedulable'), []);
});

test("pod-unschedulable: a single-node kubeadm cluster's control-plane taint, only from a Node object", () => {
  const node =
    'apiVersion: v1\nkind: Node\nmetadata:\n  name: lab\n  labels:\n    kubernetes.io/hostname: lab\n' +
    'spec:\n  taints:\n  - key: node-role.kubernetes.io/control-plane\n    effect: NoSchedule\n';
  const files = { '/ws/node.yaml': node, '/ws/app.yaml': deployment('web', '') };
  const [finding] = withCode(files, 'pod-unschedulable');
  assert.equal(coveredText(files, finding), 'web');
  assert.match(finding.message, /taint node-role\.kubernetes\.io\/control-plane:NoSchedule not tolerated \(lab\)/);
  // Known only by name, the node's taints are unknown: nothing is said.
  assert.deepEqual(
    withCode({ '/ws/app.yaml': deployment('web', '') }, 'pod-unschedulable', { knownNodes: ['lab'] }),
    [],
  );
});

test('pod-unschedulable: never on a label the workspace cannot know', () => {
  const app = deployment('web', selector('disktype', 'nvme'));
  // Nodes known by name only: their labels are unknown.
  assert.deepEqual(withCode({ '/ws/app.yaml': app }, 'pod-unschedulable', { knownNodes: ['a', 'b'] }), []);
  // A Node object that lists no labels says nothing about them.
  const bare = 'apiVersion: v1\nkind: Node\nmetadata:\n  name: a\nspec:\n  podCIDR: 10.244.0.0/24\n';
  assert.deepEqual(withCode({ '/ws/node.yaml': bare, '/ws/app.yaml': app }, 'pod-unschedulable'), []);
  // The kubelet's own labels a Node object omits are assumed, never judged (the fixture's Nodes set no beta labels).
  const beta = deployment('web', selector('beta.kubernetes.io/arch', 's390x'));
  assert.deepEqual(withCode(withNodes(beta), 'pod-unschedulable'), []);
  // No node known at all: silent.
  assert.deepEqual(withCode({ '/ws/app.yaml': app }, 'pod-unschedulable'), []);
});

test('pod-unschedulable: kubernetes.io/hostname is known for nodes known by name', () => {
  const app = deployment('web', selector('kubernetes.io/hostname', 'node-3'));
  const [finding] = withCode({ '/ws/app.yaml': app }, 'pod-unschedulable', { knownNodes: ['node-1', 'node-2'] });
  assert.match(finding.message, /No node has the label kubernetes\.io\/hostname=node-3/);
  assert.match(finding.message, /Podnet checked the 2 nodes it knows \(node-1, node-2\)/);
  const fine = deployment('web', selector('kubernetes.io/hostname', 'node-2'));
  assert.deepEqual(withCode({ '/ws/app.yaml': fine }, 'pod-unschedulable', { knownNodes: ['node-1', 'node-2'] }), []);
});

test('pod-unschedulable: a template pinned with nodeName is judged by that node’s kubelet', () => {
  const files = withNodes(deployment('web', `      nodeName: node-2\n${selector('disktype', 'ssd')}`));
  const [finding] = withCode(files, 'pod-unschedulable');
  assert.equal(coveredText(files, finding), 'disktype');
  assert.match(
    finding.message,
    /spec\.nodeName pins the pods of Deployment web to node-2, whose kubelet rejects them: nodeSelector disktype=ssd: the node has disktype=hdd \(the Deployment creates them again\)\./,
  );
  // The kubelet ignores NoSchedule taints: pinned to the tainted control plane, the pods run.
  assert.deepEqual(withCode(withNodes(deployment('web', '      nodeName: cp-1\n')), 'pod-unschedulable'), []);
});

test('pod-unschedulable: bare Pods too, but not a live Pod that already runs', () => {
  const pod = (status: string) =>
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: probe\nspec:\n  nodeSelector:\n    disktype: nvme\n' +
    `  containers:\n  - name: c\n    image: busybox\n${status}`;
  const files = withNodes(pod(''));
  const [finding] = withCode(files, 'pod-unschedulable');
  assert.equal(coveredText(files, finding), 'disktype');
  assert.match(finding.message, /so Pod probe stays Pending/);
  assert.deepEqual(withCode(withNodes(pod('status:\n  phase: Running\n')), 'pod-unschedulable'), []);
  assert.equal(withCode(withNodes(pod('status:\n  phase: Pending\n')), 'pod-unschedulable').length, 1);
});

test('daemonset-no-node: a selector no node meets, at its key; skipping the control plane is no finding', () => {
  const files = withNodes(daemonSet('edge', selector('node-role.kubernetes.io/edge', '""')));
  const [finding] = withCode(files, 'daemonset-no-node');
  assert.equal(finding.severity, 'warning');
  assert.equal(coveredText(files, finding), 'node-role.kubernetes.io/edge');
  assert.match(
    finding.message,
    /^No node has the label node-role\.kubernetes\.io\/edge="", so DaemonSet edge runs no pod\./,
  );
  // Without tolerations it skips cp-1 and node-10 (tainted) but runs on the workers.
  assert.deepEqual(withCode(withNodes(daemonSet('agent', '')), 'daemonset-no-node'), []);
});

test('daemonset-no-node: only taints keep it off every node: at the name, with each taint', () => {
  const spec = selector('kubernetes.io/hostname', 'cp-1');
  const files = withNodes(daemonSet('cp-agent', spec));
  const [finding] = withCode(files, 'daemonset-no-node');
  assert.equal(coveredText(files, finding), 'cp-agent');
  assert.match(
    finding.message,
    /taint node-role\.kubernetes\.io\/control-plane:NoSchedule not tolerated \(a DaemonSet tolerates only the node-condition taints by itself\) \(cp-1\)/,
  );
  const tolerant = daemonSet('cp-agent', `${spec}      tolerations:\n      - operator: Exists\n`);
  assert.deepEqual(withCode(withNodes(tolerant), 'daemonset-no-node'), []);
});

test('daemonset-no-node: a DaemonSet for an architecture the cluster lacks is information', () => {
  const files = withNodes(daemonSet('agent-s390x', selector('kubernetes.io/arch', 's390x')));
  const [finding] = withCode(files, 'daemonset-no-node');
  assert.equal(finding.severity, 'information');
  assert.match(
    finding.message,
    /The nodes have kubernetes\.io\/arch=amd64 \(cp-1, node-1, node-2\), kubernetes\.io\/arch=arm64 \(node-10\)\./,
  );
  assert.match(finding.message, /A DaemonSet per architecture or operating system is normal/);
  assert.deepEqual(
    withCode(
      { '/ws/apps.yaml': daemonSet('agent-s390x', selector('kubernetes.io/arch', 's390x')) },
      'daemonset-no-node',
      { knownNodes: ['a'] },
    ),
    [],
  );
});
