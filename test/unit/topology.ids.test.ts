// Topology ids: built and parsed in one module, and every id parses back to the names it came from,
// whatever the manifests call things.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildTopology } from '../../server/src/topology/build';
import {
  CLUSTER_ID,
  hiddenPodsId,
  hostDeviceId,
  nodeId,
  nodeOfId,
  parseId,
  podDeviceId,
  podId,
  podIdOfDevice,
  WIRE_ID,
} from '../../server/src/topology/ids';
import { packetPath } from '../../server/src/topology/path';
import { buildScene } from '../../server/src/topology/scene';
import { flannelConfigMap, workspaceOf } from './helpers';

const HOSTILE = [
  'a/b',
  'a//b/',
  '/',
  'ns:pod@x',
  'with space',
  '<b>markup</b>&amp;',
  '%2F',
  '%',
  '%zz',
  'host',
  'pods',
  'wire',
  'cluster',
  'veth<x>',
  'é/ü',
  '',
];

test('ids of ordinary names read as before', () => {
  assert.equal(nodeId('worker1'), 'worker1');
  assert.equal(podId('worker1', { namespace: 'default', name: 'web' }), 'worker1/default/web');
  assert.equal(hostDeviceId('worker1', 'flannel.1'), 'worker1/host/flannel.1');
  assert.equal(podDeviceId('worker1', { namespace: 'default', name: 'web' }, 'eth0'), 'worker1/default/web/eth0');
  assert.equal(hiddenPodsId('worker1'), 'worker1/pods');
});

test('every kind of id round-trips hostile names', () => {
  for (const node of HOSTILE) {
    assert.deepEqual(parseId(nodeId(node)), { kind: 'node', node }, node);
    assert.deepEqual(parseId(hiddenPodsId(node)), { kind: 'pods', node }, node);
    assert.equal(nodeOfId(nodeId(node)), node);
    for (const other of HOSTILE) {
      const pod = { namespace: node, name: other };
      assert.deepEqual(parseId(podId(other, pod)), { kind: 'pod', node: other, pod }, `${other} ${node}`);
      assert.deepEqual(parseId(hostDeviceId(node, other)), { kind: 'device', node, device: other });
      assert.deepEqual(parseId(podDeviceId(other, pod, node)), { kind: 'device', node: other, pod, device: node });
      assert.equal(podIdOfDevice(podDeviceId(other, pod, 'eth0')), podId(other, pod));
    }
  }
  assert.deepEqual(parseId(WIRE_ID), { kind: 'wire' });
  assert.deepEqual(parseId(CLUSTER_ID), { kind: 'cluster' });
});

test('ids that no constructor builds do not parse', () => {
  for (const id of ['a/%zz', 'a/%', 'n/host/x/eth0', 'a/b', 'a/b/c/d/e']) assert.equal(parseId(id), undefined, id);
});

test('a cluster with hostile names: ids are unique, parse back, and the path lights up the right boxes', () => {
  const node = (name: string, podCIDR: string, ip: string) =>
    `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${JSON.stringify(name)}\nspec:\n  podCIDR: ${podCIDR}\n` +
    `status:\n  addresses:\n  - type: InternalIP\n    address: ${ip}\n`;
  const pod = (namespace: string, name: string, nodeName: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${JSON.stringify(name)}\n` +
    `  namespace: ${JSON.stringify(namespace)}\nspec:\n  nodeName: ${JSON.stringify(nodeName)}\n` +
    `  containers:\n  - name: c\n    image: x\n`;
  const files = {
    '/ws/kube-flannel.yaml': flannelConfigMap('{"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan"}}'),
    '/ws/nodes.yaml': [node('wire', '10.244.1.0/24', '10.0.0.1'), node('a/b c', '10.244.2.0/24', '10.0.0.2')].join(
      '---\n',
    ),
    '/ws/pods.yaml': [
      pod('host', 'x/y', 'wire'),
      pod('a/b', '<img src=x>', 'wire'),
      pod('default', 'p@q:1', 'a/b c'),
    ].join('---\n'),
  };
  const cluster = workspaceOf(files).clusters()[0];
  const topology = buildTopology(cluster);
  const ids: Array<[string, string]> = [];
  for (const n of topology.nodes) {
    ids.push([n.id, n.name]);
    assert.deepEqual(parseId(n.id), { kind: 'node', node: n.name });
    for (const d of n.devices) {
      ids.push([d.id, d.name]);
      assert.deepEqual(parseId(d.id), { kind: 'device', node: n.name, device: d.name });
    }
    for (const p of n.pods) {
      ids.push([p.id, p.name]);
      const ref = { namespace: p.namespace, name: p.name };
      assert.deepEqual(parseId(p.id), { kind: 'pod', node: n.name, pod: ref });
      for (const d of p.devices) {
        ids.push([d.id, d.name]);
        assert.deepEqual(parseId(d.id), { kind: 'device', node: n.name, pod: ref, device: d.name });
      }
    }
  }
  assert.equal(new Set(ids.map(([id]) => id)).size, ids.length, 'ids are unique');
  const podEnds = topology.nodes.flatMap((n) => n.pods.flatMap((p) => p.devices)).filter((d) => d.kind === 'veth-pod');
  assert.equal(podEnds.length, 3, 'every pod got its eth0');
  assert.ok(!ids.some(([id]) => id === WIRE_ID || id === CLUSTER_ID), 'no element takes the wire or title id');

  const scene = buildScene(topology);
  const drawn = new Set(scene.elements.flatMap((e) => (e.type === 'box' ? [e.ref.id] : [])));
  const path = packetPath(cluster, topology, 'host/x/y', 'default/p@q:1');
  assert.ok(path.ok, path.reason);
  const first = path.hops[0];
  assert.equal(podIdOfDevice(first.deviceId!), podId('wire', { namespace: 'host', name: 'x/y' }));
  assert.ok(drawn.has(podIdOfDevice(first.deviceId!)!), 'the source pod box is drawn under that id');
  for (const hop of path.hops)
    if (hop.deviceId) assert.equal(nodeOfId(hop.deviceId), hop.node, `${hop.deviceId} is on ${hop.node}`);
});
