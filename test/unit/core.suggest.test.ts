import { test } from 'node:test';
import * as assert from 'node:assert/strict';
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
