// The language server survives absurd requests: each gets an error or an empty answer, and the server
// keeps serving afterwards. Hovers are MarkupContent with manifest values escaped, and quick fixes are
// WorkspaceEdits (edit.changes) for the editor to apply, never commands that write files.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToUri } from '../../server/src/model/workspace';
import { NODE_TOOLS_REQUEST, PACKET_PATH_REQUEST, TOPOLOGY_REQUEST } from '../../server/src/protocol';
import { EXAMPLES } from '../unit/helpers';
import { TestClient } from './harness';

let client: TestClient;
let workspaceDir: string;
let podUri: string;
let podText: string;

type Hover = { contents: { kind: string; value: string } } | null;

before(async () => {
  workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-lsp-resilience-'));
  fs.cpSync(path.join(EXAMPLES, 'cluster-10.100'), path.join(workspaceDir, 'cluster-10.100'), { recursive: true });
  const podPath = path.join(workspaceDir, 'cluster-10.100', 'network-cni-test.yaml');
  podUri = pathToUri(podPath);
  podText = fs.readFileSync(podPath, 'utf8');
  client = await TestClient.start(workspaceDir);
  await client.waitForReady();
  await client.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri: podUri, languageId: 'yaml', version: 1, text: podText },
  });
});

after(async () => {
  await client.stop();
  fs.rmSync(workspaceDir, { recursive: true, force: true });
});

/** The request's answer, or the error it got; never hangs (the connection would time out the test). */
async function answer(method: string, params: unknown): Promise<{ result?: unknown; error?: string }> {
  try {
    return { result: await client.connection.sendRequest(method, params) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

async function nodeNameHover(): Promise<Hover> {
  const lines = podText.split('\n');
  const line = lines.findIndex((l) => l.includes('nodeName: worker232'));
  return (await client.connection.sendRequest('textDocument/hover', {
    textDocument: { uri: podUri },
    position: { line, character: lines[line].indexOf('worker232') + 2 },
  })) as Hover;
}

test('absurd requests get an error or an empty answer, and a hover still works afterwards', async () => {
  const far = { line: 1_000_000_000, character: 1_000_000_000 };
  const negative = { line: -5, character: -7 };
  const elsewhere = 'file:///not/in/the/workspace.yaml';
  // Ill-typed params on purpose (what a buggy or hostile client may send), so the custom requests go by
  // their method name here rather than through their typed objects.
  const requests: Array<[string, unknown]> = [
    ['textDocument/hover', { textDocument: { uri: podUri }, position: far }],
    ['textDocument/hover', { textDocument: { uri: podUri }, position: negative }],
    ['textDocument/hover', { textDocument: { uri: elsewhere }, position: { line: 0, character: 0 } }],
    ['textDocument/hover', { textDocument: { uri: 'not a uri at all' }, position: { line: 0, character: 0 } }],
    ['textDocument/hover', {}],
    ['textDocument/definition', { textDocument: { uri: podUri }, position: far }],
    ['textDocument/definition', { textDocument: { uri: elsewhere }, position: negative }],
    ['textDocument/definition', null],
    ['textDocument/completion', { textDocument: { uri: podUri }, position: far }],
    ['textDocument/completion', { position: far }],
    ['textDocument/documentSymbol', { textDocument: { uri: elsewhere } }],
    ['textDocument/codeLens', { textDocument: {} }],
    ['textDocument/codeAction', { textDocument: { uri: podUri } }],
    [
      'textDocument/codeAction',
      { textDocument: { uri: podUri }, range: { start: far, end: negative }, context: { diagnostics: [] } },
    ],
    [TOPOLOGY_REQUEST.method, null],
    [TOPOLOGY_REQUEST.method, { uri: 42 }],
    [PACKET_PATH_REQUEST.method, {}],
    [PACKET_PATH_REQUEST.method, null],
    [
      PACKET_PATH_REQUEST.method,
      { clusterId: path.join(workspaceDir, 'cluster-10.100').split(path.sep).join('/'), from: 42, to: { x: 1 } },
    ],
    [
      NODE_TOOLS_REQUEST.method,
      {
        clusterId: path.join(workspaceDir, 'cluster-10.100').split(path.sep).join('/'),
        node: 'worker232',
        view: 'rm -rf /',
      },
    ],
    [NODE_TOOLS_REQUEST.method, null],
  ];
  for (const [method, params] of requests) {
    const { result, error } = await answer(method, params);
    const summary = `${method} ${JSON.stringify(params)} → ${error ?? JSON.stringify(result)?.slice(0, 200)}`;
    if (process.env.PODNET_DEBUG) console.log(summary);
    assert.ok(error !== undefined || result === null || result === undefined || typeof result === 'object', summary);
    if (
      method === 'textDocument/hover' &&
      !error &&
      params &&
      (params as { textDocument: { uri: string } }).textDocument.uri !== podUri
    )
      assert.equal(result, null, summary);
  }
  const hover = await nodeNameHover();
  assert.ok(hover, 'the server still answers hovers');
  assert.match(hover.contents.value, /10\.100\.1\.0\/24/);
});

test('hovers are MarkupContent (kind markdown) with manifest values escaped', async () => {
  const uri = pathToUri(path.join(workspaceDir, 'cluster-10.100', 'evil.yaml'));
  const text =
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: '<img src=x " +
    "onerror=alert(1)>[run](command:workbench.action.terminal.new)'\nspec:\n  nodeName: worker232\n";
  await client.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'yaml', version: 1, text },
  });
  const hover = (await client.connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: { line: 3, character: 10 },
  })) as Hover;
  assert.ok(hover);
  assert.deepEqual(Object.keys(hover.contents).sort(), ['kind', 'value'], 'MarkupContent, nothing else (no isTrusted)');
  assert.equal(hover.contents.kind, 'markdown');
  assert.match(hover.contents.value, /\\<img src\\=x onerror\\=alert\\\(1\\\)\\>\\\[run\\\]\\\(command\\:workbench/);
  assert.doesNotMatch(hover.contents.value, /(^|[^\\])<img|\]\(command:/);
});

test('quick fixes are WorkspaceEdits (edit.changes) for the editor to apply, never commands', async () => {
  const lines = podText.split('\n');
  const typo = podText.replace('nodeName: worker232', 'nodeName: worker23');
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri: podUri, version: 2 },
    contentChanges: [{ text: typo }],
  });
  const diagnostic = await client.waitFor(
    () => client.published.get(podUri)?.find((d) => d.code === 'nodename-unknown'),
    'nodename-unknown',
  );
  const actions = (await client.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri: podUri },
    range: diagnostic.range,
    context: { diagnostics: [diagnostic] },
  })) as Array<Record<string, unknown>>;
  assert.ok(actions.length > 0);
  for (const action of actions) {
    assert.equal(action.command, undefined, `${action.title} runs no command`);
    const changes = (action.edit as { changes?: Record<string, Array<{ newText: string }>> } | undefined)?.changes;
    assert.ok(changes && Object.keys(changes).length > 0, `${action.title} is a WorkspaceEdit with changes`);
    assert.deepEqual(Object.keys(changes), [podUri], 'it edits only the file with the problem');
  }
  assert.equal(lines.length, podText.split('\n').length);
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri: podUri, version: 3 },
    contentChanges: [{ text: podText }],
  });
});
