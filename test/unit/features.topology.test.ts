import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { codeLensesOf } from '../../server/src/features/codeLens';
import { nodeToolsOf, pathOf, topologyOf } from '../../server/src/features/topologyService';
import { pathToUri } from '../../server/src/model/workspace';
import { loadExample, workspaceOf } from './helpers';

const files = () => ({
  ...loadExample('cluster-10.100'),
  ...loadExample('seed-multi-node'),
  ...loadExample('flannel-upstream'),
});

test('topology request: every drawable cluster, focused on the file asked about', () => {
  const workspace = workspaceOf(files());
  const result = topologyOf(workspace, pathToUri('/ws/seed-multi-node/pod.yml'));
  assert.deepEqual(result.clusters.map((c) => c.topology.cluster.name).sort(), [
    'cluster-10.100',
    'flannel-upstream',
    'seed-multi-node',
  ]);
  assert.equal(result.clusters[result.focus].topology.cluster.name, 'seed-multi-node');
  assert.ok(result.clusters[result.focus].topology.nodes.some((n) => n.id === 'k8s-worker1'));
  assert.equal(topologyOf(workspace).focus, 0);
});

test('topology views are reused until the workspace changes', () => {
  const workspace = workspaceOf(files());
  const first = topologyOf(workspace).clusters[0];
  assert.equal(topologyOf(workspace).clusters[0], first);
  workspace.setFile(
    pathToUri('/ws/cluster-10.100/extra.yaml'),
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: extra\nspec:\n  nodeName: worker233\n',
  );
  const after = topologyOf(workspace).clusters.find((c) => c.topology.cluster.name === 'cluster-10.100')!;
  assert.notEqual(after, first);
  assert.ok(after.topology.nodes.find((n) => n.name === 'worker233')!.pods.some((p) => p.name === 'extra'));
});

test('packet path and node tools requests by cluster id', () => {
  const workspace = workspaceOf(files());
  const cluster = topologyOf(workspace).clusters.find((c) => c.topology.cluster.name === 'cluster-10.100')!;
  const path = pathOf(workspace, { clusterId: cluster.topology.cluster.id, from: 'xiuxian-v1', to: 'xiuxian-v2' });
  assert.ok(path.ok);
  assert.equal(path.encapsulation?.port, 8472);
  assert.equal(pathOf(workspace, { clusterId: 'gone', from: 'a', to: 'b' }).ok, false);
  assert.match(
    nodeToolsOf(workspace, { clusterId: cluster.topology.cluster.id, node: 'master231', view: 'ip-route' })!,
    /10\.100\.1\.0\/24 via 10\.100\.1\.0 dev flannel\.1 onlink/,
  );
  assert.equal(
    nodeToolsOf(workspace, { clusterId: cluster.topology.cluster.id, node: 'nope', view: 'ip-route' }),
    undefined,
  );
});

test('code lenses on the flannel ConfigMap and on placed Pods', () => {
  const workspace = workspaceOf(files());
  const configMap = codeLensesOf(workspace, pathToUri('/ws/cluster-10.100/kube-flannel-cfg.yaml'));
  assert.equal(configMap.length, 1);
  assert.equal(configMap[0].command, 'podnet.openTopology');
  assert.match(configMap[0].title, /3 nodes, vxlan/);
  const pods = codeLensesOf(workspace, pathToUri('/ws/cluster-10.100/network-cni-test.yaml'));
  assert.deepEqual(
    pods.map((l) => l.arguments[1]),
    ['default/xiuxian-v1', 'default/xiuxian-v2'],
  );
  // The static pod runs on master231 (labelled control-plane), so a packet can be traced from it.
  assert.deepEqual(
    codeLensesOf(workspace, pathToUri('/ws/cluster-10.100/kube-controller-manager.yaml')).map((l) => l.arguments[1]),
    ['kube-system/kube-controller-manager'],
  );
  const loose = (spec: string) =>
    workspaceOf({
      ...files(),
      '/ws/cluster-10.100/loose.yaml': `apiVersion: v1\nkind: Pod\nmetadata:\n  name: loose\nspec:\n${spec}`,
    });
  const containers = '  containers:\n  - name: a\n    image: busybox\n';
  const scheduled = codeLensesOf(loose(containers), pathToUri('/ws/cluster-10.100/loose.yaml'));
  assert.deepEqual(
    scheduled.map((l) => l.arguments[1]),
    ['default/loose'],
    'a pod the scheduler binds: a lens',
  );
  const nowhere = loose(`  nodeSelector: {disk: none}\n${containers}`);
  assert.deepEqual(codeLensesOf(nowhere, pathToUri('/ws/cluster-10.100/loose.yaml')), [], 'an unplaced pod: no lens');
});
