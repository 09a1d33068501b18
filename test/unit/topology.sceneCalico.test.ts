// The picture of a Calico and a Canal cluster (topology/sceneCalico.ts, sceneNodes.ts): no bridge; each
// pod's cali veth a port on the host routing, which routes by /32 and holds the node's blackhole; the
// tunnel device only where a pool uses it, joined to the tunnel lane only by nodes whose routes use it; the
// header with the pools; the path numbered along Calico's hops.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildTopology } from '../../server/src/topology/build';
import { packetPath } from '../../server/src/topology/path';
import { pathOverlay } from '../../server/src/topology/pathOverlay';
import { BOX_TEXT, buildScene, type Scene, type SceneBox, type SceneLine } from '../../server/src/topology/scene';
import { FONT, textWidth } from '../../server/src/topology/sceneText';
import { sceneToSvg } from '../../server/src/topology/svg';
import { calicoLab, NODES, withModes } from './calicoLab';
import { type Files, loadExample, mutate, workspaceOf } from './helpers';

function clusterOf(files: Files) {
  const [cluster] = workspaceOf(files).clusters();
  return { cluster, topology: buildTopology(cluster) };
}

const boxes = (scene: Scene) => scene.elements.filter((e): e is SceneBox => e.type === 'box');
const lines = (scene: Scene) => scene.elements.filter((e): e is SceneLine => e.type === 'line');
const labels = (scene: Scene) => scene.elements.flatMap((e) => (e.type === 'label' ? [e.text] : []));
const ends = (scene: Scene) => lines(scene).flatMap((l) => (l.ends ? [l.ends.join(' → ')] : []));
const box = (scene: Scene, id: string, cls = 'device') =>
  boxes(scene).find((b) => b.ref.id === id && b.classes.includes(cls));
const routingBox = (scene: Scene, node: string) =>
  boxes(scene).find((b) => b.ref.id === node && b.classes.includes('routing') && !b.classes.includes('bridge-bar'));
const title = (scene: Scene) => boxes(scene).find((b) => b.classes.includes('title'))!;

test('a Calico node: no bridge; each cali veth a port on the host routing; eth0 /32 via 169.254.1.1', () => {
  const { topology } = clusterOf(loadExample('calico-operator'));
  const scene = buildScene(topology, { width: 1200 });
  assert.ok(!boxes(scene).some((b) => b.classes.includes('device-bridge')), 'no bridge');
  assert.ok(!/cni0|flannel\.1|podCIDR/.test(JSON.stringify(scene)), 'no flannel leftovers');

  const workerB = topology.nodes.find((n) => n.name === 'worker-b')!;
  const ports = boxes(scene).filter((b) => b.classes.includes('port') && b.ref.id.startsWith('worker-b/'));
  const veths = workerB.devices.filter((d) => d.kind === 'veth-host');
  assert.equal(ports.length, veths.length);
  const bars = boxes(scene).filter((b) => b.classes.includes('routing') && b.classes.includes('bridge-bar'));
  for (const veth of veths) {
    const port = ports.find((p) => p.ref.id === veth.id)!;
    assert.equal(port.lines[0], 'veth');
    // The cali name (or its start where it is a stand-in) is on the port.
    assert.ok(veth.name.startsWith(port.lines[1].replace(/…$/, '')), `${port.lines[1]} is ${veth.name}`);
    assert.ok(port.lines[1].startsWith('cali'));
    assert.ok(
      bars.some((bar) => bar.x === port.x + port.width && bar.ref.id === 'worker-b'),
      'on the routing bar',
    );
    assert.ok(ends(scene).includes(`${veth.id} → worker-b/routing`), 'the port leads into the host routing');
    assert.ok(port.tooltip.some((t) => t.includes('ee:ee:ee:ee:ee:ee') && t.includes('proxy ARP')));
    // A DaemonSet's pod has no name yet: the rule is told, not a made-up hash.
    assert.ok(
      port.tooltip.some((t) =>
        /Named by Calico: cali \+ the first 11 hex digits of SHA-1\("[a-z-]+\.orders-db-\d"\)|Calico names it cali \+ 11 hex digits of SHA-1\("<namespace>\.<pod>"\)/.test(
          t,
        ),
      ),
      port.tooltip.join('\n'),
    );
  }
  assert.deepEqual(routingBox(scene, 'worker-b')?.lines, ['host routing · /32 per pod', 'blackhole 10.48.140.192/26']);
  assert.ok(
    routingBox(scene, 'worker-b')!.tooltip.some((t) => /^10\.48\.140\.194 dev cali[0-9a-f]{11} scope link$/.test(t)),
  );

  const db0 = boxes(scene).find((b) => b.classes.includes('pod') && b.lines[0] === 'orders-db-0')!;
  assert.deepEqual(db0.lines.slice(1), ['eth0 10.48.140.194/32', 'via 169.254.1.1']);
  assert.ok(db0.tooltip.includes('in the pod: default via 169.254.1.1 dev eth0'));

  const frame = box(scene, 'worker-b', 'node')!;
  assert.equal(frame.lines[1], 'block 10.48.140.192/26 · node IP 10.10.1.12');
  assert.deepEqual(box(scene, 'worker-b/host/eth0')?.lines, ['eth0 · NIC', '10.10.1.12/24', 'mtu 1500']);
  assert.deepEqual(box(scene, 'worker-b/host/tunl0')?.lines, ['tunl0 · ipip', '10.48.140.192/32', 'mtu 1480']);
  assert.equal(
    title(scene).lines[1],
    'Calico · pool 10.48.0.0/16 /26 blocks · IPIP CrossSubnet · pod MTU 1480 · 3 nodes, 7 pods',
  );
});

test('IPIP CrossSubnet: the tunnel joins only the pairs in different subnets; the same subnet is routed', () => {
  const { topology } = clusterOf(loadExample('calico-operator'));
  const scene = buildScene(topology, { width: 1200 });
  assert.ok(
    labels(scene).includes(
      'IPIP · IP protocol 4 · +20 bytes · between subnets only: cp-a ↔ worker-b, worker-a ↔ worker-b',
    ),
    labels(scene).join('\n'),
  );
  assert.ok(labels(scene).includes('underlay, MTU 1500 · no tunnel within a subnet: cp-a ↔ worker-a'));
  // worker-a routes cp-a's block over eth0 and worker-b's through tunl0; worker-b tunnels to both.
  const all = ends(scene);
  assert.ok(all.includes('worker-a/routing → worker-a/host/tunl0'));
  assert.ok(all.includes('worker-a/routing → worker-a/host/eth0'));
  assert.ok(all.includes('worker-b/routing → worker-b/host/tunl0'));
  assert.ok(!all.includes('worker-b/routing → worker-b/host/eth0'), 'worker-b has no peer in its subnet');
});

test('the tunnel device only where a pool uses it: IPIP Always, VXLAN, and no encapsulation', () => {
  const always = buildScene(clusterOf(calicoLab()).topology, { width: 1200 });
  assert.ok(labels(always).includes('IPIP · IP protocol 4 · +20 bytes'), labels(always).join('\n'));
  assert.equal(boxes(always).filter((b) => b.classes.includes('device-ipip')).length, 3);
  assert.ok(!ends(always).some((e) => /routing → n\d\/host\/eth0/.test(e)), 'every peer through tunl0');

  const vxlan = buildScene(clusterOf(withModes(calicoLab(), 'Never', 'Always', 'vxlan')).topology, { width: 1200 });
  assert.ok(labels(vxlan).includes('VXLAN · VNI 4096 · UDP 4789 · +50 bytes'), labels(vxlan).join('\n'));
  assert.ok(!boxes(vxlan).some((b) => b.classes.includes('device-ipip')), 'no tunl0 without an IPIP pool');
  const vtep = boxes(vxlan).find((b) => b.ref.id === 'n1/host/vxlan.calico')!;
  assert.equal(vtep.lines[0], 'vxlan.calico');
  assert.match(vtep.lines[1], /^10\.70\.\d+\.\d+\/32$/);
  assert.ok(vtep.tooltip.some((t) => t.includes('VNI 4096, UDP 4789')));

  const none = buildScene(clusterOf(withModes(calicoLab(), 'Never', 'Never')).topology, { width: 1200 });
  assert.ok(!boxes(none).some((b) => /device-(ipip|vxlan)/.test(b.classes.join(' '))), 'no tunnel device');
  assert.ok(!lines(none).some((l) => l.classes.includes('tunnel-lane') || l.classes.includes('tunnel-link')));
  for (const node of ['n1', 'n2', 'n3']) assert.ok(ends(none).includes(`${node}/routing → ${node}/host/eth0`));
});

test('predicted blocks are drawn dashed, and the header says so', () => {
  const files = { ...calicoLab() };
  files[NODES] = files[NODES].replace(/^ +projectcalico\.org\/IPv4IPIPTunnelAddr: .*\n/gm, '');
  const { topology } = clusterOf(files);
  const scene = buildScene(topology, { width: 1200 });
  const frame = box(scene, 'n1', 'node')!;
  assert.match(frame.lines[1], /^block 10\.70\.\d+\.\d+\/26 \(predicted\)/);
  assert.ok(frame.classes.includes('certainty-inferred'));
  assert.ok(routingBox(scene, 'n1')!.classes.includes('certainty-inferred'));
  assert.match(title(scene).lines.join(' '), /blocks predicted: dashed outlines/);
  assert.ok(title(scene).tooltip.some((t) => t.startsWith('Blocks predicted')));
  // Told by the annotations: solid.
  const known = buildScene(clusterOf(calicoLab()).topology, { width: 1200 });
  assert.ok(box(known, 'n1', 'node')!.classes.includes('certainty-known'));
  assert.doesNotMatch(title(known).lines.join(' '), /predicted/);
});

test('Canal: flannel between nodes, Calico on each node; host-gw routed, vxlan through flannel.1', () => {
  const { topology } = clusterOf(loadExample('canal-lab'));
  const scene = buildScene(topology, { width: 1200 });
  assert.match(title(scene).lines[1], /^Canal · flannel host-gw between nodes · Calico on each node · Network 10\.32/);
  assert.ok(
    !boxes(scene).some((b) => b.classes.includes('device-bridge') || /device-(vxlan|ipip)/.test(b.classes.join(' '))),
  );
  assert.deepEqual(routingBox(scene, 'vm-2')?.lines, [
    'host routing · /32 per pod',
    'gateway 169.254.1.1 by proxy ARP',
  ]);
  assert.ok(labels(scene).includes('underlay, MTU 1500 · flannel host-gw: each podCIDR via its node IP'));
  assert.ok(boxes(scene).some((b) => b.classes.includes('port') && /^cali[0-9a-f]{11}$/.test(b.lines[1])));
  assert.match(box(scene, 'vm-2', 'node')!.lines[1], /^podCIDR 10\.32\.1\.0\/24/);

  const vxlan = mutate(loadExample('canal-lab'), '/ws/canal-lab/canal.yaml', '"Type": "host-gw"', '"Type": "vxlan"');
  const tunnelled = buildScene(clusterOf(vxlan).topology, { width: 1200 });
  assert.match(title(tunnelled).lines[1], /^Canal · flannel vxlan between nodes/);
  assert.ok(
    labels(tunnelled).some((l) => l.startsWith('VXLAN tunnel · VNI 1 · UDP 8472')),
    labels(tunnelled).join('\n'),
  );
  assert.ok(ends(tunnelled).includes('vm-2/routing → vm-2/host/flannel.1'));
});

test('a Calico path is numbered along its hops: eth0, cali veth, host routing, tunl0, NIC, wire, and back', () => {
  const { cluster, topology } = clusterOf(loadExample('calico-operator'));
  const trace = packetPath(cluster, topology, 'storefront-1', 'orders-db-0');
  assert.ok(trace.ok, trace.reason);
  const scene = buildScene(topology, { width: 1200 });
  const overlay = pathOverlay(scene, trace, 3);
  const storefront = topology.nodes.flatMap((n) => n.pods).find((p) => p.name === 'storefront-1')!;
  const db0 = topology.nodes.flatMap((n) => n.pods).find((p) => p.name === 'orders-db-0')!;
  const vethOf = (pod: typeof db0) => pod.devices.find((d) => d.kind === 'veth-pod')!.peer;
  assert.deepEqual(overlay.targets, [
    storefront.id,
    vethOf(storefront),
    'worker-a/routing',
    'worker-a/host/tunl0',
    'worker-a/host/eth0',
    'worker-b/host/eth0',
    'worker-b/host/tunl0',
    'worker-b/routing',
    db0.id,
  ]);
  const badges = overlay.elements.filter((e) => e.type === 'badge');
  assert.equal(badges.length, trace.hops.length);
  // The routing hop's number sits on the host routing box, left of the bars.
  const routing = routingBox(scene, 'worker-a')!;
  const third = badges.find((b) => b.text === '3')!;
  assert.equal(third.y, routing.y);
  assert.ok(third.x > routing.x && third.x < routing.x + routing.width - 20);
  // port → routing runs along the drawn guide; routing → tunl0 along the drawn link.
  const arrows = overlay.elements.filter((e): e is SceneLine => e.type === 'line' && e.classes.includes('path-link'));
  for (const pair of [`${vethOf(storefront)},worker-a/routing`, 'worker-a/routing,worker-a/host/tunl0']) {
    const drawn = lines(scene).find((l) => l.ends?.join() === pair)!;
    assert.ok(
      arrows.some((a) => JSON.stringify(a.points) === JSON.stringify(drawn.points)),
      pair,
    );
  }
  assert.ok(overlay.elements.some((e) => e.type === 'line' && e.classes.includes('path-tunnel')));
});

test('Calico and Canal scenes: every text fits its box, and the SVG escapes the <…> stand-ins', () => {
  for (const [name, files] of [
    ['calico-operator', loadExample('calico-operator')],
    ['canal-lab', loadExample('canal-lab')],
    ['calico-lab', calicoLab()],
  ] as const) {
    for (const width of [360, 760, 1500]) {
      const scene = buildScene(clusterOf(files).topology, { width });
      for (const b of boxes(scene)) {
        const room = b.width - 2 * BOX_TEXT.paddingX - (b.icon ? BOX_TEXT.iconWidth : 0);
        b.lines.forEach((line, i) => {
          const size = i === 0 ? (b.classes.includes('title') ? FONT.heading : FONT.normal) : FONT.small;
          assert.ok(textWidth(line, size, i === 0) <= room + 0.5, `${name} @${width}: "${line}" fits ${b.ref.id}`);
        });
        assert.ok(
          BOX_TEXT.firstBaseline + (b.lines.length - 1) * BOX_TEXT.lineStep <= b.height,
          `${name}: ${b.ref.id}`,
        );
        assert.ok(b.x >= 0 && b.x + b.width <= scene.width && b.y + b.height <= scene.height);
      }
    }
  }
  const svg = sceneToSvg(buildScene(clusterOf(loadExample('calico-operator')).topology, { width: 1200 }));
  assert.match(svg, /cali&lt;shop\/storef/);
  assert.doesNotMatch(svg, /cali<shop/);
});

test("without the per-peer routes (a large cluster's panel), the picture says only the cluster-wide mode", () => {
  const { topology } = clusterOf(loadExample('calico-operator'));
  for (const node of topology.nodes) node.routes = node.routes.filter((r) => !r.via);
  const scene = buildScene(topology, { width: 1200 });
  assert.ok(labels(scene).includes('IPIP · IP protocol 4 · +20 bytes'), labels(scene).join('\n'));
  assert.ok(labels(scene).includes('underlay: the node network, MTU 1500'));
  const drops = lines(scene).filter((l) => l.classes.includes('tunnel-link'));
  assert.equal(drops.length, 3, 'every tunl0 joins the lane');
  // CrossSubnet: the cluster routes some pairs directly, so each host routing also reaches its NIC.
  assert.ok(ends(scene).includes('worker-b/routing → worker-b/host/eth0'));
  assert.equal(box(scene, 'worker-b', 'node')!.lines[1], 'block 10.48.140.192/26 · node IP 10.10.1.12');
});
