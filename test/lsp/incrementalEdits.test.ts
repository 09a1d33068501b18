// Typing in an open multi-document file, as an editor sends it: incremental range changes, several per
// notification. The server applies them itself and re-parses only what they touched; the diagnostics
// must be those of the text the client holds, at the right lines.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LineIndex } from '../../server/src/core/text';
import { pathToUri } from '../../server/src/model/workspace';
import { EXAMPLES } from '../unit/helpers';
import { TestClient } from './harness';

const pods = Array.from(
  { length: 30 },
  (_, i) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-${i}\nspec:\n  nodeName: worker23${2 + (i % 2)}\n` +
    `  containers:\n  - name: c\n    image: busybox\n`,
).join('---\n');

let client: TestClient;
let workspaceDir: string;
let uri: string;
/** The text as the client holds it. */
let text = pods;
let version = 1;

before(async () => {
  workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-lsp-incremental-'));
  fs.cpSync(path.join(EXAMPLES, 'cluster-10.100'), path.join(workspaceDir, 'cluster-10.100'), { recursive: true });
  const podsPath = path.join(workspaceDir, 'cluster-10.100', 'pods.yaml');
  fs.writeFileSync(podsPath, pods);
  uri = pathToUri(podsPath);
  client = await TestClient.start(workspaceDir);
  await client.waitForReady();
  await client.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'yaml', version, text },
  });
});

after(async () => {
  await client.stop();
  fs.rmSync(workspaceDir, { recursive: true, force: true });
});

type Edit = { at: number; remove: number; insert: string };

/** Sends the edits as one notification (each against the text the one before left) and applies them here. */
async function send(...edits: Edit[]): Promise<void> {
  const contentChanges = edits.map(({ at, remove, insert }) => {
    const lines = new LineIndex(text);
    const change = { range: { start: lines.positionAt(at), end: lines.positionAt(at + remove) }, text: insert };
    text = text.slice(0, at) + insert + text.slice(at + remove);
    return change;
  });
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: ++version },
    contentChanges,
  });
}

/** The lines of the nodename-unknown diagnostics once they are `expected`. */
async function unknownNodeLinesBecome(expected: number[]): Promise<void> {
  const linesNow = () =>
    (client.published.get(uri) ?? []).filter((d) => d.code === 'nodename-unknown').map((d) => d.range.start.line);
  await client
    .waitFor(() => (JSON.stringify(linesNow()) === JSON.stringify(expected) ? true : undefined), `lines ${expected}`)
    .catch(() => assert.deepEqual(linesNow(), expected));
}

const lineOf = (needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length - 1;

test('a typo, lines inserted above it, and a fix in one notification are each seen where they are', async () => {
  const pod20 = text.indexOf('nodeName: worker23', text.indexOf('name: pod-20')) + 'nodeName: '.length;
  await send({ at: pod20, remove: 1, insert: 'v' });
  await unknownNodeLinesBecome([lineOf('vorker23')]);

  // Three comment lines at the top of pod-10's document move the problem down by three lines.
  const before = lineOf('vorker23');
  await send({ at: text.indexOf('apiVersion', text.indexOf('name: pod-9')), remove: 0, insert: '# a\n# b\n# c\n' });
  await unknownNodeLinesBecome([before + 3]);

  // Two changes at once: the comments go, and the typo is fixed (positions of the second after the first).
  const comments = text.indexOf('# a\n');
  await send({ at: comments, remove: 12, insert: '' }, { at: text.indexOf('vorker23') - 12, remove: 1, insert: 'w' });
  await unknownNodeLinesBecome([]);
  assert.equal(text, pods, 'the client is back at the original text');
});

test('a new document marker typed inside a document splits it, and the server sees both halves', async () => {
  // A marker before pod-5's spec: the first half is a Pod without spec, the second a spec without kind.
  const spec = text.indexOf('spec:', text.indexOf('name: pod-5'));
  await send({ at: spec, remove: 0, insert: '---\n' });
  const typo = text.indexOf('nodeName: worker23', text.indexOf('name: pod-7')) + 'nodeName: '.length;
  await send({ at: typo, remove: 1, insert: 'x' });
  await unknownNodeLinesBecome([lineOf('xorker23')]);
  await send({ at: typo, remove: 1, insert: 'w' }, { at: spec, remove: 4, insert: '' });
  await unknownNodeLinesBecome([]);
  assert.equal(text, pods);
});
