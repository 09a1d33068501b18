// The bundled examples are what users start from: they must give no error and no warning, one folder
// at a time and all together.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { diagnose, EXAMPLES, loadExample } from './helpers';

const folders = fs.readdirSync(EXAMPLES).filter((name) => fs.statSync(`${EXAMPLES}/${name}`).isDirectory());

const loud = (files: Record<string, string>) =>
  diagnose(files).filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => `${d.uri} ${d.code}: ${d.message}`);

for (const folder of folders) {
  test(`example ${folder} gives no error and no warning`, () => {
    assert.deepEqual(loud(loadExample(folder)), []);
  });
}

test('all examples together give no error and no warning', () => {
  assert.ok(folders.length >= 4);
  assert.deepEqual(loud(Object.assign({}, ...folders.map(loadExample))), []);
});
