// Indexing a large workspace must not hold up the file a person has open: its diagnostics are
// published while indexing runs, before those of the files being read; clean closed files get no
// message at all.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToUri } from '../../server/src/model/workspace';
import { TestClient } from './harness';

const FILES = 400;
let workspaceDir: string;

const pod = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: c\n    image: busybox\n`;

before(() => {
  workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-lsp-indexing-'));
  for (let i = 0; i < FILES; i++) {
    const folder = path.join(workspaceDir, `team-${i % 8}`);
    fs.mkdirSync(folder, { recursive: true });
    // Every other file has a problem (an invalid Pod name); the rest are clean.
    fs.writeFileSync(path.join(folder, `pod-${i}.yaml`), pod(i % 2 ? `Bad_Name_${i}` : `ok-${i}`));
  }
  fs.writeFileSync(path.join(workspaceDir, 'open.yaml'), pod('Open_Bad'));
});

after(() => fs.rmSync(workspaceDir, { recursive: true, force: true }));

test(
  'a file opened at start gets its diagnostics before the workspace is indexed; clean closed files get none, ' +
    'until they change',
  async () => {
    const client = await TestClient.start(workspaceDir);
    try {
      const uri = pathToUri(path.join(workspaceDir, 'open.yaml'));
      const opened = client.waitFor(() => {
        const list = client.published.get(uri);
        // Taken when the diagnostics arrive: how far indexing had got by then.
        return list ? { list, filesIndexed: client.status?.state === 'ready' ? client.status.files : -1 } : undefined;
      }, 'diagnostics of the open file');
      await client.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'yaml', version: 1, text: pod('Open_Bad') },
      });
      const { list, filesIndexed } = await opened;
      assert.deepEqual(
        list.map((d) => d.code),
        ['name-invalid'],
      );
      assert.ok(filesIndexed < FILES, `published before indexing ended (ready with ${filesIndexed} files)`);
      assert.equal([...client.published.keys()][0], uri, 'the open file was published first');

      await client.waitFor(
        () => (client.status?.state === 'ready' && client.status.files > FILES ? true : undefined),
        'indexing to end',
      );
      const closed = [...client.published.entries()].filter(([key]) => key !== uri);
      assert.equal(closed.length, FILES / 2, 'one message per file with a problem, none for clean files');
      assert.ok(closed.every(([, diagnostics]) => diagnostics.length === 1 && diagnostics[0].code === 'name-invalid'));

      // A closed file whose problem is fixed on disk gets its empty list; one that breaks gets its problem.
      const fixed = path.join(workspaceDir, 'team-1', 'pod-1.yaml');
      const broken = path.join(workspaceDir, 'team-0', 'pod-0.yaml');
      fs.writeFileSync(fixed, pod('fixed-1'));
      fs.writeFileSync(broken, pod('Broken_0'));
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [pathToUri(fixed), pathToUri(broken)].map((changed) => ({ uri: changed, type: 2 })),
      });
      await client.waitFor(
        () => (client.published.get(pathToUri(fixed))?.length === 0 ? true : undefined),
        'the fixed file to be cleared',
      );
      await client.waitFor(
        () => (client.published.get(pathToUri(broken))?.length === 1 ? true : undefined),
        'the broken file to be reported',
      );
    } finally {
      await client.stop();
    }
  },
);

test(
  'the settings the client answers with apply to indexing, even when the answer is slow (files are listed ' +
    'meanwhile)',
  async () => {
    const client = await TestClient.start(workspaceDir, undefined, { values: { maxFileSize: 50 }, delayMs: 300 });
    try {
      await client.waitFor(
        () => (client.status?.state === 'ready' && client.status.files > FILES ? true : undefined),
        'indexing to end',
      );
      const skipped = [...client.published.values()].filter((list) => list.some((d) => d.code === 'file-skipped'));
      assert.equal(skipped.length, FILES + 1, 'every file is over the 50-character limit the client set');
    } finally {
      await client.stop();
    }
  },
);
