// The fast path for plain block YAML must build exactly the tree yaml builds, or decline. Every tree it
// accepts is compared with yaml's, node by node (class, value, style, source, ranges): on hand-written
// edge cases, on every document of the examples, and on thousands of random and mutated documents.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isDocument, parseAllDocuments } from 'yaml';
import { parseBlockYaml } from '../../server/src/core/blockYaml';
import { PARSE_OPTIONS } from '../../server/src/core/manifestDocument';
import { exampleClusters } from './fuzzInputs';
import { random } from './helpers';

/** Comments are not attached by the fast path (Podnet reads none from trees); schema and options are shared objects. */
const NOT_COMPARED = new Set(['comment', 'commentBefore', 'spaceBefore', 'options', 'schema', 'directives']);

/** Where the two trees differ, or undefined when they are the same. */
function difference(a: unknown, b: unknown, where = 'document'): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
    return `${where}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
  if (a.constructor !== b.constructor) return `${where}: ${a.constructor.name} ≠ ${b.constructor.name}`;
  const keys = (o: object) =>
    Object.keys(o)
      .filter((k) => !NOT_COMPARED.has(k))
      .sort();
  if (keys(a).join() !== keys(b).join()) return `${where}: properties ${keys(a)} ≠ ${keys(b)}`;
  if (isDocument(a) && isDocument(b) && a.directives?.docStart !== b.directives?.docStart)
    return `${where}: document start marker`;
  for (const key of keys(a)) {
    const found = difference(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      `${where}.${key}`,
    );
    if (found) return found;
  }
  return undefined;
}

type Outcome = 'accepted' | 'declined';

/** Parses with both; fails the test if the fast path accepts a text and its tree is not yaml's. */
function compare(source: string): Outcome {
  const fast = parseBlockYaml(source, PARSE_OPTIONS);
  if (!fast) return 'declined';
  const reference = parseAllDocuments(source, PARSE_OPTIONS);
  assert.ok(
    Array.isArray(reference) && reference.length === 1,
    `yaml reads ${JSON.stringify(source)} as ${Array.isArray(reference) ? reference.length : 0} documents`,
  );
  const [expected] = reference;
  assert.deepEqual(
    [...expected.errors, ...expected.warnings].map((e) => e.code),
    [],
    `yaml reports problems in ${JSON.stringify(source)}`,
  );
  const found = difference(fast, expected);
  assert.equal(found, undefined, `trees differ for ${JSON.stringify(source)}: ${found}`);
  return 'accepted';
}

const ACCEPTED = [
  'a: 1  # c\nb: 2\n',
  'a: 1  \n\nb: 2',
  'a:\n- 1\n- 2\nb: 3',
  'a:\n  - 1\n  -\n  - x\n',
  'a:\n- k: 1\n  l: 2\n- m: 3\n\n',
  'a:\n  b:\n    c: 1\n\n\n',
  'a:\n  b:\n  c: |\n    x\n  d:\n',
  '- a\n',
  'a: b\n# end\n',
  '---\na: 1\n',
  '# top\n---\na: 1\n',
  '# top\n\na: 1\n',
  'a: |-\n  x\n\n  y\n\n\nb: 1',
  'a: |\n  x\n\n\n',
  'a: |\n  x\n\n\n  y\n    z\n\n  # not a comment\nb: 1\n',
  'a: |\n  {"Network": "10.244.0.0/16",\n   "Backend": {"Type": "vxlan"}}\nb: 1\n',
  "'a b': 1\n",
  'a: ""\nb: \'\'\n',
  'a: "x\\"y\\\\z\\u00e9\\n"\n',
  "a: 'it''s'\n",
  '1: a\ntrue: b\nnull: c\n',
  'a: 1.0\nb: 0x1F\nc: 012\nd: .5\ne: 1e3\nf: -1\ng: +2\nh: .inf\n',
  'a: x #c\nb: x#c\n',
  'a: x:y\nb: http://h:80/p\nc: -x\nd: :x\n',
  '- k: v\n  l:\n  - x\n',
  '  a: 1\n  b: 2\n',
  'a:',
  'a:\n\n\n',
  'a:  \n \n',
  '-\n\n',
  'a:\n  -\n    b: 1\n',
  manyKeys(40),
  flowMap(40),
  nested(50),
  // Comments between entries, no further right than the entry after them.
  'a:\n  b: 1\n  # c\n  d: 2\n',
  'a:\n  b: 1\n\n# c\n  c: 2\n',
  'a:\n  b: 1\n# c\nd: 2\n',
  'a:\n- 1\n# c\n- 2\n',
  'a: |\n  x\n# c\nb: 1\n',
  // One-line flow collections of scalars.
  'a: ["x", "y"]\n',
  'a: [x, y]  # c\nb: 1\n',
  'a: []\n',
  'a: {}\n',
  'a: [ x , y ]\n',
  'a: [x, y,]\n',
  'a: [1, true, null, x y]\n',
  'a: {t: I, b: 1}\n',
  '- {type: InternalIP, address: 10.0.0.231}\n',
  'command: ["sh", "-c", "echo $(date) >> /tmp/x; sleep 60"]\n',
];

const DECLINED = [
  'a: &x 1\nb: *x\n',
  'a: !!str 1\n',
  'a: >\n  folded\n',
  'a: |2\n   x\n',
  'a: |+\n  x\n\n',
  'a: hello\n  world\n',
  'a: "multi\n  line"\n',
  'a:\n# c\n',
  'a: 1\r\nb: 2\r\n',
  'a:\tb\n',
  '? a\n: b\n',
  'a: b: c\n',
  'a: - x\n',
  '%YAML 1.2\n---\na: 1\n',
  'a: 1\n...\n',
  'a: 1\n---\nb: 2\n',
  '--- a: 1\n',
  '',
  '# only a comment\n',
  'a: |\n  x',
  'a: |\nb: 1\n',
  'a: "x"y\n',
  'a: "\\x41"\n',
  'a: @x\n',
  '- - x\n',
  'a:\n  - |\n    x\n',
  '\ufeffa: 1\n',
  '... a: 1\n',
  'a: 1\n... b: 2\n',
  // Repeated keys, as the manifest parser compares them (by their text), in small and large maps.
  'a: 1\nb: 2\na: 3\n',
  '1: a\n"1": b\n',
  '~: a\nnull: b\n',
  manyKeys(40, 'k0'),
  // Nesting deeper than the fast path recurses.
  nested(70),
  // Comments that yaml attaches to the node before them.
  'a:\n  b: 1\n  # c\nd: 2\n',
  'a:\n  b: 1\n    # c\nd: 2\n',
  'a: 1\n  # c\nb: 2\n',
  'a:\n  # c\n  b: 1\n',
  'a: 1\n  # end\n',
  'a:\n- 1\n# c\nb: 2\n',
  '- 1\n# c\n-\n- 2\n',
  'a: [x, [y]]\n',
  'a: [x,\n  y]\n',
  'a: {b: 1, b: 2}\n',
  'a: [x: y]\n',
  'a: [x #c]\n',
  'a: {"b":1}\n',
  'a: [x, , y]\n',
  'a: [x] y\n',
  flowMap(40, 'k3'),
];

function manyKeys(count: number, extra?: string): string {
  return Array.from({ length: count }, (_, i) => `k${i}: ${i}\n`).join('') + (extra ? `${extra}: again\n` : '');
}

function flowMap(count: number, extra?: string): string {
  const entries = Array.from({ length: count }, (_, i) => `k${i}: ${i}`);
  if (extra) entries.push(`${extra}: again`);
  return `a: {${entries.join(', ')}}\n`;
}

function nested(depth: number): string {
  return Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k:\n`).join('') + `${' '.repeat(depth)}k: leaf\n`;
}

test("plain block YAML: the fast path gives yaml's tree", () => {
  for (const source of ACCEPTED)
    assert.equal(compare(source), 'accepted', `fast path declined ${JSON.stringify(source)}`);
});

test('anything else is left to yaml', () => {
  for (const source of DECLINED)
    assert.equal(compare(source), 'declined', `fast path accepted ${JSON.stringify(source)}`);
});

/** Documents as the manifest parser cuts them: at every `---` line. */
function documentsOf(text: string): string[] {
  const starts = [0, ...[...text.matchAll(/^---(?=[ \t\r\n]|$)/gm)].map((m) => m.index).filter((i) => i > 0)];
  return starts.map((start, i) => text.slice(start, starts[i + 1] ?? text.length));
}

test("every document of the examples: yaml's tree, and nearly all take the fast path", () => {
  const documents = exampleClusters()
    .flatMap((files) => Object.values(files))
    .flatMap(documentsOf);
  const outcomes = documents.map(compare);
  const accepted = outcomes.filter((o) => o === 'accepted').length;
  assert.ok(documents.length > 10);
  assert.ok(
    accepted >= documents.length * 0.9,
    `only ${accepted} of ${documents.length} example documents took the fast path`,
  );
});

// Random block documents over the constructs the fast path reads and its borders: every key and
// scalar style, compact and indented sequences, empty values, block scalars with each header,
// comments and blank lines in every position, markers, and values yaml reads as other types.
const WORDS = [
  'a',
  'name',
  'x y',
  'http://h:80/p',
  '10.244.0.0/16',
  'true',
  'False',
  'null',
  '~',
  '12',
  '-3',
  '0x1F',
  '1.5',
  '.inf',
  'nginx:1.25',
  'a#b',
  'yes',
  '',
  '1e3',
  '0o17',
  '.NaN',
  '-',
  'a-b',
  '@x',
  '`x',
  'a: b',
  'x:',
  '%x',
  '!x',
  '&a',
  '*a',
  '[x]',
  '{x}',
  '? x',
  'a\\b',
  "it's",
  'é',
  '😀',
];
const KEYS = [
  'a',
  'spec',
  'k-1',
  '"q k"',
  "'s'",
  '1',
  'true',
  'x.y/z',
  '-k',
  'null',
  'a b',
  '"\\u00e9"',
  'a#b',
  'x:y',
  'a[0]',
  '0x1F',
  'app.kubernetes.io/name',
  '"a: b"',
  "'it''s'",
];

function randomDocument(next: () => number): string {
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)];
  const step = pick([2, 2, 2, 4, 1, 3]);
  const scalar = (): string => {
    const word = pick(WORDS);
    const r = next();
    if (r < 0.6) return word;
    if (r < 0.75) return JSON.stringify(word + pick(['', '\n', '\t', '"', '\\', '/', '\u00e9']));
    if (r < 0.85) return `'${word.replace(/'/g, "''")}'`;
    const items = Array.from({ length: Math.floor(next() * 4) }, () =>
      pick([pick(WORDS), JSON.stringify(pick(WORDS)), `${pick(KEYS)}: ${pick(WORDS)}`]),
    );
    const [open, close] = next() < 0.6 ? ['[', ']'] : ['{', '}'];
    return open + pick(['', ' ']) + items.join(pick([', ', ',', ' , '])) + pick(['', ' ', ',']) + close;
  };
  const mapping = (depth: number, indent: number): string[] => {
    const lines: string[] = [];
    const count = 1 + Math.floor(next() * 4);
    for (let i = 0; i < count; i++) {
      const head = ' '.repeat(indent) + pick(KEYS) + ':';
      const r = next();
      if (depth < 4 && r < 0.3) lines.push(head + pick(['', '', '   ', ' # c']), ...mapping(depth + 1, indent + step));
      else if (depth < 4 && r < 0.5) lines.push(head, ...sequence(depth + 1, next() < 0.5 ? indent : indent + step));
      else if (r < 0.6) lines.push(head + pick(['', ' ', '  ', ' # c']));
      else if (r < 0.7) {
        lines.push(head + ' ' + pick(['|', '|', '|-', '|+', '>', '|2', '| # c']));
        for (let j = 0; j < 1 + next() * 5; j++)
          lines.push(
            next() < 0.3
              ? pick(['', '', '', ' ', '   '])
              : ' '.repeat(indent + step + (next() < 0.2 ? 1 : 0)) + pick(WORDS),
          );
      } else lines.push(head + ' ' + scalar() + pick(['', '', '', '  # c', '   ', '#c']));
      if (next() < 0.1) lines.push('');
      if (next() < 0.15) lines.push(' '.repeat(Math.floor(next() * 7)) + '# comment');
    }
    return lines;
  };
  const sequence = (depth: number, indent: number): string[] => {
    const lines: string[] = [];
    const count = 1 + Math.floor(next() * 3);
    for (let i = 0; i < count; i++) {
      const dash = ' '.repeat(indent) + '-';
      const r = next();
      if (depth < 4 && r < 0.4) {
        const entries = mapping(depth + 1, indent + 2);
        lines.push(dash + ' ' + entries[0].slice(indent + 2), ...entries.slice(1));
      } else if (r < 0.5) lines.push(dash, ...(depth < 4 && next() < 0.5 ? mapping(depth + 1, indent + step) : []));
      else lines.push(dash + ' ' + scalar() + (next() < 0.1 ? ' # c' : ''));
      if (next() < 0.15) lines.push(' '.repeat(Math.floor(next() * 7)) + '# comment');
    }
    return lines;
  };
  const before = next() < 0.2 ? pick(['# head\n', '---\n', '# head\n---\n', '\n', '--- \n', '  # head\n']) : '';
  const body = (next() < 0.1 ? sequence(0, 0) : mapping(0, next() < 0.05 ? 2 : 0)).join('\n');
  return before + body + pick(['\n', '\n', '', '\n\n', '\n# end\n', '\n  # end\n']);
}

const SPLICES = [
  ' ',
  '\n',
  '-',
  ':',
  '#',
  "'",
  '"',
  '|',
  '>',
  '{',
  '[',
  '&',
  '*',
  '!',
  '%',
  '@',
  '\\',
  '?',
  ',',
  'a',
  '- ',
  ': ',
  ' #',
  '  ',
  '\n  ',
  '---\n',
  '...\n',
  '\t',
  '\u0000',
  '\ufeff',
  '\u0085',
  '\u2028',
  '\u007f',
  '\u00a0',
  '\ud800',
  '\u001b',
];

function mutated(source: string, next: () => number): string {
  let text = source;
  for (let n = 1 + Math.floor(next() * 3); n > 0; n--) {
    const at = Math.floor(next() * (text.length + 1));
    const splice = SPLICES[Math.floor(next() * SPLICES.length)];
    const r = next();
    text =
      r < 0.5
        ? text.slice(0, at) + splice + text.slice(at)
        : r < 0.75
          ? text.slice(0, at) + text.slice(at + 1)
          : text.slice(0, at) + splice + text.slice(at + 1);
  }
  return text;
}

test("random and mutated documents: whatever the fast path accepts is yaml's tree", () => {
  const next = random(Number(process.env.PODNET_FUZZ_SEED ?? 7));
  const runs = Number(process.env.PODNET_FUZZ_RUNS ?? 4000);
  const examples = exampleClusters()
    .flatMap((files) => Object.values(files))
    .flatMap(documentsOf);
  let accepted = 0;
  for (let i = 0; i < runs; i++) {
    if (compare(randomDocument(next)) === 'accepted') accepted++;
    const base = next() < 0.5 ? examples[Math.floor(next() * examples.length)] : randomDocument(next);
    if (compare(mutated(base, next)) === 'accepted') accepted++;
  }
  // Not a vacuous pass: a good share of the inputs must reach the comparison.
  assert.ok(accepted > runs / 5, `only ${accepted} of ${2 * runs} random documents took the fast path`);
});
