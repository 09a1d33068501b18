// README.md is the first thing a user reads: keep its rule table and set-up commands true.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { RULE_IDS, ruleMeta } from '../../server/src/rules/registry';
import { REPO_ROOT } from './helpers';

const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const SHORT = { error: 'error', warning: 'warning', information: 'info', hint: 'hint' };

test('the README rule table lists every rule with its default severity', () => {
  for (const id of RULE_IDS) {
    const meta = ruleMeta(id);
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${id}\` |`));
    assert.ok(row, `README lists ${id}`);
    assert.ok(row.includes(`| ${SHORT[meta.severity]}`), `${id} shows default severity ${meta.severity}: ${row}`);
  }
});

test('.ci/run runs exactly the two quick-start commands of the README', () => {
  const ci = fs.readFileSync(path.join(REPO_ROOT, '.ci', 'run'), 'utf8');
  const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Using the extension'));
  const commands = quickStart.split('\n').filter((line) => line.startsWith('npm ci'));
  assert.equal(commands.length, 2);
  for (const command of commands) assert.ok(ci.split('\n').includes(command), `.ci/run runs "${command}"`);
});
