// A bare Pod without spec.nodeName is bound by the scheduler like a controller's pod
// (kubernetes-workloads.md §3): the same eligibility (nodeSelector, affinity, taints, host ports) and the
// same choice, after the DaemonSets' pods and before the other controllers'.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildTopology } from '../../server/src/topology/build';
import { type Topology } from '../../server/src/topology/types';
import { FLANNEL_NAMED, type Files, workspaceOf } from './helpers';

/** Node objects as `kubectl get nodes -o yaml` shows them: the kubelet's hostname label, kubeadm's taint. */
const node = (name: string, labels: string[] = [], taint = false) =>
  [
    'apiVersion: v1',
    'kind: Node',
    'metadata:',
    `  name: ${name}`,
    '  labels:',
    `    kubernetes.io/hostname: ${name}`,
    ...labels.map((l) => `    ${l}`),
    ...(taint
      ? ['spec:', '  taints:', '  - key: node-role.kubernetes.io/control-plane', '    effect: NoSchedule']
      : []),
    '',
  ].join('\n');

const NODES = [
  node('master231', ['node-role.kubernetes.io/control-plane: ""'], true),
  node('worker232', ['disk: ssd']),
  node('worker233', ['disk: ssd']),
].join('---\n');

/** What `kubectl run <name> --image=busybox --overrides='{"spec":{...}}' --dry-run=client -o yaml` writes. */
const run = (name: string, specLines: string[] = [], portLines: string[] = []) =>
  [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  labels:',
    `    run: ${name}`,
    `  name: ${name}`,
    'spec:',
    ...specLines.map((l) => `  ${l}`),
    '  containers:',
    '  - image: busybox',
    `    name: ${name}`,
    ...portLines.map((l) => `    ${l}`),
    '',
  ].join('\n');

const topologyOf = (files: Files): Topology => buildTopology(workspaceOf(files, FLANNEL_NAMED).clusters()[0]);

const where = (topology: Topology, name: string) => {
  const on = topology.nodes.find((n) => n.pods.some((p) => p.name === name));
  const pod = on?.pods.find((p) => p.name === name);
  const unplaced = topology.unplaced.find((u) => u.pod === `default/${name}`);
  return { node: on?.name, placement: pod?.placement, reason: unplaced?.reason };
};

test('a Pod pinned by the hostname nodeSelector `kubectl run --overrides` writes lands on that node, known', () => {
  const topology = topologyOf({
    '/ws/nodes.yaml': NODES,
    '/ws/pod.yaml': run('probe', ['nodeSelector:', '  kubernetes.io/hostname: worker233']),
  });
  assert.deepEqual(where(topology, 'probe'), { node: 'worker233', placement: undefined, reason: undefined });
  const probe = topology.nodes.find((n) => n.name === 'worker233')?.pods.find((p) => p.name === 'probe');
  assert.equal(probe?.address?.certainty, 'inferred', 'it gets an address from the node podCIDR');
});

test('a Pod two nodes can take goes to the least-loaded one, marked as the scheduler choice', () => {
  const files = {
    '/ws/nodes.yaml': NODES,
    '/ws/pod.yaml': run('probe', ['nodeSelector: {disk: ssd}']),
    '/ws/pinned.yaml': run('pinned', ['nodeName: worker232']),
  };
  const topology = topologyOf(files);
  const probe = where(topology, 'probe');
  assert.equal(probe.node, 'worker233', 'worker232 already runs the pinned pod');
  assert.match(probe.placement ?? '', /^inferred: the scheduler picks one of worker232, worker233/);
  // A plain Pod anywhere: the control plane is tainted, so the two workers again.
  const plain = where(topologyOf({ '/ws/nodes.yaml': NODES, '/ws/pod.yaml': run('plain') }), 'plain');
  assert.equal(plain.node, 'worker232');
  assert.match(plain.placement ?? '', /the scheduler picks one of worker232, worker233/);
});

test("bare Pods are placed before a Deployment's pods and count toward the nodes' load", () => {
  const deployment = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web}',
    'spec:',
    '  replicas: 1',
    '  template:',
    '    metadata: {labels: {app: web}}',
    '    spec:',
    '      nodeSelector: {disk: ssd}',
    '      containers: [{name: web, image: nginx}]',
    '',
  ].join('\n');
  // The Deployment comes first in the workspace; the Pod is still bound first.
  const topology = topologyOf({
    '/ws/a-deploy.yaml': deployment,
    '/ws/b-pod.yaml': run('probe', ['nodeSelector: {disk: ssd}']),
    '/ws/nodes.yaml': NODES,
  });
  assert.equal(where(topology, 'probe').node, 'worker232');
  assert.equal(where(topology, 'web-1').node, 'worker233');
});

test('a Pod whose nodeSelector matches no node stays unplaced with the reason', () => {
  const topology = topologyOf({
    '/ws/nodes.yaml': NODES,
    '/ws/pod.yaml': run('probe', ['nodeSelector:', '  kubernetes.io/hostname: worker234']),
  });
  const probe = where(topology, 'probe');
  assert.equal(probe.node, undefined);
  assert.match(probe.reason ?? '', /^no node it can run on: .*kubernetes\.io\/hostname=worker234/);
});

test('a Pod tolerating nothing, with only tainted nodes, stays unplaced; a toleration lets it in', () => {
  const masterOnly = node('master231', [], true);
  const refused = where(topologyOf({ '/ws/nodes.yaml': masterOnly, '/ws/pod.yaml': run('probe') }), 'probe');
  assert.equal(refused.node, undefined);
  assert.match(
    refused.reason ?? '',
    /^no node it can run on: .*node-role\.kubernetes\.io\/control-plane.*\(master231\)/,
  );
  const tolerated = run('probe', [
    'tolerations:',
    '- key: node-role.kubernetes.io/control-plane',
    '  operator: Exists',
  ]);
  const admitted = where(topologyOf({ '/ws/nodes.yaml': masterOnly, '/ws/pod.yaml': tolerated }), 'probe');
  assert.deepEqual(admitted, { node: 'master231', placement: undefined, reason: undefined });
});

test("a Pod's host port taken by a DaemonSet's pod on its only eligible node leaves it unplaced", () => {
  const daemonSet = [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata: {name: agent}',
    'spec:',
    '  selector: {matchLabels: {app: agent}}',
    '  template:',
    '    metadata: {labels: {app: agent}}',
    '    spec:',
    '      containers:',
    '      - name: agent',
    '        image: agent',
    '        ports: [{containerPort: 9100, hostPort: 9100}]',
    '',
  ].join('\n');
  const topology = topologyOf({
    '/ws/a-pod.yaml': run(
      'exporter',
      ['nodeSelector: {kubernetes.io/hostname: worker233}'],
      ['ports: [{containerPort: 9100, hostPort: 9100}]'],
    ),
    '/ws/b-ds.yaml': daemonSet,
    '/ws/nodes.yaml': NODES,
  });
  assert.equal(where(topology, 'agent@worker233').node, 'worker233');
  const exporter = where(topology, 'exporter');
  assert.equal(exporter.node, undefined);
  assert.match(exporter.reason ?? '', /host ports \(9100\/TCP\) are taken .*\(worker233\): it stays Pending/);
});

test('no node known at all: the Pod stays unplaced, and the reason says how to name nodes', () => {
  const topology = topologyOf({ '/ws/pod.yaml': run('probe') });
  assert.deepEqual(topology.nodes, []);
  assert.match(where(topology, 'probe').reason ?? '', /^no nodes known: add Node objects/);
});

test('a live Pod without nodeName is one the scheduler has not bound: it is not placed', () => {
  const pending = run('probe') + 'status:\n  phase: Pending\n';
  const probe = where(topologyOf({ '/ws/nodes.yaml': NODES, '/ws/pod.yaml': pending }), 'probe');
  assert.equal(probe.node, undefined);
  assert.equal(probe.reason, 'no spec.nodeName: the scheduler picks its node at runtime');
});
