// The nodes in detail: one frame per node, wrapped into rows that fill the view. In a frame, top to
// bottom: the node's name and addressing, what stops it, its pods (each with its veth as a port on the
// bridge, or on the host's routing where no bridge enslaves it), the bridge, then the tunnel device and
// the NIC side by side, joined by the links a packet crosses. Below each row run the tunnel overlay
// (between the tunnel devices, labelled with what crosses it) and the underlay wire (between the NICs).
// Frames of one row share their heights, so that bridges, tunnels and NICs line up across the row.
import { hiddenPodsId, podKey, TUNNEL_ID, WIRE_ID } from './ids';
import { BOX_TEXT, boxHeight, type SceneBox, type SceneElement, type SceneLine } from './sceneModel';
import {
  blocksOf,
  calicoTunnelLabel,
  calicoWireLabel,
  type PeerLinks,
  peerLinks,
  routesPods,
  routingLines,
  routingTooltip as calicoRoutingTooltip,
} from './sceneCalico';
import { fitText, FONT, textWidth, wrapText } from './sceneText';
import { formatRoute } from './tools';
import { type Certainty, type Device, type NodeTopology, type PodTopology, type Topology } from './types';

export const NODE_WIDTH = 320;
const NODE_GAP = 24;
const ROW_GAP = 18;
const PAD = 10;
const HEADER = boxHeight(2);
const POD_WIDTH = 190;
const POD_HEIGHT = boxHeight(2);
const SLOT_GAP = 6;
const PORT_WIDTH = 56;
const PORT_HEIGHT = 24;
/** Calico's pods say more (the /32 and the gateway), and their ports carry the cali name. */
const CALICO_POD = { width: 150, height: boxHeight(3), port: 124, portHeight: boxHeight(2) } as const;
const FLANNEL_POD = { width: POD_WIDTH, height: POD_HEIGHT, port: PORT_WIDTH, portHeight: PORT_HEIGHT } as const;
const BAR_WIDTH = 12;
const ATTACH_HEIGHT = boxHeight(2);
const DEVICE_HEIGHT = boxHeight(3);
const DEVICE_WIDTH = (NODE_WIDTH - 2 * PAD - 20) / 2;
/** A column of pods: the pod, the link to its veth, the veth port, the bridge's bar. */
const POD_COLUMN = NODE_WIDTH - 2 * PAD;
const POD_COLUMN_GAP = 16;
/** A node drawn alone in its row spreads its pods over columns, about this many per column. */
const PODS_PER_COLUMN = 6;
const LINK = 24;
const TUNNEL_KINDS: ReadonlySet<Device['kind']> = new Set(['vxlan', 'wireguard', 'ipip', 'tun']);

export interface NodesLayout {
  left: number;
  top: number;
  width: number;
  maxPods: number;
  pinned: ReadonlySet<string>;
}

type Slot = { pod: PodTopology; veth?: Device } | { hidden: PodTopology[] };

/** What one node frame holds, before it is placed. */
interface NodePlan {
  node: NodeTopology;
  problems: string[][];
  slots: Slot[];
  /** The bridge the veths are ports of; undefined with veths on the host's routing, or no veth. */
  bridge?: Device;
  /** Veths enslaved to no bridge: attached to the host's routing (Calico-style). */
  routed: boolean;
  tunnel?: Device;
  nic?: Device;
  /** Columns of pods in the frame: more than one only for a node alone in its row. */
  podColumns: number;
  /** Calico's cali veths and routing (Calico, Canal): sizes of pods and ports, and what the boxes say. */
  calico: boolean;
}

const podSize = (plan: NodePlan) => (plan.calico ? CALICO_POD : FLANNEL_POD);

const frameWidth = (plan: NodePlan) => 2 * PAD + plan.podColumns * POD_COLUMN + (plan.podColumns - 1) * POD_COLUMN_GAP;
const slotRows = (plan: NodePlan) => Math.ceil(plan.slots.length / plan.podColumns);

const certaintyClass = (certainty: Certainty) => `certainty-${certainty}`;

export function deviceCertainty(device: Device): Certainty {
  if (device.nameCertainty === 'placeholder') return 'placeholder';
  // An assumed underlay MTU is noted in the popover; outlining every device for it would hide what matters.
  if (device.nameCertainty === 'inferred' || device.addresses.some((a) => a.certainty !== 'known')) return 'inferred';
  return 'known';
}

export function deviceTooltip(device: Device): string[] {
  return [
    `${device.name} (${device.kind}) in ${device.netns}`,
    ...device.addresses.map((a) => `${a.cidr}${a.certainty === 'known' ? '' : ` (${a.certainty})`}`),
    `MTU ${device.mtu}${device.mtuCertainty === 'known' ? '' : ' (assumed underlay 1500)'}`,
    ...(device.master ? [`Port of ${device.master}`] : []),
    ...device.facts,
  ];
}

export function layoutNodes(
  topology: Topology,
  nodes: readonly NodeTopology[],
  layout: NodesLayout,
): { elements: SceneElement[]; bottom: number; right: number } {
  const stops = topology.banners.filter((b) => b.scope === 'cluster').map((b) => b.rule);
  const calico = routesPods(topology.cluster);
  const plans = nodes.map((node) => planNode(node, layout, stops, calico));
  // Calico: which pairs the block routes send through the tunnel, which straight over the NIC.
  const links = topology.cluster.cni === 'calico' ? peerLinks(topology, nodes) : undefined;
  const columns = Math.max(1, Math.min(plans.length, Math.floor((layout.width + NODE_GAP) / (NODE_WIDTH + NODE_GAP))));
  const elements: SceneElement[] = [];
  const wire: Bus = { kind: 'wire', rows: [] };
  const tunnel: Bus = { kind: 'tunnel', rows: [] };
  let top = layout.top;
  let right = layout.left + NODE_WIDTH;
  for (let start = 0; start < plans.length; start += columns) {
    const row = plans.slice(start, start + columns);
    // A node alone in its row (a drill-down) uses the width for columns of pods.
    if (row.length === 1) {
      const fit = Math.floor((layout.width - 2 * PAD + POD_COLUMN_GAP) / (POD_COLUMN + POD_COLUMN_GAP));
      row[0].podColumns = Math.max(1, Math.min(fit, Math.ceil(row[0].slots.length / PODS_PER_COLUMN)));
    }
    const laid = layoutRow(topology, row, layout.left, top, elements, wire, tunnel, links);
    top = laid.bottom + ROW_GAP;
    right = Math.max(right, laid.right);
  }
  const tunnelCount = tunnel.rows.reduce((sum, r) => sum + r.junctions.length, 0);
  const edge = Math.max(right, layout.left + layout.width);
  if (tunnelCount >= 2) drawBus(tunnel, layout.left - 6, elements, tunnelLabel(topology, plans, links), -5, edge);
  // One tunnel device drawn (a drill-down): no other end to draw a tunnel to.
  else removeWhere(elements, (e) => e.type === 'line' && e.classes.includes('tunnel-link'));
  const wireLabel = calico
    ? calicoWireLabel(topology, links ?? peerLinks(topology, []))
    : `underlay: the node network, MTU ${topology.cluster.underlayMtu}`;
  drawBus(wire, layout.left - 11, elements, wireLabel, 15, edge);
  return { elements, bottom: top - ROW_GAP, right };
}

function planNode(node: NodeTopology, layout: NodesLayout, stops: string[], calico: boolean): NodePlan {
  const textWidth = NODE_WIDTH - 2 * PAD - 16 - BOX_TEXT.iconWidth;
  const problems = node.problems.map((p) => ['Cannot be built', ...wrapText(p, textWidth, FONT.small, 3)]);
  if (stops.length > 0)
    problems.unshift([
      'Network stopped on this node',
      ...wrapText(`by ${stops.join(', ')}: see the banner above`, textWidth, FONT.small, 2),
    ]);
  const bridges = new Map(node.devices.filter((d) => d.kind === 'bridge').map((d) => [d.name, d]));
  const veths = new Map(node.devices.filter((d) => d.kind === 'veth-host' && d.peer).map((d) => [d.peer!, d]));
  const ordered = [...node.pods.filter((p) => !p.hostNetwork), ...node.pods.filter((p) => p.hostNetwork)];
  const room = ordered.length > layout.maxPods ? layout.maxPods - 1 : layout.maxPods;
  const pinned = ordered.filter((p) => layout.pinned.has(p.id)).length;
  let unpinnedRoom = Math.max(0, room - pinned);
  const slots: Slot[] = [];
  const hidden: PodTopology[] = [];
  for (const pod of ordered) {
    if (layout.pinned.has(pod.id) || unpinnedRoom-- > 0) {
      const eth0 = pod.devices.find((d) => d.kind === 'veth-pod');
      slots.push({ pod, veth: eth0 ? veths.get(eth0.id) : undefined });
    } else hidden.push(pod);
  }
  if (hidden.length > 0) slots.push({ hidden });
  const shownVeths = slots.flatMap((s) => ('pod' in s && s.veth ? [s.veth] : []));
  const masters = new Set(shownVeths.map((v) => v.master));
  const bridge = [...masters].map((m) => (m ? bridges.get(m) : undefined)).find(Boolean) ?? [...bridges.values()][0];
  return {
    node,
    problems,
    slots,
    bridge,
    routed: shownVeths.some((v) => !v.master || !bridges.has(v.master)),
    tunnel: node.devices.find((d) => TUNNEL_KINDS.has(d.kind)),
    nic: node.devices.find((d) => d.kind === 'nic'),
    podColumns: 1,
    calico,
  };
}

/** A line (the wire, the tunnel overlay) running under every row and joined at the left margin. */
interface Bus {
  kind: 'wire' | 'tunnel';
  rows: Array<{ y: number; junctions: Array<{ x: number; key: string }> }>;
}

function layoutRow(
  topology: Topology,
  row: NodePlan[],
  left: number,
  top: number,
  elements: SceneElement[],
  wire: Bus,
  tunnel: Bus,
  links: PeerLinks | undefined,
): { bottom: number; right: number } {
  const problemsHeight = (plan: NodePlan) => plan.problems.reduce((sum, lines) => sum + boxHeight(lines.length) + 6, 0);
  const headerBottom = top + HEADER + Math.max(...row.map(problemsHeight));
  const slotCount = Math.max(...row.map(slotRows));
  const slotsTop = headerBottom + 6;
  const podHeight = Math.max(...row.map((p) => podSize(p).height));
  const slotsBottom = slotsTop + slotCount * (podHeight + SLOT_GAP);
  const attached = row.some((p) => p.bridge || p.routed);
  const attachTop = slotsBottom + (slotCount > 0 ? 4 : 0);
  const devicesTop = attached ? attachTop + ATTACH_HEIGHT + LINK : attachTop;
  const frameBottom = devicesTop + DEVICE_HEIGHT + PAD;
  // Calico: a tunnel device joins the lane only where a route sends a peer's block through it.
  const routesKnown = (plan: NodePlan) => !!links && links.known.has(plan.node.name);
  const joinsTunnel = (plan: NodePlan) =>
    !!plan.tunnel && (!routesKnown(plan) || links!.tunnelNodes.has(plan.node.name));
  const hasTunnel = row.some(joinsTunnel);
  const laneY = frameBottom + 18;
  const wireY = frameBottom + (hasTunnel ? 42 : 20);
  const wireRow: Bus['rows'][number] = { y: wireY, junctions: [] };
  const tunnelRow: Bus['rows'][number] = { y: laneY, junctions: [] };

  let x = left;
  for (const plan of row) {
    const { node } = plan;
    const width = frameWidth(plan);
    const frameIndex = elements.length;
    let y = top + HEADER;
    for (const lines of plan.problems) {
      elements.push({
        type: 'box',
        x: x + PAD,
        y,
        width: width - 2 * PAD,
        height: boxHeight(lines.length),
        classes: ['problem'],
        lines,
        tooltip: lines,
        ref: { kind: 'node', id: node.id },
        icon: 'error',
      });
      y += boxHeight(lines.length) + 6;
    }
    const bridgeId = plan.bridge?.id ?? `${node.id}/routing`;
    const rows = slotRows(plan);
    const size = podSize(plan);
    const bars = new Set<number>();
    plan.slots.forEach((slot, i) => {
      const column = Math.floor(i / rows);
      const columnX = x + PAD + column * (POD_COLUMN + POD_COLUMN_GAP);
      const slotY = slotsTop + (i % rows) * (podHeight + SLOT_GAP);
      if ('hidden' in slot) {
        elements.push(hiddenBox(node, slot.hidden, columnX, slotY, size));
        return;
      }
      elements.push(plan.calico ? calicoPodBox(slot.pod, columnX, slotY) : podBox(slot.pod, columnX, slotY));
      if (!slot.veth) return;
      const barX = columnX + POD_COLUMN - BAR_WIDTH;
      const middle = slotY + size.height / 2;
      const portX = barX - size.port;
      elements.push({
        type: 'line',
        points: [
          [columnX + size.width, middle],
          [portX, middle],
        ],
        classes: ['link', 'link-veth'],
        ref: { kind: 'device', id: slot.veth.id },
        ends: [slot.pod.id, slot.veth.id],
      });
      // The way from a port into its bridge, for tracing a path: it runs inside the bar, not drawn.
      elements.push({
        type: 'line',
        points: [
          [portX + size.port, middle],
          [barX + BAR_WIDTH / 2, middle],
          [barX + BAR_WIDTH / 2, attachTop],
        ],
        classes: ['guide'],
        ends: [slot.veth.id, bridgeId],
      });
      elements.push(
        plan.calico
          ? caliPortBox(slot.veth, portX, middle - size.portHeight / 2)
          : portBox(slot.veth, portX, middle - PORT_HEIGHT / 2),
      );
      bars.add(barX);
    });
    if (plan.bridge || plan.routed) {
      // The bars every port sits on, and the bridge (or the host's routing) they belong to: one shape.
      for (const barX of bars)
        elements.splice(frameIndex, 0, {
          type: 'box',
          x: barX,
          y: slotsTop,
          width: BAR_WIDTH,
          height: attachTop - slotsTop + 1,
          classes: plan.bridge
            ? ['device', 'device-bridge', 'bridge-bar', certaintyClass(deviceCertainty(plan.bridge))]
            : ['routing', 'bridge-bar'],
          lines: [],
          tooltip: plan.bridge
            ? deviceTooltip(plan.bridge)
            : plan.calico
              ? calicoRoutingTooltip(node)
              : routingTooltip(node),
          ref: plan.bridge ? { kind: 'device', id: plan.bridge.id } : { kind: 'node', id: node.id },
        });
      elements.push(
        plan.bridge
          ? deviceBox(plan.bridge, x + PAD, attachTop, width - 2 * PAD, ATTACH_HEIGHT, 'bridge')
          : routingBox(topology, node, x + PAD, attachTop, width - 2 * PAD, plan.calico),
      );
    }
    const devicesMiddle = devicesTop + DEVICE_HEIGHT / 2;
    // The route from the bridge (or the host's routing) down into the device at `deviceX`.
    const routeLink = (deviceX: number, to: string) =>
      link(
        [deviceX + DEVICE_WIDTH / 2, attachTop + ATTACH_HEIGHT],
        [deviceX + DEVICE_WIDTH / 2, devicesTop],
        'link-route',
        bridgeId,
        to,
      );
    const tunnelX = x + PAD;
    const nicX = x + width - PAD - DEVICE_WIDTH;
    if (plan.tunnel) {
      elements.push(deviceBox(plan.tunnel, tunnelX, devicesTop, DEVICE_WIDTH, DEVICE_HEIGHT, 'tunnel'));
      if (plan.bridge || plan.routed) elements.push(routeLink(tunnelX, plan.tunnel.id));
      if (plan.nic)
        elements.push(
          link(
            [tunnelX + DEVICE_WIDTH, devicesMiddle],
            [nicX, devicesMiddle],
            'link-encap',
            plan.tunnel.id,
            plan.nic.id,
          ),
        );
      const dropX = tunnelX + 24;
      if (joinsTunnel(plan)) {
        elements.push({
          type: 'line',
          points: [
            [dropX, devicesTop + DEVICE_HEIGHT],
            [dropX, laneY],
          ],
          classes: ['tunnel-link'],
          ref: { kind: 'tunnel', id: TUNNEL_ID },
          ends: [plan.tunnel.id, `tunnel@${node.id}`],
          tunnel: true,
        });
        tunnelRow.junctions.push({ x: dropX, key: `tunnel@${node.id}` });
      }
    }
    if (plan.nic) {
      elements.push(deviceBox(plan.nic, nicX, devicesTop, DEVICE_WIDTH, DEVICE_HEIGHT, 'nic'));
      // Without a tunnel (host-gw), or with DirectRouting, pod traffic is routed straight to the NIC;
      // with Calico, where a block route sends a peer's block over the NIC.
      const direct = routesKnown(plan)
        ? !plan.tunnel || links!.directNodes.has(node.name)
        : !plan.tunnel || topology.cluster.directRouting;
      if ((plan.bridge || plan.routed) && direct) elements.push(routeLink(nicX, plan.nic.id));
      const dropX = nicX + DEVICE_WIDTH - 24;
      elements.push({
        type: 'line',
        points: [
          [dropX, devicesTop + DEVICE_HEIGHT],
          [dropX, wireY],
        ],
        classes: ['link', 'link-wire'],
        ref: { kind: 'wire', id: WIRE_ID },
        ends: [plan.nic.id, `wire@${node.id}`],
      });
      wireRow.junctions.push({ x: dropX, key: `wire@${node.id}` });
    }
    elements.splice(
      frameIndex,
      0,
      frameBox(node, x, top, width, frameBottom - top, plan.problems.length > 0, topology.cluster.cni === 'calico'),
    );
    x += width + NODE_GAP;
  }
  if (tunnelRow.junctions.length > 0) tunnel.rows.push(tunnelRow);
  if (wireRow.junctions.length > 0) wire.rows.push(wireRow);
  return { bottom: wireY + 20, right: x - NODE_GAP };
}

function removeWhere(elements: SceneElement[], drop: (element: SceneElement) => boolean): void {
  const kept = elements.filter((e) => !drop(e));
  elements.splice(0, elements.length, ...kept);
}

/**
 * The segments of a bus: along each row between its junctions, and down the left margin between rows;
 * `label` is written along each row, `labelOffset` below (positive) or above it.
 */
function drawBus(
  bus: Bus,
  joinX: number,
  elements: SceneElement[],
  label: string,
  labelOffset: number,
  right: number,
): void {
  const ref = bus.kind === 'wire' ? { kind: 'wire' as const, id: WIRE_ID } : { kind: 'tunnel' as const, id: TUNNEL_ID };
  const classes = bus.kind === 'wire' ? ['wire'] : ['tunnel-lane'];
  const rows = bus.rows.filter((r) => r.junctions.length > 0);
  const segment = (points: Array<[number, number]>, ends: [string, string]): SceneLine => ({
    type: 'line',
    points,
    classes,
    ref,
    ends,
    ...(bus.kind === 'tunnel' ? { tunnel: true } : {}),
  });
  rows.forEach((row, r) => {
    const start = `${bus.kind}@row${r}`;
    const xs = row.junctions.map((j) => j.x);
    const from = rows.length > 1 ? joinX : Math.min(...xs) - 20;
    const to = Math.max(...xs) + (rows.length > 1 || xs.length === 1 ? 20 : 10);
    // One drawn line per row; the pieces between junctions carry the path tracing.
    elements.push({
      type: 'line',
      points: [
        [from, row.y],
        [to, row.y],
      ],
      classes,
      ref,
    });
    // Once, along the first row: from its first junction, or for the wire under a lone node, before it.
    const before = bus.kind === 'wire' && xs.length === 1;
    if (r === 0)
      elements.push({
        type: 'label',
        x: before ? xs[0] - 8 : xs[0] + 8,
        y: row.y + labelOffset,
        // Kept within the view: a long label (Calico's node pairs) ends in … rather than past the edge.
        text: before ? label : fitText(label, right - xs[0] - 8, FONT.small),
        classes: ['lane-label', bus.kind === 'wire' ? 'wire-label' : 'tunnel-label'],
        anchor: before ? 'end' : 'start',
      });
    elements.push({
      ...segment(
        [
          [from, row.y],
          [xs[0], row.y],
        ],
        [start, row.junctions[0].key],
      ),
      classes: ['guide'],
    });
    for (let i = 1; i < row.junctions.length; i++)
      elements.push({
        ...segment(
          [
            [xs[i - 1], row.y],
            [xs[i], row.y],
          ],
          [row.junctions[i - 1].key, row.junctions[i].key],
        ),
        classes: ['guide'],
      });
    if (r > 0) {
      const above = rows[r - 1];
      elements.push(
        segment(
          [
            [joinX, above.y],
            [joinX, row.y],
          ],
          [`${bus.kind}@row${r - 1}`, start],
        ),
      );
    }
  });
}

function tunnelLabel(topology: Topology, plans: NodePlan[], links: PeerLinks | undefined): string {
  const { cluster } = topology;
  if (links) return calicoTunnelLabel(plans.find((p) => p.tunnel)?.tunnel?.kind ?? cluster.backend, links);
  const overhead = cluster.underlayMtu - cluster.podMtu;
  const bytes = overhead > 0 ? ` · +${overhead} bytes` : '';
  switch (cluster.backend) {
    case 'vxlan':
      return `VXLAN tunnel · VNI ${cluster.vni ?? 1} · UDP ${cluster.port ?? 8472}${bytes}`;
    case 'wireguard':
      return `WireGuard tunnel · UDP ${cluster.port ?? 51820}, encrypted${bytes}`;
    case 'ipip':
      return `IP-in-IP tunnel · IP protocol 4${bytes}`;
    default:
      return `flanneld tunnel · UDP ${cluster.port ?? 8285}${bytes}`;
  }
}

function link(from: [number, number], to: [number, number], kind: string, a: string, b: string): SceneLine {
  return { type: 'line', points: [from, to], classes: ['link', kind], ends: [a, b] };
}

function frameBox(
  node: NodeTopology,
  x: number,
  y: number,
  width: number,
  height: number,
  broken: boolean,
  calico: boolean,
): SceneBox {
  const text = width - 16;
  // Calico gives nodes IPAM blocks, not a podCIDR: the frame names the node's blocks.
  const blocks = calico ? blocksOf(node) : [];
  const predicted = blocks.some((b) => b.certainty !== 'known');
  const addressing = calico
    ? blocks.length > 0
      ? `block ${blocks.map((b) => b.cidr).join(', ')}${predicted ? ' (predicted)' : ''}`
      : 'no block'
    : `podCIDR ${node.podCidr ?? 'none'}${node.podCidrNote ? ' (inferred)' : ''}`;
  const subtitle = `${addressing} · ${node.internalIp ? `node IP ${node.internalIp}` : 'node IP unknown'}`;
  const inferred = calico ? predicted : !!node.podCidrNote;
  return {
    type: 'box',
    x,
    y,
    width,
    height,
    classes: ['node', certaintyClass(inferred ? 'inferred' : 'known'), ...(broken ? ['node-broken'] : [])],
    lines: [fitText(node.name, text, FONT.normal, true), fitText(subtitle, text, FONT.small)],
    tooltip: [
      node.name,
      ...(calico
        ? blocks.map((b) => `IPAM block ${b.cidr}${b.certainty === 'known' ? '' : ' (predicted)'}`)
        : [node.podCidr ? `podCIDR ${node.podCidr}` : 'no podCIDR']),
      ...(node.podCidrNote ? [node.podCidrNote] : []),
      node.internalIp ? `InternalIP ${node.internalIp}` : 'no InternalIP',
      ...(node.internalIpNote ? [`node IP unknown: ${node.internalIpNote}`] : []),
      `${node.pods.length} pods`,
      ...node.problems,
    ],
    ref: { kind: 'node', id: node.id },
  };
}

function deviceBox(
  device: Device,
  x: number,
  y: number,
  width: number,
  height: number,
  role: 'bridge' | 'tunnel' | 'nic',
): SceneBox {
  const text = width - 16;
  const addresses = device.addresses.map((a) => a.cidr).join(', ') || 'no address';
  const kind = { bridge: 'bridge', tunnel: device.kind, nic: 'NIC' }[role];
  // A long name (vxlan.calico) keeps the whole name rather than its kind: the colour tells the kind.
  const heading =
    textWidth(`${device.name} · ${kind}`, FONT.normal, true) <= text ? `${device.name} · ${kind}` : device.name;
  const lines =
    role === 'bridge'
      ? [fitText(heading, text, FONT.normal, true), fitText(`${addresses} · mtu ${device.mtu}`, text, FONT.small)]
      : [
          fitText(heading, text, FONT.normal, true),
          fitText(addresses, text, FONT.small),
          fitText(`mtu ${device.mtu}`, text, FONT.small),
        ];
  return {
    type: 'box',
    x,
    y,
    width,
    height,
    classes: ['device', `device-${device.kind}`, certaintyClass(deviceCertainty(device))],
    lines,
    tooltip: deviceTooltip(device),
    ref: { kind: 'device', id: device.id },
  };
}

function portBox(veth: Device, x: number, y: number): SceneBox {
  return {
    type: 'box',
    x,
    y,
    width: PORT_WIDTH,
    height: PORT_HEIGHT,
    classes: ['device', 'device-veth-host', 'port', certaintyClass(deviceCertainty(veth))],
    lines: ['veth'],
    tooltip: deviceTooltip(veth),
    ref: { kind: 'device', id: veth.id },
  };
}

const routingTooltip = (node: NodeTopology) => [
  `Host routing of ${node.name}`,
  'The veths are enslaved to no bridge: each pod is reached by a route to its address on its veth.',
];

function routingBox(
  topology: Topology,
  node: NodeTopology,
  x: number,
  y: number,
  width: number,
  calico: boolean,
): SceneBox {
  const predicted = blocksOf(node).some((b) => b.certainty !== 'known');
  const lines = calico
    ? routingLines(topology.cluster, node).map((line, i) =>
        fitText(line, width - 16, i === 0 ? FONT.normal : FONT.small, i === 0),
      )
    : ["host's routing", 'no bridge: one route per pod veth'];
  return {
    type: 'box',
    x,
    y,
    width,
    height: ATTACH_HEIGHT,
    classes: ['routing', ...(calico ? [certaintyClass(predicted ? 'inferred' : 'known')] : [])],
    lines,
    tooltip: calico ? calicoRoutingTooltip(node) : routingTooltip(node),
    ref: { kind: 'node', id: node.id },
  };
}

/** A cali veth's host end: a port on the host routing, with the name Calico gives it. */
function caliPortBox(veth: Device, x: number, y: number): SceneBox {
  return {
    type: 'box',
    x,
    y,
    width: CALICO_POD.port,
    height: CALICO_POD.portHeight,
    classes: ['device', 'device-veth-host', 'port', certaintyClass(deviceCertainty(veth))],
    lines: ['veth', fitText(veth.name, CALICO_POD.port - 16, FONT.small)],
    tooltip: deviceTooltip(veth),
    ref: { kind: 'device', id: veth.id },
  };
}

/** A pod on Calico's plumbing: its eth0 with its /32, and the gateway every packet goes via. */
function calicoPodBox(pod: PodTopology, x: number, y: number): SceneBox {
  const box = podBox(pod, x, y);
  const eth0 = pod.devices.find((d) => d.kind === 'veth-pod');
  const gateway = pod.routes?.find((r) => r.destination === 'default')?.via;
  const text = CALICO_POD.width - 16;
  const lines =
    pod.hostNetwork || !eth0
      ? [box.lines[0], ...wrapText(box.lines[1], text, FONT.small, 2)]
      : [
          fitText(pod.name, text, FONT.normal, true),
          fitText(`eth0 ${eth0.addresses[0]?.cidr ?? 'no address'}`, text, FONT.small),
          ...(gateway ? [fitText(`via ${gateway}`, text, FONT.small)] : []),
        ];
  return {
    ...box,
    width: CALICO_POD.width,
    height: CALICO_POD.height,
    lines: [fitText(pod.name, text, FONT.normal, true), ...lines.slice(1)],
    tooltip: [...box.tooltip, ...(pod.routes ?? []).map((r) => `in the pod: ${formatRoute(r)}`)],
  };
}

function podBox(pod: PodTopology, x: number, y: number): SceneBox {
  const eth0 = pod.devices.find((d) => d.kind === 'veth-pod');
  const address = pod.hostNetwork
    ? `host network ${pod.address?.ip ?? ''}`
    : eth0
      ? `eth0 ${pod.address?.ip ?? 'no address'}`
      : 'no address';
  return {
    type: 'box',
    x,
    y,
    width: POD_WIDTH,
    height: POD_HEIGHT,
    classes: [
      'pod',
      pod.hostNetwork ? 'pod-host-network' : 'pod-bridged',
      certaintyClass(pod.address?.certainty ?? 'placeholder'),
    ],
    lines: [fitText(pod.name, POD_WIDTH - 16, FONT.normal, true), fitText(address, POD_WIDTH - 16, FONT.small)],
    tooltip: [
      `${podKey(pod)} on ${pod.node}`,
      `containers: ${pod.containers.join(', ')}`,
      ...(pod.staticPod ? [`static pod of the control plane (${pod.staticPod}), run by kubelet on this node`] : []),
      pod.hostNetwork
        ? "hostNetwork: shares the node's network namespace"
        : pod.address?.certainty === 'known'
          ? `IP ${pod.address.ip} (observed: status.podIP)`
          : `IP ${pod.address?.ip ?? 'none'} (predicted: first free address)`,
    ],
    ref: { kind: 'pod', id: pod.id },
  };
}

function hiddenBox(
  node: NodeTopology,
  hidden: PodTopology[],
  x: number,
  y: number,
  size: { width: number; height: number } = FLANNEL_POD,
): SceneBox {
  return {
    type: 'box',
    x,
    y,
    width: size.width,
    height: size.height,
    classes: ['pod-group'],
    lines: [`+${hidden.length} more pods`, 'open the node or search'],
    tooltip: hidden.slice(0, 30).map((p) => `${podKey(p)} ${p.address?.ip ?? ''}`),
    ref: { kind: 'group', id: hiddenPodsId(node.name) },
  };
}
