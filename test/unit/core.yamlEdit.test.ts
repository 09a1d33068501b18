import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { type Node, parseDocument } from 'yaml';
import { appendToSequence, insertKeyFirst } from '../../server/src/core/yamlEdit';
import { type TextEdit } from '../../server/src/core/text';

const URI = 'file:///ws/a.yaml';

function apply(text: string, edits: TextEdit[] | undefined): string | undefined {
  if (!edits) return undefined;
  return [...edits]
    .sort((a, b) => b.range[0] - a.range[0])
    .reduce((t, e) => t.slice(0, e.range[0]) + e.newText + t.slice(e.range[1]), text);
}

const append = (text: string, values: string[]) =>
  apply(text, appendToSequence(URI, text, parseDocument(text).get('args', true) as Node, values));
const insertFirst = (text: string, entry: string) =>
  apply(text, insertKeyFirst(URI, text, parseDocument(text).get('spec', true) as Node, entry));

test('appendToSequence: a block sequence gets new items on their own lines, indented like the last', () => {
  assert.equal(
    append('args:\n  - --ip-masq\n  - --iface=eth0\nnext: 1\n', ['--kube-subnet-mgr', '-v=2']),
    'args:\n  - --ip-masq\n  - --iface=eth0\n  - --kube-subnet-mgr\n  - -v=2\nnext: 1\n',
  );
});

test('appendToSequence: a flow sequence gets items quoted like its last one', () => {
  assert.equal(
    append('args: ["--ip-masq", "--iface=eth0"]\n', ['--kube-subnet-mgr']),
    'args: ["--ip-masq", "--iface=eth0", "--kube-subnet-mgr"]\n',
  );
  assert.equal(append("args: [a, 'b']\n", ['c']), "args: [a, 'b', 'c']\n");
});

test(
  'appendToSequence: no edit for an empty sequence, a non-sequence, a non-scalar item, or an item not right ' +
    'after its dash',
  () => {
    assert.equal(append('args: []\n', ['x']), undefined);
    assert.equal(append('args: x\n', ['x']), undefined);
    assert.equal(append('args:\n  - - nested\n', ['x']), undefined);
    assert.equal(append('args:\n  - a\n  -\n    b\n', ['x']), undefined);
  },
);

test('insertKeyFirst: before the first key of a block mapping, at its indentation; never in a flow mapping', () => {
  assert.equal(
    insertFirst('spec:\n  affinity: {}\n  containers: []\n', 'hostNetwork: true'),
    'spec:\n  hostNetwork: true\n  affinity: {}\n  containers: []\n',
  );
  assert.equal(insertFirst('spec: {affinity: {}}\n', 'hostNetwork: true'), undefined);
  assert.equal(insertFirst('spec: {}\n', 'hostNetwork: true'), undefined);
});
