// The open editor's text wins over the file on disk whatever the order of events: a disk read started
// by didClose or by a watched-file change must not land over a document opened meanwhile.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToUri } from '../../server/src/model/workspace';
import { TestClient } from './harness';

const CYCLES = 5;
const SETTLE_MS = 300;

let client: TestClient;
let workspaceDir: string;
let filePath: string;
let uri: string;

const pod = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: c\n    image: busybox\n`;
const DISK_TEXT = pod('Disk_Bad_Name');
const EDITOR_TEXT = pod('editor-ok');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const notify = (method: string, params: unknown) => client.connection.sendNotification(method, params);
const open = (version: number) =>
  notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text: EDITOR_TEXT } });
const close = () => notify('textDocument/didClose', { textDocument: { uri } });
const codes = () => (client.published.get(uri) ?? []).map((d) => d.code);
const showing = (what: 'the editor text' | 'the disk text') =>
  client.waitFor(
    () => ((what === 'the disk text') === codes().includes('name-invalid') ? true : undefined),
    `diagnostics of ${what}`,
  );

/** The open text's diagnostics arrive; then, after time for any disk read to land, they are still there. */
async function assertEditorTextWins(cycle: number): Promise<void> {
  await showing('the editor text');
  await sleep(SETTLE_MS);
  assert.deepEqual(codes(), [], `cycle ${cycle}: the open document shows its own text, not the disk's`);
}

before(async () => {
  workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-lsp-lifecycle-'));
  filePath = path.join(workspaceDir, 'pod.yaml');
  uri = pathToUri(filePath);
  fs.writeFileSync(filePath, DISK_TEXT);
  client = await TestClient.start(workspaceDir);
  await client.waitForReady();
  await showing('the disk text');
});

after(async () => {
  await client.stop();
  fs.rmSync(workspaceDir, { recursive: true, force: true });
});

test('close then at once reopen: the reopened text wins over the disk read the close started', async () => {
  let version = 1;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    await open(version++);
    await close();
    await open(version++);
    await assertEditorTextWins(cycle);
    await close();
    await showing('the disk text');
  }
});

test('a watched-file change then at once an open: the open text wins over the disk read', async () => {
  let version = 100;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    await notify('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    await open(version++);
    await assertEditorTextWins(cycle);
    await close();
    await showing('the disk text');
  }
});
