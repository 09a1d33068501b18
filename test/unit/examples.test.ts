// The bundled examples are what users start from: the clean ones must give no error and no warning, one
// folder at a time and all together; the broken one must give exactly the findings its README lists.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { buildTopology } from '../../server/src/topology/build';
import { packetPath } from '../../server/src/topology/path';
import { toolOutput } from '../../server/src/topology/tools';
import { coveredText, diagnose, EXAMPLES, loadExample, workspaceOf } from './helpers';

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

test('live-dump (kubectl get -o yaml): no finding at all, and the bridge fdb seed 003 captured', () => {
  const files = loadExample('live-dump');
  assert.deepEqual(diagnose(files), []);
  const [cluster] = workspaceOf(files).clusters();
  const topology = buildTopology(cluster);
  const master = topology.nodes.find((n) => n.name === 'master231')!;
  assert.equal(
    toolOutput(topology, master, 'bridge-fdb').replace(/^#.*\n/gm, ''),
    'd6:49:d4:7f:6c:6f dst 10.0.0.232 self permanent\n7e:05:32:ed:ce:c8 dst 10.0.0.233 self permanent\n',
  );
  // tcpdump on worker233: d6:49:d4:7f:6c:6f > 7e:05:32:ed:ce:c8 inside 10.0.0.232 → 10.0.0.233:8472, TTL 62.
  const path = packetPath(cluster, topology, 'xiuxian-v1', 'xiuxian-v2');
  const e = path.encapsulation;
  assert.deepEqual(
    [e?.innerSrcMac, e?.innerDstMac, e?.outerSrc, e?.outerDst, path.ttl],
    ['d6:49:d4:7f:6c:6f', '7e:05:32:ed:ce:c8', '10.0.0.232', '10.0.0.233', 62],
  );
  // Two live pods of the Deployment's three replicas: one more is predicted, at the first free address.
  const replicas = topology.nodes.flatMap((n) => n.pods.filter((p) => p.owner && p.name.startsWith('xiuxian')));
  assert.deepEqual(
    replicas.map((p) => `${p.name} ${p.node} ${p.address?.ip} ${p.address?.certainty}`),
    [
      'xiuxian-6d8b5f7c49-x7k2p worker232 10.100.1.10 known',
      'xiuxian-3 worker232 10.100.1.2 inferred',
      'xiuxian-6d8b5f7c49-m5q9z worker233 10.100.2.4 known',
    ],
  );
});
