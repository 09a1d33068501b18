// Incremental analysis must give exactly what a full analysis gives: random edit sequences are applied
// to a workspace one by one (reusing unchanged documents, rebuilding one cluster), and the result is
// compared with a fresh workspace built from the final texts.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { diagnoseWorkspace } from '../../server/src/engine';
import { parseManifest } from '../../server/src/core/manifest';
import { LineIndex, type TextChange } from '../../server/src/core/text';
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

/** One random edit: the new text and what it left alone, as an editor would tell it. */
function mutateWithChange(text: string, next: () => number): { text: string; change: TextChange } {
  const at = Math.floor(next() * (text.length + 1));
  const choice = next();
  const replace = (start: number, end: number, inserted: string) => ({
    text: text.slice(0, start) + inserted + text.slice(end),
    change: { before: text, prefix: start, suffix: text.length - end },
  });
  if (choice < 0.4) return replace(at, at, SNIPPETS[Math.floor(next() * SNIPPETS.length)]);
  if (choice < 0.8) return replace(at, Math.min(text.length, at + 1 + Math.floor(next() * 12)), '');
  const other = text.indexOf('worker233');
  return other < 0 ? replace(0, 0, '') : replace(other, other + 9, 'worker232');
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
    // Odd seeds edit as an editor does, telling what each edit left alone; even ones give the text only.
    const told = seed % 2 === 1;
    for (let step = 0; step < 40; step++) {
      const file = names[Math.floor(next() * names.length)];
      const { text, change } = mutateWithChange(files[file], next);
      files[file] = text;
      workspace.setFile(pathToUri(file), text, told ? change : undefined);
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
  const after = parseManifest('file:///ws/p.yaml', '/ws/p.yaml', edited, { previous: before });
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

for (const told of [false, true])
  test(`the line index and documents after random edits equal a fresh parse (${told ? 'told' : 'found'})`, () => {
    const next = random(42);
    let text = podsFile(40);
    let file = parseManifest('file:///ws/p.yaml', '/ws/p.yaml', text);
    // 300 edits: the line index is a view of the one before, copied into one array every few edits.
    for (let step = 0; step < 300; step++) {
      const edit = mutateWithChange(text, next);
      text = edit.text;
      file = parseManifest('file:///ws/p.yaml', '/ws/p.yaml', text, {
        previous: file,
        change: told ? edit.change : undefined,
      });
      assert.deepEqual(lineStarts(file.lines), lineStarts(new LineIndex(text)), `after step ${step}`);
      const fresh = parseManifest('file:///ws/p.yaml', '/ws/p.yaml', text);
      assert.deepEqual(
        file.documents.map((d) => [d.start, d.range, d.errors]),
        fresh.documents.map((d) => [d.start, d.range, d.errors]),
        `documents after step ${step}`,
      );
    }
  });

const edit = (text: string, start: number, end: number, inserted: string) => ({
  text: text.slice(0, start) + inserted + text.slice(end),
  change: { before: text, prefix: start, suffix: text.length - end },
});

test('with the change told, the documents around an edit are reused without comparing their texts', () => {
  const text = podsFile(50);
  const before = parseManifest('file:///ws/p.yaml', '/ws/p.yaml', text);
  const at = text.indexOf('name: pod-10\n') + 'name: pod-10'.length;
  const after = edit(text, at, at, '-renamed');
  const file = parseManifest('file:///ws/p.yaml', '/ws/p.yaml', after.text, { previous: before, change: after.change });
  assert.equal(file.documents.filter((doc, i) => doc === before.documents[i]).length, 49);
  assert.notEqual(file.documents[10], before.documents[10]);
  assert.equal(file.objects[10].name?.value, 'pod-10-renamed');
  const pod40 = file.objects.find((o) => o.name?.value === 'pod-40')!;
  assert.equal(after.text.slice(pod40.name!.range[0], pod40.name!.range[1]), 'pod-40');
});

test('with the change told, a new marker splits a document and a removed one joins two', () => {
  const text = podsFile(5);
  const before = parseManifest('file:///ws/p.yaml', '/ws/p.yaml', text);
  const inside = text.indexOf('  containers:', text.indexOf('name: pod-2'));
  const split = edit(text, inside, inside, '---\n');
  const splitFile = parseManifest('file:///ws/p.yaml', '/ws/p.yaml', split.text, {
    previous: before,
    change: split.change,
  });
  assert.equal(splitFile.documents.length, 6);
  assert.equal(splitFile.documents[0], before.documents[0], 'the document before the edit is reused');
  assert.equal(splitFile.documents[5], before.documents[4], 'the document after the edit is reused');
  const marker = text.indexOf('---\n', text.indexOf('name: pod-2'));
  const joined = edit(text, marker, marker + 4, '');
  // Reused documents move with each parse: the join starts again from the original text's documents.
  const joinedFile = parseManifest('file:///ws/p.yaml', '/ws/p.yaml', joined.text, {
    previous: parseManifest('file:///ws/p.yaml', '/ws/p.yaml', text),
    change: joined.change,
  });
  assert.equal(joinedFile.documents.length, 4);
  assert.deepEqual(
    joinedFile.documents.map((d) => d.start),
    parseManifest('file:///ws/p.yaml', '/ws/p.yaml', joined.text).documents.map((d) => d.start),
  );
});

test('a change told for another text than the previous one is not used', () => {
  const text = podsFile(5);
  const before = parseManifest('file:///ws/p.yaml', '/ws/p.yaml', text);
  // The change claims the whole text but its first character is unchanged: it was computed for another text.
  const stale = { before: text + ' ', prefix: text.length, suffix: 0 };
  const changed = text.replace('pod-3', 'pod-x');
  const file = parseManifest('file:///ws/p.yaml', '/ws/p.yaml', changed, { previous: before, change: stale });
  assert.equal(file.objects[3].name?.value, 'pod-x');
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
