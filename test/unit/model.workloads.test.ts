// Controllers expand into the pods Kubernetes creates (kubernetes-workloads.md §1, §2): how many, what
// they are called, which controller owns them, and the node each lands on.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { type WorkloadFacts } from '../../server/src/model/objects';
import {
  generatedNameOf,
  isPredicted,
  MAX_PREDICTED_PODS,
  podCountOf,
  predictPods,
  type PredictedPod,
} from '../../server/src/model/workloads';
import { type Files, workspaceOf } from './helpers';

const NODES = ['node-1', 'node-2', 'node-10']
  .map(
    (name) =>
      `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${name}\n  labels:\n` +
      `    disk: ${name === 'node-1' ? 'ssd' : 'hdd'}\n`,
  )
  .join('---\n');

/** A controller manifest: `kind`, `name`, spec lines (indented by two) and template spec lines (by six). */
function controller(
  kind: string,
  name: string,
  specLines: string[] = [],
  podLines: string[] = [],
  apiVersion = 'apps/v1',
) {
  return [
    `apiVersion: ${apiVersion}`,
    `kind: ${kind}`,
    'metadata:',
    `  name: ${name}`,
    'spec:',
    ...specLines.map((l) => `  ${l}`),
    '  template:',
    '    metadata:',
    `      labels: {app: ${name}}`,
    '    spec:',
    ...podLines.map((l) => `      ${l}`),
    '      containers:',
    '      - name: main',
    '        image: busybox',
    '',
  ].join('\n');
}

/** Every predicted pod of the workspace's cluster, placed or not. */
function predicted(files: Files, knownNodes?: string[]): PredictedPod[] {
  const cluster = workspaceOf(files, knownNodes ? { knownNodes } : {}).clusters()[0];
  const { nodes, unplacedPods } = cluster.network;
  return [...nodes.flatMap((n) => n.pods), ...unplacedPods].filter(isPredicted);
}

const summary = (pods: PredictedPod[]) => pods.map((p) => `${p.name} ${p.node ?? '-'}`);

function workloadOf(files: Files): WorkloadFacts {
  return workspaceOf(files).clusters()[0].facts.workloads[0];
}

test('Deployment, ReplicaSet, ReplicationController: replicas, 1 when unset, none at 0', () => {
  const count = (text: string) => podCountOf(workloadOf({ '/ws/a.yaml': text }));
  assert.equal(count(controller('Deployment', 'web', ['replicas: 3'])), 3);
  assert.equal(count(controller('Deployment', 'web')), 1, 'defaults to 1');
  assert.equal(count(controller('Deployment', 'web', ['replicas: 0'])), 0);
  assert.equal(count(controller('ReplicaSet', 'rs', ['replicas: 2'])), 2);
  assert.equal(count(controller('ReplicationController', 'rc', ['replicas: 4'], [], 'v1')), 4);
  assert.equal(count(controller('Deployment', 'old', ['replicas: 2'], [], 'extensions/v1beta1')), 2);
  // The API server refuses a count that is not a non-negative integer: the object runs nothing.
  assert.equal(count(controller('Deployment', 'web', ['replicas: "3"'])), 0);
  assert.equal(count(controller('Deployment', 'web', ['replicas: -1'])), 0);
  // A kind under an API group that does not serve it is not a controller Podnet expands.
  assert.equal(
    workspaceOf({ '/ws/a.yaml': controller('ReplicationController', 'rc', [], [], 'apps/v1') }).clusters()[0].facts
      .workloads.length,
    0,
  );
});

test('a template without containers, as the API server would refuse it, runs nothing', () => {
  const bare = controller('Deployment', 'web', ['replicas: 2']).replace(/ {6}containers:[\s\S]*$/, '');
  assert.deepEqual(predicted({ '/ws/n.yaml': NODES, '/ws/a.yaml': bare }), []);
  assert.equal(
    predicted({ '/ws/n.yaml': NODES, '/ws/a.yaml': controller('Deployment', 'web', ['replicas: 2']) }).length,
    2,
  );
});

test('Job: min(parallelism, completions), both defaulting to 1; suspended or parallelism 0 runs none', () => {
  const job = (...lines: string[]) =>
    podCountOf(workloadOf({ '/ws/j.yaml': controller('Job', 'j', lines, [], 'batch/v1') }));
  assert.equal(job(), 1);
  assert.equal(job('completions: 5'), 1, 'parallelism defaults to 1');
  assert.equal(job('parallelism: 3'), 3, 'a work queue: completions unset');
  assert.equal(job('parallelism: 3', 'completions: 2'), 2);
  assert.equal(job('parallelism: 2', 'completions: 5'), 2);
  assert.equal(job('parallelism: 0'), 0);
  assert.equal(job('parallelism: 3', 'suspend: true'), 0);
  assert.equal(job('completionMode: Indexed', 'parallelism: 3'), 0, 'Indexed without completions is refused');
});

test('CronJob: the pods of one run of its job template; a suspended CronJob runs none', () => {
  const cron = (cronLines: string[], jobLines: string[] = []) =>
    [
      'apiVersion: batch/v1',
      'kind: CronJob',
      'metadata: {name: backup}',
      'spec:',
      '  schedule: "*/5 * * * *"',
      ...cronLines.map((l) => `  ${l}`),
      '  jobTemplate:',
      '    spec:',
      ...jobLines.map((l) => `      ${l}`),
      '      template:',
      '        spec:',
      '          containers: [{name: b, image: busybox}]',
      '',
    ].join('\n');
  const pods = predicted({ '/ws/n.yaml': NODES, '/ws/c.yaml': cron([], ['parallelism: 2']) });
  assert.deepEqual(
    pods.map((p) => [p.name, p.generatedName, p.owner.kind]),
    [
      ['backup-1', 'backup-<minutes>-<id>', 'CronJob'],
      ['backup-2', 'backup-<minutes>-<id>', 'CronJob'],
    ],
  );
  assert.match(pods[0].note ?? '', /only while a run of the CronJob is active \(schedule `\*\/5 \* \* \* \*`\)/);
  assert.equal(predicted({ '/ws/n.yaml': NODES, '/ws/c.yaml': cron(['suspend: true']) }).length, 0);
  const indexed = predicted({
    '/ws/c.yaml': cron([], ['completionMode: Indexed', 'completions: 2', 'parallelism: 2']),
  });
  assert.deepEqual(
    indexed.map((p) => p.generatedName),
    ['backup-<minutes>-0-<id>', 'backup-<minutes>-1-<id>'],
  );
});

test('names: StatefulSet pods by their real names from ordinals.start, the others as Kubernetes forms them', () => {
  const files = {
    '/ws/n.yaml': NODES,
    '/ws/a.yaml': [
      controller('StatefulSet', 'db', ['replicas: 3', 'serviceName: db', 'ordinals:', '  start: 5']),
      controller('Deployment', 'storefront', ['replicas: 2']),
      controller('ReplicaSet', 'cache', []),
      controller('Job', 'pi', ['completionMode: Indexed', 'completions: 3', 'parallelism: 2'], [], 'batch/v1'),
      controller('Job', 'once', [], [], 'batch/v1'),
    ].join('---\n'),
  };
  const pods = predicted(files);
  const names = (owner: string) => pods.filter((p) => p.owner.name === owner).map((p) => [p.name, p.generatedName]);
  assert.deepEqual(names('db'), [
    ['db-5', 'db-5'],
    ['db-6', 'db-6'],
    ['db-7', 'db-7'],
  ]);
  assert.deepEqual(names('storefront'), [
    ['storefront-1', 'storefront-<hash>-<id>'],
    ['storefront-2', 'storefront-<hash>-<id>'],
  ]);
  assert.deepEqual(names('cache'), [['cache-1', 'cache-<id>']]);
  assert.deepEqual(names('pi'), [
    ['pi-1', 'pi-0-<id>'],
    ['pi-2', 'pi-1-<id>'],
  ]);
  assert.deepEqual(names('once'), [['once-1', 'once-<id>']]);
  assert.ok(pods.every((p) => p.owner.kind === p.object.kind && p.owner.name === p.object.name?.value));
});

test('generated names stay within 63 characters: long bases are cut at 58 before the random part', () => {
  const long = 'a'.repeat(60);
  const name = (kind: string, lines: string[] = [], apiVersion = 'apps/v1') =>
    generatedNameOf(workloadOf({ '/ws/a.yaml': controller(kind, long, lines, [], apiVersion) }), 0);
  assert.equal(name('ReplicaSet'), `${'a'.repeat(58)}<id>`);
  assert.equal(name('Deployment'), `${'a'.repeat(58)}<id>`, 'the hash is cut away entirely');
  const job = name('Job', ['completionMode: Indexed', 'completions: 1'], 'batch/v1');
  assert.equal(job, `${'a'.repeat(55)}-0-<id>`, 'the index stays visible');
  const medium = 'm'.repeat(50);
  assert.equal(
    generatedNameOf(workloadOf({ '/ws/a.yaml': controller('Deployment', medium) }), 0),
    `${medium}-<hash, cut><id>`,
  );
});

test('DaemonSet: one pod per eligible node, named <daemonset>@<node>; none eligible is said, not dropped', () => {
  const ds = (podLines: string[]) => controller('DaemonSet', 'agent', [], podLines);
  const everywhere = predicted({ '/ws/n.yaml': NODES, '/ws/d.yaml': ds([]) });
  assert.deepEqual(summary(everywhere), ['agent@node-1 node-1', 'agent@node-2 node-2', 'agent@node-10 node-10']);
  assert.ok(everywhere.every((p) => p.generatedName === 'agent-<id>' && p.placementNote === undefined));
  const ssdOnly = predicted({ '/ws/n.yaml': NODES, '/ws/d.yaml': ds(['nodeSelector: {disk: ssd}']) });
  assert.deepEqual(summary(ssdOnly), ['agent@node-1 node-1']);
  const nowhere = predicted({ '/ws/n.yaml': NODES, '/ws/d.yaml': ds(['nodeSelector: {disk: nvme}']) });
  assert.deepEqual(summary(nowhere), ['agent@* -']);
  assert.match(
    nowhere[0].unplacedReason ?? '',
    /^the DaemonSet runs no pod: no node it can run on: nodeSelector disk=nvme/,
  );
});

test("a DaemonSet skips kubeadm's tainted control plane unless it tolerates it", () => {
  const nodes = [
    'apiVersion: v1\nkind: Node\nmetadata: {name: cp}\nspec:\n  taints:\n' +
      '  - {key: node-role.kubernetes.io/control-plane, effect: NoSchedule}\n',
    'apiVersion: v1\nkind: Node\nmetadata: {name: worker}\n',
  ].join('---\n');
  const plain = predicted({ '/ws/n.yaml': nodes, '/ws/d.yaml': controller('DaemonSet', 'agent') });
  assert.deepEqual(summary(plain), ['agent@worker worker']);
  const tolerant = controller('DaemonSet', 'proxy', [], ['hostNetwork: true', 'tolerations: [{operator: Exists}]']);
  assert.deepEqual(summary(predicted({ '/ws/n.yaml': nodes, '/ws/d.yaml': tolerant })), [
    'proxy@cp cp',
    'proxy@worker worker',
  ]);
});

test('scheduled pods spread over the eligible nodes, fewest pods first, ties in natural name order', () => {
  const pods = predicted({ '/ws/n.yaml': NODES, '/ws/a.yaml': controller('Deployment', 'web', ['replicas: 4']) });
  // Listed node by node, in the cluster's order.
  assert.deepEqual(summary(pods), ['web-1 node-1', 'web-4 node-1', 'web-2 node-2', 'web-3 node-10']);
  assert.equal(
    pods[0].placementNote,
    'inferred: the scheduler picks one of node-1, node-2, node-10; shown spread over them, fewest pods first',
  );
  // Pods already on a node count: a bare Pod on node-1 sends the first replica elsewhere.
  const bare =
    'apiVersion: v1\nkind: Pod\nmetadata: {name: pinned}\nspec:\n  nodeName: node-1\n  containers: [{name: c}]\n';
  const next = predicted({ '/ws/n.yaml': NODES, '/ws/p.yaml': bare, '/ws/a.yaml': controller('Deployment', 'web') });
  assert.deepEqual(summary(next), ['web-1 node-2']);
});

test('many replicas over uneven nodes: each goes where the fewest pods are, first in name order', () => {
  // Twelve nodes, some already running bare Pods; 25 replicas fill them up level by level.
  const names = Array.from({ length: 12 }, (_, i) => `node-${i + 1}`);
  const already: Record<string, number> = { 'node-3': 3, 'node-10': 1, 'node-12': 2, 'node-2': 1 };
  const bare = Object.entries(already).flatMap(([node, count]) =>
    Array.from(
      { length: count },
      (_, i) =>
        `apiVersion: v1\nkind: Pod\nmetadata: {name: ${node}-bare-${i}}\nspec:\n  nodeName: ${node}\n` +
        '  containers: [{name: c}]\n',
    ),
  );
  const pods = predicted({
    '/ws/n.yaml': names.map((name) => `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}}\n`).join('---\n'),
    '/ws/p.yaml': bare.join('---\n'),
    '/ws/a.yaml': controller('Deployment', 'web', ['replicas: 25']),
  });
  // The rule, one replica at a time: the lowest count, ties to the node that comes first.
  const load = new Map(names.map((name) => [name, already[name] ?? 0]));
  const expected: string[] = [];
  for (let i = 1; i <= 25; i++) {
    const node = names.reduce((best, name) => (load.get(name)! < load.get(best)! ? name : best));
    load.set(node, load.get(node)! + 1);
    expected.push(`web-${i} ${node}`);
  }
  const nodeOf = new Map(pods.map((p) => [p.name, p.node]));
  assert.deepEqual(
    expected.map((line) => `${line.split(' ')[0]} ${nodeOf.get(line.split(' ')[0])}`),
    expected,
  );
  assert.equal(expected[0], 'web-1 node-1');
  assert.equal(new Set(load.values()).size <= 2, true, 'levelled: counts differ by at most one');
});

test('a single eligible node is certain; nodes without Node objects make the placement inferred', () => {
  const pods = predicted({
    '/ws/n.yaml': NODES,
    '/ws/a.yaml': controller('Deployment', 'web', ['replicas: 2'], ['nodeSelector: {disk: ssd}']),
  });
  assert.deepEqual(summary(pods), ['web-1 node-1', 'web-2 node-1']);
  assert.equal(pods[0].placementNote, undefined);
  const known = predicted({ '/ws/a.yaml': controller('Deployment', 'web') }, ['worker-a']);
  assert.deepEqual(summary(known), ['web-1 worker-a']);
  assert.match(known[0].placementNote ?? '', /no Node object for worker-a: only the labels every kubelet sets/);
  // Known only by name, a node has no `disk` label: the pod lands nowhere, and the reason says why.
  const selective = predicted({ '/ws/a.yaml': controller('Deployment', 'web', [], ['nodeSelector: {disk: ssd}']) }, [
    'worker-a',
  ]);
  assert.match(selective[0].unplacedReason ?? '', /nodeSelector disk=ssd: the node has no label disk \(worker-a\)/);
});

test('no node known: every pod of a controller is listed as unplaced with the reason', () => {
  const pods = predicted({ '/ws/a.yaml': controller('Deployment', 'web', ['replicas: 2']) });
  assert.deepEqual(summary(pods), ['web-1 -', 'web-2 -']);
  assert.ok(pods.every((p) => /^no nodes known/.test(p.unplacedReason ?? '')));
  const topology = workspaceOf({ '/ws/a.yaml': controller('Deployment', 'web', ['replicas: 2']) }).clusters()[0];
  assert.equal(topology.network.unplacedPods.length, 2);
});

test("a template's nodeName pins every replica; the kubelet refuses an untolerated NoExecute taint", () => {
  const pinned = predicted({
    '/ws/n.yaml': NODES,
    '/ws/a.yaml': controller('Deployment', 'web', ['replicas: 2'], ['nodeName: node-2']),
  });
  assert.deepEqual(summary(pinned), ['web-1 node-2', 'web-2 node-2']);
  assert.equal(pinned[0].placementNote, undefined);
  const ghost = predicted({
    '/ws/n.yaml': NODES,
    '/ws/a.yaml': controller('Deployment', 'web', [], ['nodeName: node-9']),
  });
  assert.equal(ghost[0].unplacedReason, 'spec.nodeName `node-9` names no known node');
  const draining =
    'apiVersion: v1\nkind: Node\nmetadata: {name: d}\nspec:\n  taints: [{key: drain, effect: NoExecute}]\n';
  const evicted = predicted({
    '/ws/n.yaml': draining,
    '/ws/a.yaml': controller('Deployment', 'web', [], ['nodeName: d']),
  });
  assert.equal(evicted[0].unplacedReason, 'the kubelet on d refuses it: taint drain:NoExecute not tolerated');
  // Without Node objects a template's nodeName names a node, as a Pod's does.
  assert.deepEqual(summary(predicted({ '/ws/a.yaml': controller('Deployment', 'web', [], ['nodeName: w1']) })), [
    'web-1 w1',
  ]);
});

test('host ports: one pod per node and port; the rest stay Pending', () => {
  const hostNet = controller('Deployment', 'ingress', ['replicas: 4'], ['hostNetwork: true']).replace(
    '        image: busybox\n',
    '        image: busybox\n        ports: [{containerPort: 443}]\n',
  );
  const pods = predicted({ '/ws/n.yaml': NODES, '/ws/a.yaml': hostNet });
  assert.deepEqual(summary(pods), ['ingress-1 node-1', 'ingress-2 node-2', 'ingress-3 node-10', 'ingress-4 -']);
  assert.equal(
    pods[3].unplacedReason,
    'its host ports (443/TCP) are taken on every node it can run on (node-1, node-2, node-10): it stays Pending',
  );
});

test('required podAntiAffinity against its own pods on kubernetes.io/hostname: at most one per node', () => {
  const anti = [
    'affinity:',
    '  podAntiAffinity:',
    '    requiredDuringSchedulingIgnoredDuringExecution:',
    '    - topologyKey: kubernetes.io/hostname',
    '      labelSelector: {matchLabels: {app: db}}',
  ];
  const pods = predicted({ '/ws/n.yaml': NODES, '/ws/a.yaml': controller('Deployment', 'db', ['replicas: 4'], anti) });
  assert.deepEqual(summary(pods), ['db-1 node-1', 'db-2 node-2', 'db-3 node-10', 'db-4 -']);
  assert.match(pods[3].unplacedReason ?? '', /podAntiAffinity allows one such pod per node/);
  // A zone anti-affinity is not evaluated, and the note says so.
  const zone = anti.map((l) => l.replace('kubernetes.io/hostname', 'topology.kubernetes.io/zone'));
  const spread = predicted({
    '/ws/n.yaml': NODES,
    '/ws/a.yaml': controller('Deployment', 'db', ['replicas: 4'], zone),
  });
  assert.equal(spread.filter((p) => p.node).length, 4);
  assert.match(spread[0].placementNote ?? '', /required podAntiAffinity not evaluated/);
});

test("live pods take the place of their controller's predicted pods, never add to them", () => {
  const livePod = (name: string, ownerKind: string, owner: string, node = 'node-1', phase = 'Running') =>
    [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      `  name: ${name}`,
      '  ownerReferences:',
      `  - {apiVersion: apps/v1, kind: ${ownerKind}, name: ${owner}, controller: true, uid: u}`,
      'spec:',
      `  nodeName: ${node}`,
      '  containers: [{name: c}]',
      `status: {phase: ${phase}}`,
      '',
    ].join('\n');
  const rs = controller('ReplicaSet', 'web-7c5ddbdf54', ['replicas: 2']).replace(
    'metadata:\n  name: web-7c5ddbdf54\n',
    'metadata:\n  name: web-7c5ddbdf54\n  ownerReferences:\n  - {kind: Deployment, name: web, controller: true}\n',
  );
  const deployment = controller('Deployment', 'web', ['replicas: 2']);
  const live = livePod('web-7c5ddbdf54-x2k9p', 'ReplicaSet', 'web-7c5ddbdf54');
  // The Deployment's ReplicaSet is not expanded beside it.
  assert.deepEqual(
    predicted({ '/ws/n.yaml': NODES, '/ws/a.yaml': [deployment, rs].join('---\n') }).map((p) => p.owner.kind),
    ['Deployment', 'Deployment'],
  );
  // One live pod (kubectl get -o yaml) of two replicas: one is predicted beside it, numbered after it, and
  // placed as the scheduler would with the live pod on node-1.
  const dump = [deployment, rs, live].join('---\n');
  assert.deepEqual(summary(predicted({ '/ws/n.yaml': NODES, '/ws/a.yaml': dump })), ['web-2 node-2']);
  // Without the ReplicaSet object, its name leads to the Deployment.
  const noRs = [deployment, live].join('---\n');
  assert.deepEqual(summary(predicted({ '/ws/n.yaml': NODES, '/ws/a.yaml': noRs })), ['web-2 node-2']);
  const cluster = workspaceOf({ '/ws/n.yaml': NODES, '/ws/a.yaml': noRs }).clusters()[0];
  assert.deepEqual(cluster.network.nodes[0].pods[0].owner, { kind: 'ReplicaSet', name: 'web-7c5ddbdf54' });
  // As many live pods as replicas: nothing is predicted; a finished pod stands for no replica.
  const both = [deployment, live, livePod('web-7c5ddbdf54-b5z2q', 'ReplicaSet', 'web-7c5ddbdf54', 'node-2')];
  assert.deepEqual(predicted({ '/ws/n.yaml': NODES, '/ws/a.yaml': both.join('---\n') }), []);
  const evicted = [
    deployment,
    live,
    livePod('web-7c5ddbdf54-b5z2q', 'ReplicaSet', 'web-7c5ddbdf54', 'node-2', 'Failed'),
  ];
  assert.equal(predicted({ '/ws/n.yaml': NODES, '/ws/a.yaml': evicted.join('---\n') }).length, 1);
  // The same Deployment twice in the workspace is one object.
  assert.equal(predicted({ '/ws/n.yaml': NODES, '/ws/a.yaml': deployment, '/ws/b.yaml': deployment }).length, 2);
});

test("a StatefulSet's live pods stand for their ordinals, a DaemonSet's for their nodes", () => {
  const livePod = (name: string, kind: string, owner: string, node: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  ownerReferences:\n` +
    `  - {apiVersion: apps/v1, kind: ${kind}, name: ${owner}, controller: true}\n` +
    `spec:\n  nodeName: ${node}\n  containers: [{name: c}]\nstatus: {phase: Running}\n`;
  const sts = controller('StatefulSet', 'db', ['replicas: 3']);
  const db1 = livePod('db-1', 'StatefulSet', 'db', 'node-2');
  assert.deepEqual(
    predicted({ '/ws/n.yaml': NODES, '/ws/a.yaml': [sts, db1].join('---\n') }).map((p) => p.name),
    ['db-0', 'db-2'],
  );
  const ds = controller('DaemonSet', 'agent');
  const onNode2 = livePod('agent-x7k2p', 'DaemonSet', 'agent', 'node-2');
  assert.deepEqual(summary(predicted({ '/ws/n.yaml': NODES, '/ws/a.yaml': [ds, onNode2].join('---\n') })), [
    'agent@node-1 node-1',
    'agent@node-10 node-10',
  ]);
});

test('short names never clash: a predicted pod yields to a real name with its kind in front', () => {
  const bare =
    'apiVersion: v1\nkind: Pod\nmetadata: {name: web-1}\nspec:\n  nodeName: node-1\n  containers: [{name: c}]\n';
  const sts = controller('StatefulSet', 'web', ['replicas: 3', 'ordinals: {start: 1}']);
  const deployment = controller('Deployment', 'web', ['replicas: 2']);
  const pods = predicted({ '/ws/n.yaml': NODES, '/ws/p.yaml': bare, '/ws/a.yaml': [deployment, sts].join('---\n') });
  assert.deepEqual(pods.map((p) => `${p.owner.kind} ${p.name}`).sort(), [
    'Deployment deployment:web-1',
    'Deployment deployment:web-2',
    'StatefulSet web-1',
    'StatefulSet web-2',
    'StatefulSet web-3',
  ]);
});

test('kind: List items expand like separate documents', () => {
  const list = [
    'apiVersion: v1',
    'kind: List',
    'items:',
    ...controller('Deployment', 'web', ['replicas: 2'])
      .trimEnd()
      .split('\n')
      .map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)),
    '',
  ].join('\n');
  assert.deepEqual(summary(predicted({ '/ws/n.yaml': NODES, '/ws/l.yaml': list })), ['web-1 node-1', 'web-2 node-2']);
});

test('a huge replica count is predicted up to a bound, the rest counted, quickly', () => {
  const pods = predicted({
    '/ws/n.yaml': NODES,
    '/ws/a.yaml': controller('Deployment', 'web', ['replicas: 2000000000']),
  });
  assert.equal(pods.length, MAX_PREDICTED_PODS + 1);
  assert.match(
    pods[pods.length - 1].unplacedReason ?? '',
    /^and 1,999,980,000 more pods of Deployment web that Podnet does not draw/,
  );
  // A DaemonSet over more nodes than the bound: the nodes past it are counted.
  const facts = workspaceOf({ '/ws/d.yaml': controller('DaemonSet', 'agent') }).clusters()[0].facts;
  const targets = Array.from({ length: MAX_PREDICTED_PODS + 5 }, (_, i) => ({ name: `n${i}`, pods: [] }));
  const daemons = predictPods(facts, targets);
  assert.equal(daemons.length, MAX_PREDICTED_PODS + 1);
  assert.equal(daemons[MAX_PREDICTED_PODS].name, 'agent@…');
  assert.match(daemons[MAX_PREDICTED_PODS].unplacedReason ?? '', /^and up to 5 more pods of DaemonSet agent/);
});
