// The editor's document as the server keeps it: incremental changes applied as LSP defines them, the
// line index kept without a full scan, and what each version's changes left of the one before.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { type TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { LineIndex } from '../../server/src/core/text';
import { EditorDocument } from '../../server/src/lsp/editorDocument';
import { random } from './helpers';

const SNIPPETS = ['x', '\n', '---\n', 'nodeName: worker-1\n', '', '\r\n', 'é', '  - name: c\n'];

/** A random LSP change of `text`: a range given as positions (sometimes backwards or past a line's end). */
function randomChange(text: string, next: () => number): TextDocumentContentChangeEvent {
  const lines = new LineIndex(text);
  const position = () => {
    const line = Math.floor(next() * (lines.lineCount + 1));
    return { line, character: Math.floor(next() * 30) };
  };
  const [a, b] = [position(), position()];
  return { range: { start: a, end: b }, text: SNIPPETS[Math.floor(next() * SNIPPETS.length)] };
}

/** The reference: LSP's rule (offsets clamped to the line's content, a backwards range taken forwards). */
function applied(text: string, change: TextDocumentContentChangeEvent): string {
  if (!('range' in change)) return change.text;
  const lines = new LineIndex(text);
  const offsets = [lines.offsetAt(change.range.start), lines.offsetAt(change.range.end)].sort((x, y) => x - y);
  return text.slice(0, offsets[0]) + change.text + text.slice(offsets[1]);
}

test('random incremental changes give the text, and each version tells what its changes left alone', () => {
  const next = random(7);
  let expected = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  nodeName: worker-1\n';
  let document = EditorDocument.create('file:///ws/a.yaml', 'yaml', 1, expected);
  for (let version = 2; version < 400; version++) {
    const previous = expected;
    // One to three changes per notification, each relative to the text the one before it left.
    const changes: TextDocumentContentChangeEvent[] = [];
    for (let n = 1 + Math.floor(next() * 3); n > 0; n--) {
      const change = randomChange(expected, next);
      changes.push(change);
      expected = applied(expected, change);
    }
    document = EditorDocument.update(document, changes, version);
    assert.equal(document.getText(), expected, `text at version ${version}`);
    assert.equal(document.version, version);
    const change = document.takeChange()!;
    assert.equal(change.before, previous);
    assert.equal(expected.slice(0, change.prefix), previous.slice(0, change.prefix), `prefix at version ${version}`);
    assert.equal(
      expected.slice(expected.length - change.suffix),
      previous.slice(previous.length - change.suffix),
      `suffix at version ${version}`,
    );
    assert.equal(document.takeChange(), undefined, 'given once: the previous text is let go');
    // Positions of the next change are read with the patched line index: it must match a fresh one.
    const probe = randomChange(expected, next);
    const viaDocument = EditorDocument.update(document, [probe], version).getText();
    assert.equal(viaDocument, applied(expected, probe), `positions at version ${version}`);
  }
});

test('a whole-text change replaces the text and tells nothing about what stayed', () => {
  const document = EditorDocument.create('file:///ws/a.yaml', 'yaml', 1, 'kind: Pod\n');
  const edited = EditorDocument.update(
    document,
    [{ range: { start: { line: 0, character: 6 }, end: { line: 0, character: 9 } }, text: 'Node' }, { text: 'a: 1\n' }],
    2,
  );
  assert.equal(edited.getText(), 'a: 1\n');
  assert.equal(edited.takeChange(), undefined);
});
