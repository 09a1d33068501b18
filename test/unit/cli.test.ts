// Runs the built CLI (dist/cli.js) as a user or CI would.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLES, REPO_ROOT } from './helpers';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const run = (args: string[], cwd = REPO_ROOT) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });

test('podnet check over the bundled examples: no error, no warning, exit 0', () => {
  const result = run(['check', EXAMPLES]);
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /^0 errors, 0 warnings, \d+ notes? in 9 files \(4 clusters\)$/m);
});

test('--format json prints one array with 1-based positions; errors exit 1', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-cli-'));
  try {
    fs.writeFileSync(path.join(dir, 'cm.yaml'), 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: kube-flannel-cfg\ndata:\n  net-conf.json: |\n    {\n      "Network": "10.244.0.0/16", # pods\n      "Backend": {"Type": "vxlan"}\n    }\n');
    const result = run(['check', '--format', 'json', 'cm.yaml'], dir);
    assert.equal(result.status, 1, result.stderr);
    const records = JSON.parse(result.stdout);
    const syntax = records.find((r: { code: string }) => r.code === 'json-syntax');
    assert.deepEqual(
      { file: syntax.file, line: syntax.line, column: syntax.column, endLine: syntax.endLine, endColumn: syntax.endColumn, severity: syntax.severity },
      { file: 'cm.yaml', line: 8, column: 35, endLine: 8, endColumn: 41, severity: 'error' },
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--format sarif prints a SARIF 2.1.0 log with rule metadata', () => {
  const result = run(['check', '--format=sarif', path.join(EXAMPLES, 'seed-multi-node')]);
  assert.equal(result.status, 0);
  const log = JSON.parse(result.stdout);
  assert.equal(log.version, '2.1.0');
  assert.ok(log.runs[0].tool.driver.rules.some((r: { id: string }) => r.id === 'podcidr-outside-network'));
});

test('--rule overrides a severity; bad usage exits 2', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-cli-'));
  try {
    fs.writeFileSync(path.join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: Web\n');
    assert.equal(run(['check', '.'], dir).status, 1);
    assert.equal(run(['check', '.', '--rule', 'name-invalid=warning'], dir).status, 0);
    assert.equal(run(['check', '--format', 'xml'], dir).status, 2);
    assert.equal(run(['frobnicate'], dir).status, 2);
    assert.equal(run(['check', 'missing-folder'], dir).status, 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
