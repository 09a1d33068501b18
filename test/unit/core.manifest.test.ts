import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/core/manifest';
import { isSuppressed } from '../../server/src/core/suppressions';

test('multi-document files and kind: List items become objects with ranges', () => {
  const text =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: ' +
    'v1\n  kind: Node\n  metadata:\n    name: n1\n---\n# only a comment\n';
  const file = parseManifest('file:///ws/a.yaml', '/ws/a.yaml', text);
  assert.deepEqual(
    file.objects.map((o) => `${o.kind}/${o.name?.value}`),
    ['Pod/a', 'Node/n1'],
  );
  assert.equal(file.objects[1].docIndex, 1);
  const name = file.objects[1].name!;
  assert.equal(text.slice(name.range[0], name.range[1]), 'n1');
});

test('objects are recognised by content, not by kind alone: no apiVersion, no object', () => {
  const file = parseManifest('file:///ws/a.yaml', '/ws/a.yaml', 'kind: Pod\nmetadata:\n  name: a\n');
  assert.equal(file.objects.length, 0);
});

test('YAML errors are kept per document with their position', () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [a\n';
  const file = parseManifest('file:///ws/a.yaml', '/ws/a.yaml', text);
  assert.ok(file.documents[0].errors.length > 0);
});

test('suppression comments: next line (with the whole value it starts) and whole document', () => {
  const text = [
    'data:',
    '  # podnet-disable-next-line json-syntax, backend-missing',
    '  net-conf.json: |',
    '    { # note',
    '    }',
    'other: 1',
    '---',
    '# podnet-disable name-invalid',
    'kind: Pod',
  ].join('\n');
  const file = parseManifest('file:///ws/a.yaml', '/ws/a.yaml', text);
  const at = (needle: string) => text.indexOf(needle);
  assert.ok(isSuppressed(file, 'json-syntax', at('# note')));
  assert.ok(isSuppressed(file, 'backend-missing', at('net-conf.json')));
  assert.ok(!isSuppressed(file, 'cidr-invalid', at('# note')));
  assert.ok(!isSuppressed(file, 'json-syntax', at('other')));
  assert.ok(isSuppressed(file, 'name-invalid', at('kind: Pod')));
  assert.ok(!isSuppressed(file, 'name-invalid', at('other')));
});

test('files over the size limit are skipped with a reason', () => {
  const file = parseManifest('file:///ws/a.yaml', '/ws/a.yaml', 'a: 1\n'.repeat(10), { limits: { maxFileLength: 20 } });
  assert.match(file.skipped ?? '', /did not analyse/);
  assert.equal(file.objects.length, 0);
});
