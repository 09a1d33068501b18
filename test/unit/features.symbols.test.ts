import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { type Files, flannelConfigMap, loadExample, workspaceOf } from './helpers';
import { documentSymbols, type SymbolResult } from '../../server/src/features/symbols';
import { pathToUri } from '../../server/src/model/workspace';

/** A symbol with the text it selects and covers, for readable assertions. */
type Shown = Omit<SymbolResult, 'children'> & { selected: string; text: string; children: Shown[] };

function symbols(files: Files, file: string): Shown[] {
  const text = files[file];
  const decorate = (s: SymbolResult): Shown => ({
    ...s,
    selected: text.slice(s.selectionRange[0], s.selectionRange[1]),
    text: text.slice(s.range[0], s.range[1]),
    children: s.children.map(decorate),
  });
  return documentSymbols(workspaceOf(files), pathToUri(file)).map(decorate);
}

test('one symbol per object, named Kind/name, with the name selected', () => {
  const files = loadExample('cluster-10.100');
  const nodes = symbols(files, '/ws/cluster-10.100/nodes.yaml');
  assert.deepEqual(
    nodes.map((s) => s.name),
    ['Node/master231', 'Node/worker232', 'Node/worker233'],
  );
  assert.deepEqual(
    nodes.map((s) => s.selected),
    ['master231', 'worker232', 'worker233'],
  );
  for (const s of nodes) {
    assert.ok(s.text.startsWith('apiVersion: v1\nkind: Node'));
    assert.ok(s.selectionRange[0] >= s.range[0] && s.selectionRange[1] <= s.range[1]);
    assert.equal(s.kind, 'Node');
  }
});

test('Pods show their node in the detail', () => {
  const files = loadExample('cluster-10.100');
  const pods = symbols(files, '/ws/cluster-10.100/network-cni-test.yaml');
  assert.deepEqual(
    pods.map((s) => [s.name, s.detail]),
    [
      ['Pod/xiuxian-v1', '→ worker232'],
      ['Pod/xiuxian-v2', '→ worker233'],
    ],
  );
  const kcm = symbols(files, '/ws/cluster-10.100/kube-controller-manager.yaml');
  assert.deepEqual(
    kcm.map((s) => [s.name, s.detail]),
    [['Pod/kube-controller-manager', 'kube-system']],
  );
});

test('a flannel ConfigMap has its JSON files as children', () => {
  const files = loadExample('cluster-10.100');
  const [configMap] = symbols(files, '/ws/cluster-10.100/kube-flannel-cfg.yaml');
  assert.equal(configMap.name, 'ConfigMap/kube-flannel-cfg');
  assert.equal(configMap.detail, 'kube-flannel');
  assert.deepEqual(
    configMap.children.map((c) => [c.name, c.kind, c.selected, c.detail]),
    [
      ['cni-conf.json', 'ConfigMapKey', 'cni-conf.json', 'cbr0, CNI 0.3.1'],
      ['net-conf.json', 'ConfigMapKey', 'net-conf.json', 'Network 10.100.0.0/16, vxlan'],
    ],
  );
  assert.ok(configMap.children[1].text.startsWith('net-conf.json: |\n    {\n      "Network"'));
  assert.ok(configMap.children[1].text.trimEnd().endsWith('}'));
});

test('List items appear one by one; Namespaces get their own kind', () => {
  const multi = loadExample('seed-multi-node');
  assert.deepEqual(
    symbols(multi, '/ws/seed-multi-node/nodes.yml').map((s) => [s.name, s.selected]),
    [
      ['Node/k8s-worker1', 'k8s-worker1'],
      ['Node/k8s-worker2', 'k8s-worker2'],
    ],
  );
  const upstream = loadExample('flannel-upstream');
  const all = symbols(upstream, '/ws/flannel-upstream/kube-flannel.yml');
  assert.deepEqual(
    all.map((s) => s.name),
    [
      'Namespace/kube-flannel',
      'ClusterRole/flannel',
      'ClusterRoleBinding/flannel',
      'ServiceAccount/flannel',
      'ConfigMap/kube-flannel-cfg',
      'DaemonSet/kube-flannel-ds',
    ],
  );
  assert.equal(all[0].kind, 'Namespace');
  assert.equal(all[5].detail, 'kube-flannel');
  assert.equal(all[4].children.length, 2);
});

test('unnamed objects, documents without apiVersion/kind, and a ConfigMap without JSON', () => {
  const text = [
    'apiVersion: v1',
    'kind: Pod',
    'spec:',
    '  containers: []',
    '---',
    'just: data',
    '---',
    'kind: Pod',
    'metadata:',
    '  name: no-api-version',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: plain',
    'data:',
    '  key: value',
    '',
  ].join('\n');
  const files = { '/ws/a.yaml': text };
  const result = symbols(files, '/ws/a.yaml');
  assert.deepEqual(
    result.map((s) => s.name),
    ['Pod/<unnamed>', 'ConfigMap/plain'],
  );
  assert.equal(result[0].selected, 'Pod');
  assert.deepEqual(result[1].children, []);
});

test('invalid JSON and a missing Backend show in the child detail', () => {
  const files = { '/ws/cm.yaml': flannelConfigMap('{"Network": "10.1.0.0/16"}', '{ "name": "cbr0", # comment\n}') };
  const [configMap] = symbols(files, '/ws/cm.yaml');
  assert.deepEqual(
    configMap.children.map((c) => c.detail),
    ['cbr0', 'Network 10.1.0.0/16, udp (no Backend)'],
  );
  assert.deepEqual(
    symbols({ '/ws/x.yaml': flannelConfigMap('') }, '/ws/x.yaml')[0].children.map((c) => c.detail),
    ['not valid JSON'],
  );
});

test('unknown file gives no symbols', () => {
  assert.deepEqual(documentSymbols(workspaceOf({}), 'file:///ws/none.yaml'), []);
});
