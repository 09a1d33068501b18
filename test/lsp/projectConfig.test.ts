// The server reads `.podnet.yaml` at the workspace root and regroups the files when it changes on disk
// or in the editor: which files are compared with which shows in cluster-cidr-mismatch coming and going.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToUri } from '../../server/src/model/workspace';
import { FIXTURES } from '../unit/helpers';
import { TestClient } from './harness';

let client: TestClient;
let workspaceDir: string;
let kubeadmUri: string;
let configPath: string;
let configUri: string;

const codes = (uri: string) => (client.published.get(uri) ?? []).map((d) => d.code);
const mismatch = (expected: boolean, what: string) =>
  client.waitFor(() => (codes(kubeadmUri).includes('cluster-cidr-mismatch') === expected ? true : undefined), what);
const watched = (type: 1 | 2 | 3) =>
  client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type }] });

before(async () => {
  workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-lsp-config-'));
  fs.cpSync(path.join(FIXTURES, 'layout', 'flannel-root'), workspaceDir, { recursive: true });
  const kubeadmPath = path.join(workspaceDir, 'scripts', 'install', 'kubeadm-config.yaml');
  // A podSubnet outside the root flannel Network: reported only while both are in one cluster.
  fs.writeFileSync(
    kubeadmPath,
    fs.readFileSync(kubeadmPath, 'utf8').replace('podSubnet: 10.244.0.0/16', 'podSubnet: 10.245.0.0/16'),
  );
  kubeadmUri = pathToUri(kubeadmPath);
  configPath = path.join(workspaceDir, '.podnet.yaml');
  configUri = pathToUri(configPath);
  client = await TestClient.start(workspaceDir);
  await client.waitForReady();
});

after(async () => {
  await client.stop();
  fs.rmSync(workspaceDir, { recursive: true, force: true });
});

test('grouped by folder: the kubeadm config in scripts/install joins the root flannel manifest', async () => {
  await mismatch(true, 'cluster-cidr-mismatch on the podSubnet');
  await client.waitFor(() => (client.status?.clusters === 1 ? true : undefined), 'one cluster in the status');
});

test('a .podnet.yaml created on disk regroups; a broken one is reported on itself and regroups by folder', async () => {
  fs.writeFileSync(configPath, 'clusters:\n  - name: install\n    include: [scripts/install]\n');
  await watched(1);
  await mismatch(false, 'the kubeadm config in a cluster of its own');
  await client.waitFor(() => (client.status?.clusters === 2 ? true : undefined), 'two clusters in the status');

  fs.writeFileSync(configPath, 'clusters:\n  - name: install\n    include: [scripts/install\n');
  await watched(2);
  await mismatch(true, 'grouping by folder again');
  const problem = await client.waitFor(
    () => client.published.get(configUri)?.find((d) => d.code === 'podnet-config'),
    'podnet-config on .podnet.yaml',
  );
  assert.equal(problem.severity, 1);
  assert.match(problem.message, /not valid YAML/);
});

test('.podnet.yaml typed into the editor regroups at once; deleted, the grouping is by folder', async () => {
  await client.connection.sendNotification('textDocument/didOpen', {
    textDocument: {
      uri: configUri,
      languageId: 'yaml',
      version: 1,
      text: 'clusters:\n  - name: install\n    include: ["scripts/*"]\n',
    },
  });
  await mismatch(false, 'the editor text of .podnet.yaml applied');
  await client.waitFor(() => (codes(configUri).length === 0 ? true : undefined), '.podnet.yaml without problems');
  // Closed, the disk's text (now separating too) applies; then only the deletion can rejoin the files.
  fs.writeFileSync(configPath, 'clusters:\n  - name: install\n    include: [scripts/install]\n');
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: configUri } });
  await client.waitFor(() => (client.status?.clusters === 2 ? true : undefined), 'two clusters from the disk text');
  assert.ok(!codes(kubeadmUri).includes('cluster-cidr-mismatch'));
  fs.rmSync(configPath);
  await watched(3);
  await mismatch(true, 'grouping by folder once .podnet.yaml is gone');
  assert.deepEqual(codes(configUri), []);
});
