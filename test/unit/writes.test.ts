// "Nothing Podnet does writes to the user's files except an edit the user chose (a quick fix), applied
// through VS Code's edit API." Fails on any new file-writing call in the extension, the server or the
// webview; the two known writers are listed with the reason they are safe.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './helpers';

const SCANNED = ['server/src', 'client/src', 'media/webview'];

/** Calls that create, change or delete files, or apply edits without the user choosing them. */
const WRITERS = [
  /\b(writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|rmSync|rmdir|rmdirSync|unlink|unlinkSync|rename|renameSync|copyFile|copyFileSync|cpSync|mkdir|mkdirSync|mkdtemp|mkdtempSync|truncateSync|symlink|symlinkSync|linkSync|chmod|chmodSync|chown|utimes|createDirectory)\s*\(/,
  /\.(truncate|link)\s*\(/,
  /\bfs(\.promises)?\.(rm|cp|open|openSync|write|writeSync|writev)\s*\(/,
  /\bworkspace\.fs\.\w+\s*\(/,
  /\bapplyEdit\s*\(/,
  /\.write\s*\(/,
  /from ['"](node:)?fs(\/promises)?['"]/,
];

/** Known writers: [file, the exact call, why it is allowed]. */
const ALLOWED: Array<[string, string, string]> = [
  ['server/src/cli/main.ts', 'process.stdout.write(text)', 'the CLI prints its report to stdout'],
  ['server/src/cli/main.ts', 'process.stderr.write(text)', 'the CLI prints errors to stderr'],
  ['server/src/cli/main.ts', 'process.stderr.write(`podnet: ', 'the CLI prints errors to stderr'],
  [
    'client/src/topologyPanel.ts',
    'vscode.workspace.fs.writeFile(target, ',
    'Export SVG writes only where the user chose in the save dialog',
  ],
  ['server/src/io/files.ts', "from 'fs", 'reads manifests (checked below: read calls only)'],
  ['server/src/cli/load.ts', "from 'fs", 'reads manifests (checked below: read calls only)'],
  ['client/src/server.ts', "from 'fs", 'checks that the server module exists (checked below: read calls only)'],
];

function* sourceLines(): Generator<{ file: string; line: number; text: string }> {
  for (const dir of SCANNED) {
    for (const entry of fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !/\.[cm]?[jt]s$/.test(entry.name)) continue;
      const full = path.join(entry.parentPath, entry.name);
      const file = path.relative(REPO_ROOT, full).split(path.sep).join('/');
      const lines = fs.readFileSync(full, 'utf8').split('\n');
      for (let i = 0; i < lines.length; i++)
        if (!/^\s*(\/\/|\*)/.test(lines[i])) yield { file, line: i + 1, text: lines[i] };
    }
  }
}

export function unexpectedWriters(lines: Iterable<{ file: string; line: number; text: string }>): string[] {
  const found: string[] = [];
  for (const { file, line, text } of lines) {
    if (!WRITERS.some((pattern) => pattern.test(text))) continue;
    if (ALLOWED.some(([allowedFile, call]) => allowedFile === file && text.includes(call))) continue;
    found.push(`${file}:${line}: ${text.trim()}`);
  }
  return found;
}

test('no code in the server, the client or the webview writes files, except the listed, user-chosen writes', () => {
  const lines = [...sourceLines()];
  assert.ok(lines.length > 3000, 'the sources were read');
  assert.deepEqual(unexpectedWriters(lines), []);
  for (const [file, call] of ALLOWED)
    assert.ok(
      lines.some((l) => l.file === file && l.text.includes(call)),
      `${file} still has ${call}`,
    );
});

test('the modules that import fs only read with it', () => {
  for (const file of ['server/src/io/files.ts', 'server/src/cli/load.ts', 'client/src/server.ts']) {
    const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
    const calls = [...text.matchAll(/\bfs(?:\.promises)?\.(\w+)/g)].map((m) => m[1]);
    assert.ok(calls.length > 0, file);
    for (const call of calls)
      assert.match(
        call,
        /^(readFile|readFileSync|readdir|readdirSync|stat|statSync|lstat|existsSync|realpath|opendir|promises|Dirent|Stats|constants)$/,
        `${file}: fs.${call}`,
      );
  }
});

test('Export SVG writes only to the file the user picked in the save dialog', () => {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'client/src/topologyPanel.ts'), 'utf8');
  const body = /private async exportSvg[\s\S]*?\n {2}\}\n/.exec(text)?.[0] ?? '';
  assert.match(body, /const target = await vscode\.window\.showSaveDialog\(/);
  assert.match(body, /if \(!target\) return;/);
  assert.equal(body.match(/workspace\.fs\.\w+/g)?.length, 1);
});

test('the check fails on a new write', () => {
  const fake = (file: string, text: string) => unexpectedWriters([{ file, line: 1, text }]);
  assert.equal(fake('server/src/rules/x.ts', "fs.writeFileSync(uri, 'x');").length, 1);
  assert.equal(fake('server/src/lsp/server.ts', 'await connection.workspace.applyEdit(edit);').length, 1);
  assert.equal(fake('client/src/extension.ts', 'await vscode.workspace.fs.delete(uri);').length, 1);
  assert.equal(fake('client/src/extension.ts', "import { promises } from 'node:fs';").length, 1);
  assert.equal(fake('server/src/cli/main.ts', 'process.stdout.write(text)').length, 0);
});
