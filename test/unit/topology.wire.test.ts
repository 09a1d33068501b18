// The topology's wire form (topology/wire.ts): what the server sends for the panel expands back into
// exactly the Topology it was made from, on every example cluster, on the benchmark's 5,000-pod cluster
// and on topologies that break every rule the encoder derives by; and it is much smaller.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateWorkloadCluster } from '../../bench/generateWorkloads';
import { topologyOf, topologyResponseOf } from '../../server/src/features/topologyService';
import { pathToUri } from '../../server/src/model/workspace';
import { buildTopology } from '../../server/src/topology/build';
import type { Topology } from '../../server/src/topology/types';
import {
  FDB_FIELDS,
  NEIGHBOUR_FIELDS,
  ROUTE_FIELDS,
  sameFdb,
  sameNeighbour,
  sameRoute,
  topologyFromWire,
  topologyResultFromWire,
  topologyToWire,
} from '../../server/src/topology/wire';
import { calicoLab } from './calicoLab';
import { EXAMPLES, type Files, FLANNEL_NAMED, loadExample, workspaceOf } from './helpers';

/** As JSON carries it: what the client receives from the server, and what it must get back. */
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The Topology the client gets from `topology`'s wire form, sent as JSON. */
const roundTrip = (topology: Topology): Topology => json(topologyFromWire(json(topologyToWire(topology))));

function topologies(files: Files, options = {}): Topology[] {
  return workspaceOf(files, options)
    .clusters()
    .map((cluster) => buildTopology(cluster));
}

/** The benchmark's workloads case (5,000 pods of controllers on 50 nodes), as workspace files. */
function workloadFiles(): Files {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-wire-'));
  try {
    generateWorkloadCluster(dir);
    const files: Files = {};
    for (const name of fs.readdirSync(dir)) files[`/ws/${name}`] = fs.readFileSync(path.join(dir, name), 'utf8');
    return files;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const exampleFolders = fs
  .readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

test('every example cluster comes back from the wire exactly', () => {
  assert.ok(exampleFolders.length >= 8, `examples found: ${exampleFolders.join(', ')}`);
  let pods = 0;
  for (const folder of exampleFolders) {
    for (const options of [{}, FLANNEL_NAMED]) {
      for (const topology of topologies(loadExample(folder), options)) {
        assert.deepEqual(roundTrip(topology), json(topology), `${folder} ${JSON.stringify(options)}`);
        pods += topology.nodes.reduce((sum, node) => sum + node.pods.length, 0);
      }
    }
  }
  assert.ok(pods > 20, `the examples place pods (${pods})`);
});

test('a Calico cluster (cali veths, pod routes, no bridge) comes back from the wire exactly', () => {
  const [topology] = topologies(calicoLab());
  assert.ok(topology.nodes.some((node) => node.devices.some((d) => d.name.startsWith('cali'))));
  assert.deepEqual(roundTrip(topology), json(topology));
});

test("the benchmark's 5,000-pod cluster comes back exactly, in well under half the bytes", () => {
  const workspace = workspaceOf(workloadFiles());
  const full = topologyOf(workspace);
  const topology = full.clusters[0].topology;
  assert.equal(
    topology.nodes.reduce((sum, node) => sum + node.pods.length, 0),
    5000,
  );
  // What the server answers TOPOLOGY_REQUEST with, as the client receives and expands it.
  const response = json(topologyResponseOf(workspace, pathToUri('/ws/workloads.yml')));
  assert.deepEqual(json(topologyResultFromWire(response)), json(full));
  const fullBytes = JSON.stringify(full).length;
  const wireBytes = JSON.stringify(response).length;
  assert.ok(wireBytes <= fullBytes * 0.4, `${wireBytes} bytes on the wire for ${fullBytes} of topology`);
});

test('whatever the encoder cannot derive, it sends: the round trip stays exact', () => {
  const [topology] = topologies(loadExample('cluster-10.100'));
  const node = topology.nodes.find((n) => n.pods.some((p) => !p.hostNetwork))!;
  const pod = node.pods.find((p) => !p.hostNetwork)!;
  const eth0 = pod.devices.find((d) => d.kind === 'veth-pod')!;
  const veth = node.devices.find((d) => d.peer === eth0.id)!;
  const key = `${pod.namespace}/${pod.name}`;
  // Ids, netns and names that ids.ts would not build, and sentences naming the pod where no pod is.
  node.id = `${node.name}-renamed`;
  pod.id = 'somewhere/else';
  pod.node = 'another-node';
  pod.devices[0].id = 'odd/lo';
  pod.devices[0].netns = 'shared';
  veth.name = 'veth1234abcd';
  veth.facts = [...veth.facts, `Not about ${key}'s twin, ${key}${key}.`];
  node.devices[0].facts = [`The node's ${key}`];
  // A second pod whose eth0 claims the same host end: only one can be its pair.
  const twin = structuredClone(pod);
  twin.name = 'twin';
  node.pods.push(twin);
  // A host device whose peer is a pod device that does not point back.
  node.devices.push({ ...structuredClone(veth), id: `${node.name}/host/stray`, peer: pod.devices[0].id });
  topology.unplaced.push({ pod: 'x/y', reason: 'x/y has no node: x/y', source: pod.source });
  assert.deepEqual(roundTrip(topology), json(topology));
});

test('names that ids.ts escapes (%, /, reserved words) come back exactly', () => {
  const files = loadExample('cluster-10.100');
  files['/ws/cluster-10.100/odd.yaml'] = `apiVersion: v1
kind: Pod
metadata:
  name: "50%-web"
  namespace: host
spec:
  nodeName: worker232
  containers:
  - name: app
    image: nginx
`;
  const [topology] = topologies(files);
  const odd = topology.nodes.flatMap((n) => n.pods).find((p) => p.name === '50%-web');
  assert.ok(odd, 'the pod is placed');
  assert.deepEqual(roundTrip(topology), json(topology));
});

test('sentences, file names and device shapes are sent once', () => {
  const [topology] = topologies(loadExample('cluster-10.100'));
  const wire = topologyToWire(topology);
  assert.equal(new Set(wire.texts.map((t) => JSON.stringify(t))).size, wire.texts.length);
  assert.equal(new Set(wire.uris).size, wire.uris.length);
  assert.equal(new Set(wire.shapes.map((s) => JSON.stringify(s))).size, wire.shapes.length);
  // Every pod's loopback is one shape, with nothing of its own.
  const loopbacks = wire.nodes
    .flatMap((n) => n.pods.flatMap((p) => p.devices))
    .filter((d) => wire.shapes[d.shape].kind === 'loopback');
  assert.ok(loopbacks.length > 1);
  assert.equal(new Set(loopbacks.map((d) => d.shape)).size, 1);
  assert.ok(loopbacks.every((d) => Object.keys(d).join() === 'shape'));
});

test("a node's routes, neighbours and FDB entries for a peer are sent once for the cluster", () => {
  const [topology] = workspaceOf(workloadFiles())
    .clusters()
    .map((cluster) => buildTopology(cluster));
  const wire = topologyToWire(topology);
  const nodes = topology.nodes.length;
  // Every node lists a neighbour and an FDB entry for each of its peers: nodes × (nodes - 1) entries.
  assert.equal(
    wire.nodes.reduce((sum, node) => sum + node.neighbours.length, 0),
    nodes * (nodes - 1),
  );
  assert.equal(wire.neighbourTable.length, nodes, 'one neighbour entry per node, whoever lists it');
  assert.equal(wire.fdbTable.length, nodes);
  assert.ok(wire.routeTable.length < 4 * nodes, `${wire.routeTable.length} routes for ${nodes} nodes`);
  assert.deepEqual(roundTrip(topology), json(topology));
});

test('node table entries that differ in any field are kept apart', () => {
  const [topology] = topologies(loadExample('cluster-10.100'));
  const [node] = topology.nodes;
  const base = node.routes[0];
  // Equal but for one field each, and two whose first fields would run together if joined.
  const variants = [
    { ...base, destination: 'ab', via: 'c' },
    { ...base, destination: 'a', via: 'bc' },
    { ...base, onlink: true },
    { ...base, onlink: false },
    { ...base, src: undefined },
    { ...base, certainty: 'placeholder' as const },
  ];
  const changed = {
    ...topology,
    nodes: [{ ...node, routes: [...node.routes, ...variants] }, ...topology.nodes.slice(1)],
  };
  assert.deepEqual(roundTrip(changed), json(changed));
});

test('the node table comparisons tell every field of their entries apart', () => {
  const checks = [
    { fields: ROUTE_FIELDS, same: sameRoute as (a: object, b: object) => boolean },
    { fields: NEIGHBOUR_FIELDS, same: sameNeighbour as (a: object, b: object) => boolean },
    { fields: FDB_FIELDS, same: sameFdb as (a: object, b: object) => boolean },
  ];
  for (const { fields, same } of checks) {
    const entry = Object.fromEntries(fields.map((field) => [field, `${field}-value`]));
    assert.ok(same(entry, { ...entry }));
    for (const field of fields)
      assert.equal(same(entry, { ...entry, [field]: 'other' }), false, `${fields.join()}: ${field}`);
  }
});
