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
