import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { closestMatch, editDistance } from '../../server/src/core/suggest';

test('edit distance counts a swap of neighbours as one edit', () => {
  assert.equal(editDistance('worker323', 'worker233'), 1);
  assert.equal(editDistance('SubnetLenght', 'SubnetLength'), 1);
  assert.equal(editDistance('abc', 'abc'), 0);
  assert.equal(editDistance('', 'abc'), 3);
});

test('closest match is case-insensitive and bounded', () => {
  assert.equal(closestMatch('worker323', ['worker232', 'worker233']), 'worker233');
  assert.equal(closestMatch('VXLAN', ['vxlan', 'udp']), 'vxlan');
  assert.equal(closestMatch('completely-different', ['vxlan', 'udp']), undefined);
});

/** The textbook table (optimal string alignment), one row array per character, as a reference. */
function referenceDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  return rows[a.length][b.length];
}

test('edit distance and closest match agree with the textbook table on random names', () => {
  const name = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'A', '-', '1', 'İ'), maxLength: 9 });
  fc.assert(
    fc.property(name, name, (a, b) => editDistance(a, b) === referenceDistance(a, b)),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(name, fc.array(name, { maxLength: 8 }), fc.integer({ min: 0, max: 4 }), (word, candidates, max) => {
      // The first candidate at the least distance within `max`, by the reference.
      let expected: string | undefined;
      let least = Infinity;
      for (const c of candidates) {
        const distance = referenceDistance(word.toLowerCase(), c.toLowerCase());
        if (distance < least && distance <= max) [expected, least] = [c, distance];
      }
      return closestMatch(word, candidates, max) === expected;
    }),
    { numRuns: 2000 },
  );
});
