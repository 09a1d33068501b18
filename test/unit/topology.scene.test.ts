// The picture the panel and the CLI draw (topology/scene.ts, pathOverlay.ts, svg.ts): broken states are
// shown, the path is readable, the layout fills the view and stays legible, and it is drawn as flannel
// builds it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { runTopology } from '../../server/src/cli/topology';
import { loadWorkspace } from '../../server/src/cli/load';
import { type Cluster } from '../../server/src/model/workspace';
import { buildTopology } from '../../server/src/topology/build';
import { nodeOfId } from '../../server/src/topology/ids';
import { packetPath } from '../../server/src/topology/path';
import { pathOverlay } from '../../server/src/topology/pathOverlay';
import {
  BOX_TEXT,
  buildScene,
  type Scene,
  type SceneBox,
  type SceneLine,
  type SceneOptions,
} from '../../server/src/topology/scene';
import { FONT, textWidth } from '../../server/src/topology/sceneText';
import { sceneToSvg } from '../../server/src/topology/svg';
import { type Topology } from '../../server/src/topology/types';
import { EXAMPLES, type Files, FLANNEL_NAMED, loadExample, mutate, workspaceOf } from './helpers';
import { largeCluster } from './largeCluster';

function clusterOf(files: Files, root: string): { cluster: Cluster; topology: Topology } {
  const cluster = workspaceOf(files, FLANNEL_NAMED)
    .clusters()
    .find((c) => c.root === root);
  assert.ok(cluster, `cluster ${root}`);
  return { cluster, topology: buildTopology(cluster) };
}

const boxes = (scene: Scene) => scene.elements.filter((e): e is SceneBox => e.type === 'box');
const lines = (scene: Scene) => scene.elements.filter((e): e is SceneLine => e.type === 'line');
const frames = (scene: Scene) => boxes(scene).filter((b) => b.classes.includes('node'));

function large(nodes: number, pods: number): Topology {
  const files = Object.fromEntries(Object.entries(largeCluster(nodes, pods)).map(([f, t]) => [`/ws/big/${f}`, t]));
  return clusterOf(files, '/ws/big').topology;
}

const TRAILING_COMMA: [string, string, string] = [
  '/ws/cluster-10.100/kube-flannel-cfg.yaml',
  '"Type": "vxlan"\n      }\n',
  '"Type": "vxlan"\n      },\n',
];

// ---- broken states ----

test('a net-conf.json flanneld cannot parse: a banner pointing at the comma, every node marked stopped', () => {
  const files = mutate(loadExample('cluster-10.100'), ...TRAILING_COMMA);
  const { topology } = clusterOf(files, '/ws/cluster-10.100');
  assert.equal(topology.banners.length, 1, JSON.stringify(topology.banners));
  const [banner] = topology.banners;
  assert.equal(banner.rule, 'json-syntax');
  assert.equal(banner.scope, 'cluster');
  assert.match(banner.message, /trailing comma/);
  assert.match(banner.source?.uri ?? '', /kube-flannel-cfg\.yaml$/);
  assert.equal(banner.source?.range.start.line, 35, 'the line of the comma');
  const scene = buildScene(topology, { width: 1200 });
  const drawn = boxes(scene).find((b) => b.classes.includes('banner'));
  assert.ok(drawn, 'the banner is drawn');
  assert.deepEqual(drawn.ref, { kind: 'banner', id: '0' });
  assert.match(drawn.lines.join(' '), /trailing comma/);
  assert.match(drawn.lines.join(' '), /json-syntax: stops the network on every node · kube-flannel-cfg\.yaml:36/);
  const stopped = boxes(scene).filter(
    (b) => b.classes.includes('problem') && b.lines[0] === 'Network stopped on this node',
  );
  assert.deepEqual(
    stopped.map((b) => b.ref.id),
    ['master231', 'worker232', 'worker233'],
  );
});

test('a clean cluster gets no banner: banners come only from errors that stop the network', () => {
  for (const [folder, root] of [
    ['cluster-10.100', '/ws/cluster-10.100'],
    ['seed-multi-node', '/ws/seed-multi-node'],
    ['seed-single-node', '/ws/seed-single-node'],
    ['flannel-upstream', '/ws/flannel-upstream'],
  ]) {
    const { topology } = clusterOf(loadExample(folder), root);
    assert.deepEqual(topology.banners, [], folder);
    assert.ok(!boxes(buildScene(topology)).some((b) => b.classes.includes('banner')), folder);
  }
  // A warning that does not stop flannel (no Backend: udp) is no banner either.
  const files = mutate(
    loadExample('cluster-10.100'),
    '/ws/cluster-10.100/kube-flannel-cfg.yaml',
    '"Backend"',
    '"Backnd"',
  );
  assert.deepEqual(clusterOf(files, '/ws/cluster-10.100').topology.banners, []);
});

test('broken-flannel: one banner per rule, the node ones naming their nodes; the misspelt pod in the tray', () => {
  const { topology } = clusterOf(loadExample('broken-flannel'), '/ws/broken-flannel');
  assert.deepEqual(
    topology.banners.map((b) => `${b.rule} ${b.scope} ${b.nodes.join(',')} +${b.more}`),
    [
      'json-syntax cluster  +0',
      'cluster-cidr-mismatch cluster  +0',
      'podcidr-outside-network node lab-cp,lab-worker +1',
    ],
  );
  const scene = buildScene(topology, { width: 760 });
  const tray = boxes(scene).filter((b) => b.classes.includes('unplaced'));
  assert.equal(tray.length, 1);
  assert.deepEqual(tray[0].ref, { kind: 'unplaced', id: 'default/server' });
  assert.equal(tray[0].lines[0], 'default/server');
  assert.match(tray[0].lines.slice(1).join(' '), /spec\.nodeName `lab-wroker` names no known node/);
  assert.ok(scene.elements.some((e) => e.type === 'label' && e.text === 'Pods on no node (1)'));
  // The nodes that cannot be built say why, inside their frames.
  const problems = boxes(scene).filter((b) => b.classes.includes('problem') && b.lines[0] === 'Cannot be built');
  assert.deepEqual(
    problems.map((b) => b.ref.id),
    ['lab-cp', 'lab-worker'],
  );
});

test('a cluster with nothing to draw says what is missing', () => {
  const { topology } = clusterOf(loadExample('flannel-upstream'), '/ws/flannel-upstream');
  const scene = buildScene(topology, { width: 760 });
  assert.equal(scene.mode, 'empty');
  const message = boxes(scene).find((b) => b.classes.includes('empty-state'));
  assert.ok(message);
  const text = message.lines.join(' ');
  assert.match(text, /^Nothing to draw: no nodes/);
  assert.match(text, /no Node objects and no Pods/);
  assert.match(text, /Found flannel's configuration: vxlan on 10\.244\.0\.0\/16/);
  assert.match(text, /podnet\.knownNodes/);
});

// ---- drawn as it is ----

test('each veth is a port on its bridge: it touches the bridge bar, and no veth links to another', () => {
  const { topology } = clusterOf(loadExample('seed-single-node'), '/ws/seed-single-node');
  const scene = buildScene(topology, { width: 760 });
  const ports = boxes(scene).filter((b) => b.classes.includes('port'));
  const bars = boxes(scene).filter((b) => b.classes.includes('bridge-bar'));
  assert.equal(ports.length, 3);
  assert.equal(bars.length, 1);
  for (const port of ports) {
    const bar = bars[0];
    assert.equal(port.x + port.width, bar.x, 'the port sits on the bar');
    assert.ok(port.y >= bar.y && port.y + port.height <= bar.y + bar.height);
    assert.deepEqual(bar.ref, { kind: 'device', id: 'k8s-worker1/host/cni0' });
  }
  const veths = new Set(ports.map((p) => p.ref.id));
  for (const line of lines(scene))
    assert.ok(!(line.ends && veths.has(line.ends[0]) && veths.has(line.ends[1])), 'no veth-to-veth chain');
  // Each port leads into the bridge, the bridge to the tunnel device, the tunnel device to the NIC.
  const ends = lines(scene).flatMap((l) => (l.ends ? [l.ends.join(' → ')] : []));
  for (const port of ports) assert.ok(ends.includes(`${port.ref.id} → k8s-worker1/host/cni0`));
  assert.ok(ends.includes('k8s-worker1/host/cni0 → k8s-worker1/host/flannel.1'));
  assert.ok(ends.includes('k8s-worker1/host/flannel.1 → k8s-worker1/host/eth0'));
});

test("veths enslaved to no bridge attach to the host's routing; a device is drawn only where it exists", () => {
  const { topology } = clusterOf(loadExample('cluster-10.100'), '/ws/cluster-10.100');
  // Calico's way: no cni0; each pod's veth is routed by the host.
  const routed: Topology = JSON.parse(JSON.stringify(topology)) as Topology;
  for (const node of routed.nodes) {
    node.devices = node.devices.filter((d) => d.kind !== 'bridge');
    for (const device of node.devices) delete device.master;
  }
  const scene = buildScene(routed, { width: 1200 });
  assert.ok(!boxes(scene).some((b) => b.classes.includes('device-bridge')), 'no bridge where the CNI makes none');
  const routing = boxes(scene).filter((b) => b.classes.includes('routing') && !b.classes.includes('bridge-bar'));
  assert.deepEqual(
    routing.map((b) => b.lines[0]),
    ["host's routing", "host's routing"],
    'on the two nodes with pods',
  );
  const ports = boxes(scene).filter((b) => b.classes.includes('port'));
  const bars = boxes(scene).filter((b) => b.classes.includes('routing') && b.classes.includes('bridge-bar'));
  for (const port of ports) assert.ok(bars.some((bar) => bar.x === port.x + port.width));
  // master231 has no pod: no cni0 there in the real topology either.
  const real = boxes(buildScene(topology, { width: 1200 }));
  assert.ok(!real.some((b) => b.ref.id === 'master231/host/cni0'));
  assert.ok(real.some((b) => b.ref.id === 'worker232/host/cni0'));
});

test('nothing overruns its frame, and every line of text fits its box', () => {
  const scenes: Array<[string, Scene]> = [];
  for (const width of [360, 760, 1500]) {
    scenes.push([
      `cluster-10.100 @${width}`,
      buildScene(clusterOf(loadExample('cluster-10.100'), '/ws/cluster-10.100').topology, { width }),
    ]);
    scenes.push([
      `broken-flannel @${width}`,
      buildScene(clusterOf(loadExample('broken-flannel'), '/ws/broken-flannel').topology, { width }),
    ]);
    scenes.push([`big @${width}`, buildScene(large(20, 300), { width, focusNodes: ['worker-003'] })]);
  }
  for (const [name, scene] of scenes) {
    const frameOf = new Map(frames(scene).map((f) => [f.ref.id, f]));
    for (const box of boxes(scene)) {
      assert.ok(box.x >= 0 && box.x + box.width <= scene.width, `${name}: ${box.ref.id} inside the scene`);
      assert.ok(box.y >= 0 && box.y + box.height <= scene.height, `${name}: ${box.ref.id} inside the scene`);
      const node = box.classes.includes('node') ? undefined : nodeOfId(box.ref.id);
      const frame = node === undefined ? undefined : frameOf.get(node);
      if (frame && box.ref.kind !== 'node')
        assert.ok(
          box.x >= frame.x &&
            box.x + box.width <= frame.x + frame.width &&
            box.y >= frame.y &&
            box.y + box.height <= frame.y + frame.height,
          `${name}: ${box.ref.id} inside the frame of ${node}`,
        );
      const room = box.width - 2 * BOX_TEXT.paddingX - (box.icon ? BOX_TEXT.iconWidth : 0);
      box.lines.forEach((line, i) => {
        const size = i === 0 ? (box.classes.includes('title') ? FONT.heading : FONT.normal) : FONT.small;
        assert.ok(textWidth(line, size, i === 0) <= room + 0.5, `${name}: "${line}" fits ${box.ref.id}`);
      });
      assert.ok(
        BOX_TEXT.firstBaseline + (box.lines.length - 1) * BOX_TEXT.lineStep <= box.height,
        `${name}: ${box.ref.id} holds its lines`,
      );
    }
  }
});

// ---- legible at every size ----

test('nodes wrap into rows that fill the width', () => {
  const { topology } = clusterOf(loadExample('cluster-10.100'), '/ws/cluster-10.100');
  const rowsAt = (width: number) => new Set(frames(buildScene(topology, { width })).map((f) => f.y)).size;
  assert.equal(rowsAt(1500), 1);
  assert.equal(rowsAt(760), 2, 'half of a 1500 px window: two nodes, then one');
  assert.equal(rowsAt(380), 3);
  const scene = buildScene(topology, { width: 760 });
  assert.equal(scene.width, 760, 'no wider than the view');
  // Under every row runs the wire; the rows' wires are joined.
  assert.equal(lines(scene).filter((l) => l.classes.includes('wire')).length, 3, 'two rows and the join');
});

test('50 nodes × 1,000 pods: an overview with every node legible, in the view, pods aggregated', () => {
  const topology = large(50, 1000);
  const scene = buildScene(topology, { width: 785, height: 940 });
  assert.equal(scene.mode, 'overview');
  const tiles = boxes(scene).filter((b) => b.classes.includes('node-tile'));
  assert.equal(tiles.length, 50);
  for (const tile of tiles) {
    assert.ok(tile.y + tile.height <= 940 && tile.x + tile.width <= 785, `${tile.ref.id} in the first view`);
    assert.match(tile.lines[0], /^worker-\d{3}$/, 'the full node name');
    assert.match(tile.lines[1], /^10\.244\.\d+\.0\/24 · 20 pods$/);
    assert.match(tile.lines[2], /^[a-z]+-[0-9a-f]{5}(, [a-z]+-[0-9a-f]{5})* \+\d+ more$/);
  }
  // Without room for names, the tiles keep the name, subnet and count.
  const small = buildScene(topology, { width: 700, height: 800 });
  assert.ok(
    boxes(small)
      .filter((b) => b.classes.includes('node-tile'))
      .every((t) => t.lines.length === 2 && t.y + t.height <= 800),
  );
  // The export of 50 nodes is a picture, not a strip.
  const exported = buildScene(topology);
  assert.ok(exported.width <= 1200 && exported.height < 1200, `${exported.width} × ${exported.height}`);
});

test('200 nodes × 10,000 pods: the overview stays a few hundred elements; a drill-down shows one node', () => {
  const topology = large(200, 10_000);
  const scene = buildScene(topology, { width: 785, height: 940 });
  assert.equal(scene.mode, 'overview');
  assert.ok(scene.elements.length <= 250, `${scene.elements.length} elements`);
  const node = buildScene(topology, { width: 785, height: 940, focusNodes: ['worker-117'] });
  assert.equal(node.mode, 'detail');
  assert.deepEqual(node.nodes, ['worker-117']);
  const pods = boxes(node).filter((b) => b.classes.includes('pod'));
  assert.equal(pods.length, 50, 'all its pods, in columns');
  assert.ok(new Set(pods.map((p) => p.x)).size >= 2, 'in more than one column');
  assert.ok(node.elements.length < 400, `${node.elements.length} elements`);
});

test('pods beyond the limit are grouped; a pinned pod (search hit, path end) is drawn anyway', () => {
  const topology = large(4, 100);
  const hidden = topology.nodes[1].pods[20];
  const scene = buildScene(topology, { width: 1500, maxPodsPerNode: 12 });
  const group = boxes(scene).find((b) => b.ref.id === 'worker-002/pods');
  assert.equal(group?.lines[0], '+14 more pods');
  assert.ok(!boxes(scene).some((b) => b.ref.id === hidden.id));
  const pinned = buildScene(topology, { width: 1500, maxPodsPerNode: 12, pinnedPods: [hidden.id] });
  assert.ok(boxes(pinned).some((b) => b.ref.id === hidden.id));
  assert.equal(boxes(pinned).find((b) => b.ref.id === 'worker-002/pods')?.lines[0], '+14 more pods');
});

// ---- a readable path ----

test('the path: a number on every hop, arrows along the links, the tunnel between the tunnel devices', () => {
  const { cluster, topology } = clusterOf(loadExample('cluster-10.100'), '/ws/cluster-10.100');
  const trace = packetPath(cluster, topology, 'xiuxian-v1', 'xiuxian-v2');
  assert.ok(trace.ok, trace.reason);
  const scene = buildScene(topology, { width: 1500 });
  const wire = trace.hops.findIndex((h) => h.action === 'wire');
  const overlay = pathOverlay(scene, trace, wire);
  const badges = overlay.elements.filter((e) => e.type === 'badge');
  assert.deepEqual(
    badges.map((b) => b.text),
    trace.hops.map((_, i) => String(i + 1)),
  );
  assert.deepEqual(
    badges.map((b) => b.classes[1]),
    trace.hops.map((_, i) => (i < wire ? 'passed' : i === wire ? 'current' : 'ahead')),
  );
  // pod → veth follows the drawn link, in the packet's direction, and ends in an arrowhead.
  const link = lines(scene).find(
    (l) => l.ends?.join() === 'worker232/default/xiuxian-v1,worker232/host/veth<xiuxian-v1>',
  );
  const arrows = overlay.elements.filter((e): e is SceneLine => e.type === 'line' && e.classes.includes('path-link'));
  assert.ok(link && arrows.some((a) => JSON.stringify(a.points) === JSON.stringify(link.points) && a.arrow));
  // veth → cni0 runs along the bridge's bar (a bend), not straight across the picture.
  const intoBridge = lines(scene).find((l) => l.ends?.join() === 'worker232/host/veth<xiuxian-v1>,worker232/host/cni0');
  assert.equal(intoBridge?.points.length, 3);
  assert.ok(arrows.some((a) => JSON.stringify(a.points) === JSON.stringify(intoBridge.points)));
  // NIC → NIC runs along the wire, the same way the underlay is drawn.
  assert.ok(
    arrows.some((a) =>
      a.points.every(([, y]) => y === lines(scene).find((l) => l.classes.includes('wire'))?.points[0][1]),
    ),
  );
  // The tunnel: from worker232's flannel.1 down to the tunnel line, across, up into worker233's.
  const tunnel = overlay.elements.filter((e): e is SceneLine => e.type === 'line' && e.classes.includes('path-tunnel'));
  const flannel = (node: string) => boxes(scene).find((b) => b.ref.id === `${node}/host/flannel.1`)!;
  const start = tunnel[0].points[0];
  const end = tunnel[tunnel.length - 1].points.at(-1)!;
  assert.equal(start[1], flannel('worker232').y + flannel('worker232').height);
  assert.equal(end[1], flannel('worker233').y + flannel('worker233').height);
  assert.ok(
    tunnel.every((t) => t.classes.includes('current')),
    'the packet is in the tunnel at the wire hop',
  );
  const label = overlay.elements.find((e) => e.type === 'label');
  assert.equal(label?.type === 'label' && label.text, 'vxlan 10.0.0.232 → 10.0.0.233:8472');
  // The static tunnel line says what crosses it.
  assert.ok(scene.elements.some((e) => e.type === 'label' && e.text === 'VXLAN tunnel · VNI 1 · UDP 8472 · +50 bytes'));
  assert.ok(overlay.onPath.has('worker232/host/flannel.1') && !overlay.onPath.has('worker233/host/flannel.1'));
  assert.deepEqual(overlay.targets[wire], 'worker232/host/eth0');
});

// ---- one renderer ----

test('podnet topology --format svg draws the scene the panel draws, with the banners and the tray', async () => {
  const folder = path.join(EXAMPLES, 'broken-flannel');
  let printed = '';
  assert.equal(await runTopology([folder, '--format', 'svg', '--width', '760'], (text) => (printed += text)), 0);
  const { workspace } = await loadWorkspace([folder]);
  const topology = buildTopology(workspace.clusters()[0]);
  const layout: Partial<SceneOptions> = { width: 760 };
  assert.equal(printed, sceneToSvg(buildScene(topology, layout)));
  assert.match(printed, /class="box banner banner-error"/);
  assert.match(printed, />default\/server</);
  assert.match(printed, />Pods on no node \(1\)</);
  // And the panel's export of a path draws the same overlay the panel shows.
  const ten = workspaceOf(loadExample('cluster-10.100'))
    .clusters()
    .find((c) => c.root === '/ws/cluster-10.100')!;
  const tenTopology = buildTopology(ten);
  const scene = buildScene(tenTopology, layout);
  const trace = packetPath(ten, tenTopology, 'xiuxian-v1', 'xiuxian-v2');
  const svg = sceneToSvg(scene, pathOverlay(scene, trace, trace.hops.length - 1));
  assert.equal((svg.match(/class="hop-badge/g) ?? []).length, trace.hops.length);
  assert.match(svg, /class="path-tunnel passed"/);
  assert.match(svg, /<polygon class="arrowhead path-link/);
});
