// Documents whose facts are all the rules need give up their YAML tree (memory on large files). These
// tests check that nothing a user sees changes: ranges stay exact as the file is edited around them,
// the tree comes back on demand at the right place, and suppressions, hovers and completion still work.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { diagnoseWorkspace } from '../../server/src/engine';
import { parseManifest } from '../../server/src/core/manifest';
import { type ManifestDocument, releaseTree } from '../../server/src/core/manifestDocument';
import { get, getText, rangeOf } from '../../server/src/core/yamlAccess';
import { completionsAt } from '../../server/src/features/completion';
import { hoverAt } from '../../server/src/features/hover';
import { pathToUri, type Workspace } from '../../server/src/model/workspace';
import { workspaceOf } from './helpers';

const NODES = ['worker232', 'worker233']
  .map((name, i) => `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${name}\nspec:\n  podCIDR: 10.244.${i + 1}.0/24\n`)
  .join('---\n');

const pod = (i: number, nodeName = `worker23${2 + (i % 2)}`) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-${i}\n  namespace: team-${i}\nspec:\n  ` +
  `nodeName: ${nodeName}\n  containers:\n  - name: app\n    image: "nginx:1.${i}"\n    volumeMounts:\n    - ` +
  `name: data\n      mountPath: /data\n  volumes:\n  - name: data\n    hostPath:\n      path: /srv/${i}\n`;

const PODS = [0, 1, 2].map((i) => pod(i)).join('---\n');
const PODS_URI = pathToUri('/ws/pods.yaml');

function workspace(pods = PODS): Workspace {
  return workspaceOf({ '/ws/nodes.yaml': NODES, '/ws/pods.yaml': pods });
}

const documentsOf = (ws: Workspace, uri: string): ManifestDocument[] => ws.getFile(uri)!.file.documents;
const slice = (text: string, range: readonly number[]) => text.slice(range[0], range[1]);

test('Pod documents give up their YAML tree once their facts are taken; Nodes keep theirs', () => {
  const ws = workspace();
  assert.deepEqual(
    documentsOf(ws, PODS_URI).map((d) => d.released),
    [true, true, true],
  );
  assert.deepEqual(
    documentsOf(ws, pathToUri('/ws/nodes.yaml')).map((d) => d.released),
    [false, false],
  );
});

test('after edits before a released document, its values, object range and re-parsed tree are exact', () => {
  const ws = workspace();
  const third = () => ws.getFile(PODS_URI)!.facts.pods[2];
  // The tree is asked for once before the edits, so a stale copy would show if it were kept.
  assert.equal(getText(third().object.node, 'metadata', 'name')?.value, 'pod-2');
  let text = PODS;
  for (const insertion of ['# a comment\n', '  # indented comment\n', '\n\n']) {
    text = text.slice(0, 15) + insertion + text.slice(15);
    ws.setFile(PODS_URI, text);
    const facts = third();
    assert.equal(documentsOf(ws, PODS_URI)[2].released, true, 'the edited-around document is reused, still released');
    assert.equal(slice(text, facts.spec.nodeName!.range), 'worker232');
    assert.equal(slice(text, facts.object.name!.range), 'pod-2');
    assert.equal(slice(text, facts.spec.containers[0].image!.textRange), 'nginx:1.2');
    assert.equal(slice(text, facts.spec.volumes[0].hostPath!.range), '/srv/2');
    assert.ok(text.startsWith('apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-2', facts.object.range[0]));
    // The tree, parsed again on demand, sits where a full parse of the new text puts it.
    const fresh = parseAllDocuments(text)[2].contents;
    assert.deepEqual(rangeOf(get(facts.object.node, 'spec', 'nodeName')), rangeOf(get(fresh, 'spec', 'nodeName')));
    assert.deepEqual(rangeOf(facts.spec.containers[0].node), rangeOf(get(fresh, 'spec', 'containers', 0)));
    assert.deepEqual(
      rangeOf(facts.spec.containers[0].volumeMounts[0].node),
      rangeOf(get(fresh, 'spec', 'containers', 0, 'volumeMounts', 0)),
    );
    assert.deepEqual(rangeOf(facts.spec.volumes[0].node), rangeOf(get(fresh, 'spec', 'volumes', 0)));
  }
});

test('diagnostics, hover and completion inside released documents', () => {
  const text = [pod(0), pod(1, 'worker999'), pod(2)].join('---\n');
  const ws = workspace(text);
  const unknown = diagnoseWorkspace(ws)
    .get(PODS_URI)!
    .filter((d) => d.code === 'nodename-unknown');
  assert.deepEqual(
    unknown.map((d) => slice(text, d.offsetRange)),
    ['worker999'],
  );

  const hover = hoverAt(ws, PODS_URI, text.lastIndexOf('worker232') + 3);
  assert.match(hover?.markdown ?? '', /10\.244\.1\.0\/24/);

  const offset = text.indexOf('worker999') + 2;
  const labels = completionsAt(ws, PODS_URI, offset)
    .map((c) => c.label)
    .sort();
  assert.deepEqual(labels, ['worker232', 'worker233']);
});

test('a value read twice from one node moves once when its released document is shifted', () => {
  const doc = parseManifest(PODS_URI, '/ws/pods.yaml', PODS).documents[2];
  const read = () => getText(doc.doc.contents, 'spec', 'nodeName')!;
  const first = read();
  const before = first.range;
  releaseTree(doc, { first, again: read() });
  assert.equal(doc.released, true);
  doc.shift(10);
  assert.deepEqual(first.range, [before[0] + 10, before[1] + 10]);
  assert.deepEqual(read().range, first.range, 'the tree parsed again agrees');
});

test('completion right after an empty nodeName: at the end of a released document in the middle of the file', () => {
  const middle = pod(1).replace(/ {2}nodeName: \S+\n/, '') + '  nodeName: ';
  const text = [pod(0), `${middle}\n`, pod(2)].join('---\n');
  const ws = workspace(text);
  assert.equal(documentsOf(ws, PODS_URI)[1].released, true);
  const offset = text.indexOf('nodeName: ', text.indexOf('pod-1')) + 'nodeName: '.length;
  assert.deepEqual(
    completionsAt(ws, PODS_URI, offset)
      .map((c) => c.label)
      .sort(),
    ['worker232', 'worker233'],
  );
});

test('a suppression comment inside a released document still applies', () => {
  const suppressed = pod(1, 'worker999').replace(
    '  nodeName:',
    '  # podnet-disable-next-line nodename-unknown\n  nodeName:',
  );
  const text = [pod(0), suppressed, pod(2, 'worker998')].join('---\n');
  const unknown = diagnoseWorkspace(workspace(text))
    .get(PODS_URI)!
    .filter((d) => d.code === 'nodename-unknown');
  assert.deepEqual(
    unknown.map((d) => slice(text, d.offsetRange)),
    ['worker998'],
  );
});

test('a document keeps its tree when what is held of it includes a YAML node', () => {
  const held = (doc: ManifestDocument) => ({ name: getText(doc.doc.contents, 'metadata', 'name') });
  const keeps = parseManifest('file:///ws/a.yaml', '/ws/a.yaml', pod(0)).documents[0];
  releaseTree(keeps, { ...held(keeps), node: get(keeps.doc.contents, 'spec') });
  assert.equal(keeps.released, false);
  const gives = parseManifest('file:///ws/a.yaml', '/ws/a.yaml', pod(0)).documents[0];
  releaseTree(gives, held(gives));
  assert.equal(gives.released, true);
});

test('documents with YAML errors keep their tree', () => {
  const ws = workspaceOf({ '/ws/nodes.yaml': NODES, '/ws/pods.yaml': `${pod(0)}---\n${pod(1)}  bad: [\n` });
  assert.deepEqual(
    documentsOf(ws, PODS_URI).map((d) => d.released),
    [true, false],
  );
});
