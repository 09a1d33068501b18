// The line index after an edit is patched from the one before (core/text.ts): whatever the line breaks
// (\n, \r\n, a lone \r, one split by the edit), every line start must be where a fresh index puts it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/core/text';
import { random } from './helpers';

const PIECES = ['a', 'b: 1', '\n', '\r\n', '\r', '\n\n', '\r\r\n', '  - x', ''];

const startsOf = (lines: LineIndex) => Array.from({ length: lines.lineCount }, (_, i) => lines.lineStart(i));

for (const [label, alphabet] of [
  ['\\n only', PIECES.filter((p) => !p.includes('\r'))],
  ['\\r\\n, lone \\r and \\n mixed', PIECES],
] as const)
  test(`patched line starts equal a fresh index after random edits (${label})`, () => {
    const next = random(label.length);
    const piece = () => alphabet[Math.floor(next() * alphabet.length)];
    let text = Array.from({ length: 60 }, piece).join('');
    let lines = new LineIndex(text);
    for (let step = 0; step < 2000; step++) {
      const start = Math.floor(next() * (text.length + 1));
      const end = Math.min(text.length, start + Math.floor(next() * 6));
      const inserted = Array.from({ length: Math.floor(next() * 3) }, piece).join('');
      text = text.slice(0, start) + inserted + text.slice(end);
      lines = LineIndex.patched(lines, text, start, start + inserted.length, inserted.length - (end - start));
      assert.deepEqual(startsOf(lines), startsOf(new LineIndex(text)), `step ${step}: ${JSON.stringify(text)}`);
      const offset = Math.floor(next() * (text.length + 1));
      assert.deepEqual(lines.positionAt(offset), new LineIndex(text).positionAt(offset), `position of ${offset}`);
    }
  });
