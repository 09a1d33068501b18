// Calico's selector syntax as IPPool nodeSelectors use it; `!=` and `not in` match a node without the label,
// as in Calico; a selector that does not parse matches nothing and says why.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseSelector } from '../../server/src/model/calico/selector';

const labels = new Map([
  ['rack', 'r1'],
  ['kubernetes.io/hostname', 'node-1'],
  ['edge', ''],
]);

function matches(selector: string, on: ReadonlyMap<string, string> = labels): boolean {
  const parsed = parseSelector(selector);
  assert.ok('matches' in parsed, `${selector}: ${'error' in parsed ? parsed.error : ''}`);
  return parsed.matches(on);
}

test('all(), has(), ==, != and their negations', () => {
  assert.ok(matches('all()'));
  assert.ok(matches(''), 'empty is all()');
  assert.ok(matches('has(edge)'));
  assert.ok(!matches('!has(edge)'));
  assert.ok(!matches('has(gpu)'));
  assert.ok(matches('!has(gpu)'));
  assert.ok(matches("rack == 'r1'"));
  assert.ok(matches('kubernetes.io/hostname == "node-1"'));
  assert.ok(!matches("rack == 'r2'"));
  assert.ok(matches("rack != 'r2'"));
  assert.ok(!matches("rack != 'r1'"));
  assert.ok(matches("zone != 'a'"), '!= matches a node without the label');
});

test('in and not in sets, contains, starts with, ends with', () => {
  assert.ok(matches("rack in {'r1', 'r2'}"));
  assert.ok(!matches("rack in {'r3'}"));
  assert.ok(!matches("zone in {'a'}"), 'in needs the label');
  assert.ok(matches("rack not in {'r3'}"));
  assert.ok(!matches("rack not in {'r1','r2'}"));
  assert.ok(matches("zone not in {'a'}"), 'not in matches a node without the label');
  assert.ok(matches("kubernetes.io/hostname starts with 'node-'"));
  assert.ok(matches("kubernetes.io/hostname ends with '-1'"));
  assert.ok(matches("kubernetes.io/hostname contains 'de-'"));
  assert.ok(!matches("kubernetes.io/hostname contains 'x'"));
});

test('&&, || and parentheses, with && binding tighter', () => {
  assert.ok(matches("rack == 'r1' && has(edge)"));
  assert.ok(!matches("rack == 'r1' && has(gpu)"));
  assert.ok(matches("has(gpu) || rack == 'r1'"));
  assert.ok(matches("has(gpu) && rack == 'r9' || has(edge)"), '(a && b) || c');
  assert.ok(!matches("has(gpu) && (rack == 'r9' || has(edge))"));
  assert.ok(matches("!(has(gpu) || rack == 'r2') && rack in {'r1'}"));
  assert.ok(!matches("rack == 'r1' && !has(edge)"));
});

test('a selector that does not parse is an error, never a match nor a throw', () => {
  for (const bad of [
    "rack = 'r1'",
    'rack == r1',
    'has(edge',
    "rack in {'a' 'b'}",
    '&& has(a)',
    "(rack == 'r1'",
    'all',
    '$$',
  ]) {
    const parsed = parseSelector(bad);
    assert.ok('error' in parsed, bad);
  }
  const parsed = parseSelector("rack == 'r1' extra");
  assert.ok('error' in parsed && /unexpected/.test(parsed.error));
});
