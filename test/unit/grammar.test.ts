// The TextMate injection grammar that highlights net-conf.json / cni-conf.json block scalars as JSON.
// VS Code runs these patterns with Oniguruma; the test converts them to JavaScript regexes, which is
// enough to catch syntax errors and to pin down which lines open and continue an embedded JSON block.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const GRAMMAR_PATH = path.join(ROOT, 'syntaxes', 'embedded-json.injection.tmLanguage.json');

interface Rule {
  begin?: string;
  end?: string;
  while?: string;
  match?: string;
  contentName?: string;
  patterns?: Rule[];
  include?: string;
}

interface Grammar {
  scopeName: string;
  injectionSelector: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

const grammar = JSON.parse(fs.readFileSync(GRAMMAR_PATH, 'utf8')) as Grammar;
const blockRule = grammar.repository['block-scalar'];

/**
 * Oniguruma → JavaScript. `\G` (the position where the scan resumes) has no JavaScript equivalent;
 * the grammar only uses it as `(?:^|\G)`, which at the start of a line is `^`. Anything else that
 * JavaScript cannot express is reported rather than silently mistranslated.
 */
function toJsSource(source: string): string {
  const converted = source.split('(?:^|\\G)').join('^');
  const unsupported = [/\\G/, /\\[AzZh]/, /\(\?>/, /[*+?}]\+/, /\(\?[imx]+\)/, /\\x\{/];
  for (const pattern of unsupported) {
    assert.doesNotMatch(converted, pattern, `Oniguruma-only syntax ${pattern} in ${source}`);
  }
  return converted;
}

/** What vscode-textmate does to `while`/`end` patterns: back-references become the begin captures, escaped. */
function resolveBackReferences(source: string, captures: RegExpExecArray): string {
  // Escaped the JavaScript way: with the `u` flag, escaping a space or `#` (as Oniguruma allows) is an error.
  return source.replace(/\\(\d+)/g, (_, index: string) =>
    (captures[Number(index)] ?? '').replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'),
  );
}

const begin = new RegExp(toJsSource(blockRule.begin ?? ''), 'u');

function continuation(header: string): RegExp {
  const captures = begin.exec(header);
  assert.ok(captures, `begin should match ${JSON.stringify(header)}`);
  return new RegExp(toJsSource(resolveBackReferences(blockRule.while ?? '', captures)), 'u');
}

function collectRegexes(rule: Rule, found: Array<{ key: string; source: string }>): void {
  for (const key of ['begin', 'end', 'while', 'match'] as const) {
    const source = rule[key];
    if (source !== undefined) found.push({ key, source });
  }
  for (const child of rule.patterns ?? []) collectRegexes(child, found);
}

test('the grammar is an injection into YAML that embeds source.json', () => {
  assert.equal(grammar.scopeName, 'podnet.embedded-json.injection');
  assert.match(grammar.injectionSelector, /^L:source\.yaml\b/);
  assert.deepEqual(grammar.patterns, [{ include: '#block-scalar' }]);
  assert.equal(blockRule.contentName, 'meta.embedded.block.json');
  assert.deepEqual(blockRule.patterns, [{ include: 'source.json' }]);
});

test('every regex compiles as JavaScript', () => {
  const regexes: Array<{ key: string; source: string }> = [];
  for (const rule of [...grammar.patterns, ...Object.values(grammar.repository)]) collectRegexes(rule, regexes);
  assert.ok(regexes.length >= 2);
  const sampleCaptures = Object.assign(['', '  '], { index: 0, input: '' }) as unknown as RegExpExecArray;
  for (const { key, source } of regexes) {
    // Back-references in while/end point at the begin captures, which only exist at run time.
    const resolved = key === 'while' || key === 'end' ? resolveBackReferences(source, sampleCaptures) : source;
    assert.doesNotThrow(() => new RegExp(toJsSource(resolved), 'u'), `${key}: ${source}`);
  }
});

test('the begin pattern opens on net-conf.json and cni-conf.json block scalars only', () => {
  const opens = [
    '  net-conf.json: |',
    '  cni-conf.json: |-  # comment',
    'net-conf.json: |+',
    '    net-conf.json: >',
    '  net-conf.json: >-',
    '  cni-conf.json: |2',
    '  "net-conf.json": |',
    "  'cni-conf.json': |   ",
    '  net-conf.json:   |  # trailing comment with : and |',
  ];
  for (const line of opens) assert.match(line, begin, line);

  const ignored = [
    '  other.json: |',
    '  net-conf.json: {"Network": "10.244.0.0/16"}',
    '  net-conf.json: "{}"',
    '  net-conf.json:|',
    '  net-conf.jsonx: |',
    '  xnet-conf.json: |',
    '  # net-conf.json: |',
    '  "net-conf.json\': |',
    '  net-conf.json: | extra',
  ];
  for (const line of ignored) assert.doesNotMatch(line, begin, line);
});

test('begin captures the key, the header and the comment', () => {
  const captures = begin.exec('  cni-conf.json: |-  # comment');
  assert.ok(captures);
  assert.equal(captures[1], '  ');
  assert.equal(captures[2], 'cni-conf.json');
  assert.equal(captures[5], '|');
  assert.equal(captures[7], '-');
  assert.equal(captures[8], '# comment');
});

test('the block goes on while lines are blank or indented deeper than the key', () => {
  const inside = continuation('  net-conf.json: |');
  for (const line of ['    {', '      "Network": "10.244.0.0/16",', '', '   ', '   }'])
    assert.match(line, inside, JSON.stringify(line));
  for (const line of ['  cni-conf.json: |', '  other: x', 'kind: ConfigMap', '---', ' x']) {
    assert.doesNotMatch(line, inside, JSON.stringify(line));
  }

  const topLevel = continuation('net-conf.json: >');
  assert.match(' {', topLevel);
  assert.doesNotMatch('{', topLevel);
});

test('package.json contributes the grammar with JSON as the embedded language', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes: {
      grammars: Array<{
        scopeName: string;
        path: string;
        injectTo: string[];
        embeddedLanguages: Record<string, string>;
      }>;
    };
  };
  const entry = manifest.contributes.grammars.find((g) => g.scopeName === grammar.scopeName);
  assert.ok(entry, 'grammar is contributed');
  assert.equal(path.resolve(ROOT, entry.path), GRAMMAR_PATH);
  assert.deepEqual(entry.injectTo, ['source.yaml']);
  assert.equal(entry.embeddedLanguages[blockRule.contentName ?? ''], 'json');
});
