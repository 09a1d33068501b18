// The client and the server talk through the typed message objects of server/src/protocol.ts, and the
// extension host and the webview through its HostToWebview/WebviewToHost, so a type changed there must
// break the build of every side that disagrees. These tests change protocol.ts in memory, type-check
// the real sources against it with the TypeScript compiler, and expect errors exactly where the sides
// meet.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import ts from 'typescript';
import { isWebviewMessage } from '../../server/src/protocol';
import { REPO_ROOT } from './helpers';

const PROTOCOL = path.join(REPO_ROOT, 'server', 'src', 'protocol.ts');

interface Project {
  options: ts.CompilerOptions;
  /** The files whose errors are reported, repository-relative. */
  files: string[];
  /** Parsed files of earlier runs, reused: only protocol.ts changes between runs. */
  parsed: Map<string, ts.SourceFile>;
}

function project(tsconfig: string, files: string[]): Project {
  const configPath = path.join(REPO_ROOT, tsconfig);
  const config = ts.readConfigFile(configPath, (file) => ts.sys.readFile(file));
  const { options } = ts.parseJsonConfigFileContent(
    config.config,
    ts.sys,
    path.dirname(configPath),
    { noEmit: true },
    configPath,
  );
  return { options, files, parsed: new Map() };
}

/** The extension client, the language server and the LSP tests (Node). */
const HOST = project('tsconfig.json', [
  'server/src/protocol.ts',
  'server/src/lsp/server.ts',
  'client/src/extension.ts',
  'client/src/server.ts',
  'client/src/topologyPanel.ts',
  'test/lsp/harness.ts',
  'test/lsp/server.test.ts',
]);
/** The topology panel's script (browser). */
const WEBVIEW = project('media/webview/tsconfig.json', ['media/webview/main.ts']);

const protocolText = fs.readFileSync(PROTOCOL, 'utf8');

/** Type errors per file of `project` that has any, with protocol.ts replaced by `protocol`. */
function typeErrors(protocol: string, { options, files, parsed }: Project = HOST): Map<string, string[]> {
  const host = ts.createCompilerHost(options, true);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  const isProtocol = (file: string) => path.resolve(file) === PROTOCOL;
  host.readFile = (file) => (isProtocol(file) ? protocol : readFile(file));
  host.getSourceFile = (file, language, onError, create) => {
    if (isProtocol(file)) return ts.createSourceFile(file, protocol, language, true);
    let source = parsed.get(file);
    if (!source) {
      source = getSourceFile(file, language, onError, create);
      if (source) parsed.set(file, source);
    }
    return source;
  };
  const roots = files.map((file) => path.join(REPO_ROOT, file));
  const program = ts.createProgram(roots, options, host);
  const errors = new Map<string, string[]>();
  for (const [i, file] of files.entries()) {
    const messages = program
      .getSemanticDiagnostics(program.getSourceFile(roots[i]))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0]);
    if (messages.length > 0) errors.set(file, messages);
  }
  return errors;
}

/** protocol.ts with one exact text replaced (which must occur once). */
function protocolWith(from: string, to: string): string {
  assert.equal(protocolText.split(from).length, 2, `protocol.ts holds ${from} once`);
  return protocolText.replace(from, to);
}

const filesWithErrors = (errors: Map<string, string[]>) => [...errors.keys()].sort();

test('the client, the server, the LSP tests and the webview type-check against protocol.ts as it is', () => {
  assert.deepEqual(Object.fromEntries(typeErrors(protocolText)), {});
  assert.deepEqual(Object.fromEntries(typeErrors(protocolText, WEBVIEW)), {});
});

test("changing a request's result type breaks the client and the server", () => {
  const errors = typeErrors(
    protocolWith(
      'new RequestType<TopologyParams, TopologyResponse, void>',
      'new RequestType<TopologyParams, ClusterView[], void>',
    ),
  );
  assert.deepEqual(filesWithErrors(errors), [
    'client/src/topologyPanel.ts',
    'server/src/lsp/server.ts',
    'test/lsp/server.test.ts',
  ]);
});

test("changing a request's params type breaks the client and the server", () => {
  const errors = typeErrors(
    protocolWith(
      'new RequestType<PacketPathParams, PacketPath, void>',
      'new RequestType<NodeToolsParams, PacketPath, void>',
    ),
  );
  assert.deepEqual(filesWithErrors(errors), [
    'client/src/extension.ts',
    'client/src/topologyPanel.ts',
    'server/src/lsp/server.ts',
    'test/lsp/server.test.ts',
  ]);
});

test("changing a notification's params type breaks its sender (server) and its handlers (client, tests)", () => {
  const errors = typeErrors(protocolWith('new NotificationType<ServerStatus>', 'new NotificationType<string>'));
  assert.deepEqual(filesWithErrors(errors), [
    'client/src/server.ts',
    'server/src/lsp/server.ts',
    'test/lsp/harness.ts',
  ]);
});

test('a webview message added to WebviewToHost needs its runtime check and its handler on the host', () => {
  const errors = typeErrors(
    protocolWith("  | { type: 'ready' }\n", "  | { type: 'ready' }\n  | { type: 'zoom'; level: number }\n"),
  );
  assert.deepEqual(filesWithErrors(errors), ['client/src/topologyPanel.ts', 'server/src/protocol.ts']);
});

test('a message added to HostToWebview needs its handler in the webview', () => {
  const errors = typeErrors(
    protocolWith(
      "  | { type: 'path'; path: PacketPath }\n",
      "  | { type: 'path'; path: PacketPath }\n  | { type: 'theme'; dark: boolean }\n",
    ),
    WEBVIEW,
  );
  assert.deepEqual(filesWithErrors(errors), ['media/webview/main.ts']);
});

test("changing a webview message's field breaks its sender and its receiver", () => {
  // Webview → host: the webview posts pod keys (strings), the host hands them on as PacketPathParams.
  const toHost = protocolWith(
    "{ type: 'requestPath'; clusterId: string; from: string; to: string }",
    "{ type: 'requestPath'; clusterId: string; from: number; to: string }",
  );
  assert.deepEqual(filesWithErrors(typeErrors(toHost)), ['client/src/topologyPanel.ts', 'server/src/protocol.ts']);
  assert.deepEqual(filesWithErrors(typeErrors(toHost, WEBVIEW)), ['media/webview/main.ts']);
  // Host → webview: the host posts the server's PacketPath, the webview draws one.
  const toWebview = protocolWith("{ type: 'path'; path: PacketPath }", "{ type: 'path'; path: string }");
  assert.deepEqual(filesWithErrors(typeErrors(toWebview)), ['client/src/topologyPanel.ts']);
  assert.deepEqual(filesWithErrors(typeErrors(toWebview, WEBVIEW)), ['media/webview/main.ts']);
});

test("isWebviewMessage looks message types and ref kinds up among its own, not Object.prototype's", () => {
  const inherited = ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'];
  for (const type of inherited) assert.equal(isWebviewMessage({ type }), false, type);
  for (const kind of inherited) {
    assert.equal(isWebviewMessage({ type: 'reveal', ref: { kind, id: 'worker232' } }), false, kind);
  }
  assert.ok(isWebviewMessage({ type: 'reveal', ref: { kind: 'node', id: 'worker232' } }));
});

test('no custom message is sent or handled by its method string outside protocol.ts', () => {
  const offenders: string[] = [];
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
      const file = `${dir}/${entry.name}`;
      if (entry.isDirectory()) visit(file);
      else if (/\.ts$/.test(entry.name) && file !== 'server/src/protocol.ts') {
        const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
        if (/['"`]podnet\//.test(text)) offenders.push(file);
      }
    }
  };
  for (const dir of ['client', 'server/src', 'media', 'test', 'bench']) visit(dir);
  assert.deepEqual(offenders, []);
});
