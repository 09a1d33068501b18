// Node eligibility as the scheduler, the kubelet and the DaemonSet controller decide it
// (kubernetes-workloads.md §3, §4): each rule, and the cases where a pod must not land.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  daemonSetTolerations,
  type Decider,
  labelMatches,
  noNodeReason,
  type PlacedSpec,
  schedulingNodeOf,
  type SchedulingNode,
  tolerates,
  whyNotOn,
} from '../../server/src/model/placement';
import { type NodeFacts } from '../../server/src/model/objects';
import {
  type NodeSelectorTerm,
  type Requirement,
  type SchedulingSpec,
  type Taint,
  type Toleration,
} from '../../server/src/model/schedulingSpec';
import { workspaceOf } from './helpers';

const NONE: SchedulingSpec = {
  nodeSelector: [],
  tolerations: [],
  hostPorts: [],
  hostnameAntiAffinity: [],
  unevaluated: [],
};

function spec(scheduling: Partial<SchedulingSpec> = {}, extra: { nodeName?: string; hostNetwork?: boolean } = {}) {
  const placed: PlacedSpec = {
    nodeName: extra.nodeName ? { value: extra.nodeName } : undefined,
    hostNetwork: extra.hostNetwork ?? false,
    scheduling: { ...NONE, ...scheduling },
  };
  return placed;
}

/** A node described by a Node object with these labels and taints. */
function node(name: string, labels: Record<string, string> = {}, taints: Taint[] = [], unschedulable = false) {
  const facts = { labels: Object.entries(labels), taints, unschedulable } as unknown as NodeFacts;
  return schedulingNodeOf(name, facts);
}

const taint = (key: string, effect: string, value = ''): Taint => ({ key, value, effect });
const toleration = (t: Partial<Toleration>): Toleration => ({
  key: '',
  operator: 'Equal',
  value: '',
  effect: '',
  ...t,
});
const req = (key: string, operator: string, ...values: string[]): Requirement => ({ key, operator, values });
const term = (matchExpressions: Requirement[], matchFields: Requirement[] = []): NodeSelectorTerm => ({
  matchExpressions,
  matchFields,
});

const fits = (s: PlacedSpec, n: SchedulingNode, decider: Decider = 'scheduler') =>
  whyNotOn(s, n, decider) === undefined;

test('every node has the labels the kubelet registers it with; a Node object overrides them', () => {
  const bare = schedulingNodeOf('worker-1');
  assert.equal(bare.declared, false);
  assert.deepEqual(Object.fromEntries(bare.labels), {
    'kubernetes.io/hostname': 'worker-1',
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': 'amd64',
  });
  assert.ok(bare.assumedLabels.has('kubernetes.io/arch'));
  const pi = node('pi-1', { 'kubernetes.io/arch': 'arm64', 'kubernetes.io/hostname': 'pi-1.lan' });
  assert.equal(pi.labels.get('kubernetes.io/arch'), 'arm64');
  assert.equal(pi.labels.get('beta.kubernetes.io/arch'), 'arm64', 'the kubelet sets the beta label to the same value');
  assert.equal(pi.labels.get('kubernetes.io/hostname'), 'pi-1.lan');
  assert.ok(!pi.assumedLabels.has('kubernetes.io/arch'));
  assert.ok(fits(spec({ nodeSelector: [['kubernetes.io/os', 'linux']] }), bare));
  assert.ok(fits(spec({ nodeSelector: [['beta.kubernetes.io/arch', 'arm64']] }), pi));
});

test('nodeSelector: every pair must match exactly; extra node labels do not matter', () => {
  const ssd = node('n1', { disktype: 'ssd', zone: 'a' });
  assert.ok(fits(spec({ nodeSelector: [['disktype', 'ssd']] }), ssd));
  assert.equal(
    whyNotOn(spec({ nodeSelector: [['disktype', 'hdd']] }), ssd, 'scheduler'),
    'nodeSelector disktype=hdd: the node has disktype=ssd',
  );
  assert.equal(
    whyNotOn(spec({ nodeSelector: [['gpu', 'true']] }), ssd, 'scheduler'),
    'nodeSelector gpu=true: the node has no label gpu',
  );
  assert.ok(
    !fits(
      spec({
        nodeSelector: [
          ['disktype', 'ssd'],
          ['zone', 'b'],
        ],
      }),
      ssd,
    ),
    'all pairs must hold',
  );
  // Without a Node object the verdict rests on assumed labels, and the reason says so.
  assert.match(
    whyNotOn(spec({ nodeSelector: [['kubernetes.io/arch', 'arm64']] }), schedulingNodeOf('n2'), 'scheduler') ?? '',
    /the node has kubernetes\.io\/arch=amd64 \(no Node object: only the labels every kubelet sets are known/,
  );
});

test('required node affinity: terms are ORed, expressions ANDed; an empty term matches nothing', () => {
  const n = node('n1', { disktype: 'ssd', zone: 'a' });
  const affinity = (...terms: NodeSelectorTerm[]) => spec({ requiredTerms: terms });
  assert.ok(fits(affinity(term([req('zone', 'In', 'b')]), term([req('disktype', 'In', 'ssd')])), n), 'second term');
  assert.ok(!fits(affinity(term([req('disktype', 'In', 'ssd'), req('zone', 'In', 'b')])), n), 'both must hold');
  assert.equal(
    whyNotOn(affinity(term([req('disktype', 'In', 'ssd'), req('zone', 'In', 'b')])), n, 'scheduler'),
    'required node affinity: zone In [b] does not hold',
  );
  assert.equal(
    whyNotOn(affinity(term([req('zone', 'In', 'b')]), term([req('zone', 'In', 'c')])), n, 'scheduler'),
    'required node affinity: none of its 2 terms matches',
  );
  assert.ok(!fits(affinity(term([])), n), 'an empty term matches no node');
  assert.ok(!fits(affinity(), n), 'no term at all matches no node');
  // nodeSelector and affinity must both hold.
  assert.ok(!fits(spec({ nodeSelector: [['zone', 'b']], requiredTerms: [term([req('disktype', 'Exists')])] }), n));
});

test('In, NotIn, Exists, DoesNotExist: NotIn and DoesNotExist hold when the label is absent', () => {
  const labels = new Map([['tier', 'web']]);
  assert.ok(labelMatches(req('tier', 'In', 'db', 'web'), labels));
  assert.ok(!labelMatches(req('tier', 'In', 'db'), labels));
  assert.ok(!labelMatches(req('zone', 'In', 'a'), labels), 'In needs the label');
  assert.ok(!labelMatches(req('tier', 'NotIn', 'web'), labels));
  assert.ok(labelMatches(req('zone', 'NotIn', 'a'), labels), 'NotIn holds without the label');
  assert.ok(labelMatches(req('tier', 'Exists'), labels));
  assert.ok(!labelMatches(req('zone', 'Exists'), labels));
  assert.ok(labelMatches(req('zone', 'DoesNotExist'), labels));
  assert.ok(!labelMatches(req('tier', 'DoesNotExist'), labels));
  assert.ok(!labelMatches(req('tier', 'Matches', 'web'), labels), 'an unknown operator matches nothing');
});

test('Gt and Lt compare integers; a missing or non-integer label, or several values, never match', () => {
  const labels = new Map([
    ['cores', '16'],
    ['gen', 'v3'],
    ['big', '9223372036854775807'],
  ]);
  assert.ok(labelMatches(req('cores', 'Gt', '8'), labels));
  assert.ok(!labelMatches(req('cores', 'Gt', '16'), labels), 'strictly greater');
  assert.ok(labelMatches(req('cores', 'Lt', '32'), labels));
  assert.ok(!labelMatches(req('cores', 'Lt', '9'), labels), 'numeric, not string order');
  assert.ok(labelMatches(req('cores', 'Gt', '+9'), labels), 'ParseInt accepts a sign');
  assert.ok(!labelMatches(req('gen', 'Gt', '2'), labels), 'non-integer label');
  assert.ok(!labelMatches(req('cores', 'Gt', 'x'), labels), 'non-integer value');
  assert.ok(!labelMatches(req('memory', 'Lt', '100'), labels), 'missing label');
  assert.ok(!labelMatches(req('cores', 'Gt', '1', '2'), labels), 'exactly one value');
  assert.ok(labelMatches(req('big', 'Gt', '9223372036854775806'), labels), 'int64 range, no float rounding');
});

test('matchFields knows metadata.name with In and NotIn only', () => {
  const n = node('worker-2');
  const fields = (...r: Requirement[]) => spec({ requiredTerms: [term([], r)] });
  assert.ok(fits(fields(req('metadata.name', 'In', 'worker-2')), n));
  assert.ok(!fits(fields(req('metadata.name', 'In', 'worker-1')), n));
  assert.ok(fits(fields(req('metadata.name', 'NotIn', 'worker-1')), n));
  assert.ok(!fits(fields(req('metadata.name', 'NotIn', 'worker-2')), n));
  assert.ok(!fits(fields(req('metadata.uid', 'In', 'worker-2')), n), 'no other field');
  assert.ok(!fits(fields(req('metadata.name', 'Exists')), n), 'no other operator');
  assert.ok(!fits(fields(req('metadata.name', 'In', 'worker-2', 'worker-3')), n), 'exactly one value');
  // Fields and expressions of one term are ANDed.
  assert.ok(
    !fits(spec({ requiredTerms: [term([req('gpu', 'Exists')], [req('metadata.name', 'In', 'worker-2')])] }), n),
  );
});

test('taints: NoSchedule and NoExecute keep the scheduler away unless tolerated; PreferNoSchedule does not', () => {
  const tainted = node('n1', {}, [taint('dedicated', 'NoSchedule', 'gpu')]);
  assert.equal(whyNotOn(spec(), tainted, 'scheduler'), 'taint dedicated=gpu:NoSchedule not tolerated');
  assert.ok(!fits(spec(), node('n2', {}, [taint('maintenance', 'NoExecute')])));
  assert.ok(fits(spec(), node('n3', {}, [taint('spot', 'PreferNoSchedule')])), 'PreferNoSchedule only scores');
  const tolerating = (t: Partial<Toleration>) => spec({ tolerations: [toleration(t)] });
  assert.ok(fits(tolerating({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }), tainted));
  assert.ok(fits(tolerating({ key: 'dedicated', value: 'gpu' }), tainted), 'an empty effect matches every effect');
  assert.ok(fits(tolerating({ key: 'dedicated', operator: 'Exists' }), tainted), 'Exists ignores the value');
  assert.ok(!fits(tolerating({ key: 'dedicated', value: 'ssd' }), tainted), 'Equal compares values');
  assert.ok(!fits(tolerating({ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }), tainted), 'effect differs');
  assert.ok(!fits(tolerating({ key: 'other', operator: 'Exists' }), tainted), 'key differs');
  assert.ok(!fits(tolerating({ key: 'dedicated', operator: 'Gt', value: '1' }), tainted), 'Gt needs a feature gate');
});

test('an empty key with operator Exists tolerates every taint', () => {
  const everything = toleration({ operator: 'Exists' });
  const node3 = node('n', {}, [taint('a', 'NoSchedule'), taint('b', 'NoExecute', 'x'), taint('c', 'NoSchedule', 'y')]);
  assert.ok(fits(spec({ tolerations: [everything] }), node3));
  assert.ok(!fits(spec({ tolerations: [toleration({ operator: 'Exists', effect: 'NoSchedule' })] }), node3));
  assert.ok(tolerates(everything, taint('node-role.kubernetes.io/control-plane', 'NoSchedule')));
});

test('nodeName: the kubelet admits the pod past NoSchedule taints, not past NoExecute or a selector', () => {
  const controlPlane = node('cp', { 'node-role.kubernetes.io/control-plane': '' }, [
    taint('node-role.kubernetes.io/control-plane', 'NoSchedule'),
  ]);
  assert.ok(fits(spec({}, { nodeName: 'cp' }), controlPlane, 'kubelet'));
  assert.ok(!fits(spec({}, { nodeName: 'cp' }), controlPlane, 'scheduler'), 'the scheduler would not place it');
  const draining = node('n', {}, [taint('maintenance', 'NoExecute')]);
  assert.equal(whyNotOn(spec({}, { nodeName: 'n' }), draining, 'kubelet'), 'taint maintenance:NoExecute not tolerated');
  assert.ok(!fits(spec({ nodeSelector: [['disktype', 'ssd']] }, { nodeName: 'cp' }), controlPlane, 'kubelet'));
});

test("DaemonSets tolerate the node-condition taints by themselves, not kubeadm's control-plane taint", () => {
  const conditions = node('n', {}, [
    taint('node.kubernetes.io/not-ready', 'NoExecute'),
    taint('node.kubernetes.io/unreachable', 'NoExecute'),
    taint('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    taint('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    taint('node.kubernetes.io/pid-pressure', 'NoSchedule'),
  ]);
  assert.ok(fits(spec(), conditions, 'daemonset'));
  assert.ok(!fits(spec(), conditions, 'scheduler'), 'an ordinary pod does not get those tolerations');
  const controlPlane = node('cp', {}, [taint('node-role.kubernetes.io/control-plane', 'NoSchedule')]);
  assert.equal(
    whyNotOn(spec(), controlPlane, 'daemonset'),
    'taint node-role.kubernetes.io/control-plane:NoSchedule not tolerated (a DaemonSet tolerates only the ' +
      'node-condition taints by itself)',
  );
  const tolerant = spec({
    tolerations: [toleration({ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' })],
  });
  assert.ok(fits(tolerant, controlPlane, 'daemonset'));
  // network-unavailable only for hostNetwork daemons.
  const noNetwork = node('n', {}, [taint('node.kubernetes.io/network-unavailable', 'NoSchedule')]);
  assert.ok(!fits(spec(), noNetwork, 'daemonset'));
  assert.ok(fits(spec({}, { hostNetwork: true }), noNetwork, 'daemonset'));
  assert.equal(daemonSetTolerations(false).length, 6);
  assert.ok(daemonSetTolerations(true).every((t) => t.operator === 'Exists' && t.key !== ''));
});

test('a cordoned node takes DaemonSet pods but no scheduled ones', () => {
  const cordoned = node('n', {}, [], true);
  assert.equal(
    whyNotOn(spec(), cordoned, 'scheduler'),
    'taint node.kubernetes.io/unschedulable:NoSchedule not tolerated',
  );
  assert.ok(fits(spec(), cordoned, 'daemonset'));
  assert.ok(fits(spec(), cordoned, 'kubelet'), 'a nodeName pod runs on a cordoned node');
});

test("a DaemonSet template's nodeName limits it to that node", () => {
  assert.equal(whyNotOn(spec({}, { nodeName: 'a' }), node('b'), 'daemonset'), 'spec.nodeName is `a`');
  assert.ok(fits(spec({}, { nodeName: 'a' }), node('a'), 'daemonset'));
});

test('the reason for no node groups the refusals and names a few nodes', () => {
  const refusals = [
    { node: 'cp-1', reason: 'taint x:NoSchedule not tolerated' },
    ...Array.from({ length: 6 }, (_, i) => ({
      node: `node-${i + 1}`,
      reason: 'nodeSelector gpu=true: the node has no label gpu',
    })),
  ];
  assert.equal(
    noNodeReason(refusals),
    'no node it can run on: taint x:NoSchedule not tolerated (cp-1); nodeSelector gpu=true: the node has no ' +
      'label gpu (node-1, node-2, node-3 and 3 more)',
  );
  assert.match(noNodeReason([]), /^no nodes known/);
});

test('labels, taints, cordon and scheduling constraints are read from the manifests', () => {
  const files = {
    '/ws/nodes.yaml': [
      'apiVersion: v1',
      'kind: Node',
      'metadata:',
      '  name: n1',
      '  labels:',
      '    gpu: "true"',
      '    role: ""',
      'spec:',
      '  unschedulable: true',
      '  taints:',
      '  - {key: dedicated, value: gpu, effect: NoSchedule}',
      '',
    ].join('\n'),
    '/ws/pod.yaml': [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p}',
      'spec:',
      '  nodeSelector: {gpu: "true"}',
      '  tolerations:',
      '  - {key: dedicated, operator: Exists}',
      '  - {operator: Exists, effect: NoExecute}',
      '  affinity:',
      '    nodeAffinity:',
      '      requiredDuringSchedulingIgnoredDuringExecution:',
      '        nodeSelectorTerms:',
      '        - matchExpressions: [{key: cores, operator: Gt, values: ["4"]}]',
      '          matchFields: [{key: metadata.name, operator: In, values: [n1]}]',
      '  containers:',
      '  - name: c',
      '    ports: [{containerPort: 80, hostPort: 8080}, {containerPort: 81}]',
      '',
    ].join('\n'),
  };
  const { facts } = workspaceOf(files).clusters()[0];
  const n1 = facts.nodes[0];
  assert.deepEqual(n1.labels, [
    ['gpu', 'true'],
    ['role', ''],
  ]);
  assert.deepEqual(n1.taints, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
  assert.equal(n1.unschedulable, true);
  const scheduling = facts.pods[0].spec.scheduling;
  assert.deepEqual(scheduling.nodeSelector, [['gpu', 'true']]);
  assert.deepEqual(scheduling.tolerations, [
    { key: 'dedicated', operator: 'Exists', value: '', effect: '' },
    { key: '', operator: 'Exists', value: '', effect: 'NoExecute' },
  ]);
  assert.deepEqual(scheduling.requiredTerms, [
    { matchExpressions: [req('cores', 'Gt', '4')], matchFields: [req('metadata.name', 'In', 'n1')] },
  ]);
  assert.deepEqual(scheduling.hostPorts, [{ port: 8080, protocol: 'TCP', hostIP: '0.0.0.0' }]);
  const placed = schedulingNodeOf('n1', n1);
  assert.ok(
    placed.taints.some((t) => t.key === 'node.kubernetes.io/unschedulable'),
    'cordon adds its taint',
  );
  assert.match(whyNotOn(facts.pods[0].spec, placed, 'scheduler') ?? '', /cores Gt \[4\] does not hold/);
});
