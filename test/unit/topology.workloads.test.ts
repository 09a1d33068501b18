// Controllers' pods in the topology, the packet path and the CLI (test/fixtures/workloads: a kubeadm
// control plane, three labelled workers, flannel, a Deployment, a StatefulSet, DaemonSets, a Job, a CronJob).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildTopology } from '../../server/src/topology/build';
import { findPod, packetPath } from '../../server/src/topology/path';
import { type PacketPath, type PodTopology, type Topology } from '../../server/src/topology/types';
import { FIXTURES, type Files, REPO_ROOT, workspaceOf } from './helpers';

const FOLDER = path.join(FIXTURES, 'workloads');

function fixture(): Files {
  const files: Files = {};
  for (const name of fs.readdirSync(FOLDER)) files[`/ws/${name}`] = fs.readFileSync(path.join(FOLDER, name), 'utf8');
  return files;
}

function build(files: Files) {
  const cluster = workspaceOf(files).clusters()[0];
  return { cluster, topology: buildTopology(cluster) };
}

const podsOn = (topology: Topology, node: string): PodTopology[] =>
  topology.nodes.find((n) => n.name === node)?.pods ?? [];

const names = (pods: PodTopology[]) => pods.map((p) => `${p.namespace}/${p.name}`);

test("a Deployment's pods appear on the nodes the scheduler may pick, with their owner", () => {
  const { topology } = build(fixture());
  const storefront = topology.nodes.flatMap((n) => n.pods.filter((p) => p.owner?.name === 'storefront'));
  assert.deepEqual(
    storefront.map((p) => [p.name, p.node]),
    [
      ['storefront-1', 'node-1'],
      ['storefront-3', 'node-1'],
      ['storefront-2', 'node-2'],
    ],
  );
  const first = storefront[0];
  assert.deepEqual(first.owner, { kind: 'Deployment', name: 'storefront' });
  assert.equal(first.generatedName, 'storefront-<hash>-<id>');
  assert.match(first.placement ?? '', /^inferred: the scheduler picks one of node-1, node-2;/);
  assert.equal(first.namespace, 'shop');
  assert.equal(first.address?.certainty, 'inferred');
  assert.ok(
    first.devices.some((d) => d.kind === 'veth-pod'),
    'a bridged pod gets its eth0',
  );
  assert.ok(first.source, 'the pod points at its Deployment');
  // Nothing lands on the tainted control plane but the DaemonSet that tolerates it.
  assert.deepEqual(names(podsOn(topology, 'cp-1')), ['kube-flannel/kube-flannel-ds@cp-1']);
});

test('StatefulSet pods by real name, DaemonSet pods per node on the host network, Job and CronJob pods', () => {
  const { topology } = build(fixture());
  assert.deepEqual(
    podsOn(topology, 'node-1')
      .filter((p) => p.owner?.kind === 'StatefulSet')
      .map((p) => [p.name, p.generatedName, p.placement]),
    [
      ['cache-1', 'cache-1', undefined],
      ['cache-2', 'cache-2', undefined],
    ],
  );
  const exporter = topology.nodes.flatMap((n) => n.pods.filter((p) => p.owner?.name === 'node-exporter'));
  // No toleration: not on the control plane, nor on the node tainted dedicated=gpu.
  assert.deepEqual(
    exporter.map((p) => p.name),
    ['node-exporter@node-1', 'node-exporter@node-2'],
  );
  assert.ok(
    exporter.every((p) => p.hostNetwork && p.devices.length === 0),
    'hostNetwork: no veth',
  );
  assert.equal(exporter[0].address?.ip, '192.168.56.11', "the node's IP");
  assert.equal(exporter[0].address?.certainty, 'known');
  const report = podsOn(topology, 'node-10').find((p) => p.owner?.kind === 'CronJob');
  assert.equal(report?.name, 'report-1');
  assert.match(report?.notes?.[0] ?? '', /only while a run of the CronJob is active/);
  const reindex = topology.nodes.flatMap((n) => n.pods.filter((p) => p.owner?.kind === 'Job'));
  assert.deepEqual(
    reindex.map((p) => `${p.name} ${p.node}`),
    ['reindex-1 node-2', 'reindex-2 node-2'],
    'NotIn ssd, and node-10 is tainted: node-2 only',
  );
});

test('a controller whose pods fit no node is listed in unplaced with the reason and its owner', () => {
  const files = fixture();
  files['/ws/apps.yaml'] = files['/ws/apps.yaml'].replace('disktype: ssd', 'disktype: nvme');
  const { topology } = build(files);
  const cache = topology.unplaced.filter((u) => u.owner?.name === 'cache');
  assert.deepEqual(
    cache.map((u) => u.pod),
    ['shop/cache-1', 'shop/cache-2'],
  );
  assert.equal(
    cache[0].reason,
    'no node it can run on: nodeSelector disktype=nvme: the node has no label disktype (cp-1, node-10); ' +
      'nodeSelector disktype=nvme: the node has disktype=ssd (node-1); nodeSelector disktype=nvme: the node has ' +
      'disktype=hdd (node-2)',
  );
  assert.deepEqual(cache[0].owner, { kind: 'StatefulSet', name: 'cache' });
  assert.match(
    (findPod(topology, 'cache-1') as { error: string }).error,
    /shop\/cache-1 is on no node: no node it can run on/,
  );
});

test('the packet path takes short names: a Deployment pod, a StatefulSet pod, a DaemonSet pod', () => {
  const { cluster, topology } = build(fixture());
  const across = packetPath(cluster, topology, 'storefront-2', 'cache-1');
  assert.ok(across.ok, across.reason);
  assert.equal(across.from, 'shop/storefront-2');
  assert.equal(across.to, 'shop/cache-1');
  assert.equal(across.encapsulation?.type, 'vxlan');
  assert.equal(across.encapsulation?.outerDst, '192.168.56.11');
  const toDaemon = packetPath(cluster, topology, 'shop/storefront-1', 'kube-flannel-ds@node-2');
  assert.ok(toDaemon.ok, toDaemon.reason);
  assert.equal(toDaemon.hops[toDaemon.hops.length - 1].netns, 'host', 'a hostNetwork pod lives in the host namespace');
});

test('same-named pods of two namespaces on one node get two veths, and the path uses the right one', () => {
  const pod = (namespace: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: api, namespace: ${namespace}}\n` +
    'spec:\n  nodeName: node-1\n  containers: [{name: c}]\n';
  const files = { ...fixture(), '/ws/pods.yaml': [pod('blue'), pod('green')].join('---\n') };
  const { cluster, topology } = build(files);
  const node1 = topology.nodes.find((n) => n.name === 'node-1')!;
  const veths = node1.devices.filter((d) => d.kind === 'veth-host').map((d) => d.id);
  assert.equal(new Set(veths).size, veths.length, 'veth ids are unique');
  assert.ok(veths.includes('node-1/host/veth<blue%2Fapi>') && veths.includes('node-1/host/veth<green%2Fapi>'));
  const trace = packetPath(cluster, topology, 'blue/api', 'green/api');
  assert.ok(trace.ok, trace.reason);
  const vethHops = trace.hops.filter((h) => h.action === 'veth').map((h) => h.deviceId);
  assert.deepEqual(vethHops, ['node-1/host/veth<blue%2Fapi>', 'node-1/host/veth<green%2Fapi>']);
});

test('podnet path and topology from the command line take and show the short names', () => {
  const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
  const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  const result = run(['path', FOLDER, '--from', 'cache-2', '--to', 'node-exporter@node-2', '--format', 'json']);
  assert.equal(result.status, 0, result.stdout + result.stderr);
  const trace = JSON.parse(result.stdout) as PacketPath;
  assert.equal(trace.from, 'shop/cache-2');
  assert.equal(trace.to, 'monitoring/node-exporter@node-2');
  const topology = JSON.parse(run(['topology', FOLDER]).stdout) as Topology[];
  const pod = topology[0].nodes.flatMap((n) => n.pods).find((p) => p.name === 'storefront-1');
  assert.deepEqual(pod?.owner, { kind: 'Deployment', name: 'storefront' });
});
