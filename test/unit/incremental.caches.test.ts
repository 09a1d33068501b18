// What is kept from one edit to the next for a long file of Pods (its facts patched, the flat index of
// its Pods, the names checked) must follow every edit at once: each edit below changes one Pod or one
// Node, and the diagnostics and topology must equal a fresh analysis of the same texts, with the
// finding the edit brings or takes away.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { diagnoseWorkspace } from '../../server/src/engine';
import { pathToUri, Workspace } from '../../server/src/model/workspace';
import { buildTopology } from '../../server/src/topology/build';
import { type Files, loadExample } from './helpers';

/** More Pods than the index keeps to patch from (256), on the example's two workers. */
const POD_COUNT = 300;
const PODS = '/ws/cluster-10.100/pods.yaml';
const NODES = '/ws/cluster-10.100/nodes.yaml';
const AGENT = '/ws/cluster-10.100/agent.yaml';

const pod = (i: number) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-${i}\nspec:\n  nodeName: worker23${2 + (i % 2)}\n  ` +
  `containers:\n  - name: c\n    image: busybox\n`;

const podsFile = () => Array.from({ length: POD_COUNT }, (_, i) => pod(i)).join('---\n');

/** A DaemonSet whose predicted pods are named `agent@<node>`. */
const AGENT_DAEMONSET = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: agent
        image: busybox
`;

function analyse(files: Files, workspace = new Workspace({ roots: ['/ws'] })) {
  for (const [file, text] of Object.entries(files)) workspace.setFile(pathToUri(file), text);
  const diagnostics = [...diagnoseWorkspace(workspace).entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([uri, list]) => [uri, list.map((d) => `${d.code} ${d.offsetRange.join('-')} ${d.message}`)] as const);
  const topology = JSON.stringify(workspace.clusters().map((c) => buildTopology(c)));
  return { diagnostics, topology };
}

/** Edits `file` in the live workspace and checks it against a fresh one; returns the file's findings. */
function editAndCompare(workspace: Workspace, files: Files, file: string, text: string, step: string): string[] {
  files[file] = text;
  workspace.setFile(pathToUri(file), text);
  const live = analyse({}, workspace);
  const fresh = analyse(files);
  assert.deepEqual(live.diagnostics, fresh.diagnostics, `diagnostics after: ${step}`);
  assert.equal(live.topology, fresh.topology, `topology after: ${step}`);
  return live.diagnostics.find(([uri]) => uri === pathToUri(file))?.[1] ?? [];
}

const codes = (findings: string[], code: string) => findings.filter((f) => f.startsWith(`${code} `));

/** Replaces the one occurrence of `from` (asserting there is one). */
function replaceOnce(text: string, from: string, to: string): string {
  assert.equal(text.split(from).length, 2, `one occurrence of ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

function setUp() {
  const files: Files = { ...loadExample('cluster-10.100'), [PODS]: podsFile(), [AGENT]: AGENT_DAEMONSET };
  const workspace = new Workspace({ roots: ['/ws'] });
  analyse(files, workspace);
  return { files, workspace };
}

test('a long Pod file: a Node gaining and losing a NoExecute taint adds and removes pod-unschedulable', () => {
  const { files, workspace } = setUp();
  const original = files[NODES];
  const tainted = replaceOnce(
    original,
    '  podCIDR: 10.100.2.0/24\n',
    '  podCIDR: 10.100.2.0/24\n  taints:\n  - {key: maintenance, effect: NoExecute}\n',
  );
  editAndCompare(workspace, files, NODES, tainted, 'worker233 tainted');
  const rejected = codes(
    analyse({}, workspace).diagnostics.find(([uri]) => uri === pathToUri(PODS))![1],
    'pod-unschedulable',
  );
  assert.equal(rejected.length, POD_COUNT / 2, 'every Pod pinned to worker233');
  editAndCompare(workspace, files, NODES, original, 'taint removed');
  assert.deepEqual(
    codes(analyse({}, workspace).diagnostics.find(([uri]) => uri === pathToUri(PODS))![1], 'pod-unschedulable'),
    [],
  );
});

test('a long Pod file: a nodeSelector refusing its node typed into one Pod, then removed, follows at once', () => {
  const { files, workspace } = setUp();
  const at = '  name: pod-101\nspec:\n';
  const selecting = replaceOnce(files[PODS], at, `${at}  nodeSelector:\n    kubernetes.io/hostname: worker232\n`);
  const findings = editAndCompare(workspace, files, PODS, selecting, 'nodeSelector added');
  assert.equal(codes(findings, 'pod-unschedulable').length, 1);
  assert.match(codes(findings, 'pod-unschedulable')[0], /pod-101/);
  const cleared = editAndCompare(workspace, files, PODS, podsFile(), 'nodeSelector removed');
  assert.deepEqual(codes(cleared, 'pod-unschedulable'), []);
});

test('a long Pod file: a renamed Node, and a mistyped nodeName, bring nodename-unknown and take it away', () => {
  const { files, workspace } = setUp();
  const original = files[NODES];
  editAndCompare(workspace, files, NODES, replaceOnce(original, 'name: worker232\n', 'name: worker999\n'), 'rename');
  const pods = analyse({}, workspace).diagnostics.find(([uri]) => uri === pathToUri(PODS))![1];
  assert.equal(codes(pods, 'nodename-unknown').length, POD_COUNT / 2, 'every Pod pinned to worker232');
  editAndCompare(workspace, files, NODES, original, 'renamed back');
  const typo = replaceOnce(files[PODS], 'pod-7\nspec:\n  nodeName: worker233', 'pod-7\nspec:\n  nodeName: worker234');
  assert.equal(codes(editAndCompare(workspace, files, PODS, typo, 'typo'), 'nodename-unknown').length, 1);
  assert.deepEqual(codes(editAndCompare(workspace, files, PODS, podsFile(), 'typo fixed'), 'nodename-unknown'), []);
});

test('a long Pod file: host ports, an owner and an invalid name typed into one Pod are seen at once', () => {
  const { files, workspace } = setUp();
  // Two Pods pinned to one node asking for the same host port: the kubelet rejects one.
  let text = files[PODS];
  for (const i of [11, 13])
    text = replaceOnce(text, pod(i), `${pod(i)}    ports:\n    - {containerPort: 80, hostPort: 8080}\n`);
  assert.ok(codes(editAndCompare(workspace, files, PODS, text, 'host ports'), 'hostport-conflict').length > 0);
  assert.deepEqual(codes(editAndCompare(workspace, files, PODS, podsFile(), 'ports removed'), 'hostport-conflict'), []);

  const upper = replaceOnce(podsFile(), '  name: pod-200\n', '  name: Pod-200\n');
  assert.equal(codes(editAndCompare(workspace, files, PODS, upper, 'upper case'), 'name-invalid').length, 1);
  assert.deepEqual(codes(editAndCompare(workspace, files, PODS, podsFile(), 'lower case'), 'name-invalid'), []);

  const owned = replaceOnce(
    podsFile(),
    '  name: pod-31\n',
    '  name: pod-31\n  ownerReferences:\n  - {kind: DaemonSet, name: agent, controller: true}\n',
  );
  editAndCompare(workspace, files, PODS, owned, 'owner added');
  editAndCompare(workspace, files, PODS, podsFile(), 'owner removed');
});

test("a long Pod file: a Pod taking a DaemonSet pod's name makes the prediction give way, and back", () => {
  const { files, workspace } = setUp();
  const clash = replaceOnce(podsFile(), '  name: pod-40\n', '  name: agent@worker232\n');
  editAndCompare(workspace, files, PODS, clash, 'clashing name');
  assert.match(analyse({}, workspace).topology, /daemonset:agent@worker232/);
  // An edit of another Pod's spec keeps the names as they are.
  const respec = replaceOnce(clash, 'pod-41\nspec:\n  nodeName: worker233', 'pod-41\nspec:\n  nodeName: worker232');
  editAndCompare(workspace, files, PODS, respec, 'another Pod moved');
  assert.match(analyse({}, workspace).topology, /daemonset:agent@worker232/);
  editAndCompare(workspace, files, PODS, podsFile(), 'name given back');
  assert.doesNotMatch(analyse({}, workspace).topology, /daemonset:agent@worker232/);
});

test('a Node podCIDR edited to overlap another, then back, brings podcidr-overlap and takes it away', () => {
  const { files, workspace } = setUp();
  const original = files[NODES];
  const overlapping = original.replace(/10\.100\.2\.0\/24/g, '10.100.1.128/25');
  assert.notEqual(overlapping, original);
  assert.ok(codes(editAndCompare(workspace, files, NODES, overlapping, 'overlap'), 'podcidr-overlap').length > 0);
  assert.deepEqual(codes(editAndCompare(workspace, files, NODES, original, 'apart again'), 'podcidr-overlap'), []);
});
