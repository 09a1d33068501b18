// A document with a YAML error contributes nothing but its yaml-syntax findings (issue 12).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { diagnose, loadExample, workspaceOf, withCode } from './helpers';

const node = (name: string, podCIDR: string) =>
  `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${name}\nspec:\n  podCIDR: ${podCIDR}\n`;
const pod = (nodeName: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: ${nodeName}\n  containers: []\n`;

test('a broken Node document gives yaml-syntax only: no podcidr finding, and it names no node', () => {
  // A podCIDR outside the Network and a repeated key: only the repeated key is reported.
  const broken = node('worker-9', '10.9.1.0/24') + 'metadata:\n  name: worker-9\n';
  const files = {
    ...loadExample('cluster-10.100'),
    '/ws/cluster-10.100/more-nodes.yaml': broken,
    '/ws/cluster-10.100/pod.yaml': pod('worker-9'),
  };
  const codes = diagnose(files)
    .filter((d) => d.uri.endsWith('more-nodes.yaml'))
    .map((d) => d.code);
  assert.deepEqual(codes, ['yaml-syntax']);
  assert.equal(withCode(files, 'podcidr-outside-network').length, 0);
  // The Pod's node exists only in the broken document, so it is unknown.
  assert.equal(withCode(files, 'nodename-unknown').filter((d) => d.message.includes('worker-9')).length, 1);
  const workspace = workspaceOf(files);
  const nodes = workspace.clusters().flatMap((c) => c.facts.nodes.map((n) => n.object.name?.value));
  assert.ok(!nodes.includes('worker-9'), `nodes: ${nodes.join(', ')}`);
});

test('a syntax error in one document leaves the other documents of the file checked', () => {
  const files = {
    ...loadExample('cluster-10.100'),
    '/ws/cluster-10.100/more-nodes.yaml': node('a', '10.9.1.0/24') + '---\n' + node('b', '[10.100.9.0/24'),
  };
  assert.equal(withCode(files, 'yaml-syntax').length > 0, true);
  assert.equal(withCode(files, 'podcidr-outside-network').length, 1);
});

test('two kubeadm documents joined without ---: yaml-syntax stays, and no half-read facts', () => {
  const joined =
    'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.9.0.0/16\n' +
    'apiVersion: kubeadm.k8s.io/v1beta3\nkind: InitConfiguration\n';
  const files = { ...loadExample('cluster-10.100'), '/ws/cluster-10.100/kubeadm.yaml': joined };
  assert.equal(withCode(files, 'yaml-syntax').length, 2);
  assert.equal(withCode(files, 'cluster-cidr-mismatch').length, 0);
});
