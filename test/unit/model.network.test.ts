import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatAddress, formatCidr } from '../../server/src/core/cidr';
import { loadExample, workspaceOf, flannelConfigMap } from './helpers';

const nodeOf = (files: Record<string, string>, name: string) => {
  const node = workspaceOf(files)
    .clusters()
    .flatMap((c) => c.network.nodes)
    .find((n) => n.name === name);
  assert.ok(node, `node ${name} in the model`);
  return node;
};

test('cluster-10.100: per-node addressing matches what the seed cluster showed', () => {
  const files = loadExample('cluster-10.100');
  const worker = nodeOf(files, 'worker232');
  assert.equal(formatCidr(worker.podCidr!), '10.100.1.0/24');
  assert.equal(worker.podCidrInferred, undefined);
  assert.equal(formatAddress(worker.gateway!), '10.100.1.1');
  assert.equal(formatAddress(worker.firstPodAddress!), '10.100.1.2');
  assert.equal(formatAddress(worker.lastPodAddress!), '10.100.1.254');
  assert.equal(worker.podAddressCount, 253n);
  assert.deepEqual(worker.tunnel, { device: 'flannel.1', address: '10.100.1.0/32' });
  assert.equal(worker.podMtu, 1450);
  assert.equal(formatAddress(worker.internalIp!), '10.0.0.232');
  assert.deepEqual(
    worker.pods.map((p) => p.object.name?.value),
    ['xiuxian-v1'],
  );
});

test('seed-multi-node: nodes from a kind: List, pods placed on them', () => {
  const files = loadExample('seed-multi-node');
  assert.equal(formatCidr(nodeOf(files, 'k8s-worker2').podCidr!), '10.244.2.0/24');
  assert.deepEqual(
    nodeOf(files, 'k8s-worker1').pods.map((p) => p.object.name?.value),
    ['mypod1'],
  );
});

test('without Node objects the podCIDR is inferred, says so, and leaves the first subnet to the control plane', () => {
  const files = loadExample('seed-single-node');
  const cluster = workspaceOf(files).clusters()[0];
  assert.ok(cluster.network.netConf.assumed, 'flannel defaults are assumed');
  const worker = cluster.network.nodes.find((n) => n.name === 'k8s-worker1')!;
  assert.equal(formatCidr(worker.podCidr!), '10.244.1.0/24');
  assert.match(worker.podCidrInferred!, /^inferred: no Node object/);
  assert.equal(worker.pods.length, 3);
});

test('clusters are per folder and never mix', () => {
  const files = {
    ...loadExample('cluster-10.100'),
    ...loadExample('seed-multi-node'),
    ...loadExample('seed-single-node'),
  };
  const clusters = workspaceOf(files).clusters();
  const byRoot = new Map(clusters.map((c) => [c.root, c]));
  assert.deepEqual([...byRoot.keys()].sort(), ['/ws/cluster-10.100', '/ws/seed-multi-node', '/ws/seed-single-node']);
  assert.deepEqual(
    byRoot.get('/ws/cluster-10.100')!.network.nodes.map((n) => n.name),
    ['master231', 'worker232', 'worker233'],
  );
  assert.equal(byRoot.get('/ws/seed-multi-node')!.network.nodes.length, 2);
});

test('a file in a sub-folder joins the nearest marker folder above it', () => {
  const files = { ...loadExample('cluster-10.100') };
  files['/ws/cluster-10.100/apps/web/pod.yaml'] =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: worker233\n';
  const cluster = workspaceOf(files)
    .clusters()
    .find((c) => c.files.some((f) => f.file.path.endsWith('web/pod.yaml')))!;
  assert.equal(cluster.root, '/ws/cluster-10.100');
  assert.deepEqual(
    cluster.network.nodes
      .find((n) => n.name === 'worker233')!
      .pods.map((p) => p.object.name?.value)
      .sort(),
    ['web', 'xiuxian-v2'],
  );
});

test('explicit cluster mappings win over folder discovery', () => {
  const files = { ...loadExample('cluster-10.100'), ...loadExample('seed-multi-node') };
  const clusters = workspaceOf(files, { clusterMappings: [{ folder: '.', name: 'everything' }] }).clusters();
  assert.deepEqual(
    clusters.map((c) => c.name),
    ['everything'],
  );
});

test('backend overhead sets the pod MTU and tunnel device', () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  nodeName: n1\n';
  const cases: Array<[string, number, string | undefined]> = [
    ['{"Network": "10.1.0.0/16", "Backend": {"Type": "host-gw"}}', 1500, undefined],
    ['{"Network": "10.1.0.0/16", "Backend": {"Type": "wireguard"}}', 1420, 'flannel-wg'],
    ['{"Network": "10.1.0.0/16", "Backend": {"Type": "vxlan", "VNI": 4, "MTU": 9000}}', 8950, 'flannel.4'],
    ['{"Network": "10.1.0.0/16"}', 1472, 'flannel0'],
  ];
  for (const [netConf, mtu, device] of cases) {
    const node = nodeOf({ '/ws/c/cm.yaml': flannelConfigMap(netConf), '/ws/c/pod.yaml': pod }, 'n1');
    assert.equal(node.podMtu, mtu, netConf);
    assert.equal(node.tunnel?.device, device, netConf);
  }
});
