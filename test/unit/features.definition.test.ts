import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { type Files, flannelConfigMap, loadExample, workspaceOf } from './helpers';
import { definitionAt } from '../../server/src/features/definition';
import { pathToUri } from '../../server/src/model/workspace';

function definitions(files: Files, file: string, needle: string, nth = 0): Array<{ file: string; text: string }> {
  const text = files[file];
  let index = -1;
  for (let i = 0; i <= nth; i++) index = text.indexOf(needle, index + 1);
  assert.ok(index >= 0, `${needle} not in ${file}`);
  return definitionAt(workspaceOf(files), pathToUri(file), index + 1).map((location) => {
    const target = decodeURIComponent(new URL(location.uri).pathname);
    return { file: target, text: files[target].slice(location.range[0], location.range[1]) };
  });
}

test('DaemonSet configMap volume goes to the ConfigMap in the same file', () => {
  const files = loadExample('flannel-upstream');
  const file = '/ws/flannel-upstream/kube-flannel.yml';
  const text = files[file];
  const result = definitions(files, file, 'kube-flannel-cfg', 1);
  assert.deepEqual(result, [{ file, text: 'kube-flannel-cfg' }]);
  const location = definitionAt(workspaceOf(files), pathToUri(file), text.lastIndexOf('kube-flannel-cfg') + 3)[0];
  assert.equal(location.range[0], text.indexOf('kube-flannel-cfg'));
});

const daemonSet = (namespace: string, configMap: string) =>
  [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata:',
    '  name: ds',
    `  namespace: ${namespace}`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers: []',
    '      volumes:',
    '      - name: cfg',
    '        configMap:',
    `          name: ${configMap}`,
    '',
  ].join('\n');

test('configMap references resolve across files, only in the same namespace', () => {
  const files = {
    '/ws/cm.yaml': flannelConfigMap('{"Network": "10.244.0.0/16"}'),
    '/ws/ds.yaml': daemonSet('kube-flannel', 'kube-flannel-cfg'),
    '/ws/other.yaml': daemonSet('kube-system', 'kube-flannel-cfg'),
  };
  assert.deepEqual(definitions(files, '/ws/ds.yaml', 'kube-flannel-cfg'), [
    { file: '/ws/cm.yaml', text: 'kube-flannel-cfg' },
  ]);
  assert.deepEqual(definitions(files, '/ws/other.yaml', 'kube-flannel-cfg'), []);
  const pod =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: kube-flannel\nspec:\n  volumes:\n  - ' +
    'name: v\n    configMap:\n      name: "kube-flannel-cfg"\n';
  assert.deepEqual(definitions({ ...files, '/ws/pod.yaml': pod }, '/ws/pod.yaml', '"kube-flannel-cfg"'), [
    { file: '/ws/cm.yaml', text: 'kube-flannel-cfg' },
  ]);
});

test('Pod nodeName goes to the Node object', () => {
  const files = loadExample('cluster-10.100');
  assert.deepEqual(definitions(files, '/ws/cluster-10.100/network-cni-test.yaml', 'worker233'), [
    { file: '/ws/cluster-10.100/nodes.yaml', text: 'worker233' },
  ]);
  const multi = loadExample('seed-multi-node');
  assert.deepEqual(definitions(multi, '/ws/seed-multi-node/pod.yml', "'k8s-worker2'"), [
    { file: '/ws/seed-multi-node/nodes.yml', text: 'k8s-worker2' },
  ]);
});

test('no definition for unknown nodes, other clusters or other positions', () => {
  const single = loadExample('seed-single-node');
  assert.deepEqual(definitions(single, '/ws/seed-single-node/pod-to-pod-single-node.yml', 'k8s-worker1'), []);
  const files = loadExample('cluster-10.100');
  assert.deepEqual(definitions(files, '/ws/cluster-10.100/network-cni-test.yaml', 'containers'), []);
  assert.deepEqual(definitionAt(workspaceOf(files), 'file:///ws/none.yaml', 0), []);
});
