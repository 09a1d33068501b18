// Incremental analysis must give exactly what a full analysis gives: random edit sequences are applied
// to a workspace one by one (reusing unchanged documents, rebuilding one cluster), and the result is
// compared with a fresh workspace built from the final texts.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { diagnoseWorkspace } from '../../server/src/engine';
import { parseManifest } from '../../server/src/core/manifest';
import { LineIndex } from '../../server/src/core/text';
import { pathToUri, Workspace } from '../../server/src/model/workspace';
import { buildTopology } from '../../server/src/topology/build';
import { type Files, loadExample, random } from './helpers';

const podsFile = (count: number) =>
  Array.from(
    { length: count },
    (_, i) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-${i}\nspec:\n  nodeName: worker23${2 + (i % 2)}\n  ` +
      `containers:\n  - name: c\n    image: busybox\n`,
  ).join('---\n');

const SNIPPETS = [
  'worker323',
  '---\n',
  'x',
  '\n',
  '  ',
  'nodeName: ghost\n',
  '"Network": "10.9.0.0/16",',
  '# note',
  'kind: Node\n',
  ':',
];

function mutate(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const choice = next();
  if (choice < 0.4) return text.slice(0, at) + SNIPPETS[Math.floor(next() * SNIPPETS.length)] + text.slice(at);
  if (choice < 0.8) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(next() * 12)));
  const other = text.indexOf('worker233');
  return other < 0 ? text : text.slice(0, other) + 'worker232' + text.slice(other + 9);
}

const summary = (workspace: Workspace) =>
  [...diagnoseWorkspace(workspace).entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([uri, list]) => [
      uri,
      list.map((d) => {
        const { line, character } = d.range.start;
        return `${d.code} ${d.severity} ${d.offsetRange.join('-')} ${line}:${character} ${d.message}`;
      }),
    ]);

/** Every value the facts hold, with its range: after edits, released documents must still point right. */
const factRanges = (workspace: Workspace) =>
  workspace
    .allFiles()
    .flatMap(({ file, facts }) =>
      facts.pods.map((pod) => [
        file.path,
        pod.object.kind,
        pod.object.range,
        pod.object.name?.value,
        pod.object.name?.range,
        pod.spec.nodeName?.textRange,
        pod.spec.containers.map((c) => [c.name?.range, c.image?.textRange, c.command.map((item) => item.range)]),
      ]),
    )
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

const topologies = (workspace: Workspace) => JSON.stringify(workspace.clusters().map((c) => buildTopology(c)));

function fresh(files: Files): Workspace {
  const workspace = new Workspace({ roots: ['/ws'] });
  for (const [file, text] of Object.entries(files)) workspace.setFile(pathToUri(file), text);
  return workspace;
}

for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
  test(`random edit sequence ${seed}: incremental equals full analysis`, () => {
    const next = random(seed);
    const files: Files = { ...loadExample('cluster-10.100'), '/ws/cluster-10.100/pods.yaml': podsFile(30) };
    const workspace = fresh(files);
    summary(workspace);
    const names = Object.keys(files);
    for (let step = 0; step < 40; step++) {
      const file = names[Math.floor(next() * names.length)];
      files[file] = mutate(files[file], next);
      workspace.setFile(pathToUri(file), files[file]);
      if (step % 10 === 9) assert.deepEqual(summary(workspace), summary(fresh(files)), `after step ${step}`);
      if (step % 5 === 4)
        assert.deepEqual(factRanges(workspace), factRanges(fresh(files)), `fact ranges after step ${step}`);
    }
    assert.deepEqual(summary(workspace), summary(fresh(files)));
    assert.equal(topologies(workspace), topologies(fresh(files)));
  });
}

test('an edit in one document reuses every other document of the file, shifted to its new place', () => {
  const text = podsFile(50);
  const before = parseManifest('file:///ws/p.yaml', '/ws/p.yaml', text);
  const edited = text.replace('name: pod-10\n', 'name: pod-10-renamed\n');
  const after = parseManifest('file:///ws/p.yaml', '/ws/p.yaml', edited, undefined, before);
  assert.equal(after.documents.length, 50);
  const reused = after.documents.filter((doc, i) => doc === before.documents[i]).length;
  assert.equal(reused, 49, 'only the edited document is parsed again');
  const pod40 = after.objects.find((o) => o.name?.value === 'pod-40')!;
  assert.equal(
    edited.slice(pod40.name!.range[0], pod40.name!.range[1]),
    'pod-40',
    'ranges after the edit moved with it',
  );
  const fullParse = parseManifest('file:///ws/p.yaml', '/ws/p.yaml', edited);
  assert.deepEqual(
    after.objects.map((o) => [o.name?.value, o.range]),
    fullParse.objects.map((o) => [o.name?.value, o.range]),
  );
});

const lineStarts = (lines: LineIndex) => Array.from({ length: lines.lineCount }, (_, i) => lines.lineStart(i));

test('the line index after random edits, patched from the one before, equals a fresh one', () => {
  const next = random(42);
  let text = podsFile(40);
  let file = parseManifest('file:///ws/p.yaml', '/ws/p.yaml', text);
  for (let step = 0; step < 300; step++) {
    text = mutate(text, next);
    file = parseManifest('file:///ws/p.yaml', '/ws/p.yaml', text, undefined, file);
    assert.deepEqual(lineStarts(file.lines), lineStarts(new LineIndex(text)), `after step ${step}`);
  }
});

test('an edit in one cluster leaves the other clusters, and their diagnostics, untouched', () => {
  const files: Files = { ...loadExample('cluster-10.100'), ...loadExample('seed-multi-node') };
  const workspace = fresh(files);
  const first = diagnoseWorkspace(workspace);
  const other = workspace.clusters().find((c) => c.name === 'seed-multi-node');
  const key = '/ws/cluster-10.100/network-cni-test.yaml';
  workspace.setFile(pathToUri(key), files[key].replace('worker233', 'worker323'));
  const second = diagnoseWorkspace(workspace);
  assert.equal(
    workspace.clusters().find((c) => c.name === 'seed-multi-node'),
    other,
  );
  const podUri = pathToUri('/ws/seed-multi-node/pod.yml');
  assert.equal(second.get(podUri), first.get(podUri), 'the same list object: not recomputed');
  assert.equal(second.get(pathToUri(key))!.filter((d) => d.code === 'nodename-unknown').length, 1);
});
