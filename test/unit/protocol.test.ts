// The client and the server talk through the typed message objects of server/src/protocol.ts, so a
// params or result type changed there must break the build of every side that disagrees. These tests
// change protocol.ts in memory, type-check the real client and server sources against it with the
// TypeScript compiler, and expect errors exactly where the two sides meet.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import ts from 'typescript';
import { REPO_ROOT } from './helpers';

const PROTOCOL = path.join(REPO_ROOT, 'server', 'src', 'protocol.ts');
const CLIENT = ['client/src/extension.ts', 'client/src/server.ts', 'client/src/topologyPanel.ts'];
const SERVER = ['server/src/lsp/server.ts'];
const TESTS = ['test/lsp/harness.ts', 'test/lsp/server.test.ts'];
const CHECKED = [...CLIENT, ...SERVER, ...TESTS].map((file) => path.join(REPO_ROOT, file));

const compilerOptions = (() => {
  const configPath = path.join(REPO_ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (file) => ts.sys.readFile(file));
  return ts.parseJsonConfigFileContent(config.config, ts.sys, REPO_ROOT, { noEmit: true }, configPath).options;
})();

const protocolText = fs.readFileSync(PROTOCOL, 'utf8');
let previous: ts.Program | undefined;

/** Type errors per checked file (repository-relative), with protocol.ts replaced by `protocol`. */
function typeErrors(protocol: string): Map<string, string[]> {
  const host = ts.createCompilerHost(compilerOptions, true);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  const isProtocol = (file: string) => path.resolve(file) === PROTOCOL;
  host.readFile = (file) => (isProtocol(file) ? protocol : readFile(file));
  host.getSourceFile = (file, language, onError, create) =>
    isProtocol(file)
      ? ts.createSourceFile(file, protocol, language, true)
      : (previous?.getSourceFile(file) ?? getSourceFile(file, language, onError, create));
  const program = ts.createProgram(CHECKED, compilerOptions, host);
  previous = program;
  const errors = new Map<string, string[]>();
  for (const file of CHECKED) {
    const messages = program
      .getSemanticDiagnostics(program.getSourceFile(file))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0]);
    if (messages.length > 0) errors.set(path.relative(REPO_ROOT, file).split(path.sep).join('/'), messages);
  }
  return errors;
}

/** protocol.ts with one exact text replaced (which must occur once). */
function protocolWith(from: string, to: string): string {
  assert.equal(protocolText.split(from).length, 2, `protocol.ts holds ${from} once`);
  return protocolText.replace(from, to);
}

const filesWithErrors = (errors: Map<string, string[]>) => [...errors.keys()].sort();

test('the client, the server and the LSP tests type-check against protocol.ts as it is', () => {
  assert.deepEqual(Object.fromEntries(typeErrors(protocolText)), {});
});

test("changing a request's result type breaks the client and the server", () => {
  const errors = typeErrors(
    protocolWith(
      'new RequestType<TopologyParams, TopologyResult, void>',
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
