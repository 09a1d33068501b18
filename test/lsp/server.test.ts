// Starts the built language server (dist/server.js) over stdio, as an editor would, and checks
// diagnostics, a hover and a quick fix on the seed 003 scenario (cluster-10.100).
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToUri } from '../../server/src/model/workspace';
import { NODE_TOOLS_REQUEST, PACKET_PATH_REQUEST, TOPOLOGY_REQUEST } from '../../server/src/protocol';
import { topologyResultFromWire } from '../../server/src/topology/wire';
import { EXAMPLES } from '../unit/helpers';
import { type PublishedDiagnostic, TestClient } from './harness';

let client: TestClient;
let connection: TestClient['connection'];
let workspaceDir: string;
let published: TestClient['published'];
const waitFor = <T>(probe: () => T | undefined, what: string) => client.waitFor(probe, what);

before(async () => {
  workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-lsp-'));
  fs.cpSync(path.join(EXAMPLES, 'cluster-10.100'), path.join(workspaceDir, 'cluster-10.100'), { recursive: true });
  fs.writeFileSync(
    path.join(workspaceDir, 'cluster-10.100', 'broken.yaml'),
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [broken\n',
  );
  client = await TestClient.start(workspaceDir);
  connection = client.connection;
  published = client.published;
});

after(async () => {
  await client.stop();
  fs.rmSync(workspaceDir, { recursive: true, force: true });
});

const configMapPath = () => path.join(workspaceDir, 'cluster-10.100', 'kube-flannel-cfg.yaml');

test('indexed at start: examples give no diagnostics, clean closed files get no message', async () => {
  await client.waitForReady();
  const broken = pathToUri(path.join(workspaceDir, 'cluster-10.100', 'broken.yaml'));
  assert.ok((published.get(broken) ?? []).length > 0, 'the broken file was analysed and published');
  const others = [...published.entries()].filter(([uri]) => uri !== broken);
  assert.deepEqual(others, [], 'no other file has diagnostics, and none was sent an empty list');
  assert.equal(published.has(pathToUri(configMapPath())), false);
});

test('seed 003: the annotated net-conf.json typed into the editor gives json-syntax at each # note', async () => {
  const uri = pathToUri(configMapPath());
  const original = fs.readFileSync(configMapPath(), 'utf8');
  const annotated = original
    .replace('"Network": "10.100.0.0/16",', '"Network": "10.100.0.0/16",  # Pod网段')
    .replace('"Type": "vxlan"', '"Type": "vxlan"  # worker节点基于vxlan');
  await connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'yaml', version: 1, text: annotated },
  });
  const diagnostics = await waitFor(() => {
    const list = published.get(uri);
    return list && list.length > 0 ? list : undefined;
  }, 'json-syntax diagnostics');
  const syntax = diagnostics.filter((d) => d.code === 'json-syntax');
  assert.equal(syntax.length, 2);
  const lines = annotated.split('\n');
  const first = syntax[0];
  assert.equal(first.source, 'podnet');
  assert.equal(first.severity, 1);
  assert.equal(
    lines[first.range.start.line].slice(first.range.start.character, first.range.end.character),
    '# Pod网段',
  );

  const actions = (await connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: first.range,
    context: { diagnostics: [first] },
  })) as Array<{
    title: string;
    edit: { changes: Record<string, Array<{ range: PublishedDiagnostic['range']; newText: string }>> };
  }>;
  assert.ok(
    actions.some((a) => /comment/i.test(a.title)),
    `a fix removes the comment (got ${actions.map((a) => a.title).join(', ')})`,
  );
});

test("hover on a Pod nodeName shows the node's pod range", async () => {
  const podPath = path.join(workspaceDir, 'cluster-10.100', 'network-cni-test.yaml');
  const uri = pathToUri(podPath);
  const text = fs.readFileSync(podPath, 'utf8');
  await connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'yaml', version: 1, text },
  });
  const line = text.split('\n').findIndex((l) => l.includes('nodeName: worker232'));
  const hover = (await connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: { line, character: text.split('\n')[line].indexOf('worker232') + 2 },
  })) as { contents: { kind: string; value: string } } | null;
  assert.ok(hover, 'a hover is returned');
  assert.equal(hover.contents.kind, 'markdown');
  assert.match(hover.contents.value, /10\.100\.1\.0\/24/);
  assert.match(hover.contents.value, /10\.100\.1\.2/);
});

test("topology, packet-path and node-tools requests answer with the engine's model", async () => {
  const result = topologyResultFromWire(
    await connection.sendRequest(TOPOLOGY_REQUEST, { uri: pathToUri(configMapPath()) }),
  );
  const focused = result.clusters[result.focus].topology;
  assert.deepEqual(
    focused.nodes.map((n) => n.name),
    ['master231', 'worker232', 'worker233'],
  );
  const path = await connection.sendRequest(PACKET_PATH_REQUEST, {
    clusterId: focused.cluster.id,
    from: 'xiuxian-v1',
    to: 'xiuxian-v2',
  });
  assert.ok(path.ok);
  assert.equal(path.ttl, 62);
  assert.ok(path.hops.some((h) => h.device === 'flannel.1' && h.action === 'encapsulate'));
  const routes = await connection.sendRequest(NODE_TOOLS_REQUEST, {
    clusterId: focused.cluster.id,
    node: 'worker232',
    view: 'ip-route',
  });
  assert.match(routes ?? '', /10\.100\.1\.0\/24 dev cni0/);
  const unknown = await connection.sendRequest(NODE_TOOLS_REQUEST, {
    clusterId: focused.cluster.id,
    node: 'nowhere',
    view: 'ip-route',
  });
  assert.equal(unknown, null);
});

test("YAML syntax errors are reported, except beside Red Hat's YAML extension, which reports them itself", async () => {
  const uri = pathToUri(path.join(workspaceDir, 'cluster-10.100', 'broken.yaml'));
  const ours = await waitFor(() => published.get(uri)?.filter((d) => d.code === 'yaml-syntax'), 'yaml-syntax');
  assert.ok(ours.length > 0);
  const beside = await TestClient.start(workspaceDir, { settings: {}, yamlExtensionActive: true });
  try {
    await beside.waitForReady();
    assert.deepEqual(
      (beside.published.get(uri) ?? []).filter((d) => d.code === 'yaml-syntax'),
      [],
    );
  } finally {
    await beside.stop();
  }
});
