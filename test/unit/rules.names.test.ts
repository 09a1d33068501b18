import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, coveredText, loadExample, withCode } from './helpers';

const pod = (name: string, nodeName?: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  ` +
  `name: ${name}\nspec:\n${nodeName !== undefined ? `  nodeName: ${nodeName}\n` : ''}  containers:\n  - ` +
  `name: c\n    image: busybox\n`;

test('name-invalid: uppercase Pod name, with a lowercase fix', () => {
  const files = { '/ws/pod.yaml': pod('My_Pod') };
  const [diagnostic] = withCode(files, 'name-invalid');
  assert.equal(diagnostic.severity, 'error');
  assert.equal(coveredText(files, diagnostic), 'My_Pod');
  assert.equal(diagnostic.fixes.length, 0, 'lowercasing alone does not fix an underscore');
  const upper = { '/ws/pod.yaml': pod('MyPod') };
  const [fixable] = withCode(upper, 'name-invalid');
  const fixed = applyEdits(upper, fixable.fixes[0].edits);
  assert.match(fixed['/ws/pod.yaml'], /name: mypod/);
  assert.equal(withCode(fixed, 'name-invalid').length, 0);
});

test('name-invalid: Namespaces are labels (no dots), other names subdomains (dots fine, 253 chars)', () => {
  const ns = { '/ws/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kube.flannel\n' };
  const [diagnostic] = withCode(ns, 'name-invalid');
  assert.equal(coveredText(ns, diagnostic), 'kube.flannel');
  assert.match(diagnostic.message, /must not contain dots/);
  assert.equal(withCode({ '/ws/pod.yaml': pod('web.v1') }, 'name-invalid').length, 0);
  const long = 'a'.repeat(254);
  assert.equal(withCode({ '/ws/pod.yaml': pod(long) }, 'name-invalid').length, 1);
  assert.equal(withCode({ '/ws/pod.yaml': pod('a'.repeat(253)) }, 'name-invalid').length, 0);
});

test('name-invalid: spec.nodeName, pointing at the quoted value', () => {
  const files = { '/ws/pod.yaml': pod('web', "'Worker_1'") };
  const [diagnostic] = withCode(files, 'name-invalid');
  assert.equal(coveredText(files, diagnostic), "'Worker_1'");
});

test('nodename-unknown: a typo against the Node objects, with a did-you-mean fix', () => {
  const files = { ...loadExample('cluster-10.100') };
  files['/ws/cluster-10.100/network-cni-test.yaml'] = files['/ws/cluster-10.100/network-cni-test.yaml'].replace(
    'nodeName: worker233',
    'nodeName: worker323',
  );
  const [diagnostic] = withCode(files, 'nodename-unknown');
  assert.equal(diagnostic.severity, 'warning');
  assert.equal(coveredText(files, diagnostic), 'worker323');
  assert.match(diagnostic.message, /Did you mean `worker233`\?/);
  const fixed = applyEdits(files, diagnostic.fixes[0].edits);
  assert.equal(withCode(fixed, 'nodename-unknown').length, 0);
});

test('nodename-unknown: quoted values are fixed inside the quotes', () => {
  const files = { ...loadExample('seed-multi-node') };
  files['/ws/seed-multi-node/pod.yml'] = files['/ws/seed-multi-node/pod.yml'].replace(
    "nodeName: 'k8s-worker2'",
    "nodeName: 'k8s-wroker2'",
  );
  const [diagnostic] = withCode(files, 'nodename-unknown');
  assert.equal(coveredText(files, diagnostic), "'k8s-wroker2'");
  const fixed = applyEdits(files, diagnostic.fixes[0].edits);
  assert.match(fixed['/ws/seed-multi-node/pod.yml'], /nodeName: 'k8s-worker2'/);
});

test('nodename-unknown: a block scalar is reported without a fix (its range holds the header and line breaks)', () => {
  const files = { ...loadExample('cluster-10.100') };
  files['/ws/cluster-10.100/network-cni-test.yaml'] = files['/ws/cluster-10.100/network-cni-test.yaml'].replace(
    'nodeName: worker233',
    'nodeName: |-\n    worker323',
  );
  const [diagnostic] = withCode(files, 'nodename-unknown');
  assert.match(diagnostic.message, /Did you mean `worker233`\?/);
  assert.equal(diagnostic.fixes.length, 0);
});

test('nodename-unknown: silent when the cluster declares no node; settings can declare them', () => {
  const files = { '/ws/pod.yaml': pod('web', 'node-a') };
  assert.equal(withCode(files, 'nodename-unknown').length, 0);
  const [diagnostic] = withCode(files, 'nodename-unknown', { knownNodes: ['node-b'] });
  assert.match(diagnostic.message, /Did you mean `node-b`/);
});

/** A controller of `kind` whose pod template sets `nodeName` (a CronJob's sits in its job template). */
function controller(kind: string, nodeName: string): string {
  const apiVersion =
    kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : kind === 'ReplicationController' ? 'v1' : 'apps/v1';
  const podTemplate = (indent: string) =>
    `${indent}template:\n${indent}  spec:\n${indent}    nodeName: ${nodeName}\n${indent}    containers:\n` +
    `${indent}    - name: c\n${indent}      image: busybox\n`;
  const spec =
    kind === 'CronJob'
      ? `  schedule: "0 * * * *"\n  jobTemplate:\n    spec:\n${podTemplate('      ')}`
      : podTemplate('  ');
  return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: web\nspec:\n${spec}`;
}

const TEMPLATE_KINDS = [
  'Deployment',
  'ReplicaSet',
  'ReplicationController',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
];

test('nodename-unknown in pod templates of every controller, with the same quick fix', () => {
  const nodes = loadExample('cluster-10.100');
  const nodeFile = Object.keys(nodes).find((f) => f.endsWith('nodes.yaml'))!;
  for (const kind of TEMPLATE_KINDS) {
    const files = { [nodeFile]: nodes[nodeFile], '/ws/cluster-10.100/app.yaml': controller(kind, 'worker323') };
    const [diagnostic] = withCode(files, 'nodename-unknown');
    assert.ok(diagnostic, kind);
    assert.equal(coveredText(files, diagnostic), 'worker323', kind);
    const field = kind === 'CronJob' ? 'spec.jobTemplate.spec.template.spec.nodeName' : 'spec.template.spec.nodeName';
    assert.ok(diagnostic.message.startsWith(`${field} \`worker323\` names no node of this cluster`), kind);
    assert.match(diagnostic.message, /Did you mean `worker233`\?/);
    assert.match(
      diagnostic.message,
      kind === 'DaemonSet' ? /so it runs no pod/ : new RegExp(`the ${kind} creates them again`),
      kind,
    );
    const fixed = applyEdits(files, diagnostic.fixes[0].edits);
    assert.match(fixed['/ws/cluster-10.100/app.yaml'], /nodeName: worker233\n/);
    assert.equal(withCode(fixed, 'nodename-unknown').length, 0, kind);
  }
  // A known node, or no node known at all: silent.
  assert.equal(withCode({ '/ws/app.yaml': controller('Deployment', 'worker323') }, 'nodename-unknown').length, 0);
});

test('name-invalid: a pod template nodeName, with the lowercase fix', () => {
  const files = { '/ws/app.yaml': controller('Deployment', 'Worker-1') };
  const [diagnostic] = withCode(files, 'name-invalid');
  assert.equal(coveredText(files, diagnostic), 'Worker-1');
  assert.match(
    diagnostic.message,
    /^spec\.template\.spec\.nodeName `Worker-1` is not a lowercase RFC 1123 subdomain.*rejects the Deployment/,
  );
  const fixed = applyEdits(files, diagnostic.fixes[0].edits);
  assert.match(fixed['/ws/app.yaml'], /nodeName: worker-1\n/);
  assert.equal(withCode(fixed, 'name-invalid').length, 0);
});

const statefulSet = (name: string, extra = '') =>
  `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: ${name}\nspec:\n  serviceName: db\n${extra}` +
  `  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n` +
  `    spec:\n      containers:\n      - name: db\n        image: postgres:16\n`;

test('statefulset-name-too-long: over 52 characters, at the name; 52 is safe', () => {
  const safe = 'a'.repeat(52);
  assert.equal(withCode({ '/ws/sts.yaml': statefulSet(safe) }, 'statefulset-name-too-long').length, 0);
  const name = 'analytics-clickhouse-shard-replica-europe-west-prim1';
  assert.equal(name.length, 52);
  const files = { '/ws/sts.yaml': statefulSet(`${name}x`) };
  const [diagnostic] = withCode(files, 'statefulset-name-too-long');
  assert.equal(diagnostic.severity, 'error');
  assert.equal(coveredText(files, diagnostic), `${name}x`);
  assert.match(
    diagnostic.message,
    /is 53 characters long\. Each pod is labelled controller-revision-hash=<name>-<hash>/,
  );
  assert.doesNotMatch(diagnostic.message, /pod names/);
  // Other kinds are not StatefulSets: their pod names are cut by the API server.
  const deployment = statefulSet(`${name}x`).replace('kind: StatefulSet', 'kind: Deployment');
  assert.equal(withCode({ '/ws/d.yaml': deployment }, 'statefulset-name-too-long').length, 0);
});

test('statefulset-name-too-long: pod names over 63 and names over 63 are said', () => {
  const at = (name: string, extra = '') =>
    withCode({ '/ws/sts.yaml': statefulSet(name, extra) }, 'statefulset-name-too-long')[0].message;
  // `<name>-9` has 63 characters: the pod names still fit; the tenth ordinal does not.
  assert.doesNotMatch(at('b'.repeat(61), '  replicas: 10\n'), /pod names/);
  assert.match(
    at('b'.repeat(61), '  replicas: 11\n'),
    /Its pod names \(up to `b{61}-10`, 64 characters\) are also too long/,
  );
  assert.match(at('c'.repeat(62)), /Its pod names \(up to `c{62}-0`, 64 characters\)/);
  assert.doesNotMatch(at('c'.repeat(63)), /reject the StatefulSet itself/);
  assert.match(at('d'.repeat(64)), /Recent Kubernetes releases reject the StatefulSet itself/);
});
