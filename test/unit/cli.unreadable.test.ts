// A file that cannot be read is never dropped silently: reading returns the reason as a value, and the
// built CLI reports it as `file-skipped`. Root reads everything chmod forbids, so the failures here are
// ones root meets too: a symbolic link that leads nowhere, and one that leads to a folder.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findYamlFiles, readText, readTextSync } from '../../server/src/io/files';
import { REPO_ROOT } from './helpers';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function folderWithBrokenLinks(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-unreadable-'));
  fs.writeFileSync(path.join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n');
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.symlinkSync(path.join(dir, 'missing.yaml'), path.join(dir, 'gone.yaml'));
  fs.symlinkSync(path.join(dir, 'sub'), path.join(dir, 'folder.yaml'));
  return dir;
}

test('reading gives the text or the reason, never an exception', async () => {
  const dir = folderWithBrokenLinks();
  try {
    assert.deepEqual(await readText(path.join(dir, 'pod.yaml')), {
      ok: true,
      text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n',
    });
    const gone = await readText(path.join(dir, 'gone.yaml'));
    assert.ok(!gone.ok && /no such file or folder \(ENOENT\)/.test(gone.reason), JSON.stringify(gone));
    assert.equal(!gone.ok && gone.code, 'ENOENT', 'callers can tell a vanished file from an unreadable one');
    const folder = readTextSync(path.join(dir, 'folder.yaml'));
    assert.ok(!folder.ok && /it is a folder \(EISDIR\)/.test(folder.reason), JSON.stringify(folder));
    assert.equal((await readText(path.join(dir, 'gone.yaml'))).ok, false);
    const found: string[] = [];
    for await (const file of findYamlFiles(dir)) found.push(path.basename(file));
    assert.deepEqual(found, ['folder.yaml', 'gone.yaml', 'pod.yaml'], 'linked manifests are listed, not dropped');
    const unlisted: string[] = [];
    for await (const file of findYamlFiles(path.join(dir, 'pod.yaml'), (_, reason) => unlisted.push(reason)))
      found.push(file);
    assert.deepEqual(unlisted, ['Podnet could not list the folder: a part of its path is not a folder (ENOTDIR).']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('podnet check reports each unreadable file as file-skipped with the reason', () => {
  const dir = folderWithBrokenLinks();
  try {
    const result = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const records = JSON.parse(result.stdout) as Array<{ file: string; code: string; message: string }>;
    const skipped = records.filter((r) => r.code === 'file-skipped');
    assert.deepEqual(
      skipped.map((r) => r.file),
      ['folder.yaml', 'gone.yaml'],
    );
    assert.match(skipped[0].message, /could not read the file: it is a folder \(EISDIR\)/);
    assert.match(skipped[1].message, /could not read the file: no such file or folder \(ENOENT\)/);
    for (const r of skipped) assert.doesNotMatch(r.message, /maxFileSize/, 'size advice is for large files only');
    assert.match(result.stderr, /skipped .*gone\.yaml: Podnet could not read the file/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
