// The bundled examples are what users start from: the clean ones must give no error and no warning, one
// folder at a time and all together; the broken one must give exactly the findings its README lists.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { coveredText, diagnose, EXAMPLES, loadExample } from './helpers';

const folders = fs.readdirSync(EXAMPLES).filter((name) => fs.statSync(`${EXAMPLES}/${name}`).isDirectory());
const clean = folders.filter((name) => !name.startsWith('broken-'));

const loud = (files: Record<string, string>) =>
  diagnose(files)
    .filter((d) => d.severity === 'error' || d.severity === 'warning')
    .map((d) => `${d.uri} ${d.code}: ${d.message}`);

for (const folder of clean) {
  test(`example ${folder} gives no error and no warning`, () => {
    assert.deepEqual(loud(loadExample(folder)), []);
  });
}

test('all clean examples together give no error and no warning', () => {
  assert.ok(clean.length >= 4);
  assert.deepEqual(loud(Object.assign({}, ...clean.map(loadExample)) as Record<string, string>), []);
});

test('every example folder has a README saying what it shows', () => {
  for (const folder of folders) assert.ok(fs.existsSync(`${EXAMPLES}/${folder}/README.md`), folder);
});

test('broken-flannel gives exactly the findings its README lists, at the offending tokens', () => {
  const files = loadExample('broken-flannel');
  const found = diagnose(files).map((d) => [
    d.uri.replace('file:///ws/broken-flannel/', ''),
    d.range.start.line + 1,
    d.code,
    d.severity,
    coveredText(files, d).split('\n')[0],
  ]);
  assert.deepEqual(found, [
    ['kube-flannel-cfg.yaml', 17, 'json-syntax', 'error', '# delegates to the bridge plugin'],
    ['kube-flannel-cfg.yaml', 31, 'backend-missing', 'warning', 'net-conf.json'],
    ['kubeadm-config.yaml', 7, 'cluster-cidr-mismatch', 'error', '192.168.0.0/16'],
    ['nodes.yaml', 11, 'podcidr-outside-network', 'error', '"192.168.0.0/24"'],
    ['nodes.yaml', 23, 'podcidr-outside-network', 'error', '"192.168.1.0/24"'],
    ['pods.yaml', 18, 'nodename-unknown', 'warning', 'lab-wroker'],
  ]);
  const readme = fs.readFileSync(`${EXAMPLES}/broken-flannel/README.md`, 'utf8');
  for (const [, , code] of found) assert.match(readme, new RegExp(`\`${code}\``), `README lists ${code}`);
});
