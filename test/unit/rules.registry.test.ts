// The rule declaration: ids from outside (settings, suppression comments, CLI flags) are validated against
// it, and unknown ones never change what is reported.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/core/manifest';
import { isSuppressed } from '../../server/src/core/suppressions';
import { type EngineSettings } from '../../server/src/engine';
import { isRuleId, isRuleSetting, RULE_GROUPS, RULE_IDS, RULES, ruleMeta } from '../../server/src/rules/registry';
import { diagnose } from './helpers';

test('every declared rule has its id, a group, a one-line summary, and ids are unique and well-formed', () => {
  assert.equal(RULE_IDS.length, 56);
  assert.equal(new Set(RULE_IDS).size, RULE_IDS.length);
  assert.deepEqual(
    RULES.map((meta) => meta.id),
    RULE_IDS,
  );
  for (const id of RULE_IDS) {
    const meta = ruleMeta(id);
    assert.equal(meta.id, id);
    assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(RULE_GROUPS.includes(meta.group), `${id} is in a known group`);
    assert.ok(meta.summary.length > 10 && !meta.summary.includes('\n'), `${id} has a one-line summary`);
  }
  assert.equal(ruleMeta('network-too-small').kubeModeSeverity, 'warning');
});

test('isRuleId accepts declared ids only, not inherited property names', () => {
  assert.ok(isRuleId('backend-missing'));
  for (const other of ['backend-mising', 'Backend-Missing', '', 'constructor', 'toString', '__proto__'])
    assert.ok(!isRuleId(other), other);
  assert.ok(isRuleSetting('off') && isRuleSetting('hint'));
  assert.ok(!isRuleSetting('warn') && !isRuleSetting(2) && !isRuleSetting(undefined));
});

test('suppression comments: unknown ids are ignored, and a comment naming only unknown ids suppresses nothing', () => {
  const text = [
    '# podnet-disable-next-line nodename-unknwon',
    'a: 1',
    '# podnet-disable-next-line nodename-unknwon, nodename-unknown',
    'b: 2',
    '# podnet-disable-next-line',
    'c: 3',
    '---',
    '# podnet-disable backend-mising',
    'd: 4',
  ].join('\n');
  const file = parseManifest('file:///ws/a.yaml', '/ws/a.yaml', text);
  const at = (needle: string) => text.indexOf(needle);
  assert.ok(!isSuppressed(file, 'nodename-unknown', at('a: 1')), 'a typo suppresses nothing');
  assert.ok(isSuppressed(file, 'nodename-unknown', at('b: 2')), 'the valid id of a mixed list applies');
  assert.ok(!isSuppressed(file, 'name-invalid', at('b: 2')));
  assert.ok(isSuppressed(file, 'name-invalid', at('c: 3')), 'no id: every rule');
  assert.ok(!isSuppressed(file, 'backend-missing', at('d: 4')), 'a misspelt id does not disable the document');
  assert.ok(!isSuppressed(file, 'name-invalid', at('d: 4')));
});

test('settings naming unknown rules or holding no severity are ignored; known ones apply', () => {
  const files = { '/ws/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: My_Pod\nspec:\n  containers: []\n' };
  const severities = (rules: Record<string, unknown>) =>
    diagnose(files, { enable: true, rules } as EngineSettings)
      .filter((d) => d.code === 'name-invalid')
      .map((d) => d.severity);
  assert.deepEqual(severities({}), ['error']);
  assert.deepEqual(severities({ 'name-invalid': 'hint' }), ['hint']);
  assert.deepEqual(severities({ 'name-invalid': 'off' }), []);
  assert.deepEqual(severities({ 'name-invalid': 'warn', 'no-such-rule': 'off', constructor: 'off' }), ['error']);
  assert.deepEqual(severities({ 'name-invalid': 42 }), ['error']);
});
