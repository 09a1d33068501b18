// Hostile and odd inputs, one test each: every one must give a clear result (a diagnostic, a skip note,
// or plainly nothing) quickly, never a crash or a hang. checkInput also runs every editor feature and
// the topology over the input and checks that all diagnostics lie inside the document.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { type Diagnostic } from '../../server/src/engine';
import { completionsAt } from '../../server/src/features/completion';
import { hoverAt } from '../../server/src/features/hover';
import { documentSymbols } from '../../server/src/features/symbols';
import { LineIndex } from '../../server/src/core/text';
import { pathToUri } from '../../server/src/model/workspace';
import { checkInput, TIME_LIMIT_MS } from './fuzzChecks';
import { embed, SCALAR_STYLES } from './fuzzInputs';
import { coveredText, diagnose, type Files, flannelConfigMap, workspaceOf } from './helpers';

const FILE = '/ws/hostile.yaml';
const URI = pathToUri(FILE);

/** Runs every check on `text` as the one file of a workspace, with no hang, and returns its diagnostics. */
function analyse(text: string): { files: Files; diagnostics: Diagnostic[] } {
  const files = { [FILE]: text };
  const started = performance.now();
  checkInput(files);
  const diagnostics = diagnose(files);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < TIME_LIMIT_MS, `took ${Math.round(elapsed)} ms`);
  return { files, diagnostics };
}

const summary = (files: Files, diagnostics: Diagnostic[]) =>
  diagnostics.map((d) => `${d.code}: ${coveredText(files, d)}`);

const pod = (name: string, eol = '\n') => ['apiVersion: v1', 'kind: Pod', 'metadata:', `  name: ${name}`, ''].join(eol);

test('a 50 MB file is skipped with the reason, and no feature reads it', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  big: ' + 'x'.repeat(50_000_000) + '\n';
  const { diagnostics } = analyse(text);
  const workspace = workspaceOf({ [FILE]: text });
  const file = workspace.getFile(URI)?.file;
  assert.match(
    file?.skipped ?? '',
    /50,000,\d{3} characters, over podnet\.maxFileSize \(5,000,000\); Podnet did not analyse it/,
  );
  assert.deepEqual(file?.documents, []);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.severity, d.range.start.line]),
    [['file-skipped', 'information', 0]],
  );
  assert.match(diagnostics[0].message, /did not analyse it\. Raise podnet\.maxFileSize/);
  assert.equal(hoverAt(workspace, URI, 40), undefined);
  assert.deepEqual(documentSymbols(workspace, URI), []);
});

test('a 1 MB single line under the size limit is analysed without a hang: a long name', () => {
  const { files, diagnostics } = analyse(pod('a'.repeat(1_000_000)));
  const invalid = diagnostics.filter((d) => d.code === 'name-invalid');
  assert.equal(invalid.length, 1);
  assert.equal(coveredText(files, invalid[0]).length, 1_000_000);
  assert.match(invalid[0].message, /Pod name `a{70,}…?`? /, 'the message shows a shortened name, not the megabyte');
});

test('a 1 MB single line under the size limit is analysed without a hang: a flow sequence of 100,000 items', () => {
  const items = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(', ');
  const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {nodeName: worker1, containers: [${items}]}\n`;
  assert.ok(text.length > 700_000);
  const { diagnostics } = analyse(text);
  assert.deepEqual(diagnostics, []);
});

test('a YAML alias bomb ("billion laughs") costs nothing: aliases are never expanded', () => {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) {
    const [prev, cur] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)];
    levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  const text = `${levels.join('\n')}\napiVersion: v1\nkind: Pod\nmetadata:\n  name: *j\nspec:\n  nodeName: *j\n`;
  const { diagnostics } = analyse(text);
  assert.deepEqual(diagnostics, []);
  assert.equal(workspaceOf({ [FILE]: text }).getFile(URI)?.file.objects.length, 1);
});

/**
 * Runs the engine and every feature twice (as an editor re-parses on each keystroke) over `text` in a
 * child process, because very deep nesting can abort the whole process (V8 dies with "RegExpCompiler
 * Allocation failed" when the YAML parser's recursion exhausts the stack): that must fail this test,
 * not kill the test runner. Returns the diagnostics' messages.
 */
function analyseInChild(text: string): string[] {
  const script = `
    const { checkInput } = require(${JSON.stringify(path.join(__dirname, 'fuzzChecks.js'))});
    const { diagnose } = require(${JSON.stringify(path.join(__dirname, 'helpers.js'))});
    const files = { ${JSON.stringify(FILE)}: require('fs').readFileSync(0, 'utf8') };
    checkInput(files);
    checkInput(files);
    process.stdout.write(JSON.stringify(diagnose(files).map((d) => d.message)));`;
  const child = spawnSync(process.execPath, ['-e', script], { input: text, encoding: 'utf8', timeout: 30_000 });
  assert.equal(
    child.signal,
    null,
    `the process died (${child.signal}): ${child.stderr.split('\n').find((l) => /FATAL|Error/.test(l)) ?? ''}`,
  );
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as string[];
}

const TOO_DEEP = /nests too deeply|nests deeper/;
const nestedMaps = (depth: number) => Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' v\n';

test('nesting 300 levels deep (flow sequences and maps, block sequences and maps) is analysed normally', () => {
  for (const text of [
    '['.repeat(300) + ']'.repeat(300),
    '{a: '.repeat(300) + '1' + '}'.repeat(300),
    '- '.repeat(300) + 'x',
    nestedMaps(300),
  ]) {
    assert.deepEqual(analyse(text + '\n').diagnostics, [], text.slice(0, 20));
  }
});

test('block mappings 10,000 levels deep exceed the size limit and are skipped', () => {
  const deepest = nestedMaps(10_000);
  assert.deepEqual(
    analyse(deepest).diagnostics.map((d) => d.code),
    ['file-skipped'],
  );
  assert.match(workspaceOf({ [FILE]: deepest }).getFile(URI)?.file.skipped ?? '', /over podnet\.maxFileSize/);
});

// Known crash, kept visible: todo until parseManifest refuses nesting deeper than a few hundred levels
// before calling the YAML parser (see the report of issue 6). Remove `todo` once that guard is in.
const DEEP_TODO = {};

for (const [what, text] of [
  ['10,000 levels of flow sequences', '['.repeat(10_000) + ']'.repeat(10_000)],
  ['10,000 levels of flow mappings', '{a: '.repeat(10_000) + '1' + '}'.repeat(10_000)],
  ['10,000 levels of block sequences', '- '.repeat(10_000) + 'x'],
  ['block mappings 2,000 levels deep', nestedMaps(2000)],
] as const) {
  test(`${what} give one clear "nests too deeply" result, and the process survives`, DEEP_TODO, () => {
    const messages = analyseInChild(text + '\n');
    assert.equal(messages.length <= 1, true, JSON.stringify(messages));
    assert.ok(
      messages.every((m) => TOO_DEEP.test(m)),
      JSON.stringify(messages),
    );
  });
}

test('a tab used as indentation is a YAML error at the tab; tabs inside values are fine', () => {
  const { files, diagnostics } = analyse('apiVersion: v1\nkind: Pod\nmetadata:\n\tname: a\n');
  assert.deepEqual(summary(files, diagnostics), ['yaml-syntax: \t']);
  assert.match(diagnostics[0].message, /Tabs are not allowed as indentation/);
  assert.deepEqual(
    analyse('apiVersion: v1\nkind: Pod\nmetadata:\n  name:\tweb\nspec:\n  nodeName:\tworker1  # \tcomment\n')
      .diagnostics,
    [],
  );
});

test('CRLF line endings: ranges cover exactly the token, in offsets and in line/character positions', () => {
  const netConf = '{\r\n  "Network": "10.244.0.0/16",  # pods\r\n  "Backend": {"Type": "vxlan"}\r\n}';
  const text =
    pod('Web', '\r\n') +
    'spec:\r\n  nodeName: Worker1\r\n---\r\n' +
    flannelConfigMap(netConf).replace(/\r?\n/g, '\r\n');
  const { files, diagnostics } = analyse(text);
  assert.deepEqual(summary(files, diagnostics).sort(), [
    'json-syntax: # pods',
    'name-invalid: Web',
    'name-invalid: Worker1',
  ]);
  const lines = new LineIndex(text);
  for (const d of diagnostics) {
    assert.equal(d.range.start.line, d.range.end.line);
    const lineText = lines.lineText(d.range.start.line);
    assert.ok(!lineText.includes('\r'));
    assert.equal(lineText.slice(d.range.start.character, d.range.end.character), coveredText(files, d));
  }
});

test('a byte order mark does not hide the first key, and ranges stay exact', () => {
  const { files, diagnostics } = analyse('\ufeff' + pod('Web'));
  assert.deepEqual(summary(files, diagnostics), ['name-invalid: Web']);
  assert.equal(diagnostics[0].range.start.line, 3);
  assert.equal(diagnostics[0].range.start.character, 8);
});

test('invalid UTF-8, as Node decodes it (U+FFFD), is an invalid name, not a crash', () => {
  const bytes = Buffer.concat([
    Buffer.from('apiVersion: v1\nkind: Pod\nmetadata:\n  name: '),
    Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
    Buffer.from('\n'),
  ]);
  const { files, diagnostics } = analyse(bytes.toString('utf8'));
  assert.deepEqual(summary(files, diagnostics), ['name-invalid: \ufffd(\ufffd\ufffd']);
});

test('a binary file with a .yaml name gives a result without objects', () => {
  const bytes = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919 + (i >> 3)) % 256));
  const text = bytes.toString('utf8');
  assert.ok(text.includes('\u0000') && text.includes('\ufffd'));
  analyse(text);
  assert.deepEqual(workspaceOf({ [FILE]: text }).getFile(URI)?.file.objects, []);
});

test('an empty file, "---" alone, a scalar and a list are valid YAML without objects: nothing to report', () => {
  for (const text of [
    '',
    '\n',
    '---',
    '---\n---\n...\n',
    'just a scalar\n',
    '42',
    '- a\n- b\n',
    '[apiVersion, kind]\n',
  ]) {
    assert.deepEqual(analyse(text).diagnostics, [], JSON.stringify(text));
    const workspace = workspaceOf({ [FILE]: text });
    assert.deepEqual(workspace.getFile(URI)?.file.objects, [], JSON.stringify(text));
    assert.deepEqual(
      completionsAt(workspace, URI, text.length).filter((c) => c.kind === 'reference'),
      [],
    );
  }
});

test('a duplicate key is a YAML error at the second key', () => {
  const { files, diagnostics } = analyse('apiVersion: v1\nkind: Pod\nkind: Node\nmetadata:\n  name: a\n');
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0].code, 'yaml-syntax');
  assert.match(diagnostics[0].message, /Map keys must be unique/);
  assert.equal(diagnostics[0].offsetRange[0], 'apiVersion: v1\nkind: Pod\n'.length);
  assert.ok(coveredText(files, diagnostics[0]).length >= 1);
});

test('non-string keys (`? [a]: b`, `1: x`) are ignored beside the object', () => {
  for (const odd of ['? [a]: b', '? [a]\n: b', '1: x', '? {k: v}\n: 2', 'null: 3', 'true: 4']) {
    const text = `${odd}\napiVersion: v1\nkind: Pod\nmetadata:\n  name: Web\n  ${odd.split('\n')[0]}\n`;
    const { files, diagnostics } = analyse(text);
    assert.deepEqual(
      summary(files, diagnostics).filter((s) => !s.startsWith('yaml-syntax')),
      ['name-invalid: Web'],
      odd,
    );
  }
});

test('an unknown kind is an object Podnet leaves alone', () => {
  const text = 'apiVersion: example.com/v1\nkind: Frobnicator\nmetadata:\n  name: Web\nspec:\n  nodeName: nowhere\n';
  assert.deepEqual(analyse(text).diagnostics, []);
  assert.equal(workspaceOf({ [FILE]: text }).getFile(URI)?.file.objects[0]?.kind, 'Frobnicator');
});

test('net-conf.json in every scalar style is read; unquoted ("plain") it is a YAML mapping, reported as such', () => {
  const json = '{"Network": "10.244.0.0/16", "SubnetLen": "24", "Backend": {"Type": "vxlan"}}';
  const covered: Record<string, string> = {};
  for (const style of SCALAR_STYLES) {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: kube-flannel-cfg',
      'data:',
      embed('net-conf.json', json, style, '  '),
      '',
    ].join('\n');
    const { files, diagnostics } = analyse(text);
    const wanted = diagnostics.find((d) => d.code === (style === 'plain' ? 'json-syntax' : 'json-type'));
    assert.ok(wanted, `${style}: ${summary(files, diagnostics).join(', ')}`);
    covered[style] = coveredText(files, wanted);
    if (style === 'plain') assert.match(wanted.message, /net-conf\.json is written as a YAML mapping, not as a string/);
  }
  assert.deepEqual(covered, {
    plain: json,
    single: '"24"',
    double: '\\"24\\"',
    literal: '"24"',
    'literal-strip': '"24"',
    folded: '"24"',
  });
});
