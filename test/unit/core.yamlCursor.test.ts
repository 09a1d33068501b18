// Where the cursor is in half-typed block YAML, from the text alone.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { yamlCursorAt } from '../../server/src/core/yamlCursor';

const CURSOR = '§';

function at(text: string) {
  const offset = text.indexOf(CURSOR);
  const clean = text.replace(CURSOR, '');
  const cursor = yamlCursorAt(clean, offset);
  return cursor && { ...cursor, covered: clean.slice(cursor.range[0], cursor.range[1]) };
}

const TERMS =
  'spec:\n  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n' +
  '        nodeSelectorTerms:\n        - matchExpressions:\n';
const REQUIRED = ['spec', 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'];

test('a key being typed without its colon, among the entries of its map', () => {
  const cursor = at(
    `spec:\n  template:\n    spec:\n      nodeSelector:\n        kubernetes.io/os: linux\n        dis${CURSOR}\n`,
  );
  assert.deepEqual(cursor?.path, ['spec', 'template', 'spec', 'nodeSelector']);
  assert.equal(cursor?.position, 'key');
  assert.equal(cursor?.covered, 'dis');
  assert.equal(cursor?.colonFollows, false);
  assert.deepEqual([...cursor!.siblings], [['kubernetes.io/os', 'linux']]);
  const withColon = at(`spec:\n  nodeSelector:\n    dis${CURSOR}ktype: ssd\n`);
  assert.equal(withColon?.position, 'key');
  assert.equal(withColon?.covered, 'disktype');
  assert.equal(withColon?.colonFollows, true);
});

test("a key's value: empty, typed, quoted", () => {
  const empty = at(`spec:\n  nodeSelector:\n    disktype: ${CURSOR}\n  containers: []\n`);
  assert.deepEqual(
    [empty?.path, empty?.position, empty?.key, empty?.range[0] === empty?.range[1]],
    [['spec', 'nodeSelector'], 'value', 'disktype', true],
  );
  const quoted = at(`spec:\n  nodeSelector:\n    "disktype": "s${CURSOR}d"\n`);
  assert.deepEqual([quoted?.key, quoted?.covered, quoted?.quoted], ['disktype', 'sd', true]);
});

test('sequence items, block and compact, with the entries of the item they are in', () => {
  const key = at(`${TERMS}          - key: d${CURSOR}\n`);
  assert.deepEqual(key?.path, [...REQUIRED, 'nodeSelectorTerms', '-', 'matchExpressions', '-']);
  assert.deepEqual([key?.position, key?.key], ['value', 'key']);
  const item = at(
    `${TERMS}          - key: disktype\n            operator: In\n            values:\n            - s${CURSOR}\n`,
  );
  assert.deepEqual(item?.path, [...REQUIRED, 'nodeSelectorTerms', '-', 'matchExpressions', '-', 'values']);
  assert.equal(item?.position, 'item');
  assert.equal(item?.siblings.get('key'), 'disktype');
  const flow = at(`${TERMS}          - key: disktype\n            values: [ssd, h${CURSOR}]\n`);
  assert.deepEqual([flow?.position, flow?.covered, flow?.siblings.get('key')], ['item', 'h', 'disktype']);
  assert.deepEqual(flow?.path, [...REQUIRED, 'nodeSelectorTerms', '-', 'matchExpressions', '-', 'values']);
});

test('the entries of one item stop at the next item', () => {
  const cursor = at(
    `${TERMS}          - key: gpu\n            operator: Exists\n          - key: disktype\n            values:\n` +
      `            - ${CURSOR}\n          - key: zone\n`,
  );
  assert.equal(cursor?.siblings.get('key'), 'disktype');
  assert.equal(cursor?.siblings.has('operator'), false);
});

test('nothing where no value is typed: comments, flow mappings, a value after its parent has one', () => {
  assert.equal(at(`spec:\n  # nodeSelector: ${CURSOR}\n`), undefined);
  assert.equal(at(`spec:\n  nodeSelector: {disktype: s${CURSOR}}\n`), undefined);
  assert.equal(at(`spec: x\n  nodeSelector:\n    dis${CURSOR}\n`), undefined);
});

test('documents stop the walk up; a leading line break ends it too', () => {
  assert.deepEqual(at(`a:\n  b: 1\n---\nspec:\n  nodeSelector:\n    d${CURSOR}\n`)?.path, ['spec', 'nodeSelector']);
  assert.deepEqual(at(`\nspec:\n  nodeSelector:\n    d${CURSOR}\n`)?.path, ['spec', 'nodeSelector']);
  assert.deepEqual(at(`\n\n  x${CURSOR}`)?.path, []);
  assert.equal(at(`${CURSOR}`)?.position, 'key');
});
