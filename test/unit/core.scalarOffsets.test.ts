import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { type Document, isMap, isScalar, parseDocument, type Scalar } from 'yaml';
import { parseEmbeddedJson } from '../../server/src/core/embeddedJson';

function scalarAt(doc: Document, path: string[]): Scalar {
  const node = doc.getIn(path, true);
  assert.ok(isScalar(node), `a scalar at ${path.join('.')}`);
  return node;
}

/** Parses `key: <scalar>` YAML and checks that every JSON character maps to the same character in the file. */
function mapsExactly(yamlText: string) {
  const doc = parseDocument(yamlText);
  assert.ok(isMap(doc.contents));
  const scalar = doc.contents.items[0].value as Scalar;
  assert.ok(isScalar(scalar));
  const json = parseEmbeddedJson(yamlText, scalar);
  assert.ok(json.exact, 'mapping is exact');
  for (let i = 0; i < json.text.length; i++) {
    const ch = json.text[i];
    if (ch === '\n' || ch === ' ') continue;
    const fileChar = yamlText[json.toFileOffset(i)];
    // Escapes map to their backslash; everything else to itself.
    assert.ok(
      fileChar === ch || fileChar === '\\',
      `char ${i} ${JSON.stringify(ch)} maps to ${JSON.stringify(fileChar)}`,
    );
  }
  return json;
}

const BODY = ['{', '  "Network": "10.244.0.0/16",', '', '  "Backend": {"Type": "vxlan"}', '}'];
const indent = (n: number) => BODY.map((l) => (l ? ' '.repeat(n) + l : l)).join('\n');

for (const header of ['|', '|-', '|+', '|2', '|-2', '| # a comment']) {
  test(`literal block ${header} maps every character`, () => {
    const json = mapsExactly(`net-conf.json: ${header}\n${indent(2)}\nnext: 1\n`);
    assert.equal(json.issues.length, 0);
    assert.ok(json.root);
  });
}

test('literal block with deeper indentation maps exactly', () => {
  const text = `data:\n  net-conf.json: |\n${indent(8)}\n`;
  const doc = parseDocument(text);
  const json = parseEmbeddedJson(text, scalarAt(doc, ['data', 'net-conf.json']));
  assert.ok(json.exact);
  const at = json.text.indexOf('10.244');
  assert.equal(text.slice(json.toFileOffset(at), json.toFileOffset(at) + 13), '10.244.0.0/16');
});

test('folded block maps exactly', () => {
  mapsExactly('net-conf.json: >\n  {"Network":\n  "10.244.0.0/16"}\n');
});

test('double-quoted scalar with escapes maps each character to its escape', () => {
  const json = mapsExactly('net-conf.json: "{\\"Network\\": \\"10.244.1.7/16\\"}"\n');
  assert.equal(json.text, '{"Network": "10.244.1.7/16"}');
  const at = json.text.indexOf('10.244');
  const [start, end] = json.toFileRange([at, at + '10.244.1.7/16'.length]);
  assert.equal('net-conf.json: "{\\"Network\\": \\"10.244.1.7/16\\"}"\n'.slice(start, end), '10.244.1.7/16');
});

test('single-quoted and plain scalars map exactly', () => {
  mapsExactly(`net-conf.json: '{"Network": "it''s"}'\n`);
  mapsExactly(
    'net-conf.json: {"Network": "10.0.0.0/8"}\n'
      .replace('{', '"{')
      .replace('}\n', '}"\n')
      .replace(/"Network": "10.0.0.0\/8"/, '\\"Network\\": 1'),
  );
});

test('comments and trailing commas are found with exact ranges and the tree keeps offsets', () => {
  const text =
    'net-conf.json: |\n  {\n    "Network": "10.100.0.0/16",  # Pod network\n    "Backend": {"Type": "vxlan",},\n  }\n';
  const doc = parseDocument(text);
  const json = parseEmbeddedJson(text, scalarAt(doc, ['net-conf.json']));
  const kinds = json.issues.map((i) => i.kind);
  assert.deepEqual(kinds, ['comment', 'trailing-comma', 'trailing-comma']);
  const [start, end] = json.toFileRange(json.issues[0].range);
  assert.equal(text.slice(start, end), '# Pod network');
  const network = json.root?.children?.[0].children?.[1];
  assert.equal(network?.value, '10.100.0.0/16');
});

test('an empty value and truncated JSON get their own messages', () => {
  const empty = parseEmbeddedJson('a: ""\n', scalarAt(parseDocument('a: ""\n'), ['a']));
  assert.equal(empty.issues[0].kind, 'empty');
  const text = 'a: |\n  {"Network": "10.0.0.0/8"\n';
  const truncated = parseEmbeddedJson(text, scalarAt(parseDocument(text), ['a']));
  assert.equal(truncated.issues[0].kind, 'truncated');
});
