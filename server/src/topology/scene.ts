// Lays the topology out as a flat list of drawing primitives: nodes as columns, in each its pods (with
// eth0), their host-side veths, cni0, the tunnel device and the NIC, and the wire joining the NICs.
// The server computes the scene once; the webview turns it into DOM and the CLI into SVG text, so both
// draw exactly the same picture and neither holds layout logic.
import { CLUSTER_ID, hiddenPodsId, podKey, WIRE_ID } from './ids';
import { type Certainty, type Device, type NodeTopology, type PodTopology, type Topology } from './types';

export type SceneRef = { kind: 'node' | 'pod' | 'device' | 'wire' | 'group'; id: string };

export interface SceneBox {
  type: 'box';
  x: number;
  y: number;
  width: number;
  height: number;
  /** CSS classes: the element kind and its certainty. */
  classes: string[];
  /** Lines of text inside the box, first one bold. */
  lines: string[];
  /** Shown on hover. */
  tooltip: string[];
  ref: SceneRef;
}

export interface SceneLine {
  type: 'line';
  points: Array<[number, number]>;
  classes: string[];
  ref?: SceneRef;
}

export type SceneElement = SceneBox | SceneLine;

export interface Scene {
  width: number;
  height: number;
  elements: SceneElement[];
}

export interface SceneOptions {
  /** Pods drawn per node before the rest are grouped into one box. */
  maxPodsPerNode: number;
}

const COLUMN_WIDTH = 280;
const COLUMN_GAP = 36;
const MARGIN = 20;
const HEADER_HEIGHT = 52;
const POD_HEIGHT = 46;
const POD_GAP = 8;
const POD_WIDTH = 168;
const VETH_WIDTH = 84;
const DEVICE_HEIGHT = 38;
const DEVICE_GAP = 14;

const certaintyClass = (certainty: Certainty) => `certainty-${certainty}`;

function deviceCertainty(device: Device): Certainty {
  if (device.nameCertainty === 'placeholder') return 'placeholder';
  // An assumed underlay MTU is noted in the tooltip; outlining every device for it would hide what matters.
  if (device.nameCertainty === 'inferred' || device.addresses.some((a) => a.certainty !== 'known')) return 'inferred';
  return 'known';
}

function deviceBox(device: Device, x: number, y: number, width: number): SceneBox {
  const addresses = device.addresses.map((a) => a.cidr).join(', ');
  return {
    type: 'box',
    x,
    y,
    width,
    height: DEVICE_HEIGHT,
    classes: ['device', `device-${device.kind}`, certaintyClass(deviceCertainty(device))],
    lines: [device.name, [addresses, `mtu ${device.mtu}`].filter(Boolean).join('  ')],
    tooltip: [
      `${device.name} (${device.kind}) in ${device.netns}`,
      ...device.addresses.map((a) => `${a.cidr}${a.certainty === 'known' ? '' : ` (${a.certainty})`}`),
      `MTU ${device.mtu}${device.mtuCertainty === 'known' ? '' : ' (assumed underlay 1500)'}`,
      ...device.facts,
    ],
    ref: { kind: 'device', id: device.id },
  };
}

export function buildScene(topology: Topology, options: SceneOptions = { maxPodsPerNode: 12 }): Scene {
  const elements: SceneElement[] = [];
  let bottom = 0;
  const nicAnchors: Array<[number, number]> = [];
  topology.nodes.forEach((node, index) => {
    const x = MARGIN + index * (COLUMN_WIDTH + COLUMN_GAP);
    const column = layoutNode(node, x, MARGIN + 40, options);
    elements.push(...column.elements);
    bottom = Math.max(bottom, column.bottom);
    if (column.nicAnchor) nicAnchors.push(column.nicAnchor);
  });
  const wireY = bottom + 30;
  if (nicAnchors.length > 0) {
    for (const [ax, ay] of nicAnchors)
      elements.push({
        type: 'line',
        points: [
          [ax, ay],
          [ax, wireY],
        ],
        classes: ['link', 'link-wire'],
        ref: { kind: 'wire', id: WIRE_ID },
      });
    const first = nicAnchors[0][0];
    const last = nicAnchors[nicAnchors.length - 1][0];
    elements.push({
      type: 'line',
      points: [
        [Math.min(first, last) - 10, wireY],
        [Math.max(first, last) + 10, wireY],
      ],
      classes: ['wire'],
      ref: { kind: 'wire', id: WIRE_ID },
    });
  }
  const { cluster } = topology;
  elements.unshift({
    type: 'box',
    x: MARGIN,
    y: 4,
    width: Math.max(COLUMN_WIDTH, topology.nodes.length * (COLUMN_WIDTH + COLUMN_GAP) - COLUMN_GAP),
    height: 28,
    classes: ['title', certaintyClass(cluster.assumed ? 'inferred' : 'known')],
    lines: [
      `${cluster.name}: flannel ${cluster.backend || '(no backend)'}` +
        (cluster.network ? ` on ${cluster.network}` : '') +
        (cluster.assumed ? ' (defaults assumed)' : '') +
        `, pod MTU ${cluster.podMtu}`,
    ],
    tooltip: topology.notes,
    ref: { kind: 'group', id: CLUSTER_ID },
  });
  const width = MARGIN * 2 + Math.max(1, topology.nodes.length) * (COLUMN_WIDTH + COLUMN_GAP) - COLUMN_GAP;
  return { width, height: wireY + MARGIN + 10, elements };
}

function layoutNode(
  node: NodeTopology,
  x: number,
  top: number,
  options: SceneOptions,
): { elements: SceneElement[]; bottom: number; nicAnchor?: [number, number] } {
  const elements: SceneElement[] = [];
  const inner = x + 10;
  let y = top + HEADER_HEIGHT + 12;
  const bridged = node.pods.filter((p) => !p.hostNetwork);
  const hostPods = node.pods.filter((p) => p.hostNetwork);
  const shown = bridged.slice(0, options.maxPodsPerNode);
  const vethX = inner + POD_WIDTH + 16;
  const vethAnchors: Array<[number, number]> = [];
  for (const pod of shown) {
    elements.push(podBox(pod, inner, y));
    const veth = node.devices.find(
      (d) => d.kind === 'veth-host' && d.peer === pod.devices.find((p) => p.kind === 'veth-pod')?.id,
    );
    if (veth) {
      const box = deviceBox(veth, vethX, y + 4, VETH_WIDTH);
      box.lines = ['veth', '@if2'];
      elements.push(box);
      elements.push({
        type: 'line',
        points: [
          [inner + POD_WIDTH, y + POD_HEIGHT / 2],
          [vethX, y + POD_HEIGHT / 2],
        ],
        classes: ['link', 'link-veth'],
        ref: { kind: 'device', id: veth.id },
      });
      vethAnchors.push([vethX + VETH_WIDTH / 2, y + 4 + DEVICE_HEIGHT]);
    }
    y += POD_HEIGHT + POD_GAP;
  }
  const hidden = bridged.length - shown.length;
  if (hidden > 0) {
    elements.push({
      type: 'box',
      x: inner,
      y,
      width: POD_WIDTH,
      height: POD_HEIGHT,
      classes: ['pod-group'],
      lines: [`+${hidden} more pods`, 'grouped'],
      tooltip: bridged.slice(shown.length, shown.length + 30).map((p) => `${podKey(p)} ${p.address?.ip ?? ''}`),
      ref: { kind: 'group', id: hiddenPodsId(node.name) },
    });
    y += POD_HEIGHT + POD_GAP;
  }
  for (const pod of hostPods) {
    elements.push(podBox(pod, inner, y));
    y += POD_HEIGHT + POD_GAP;
  }
  const deviceWidth = COLUMN_WIDTH - 20;
  const bridge = node.devices.find((d) => d.kind === 'bridge');
  if (bridge) {
    y += 6;
    // One trunk from the first veth down to cni0, drawn under the veth boxes: every veth is a port of it.
    if (vethAnchors.length > 0)
      elements.unshift({
        type: 'line',
        points: [
          [vethAnchors[0][0], vethAnchors[0][1] - DEVICE_HEIGHT / 2],
          [vethAnchors[0][0], y],
        ],
        classes: ['link', 'link-bridge'],
        ref: { kind: 'device', id: bridge.id },
      });
    elements.push(deviceBox(bridge, inner, y, deviceWidth));
    y += DEVICE_HEIGHT + DEVICE_GAP;
  }
  const tunnel = node.devices.find((d) => ['vxlan', 'wireguard', 'ipip', 'tun'].includes(d.kind));
  if (tunnel) {
    elements.push(deviceBox(tunnel, inner, y, deviceWidth));
    y += DEVICE_HEIGHT + DEVICE_GAP;
  }
  const nic = node.devices.find((d) => d.kind === 'nic');
  let nicAnchor: [number, number] | undefined;
  if (nic) {
    elements.push(deviceBox(nic, inner, y, deviceWidth));
    nicAnchor = [inner + deviceWidth / 2, y + DEVICE_HEIGHT];
    y += DEVICE_HEIGHT;
  }
  for (const problem of node.problems) {
    y += 8;
    elements.push({
      type: 'box',
      x: inner,
      y,
      width: deviceWidth,
      height: 40,
      classes: ['problem'],
      lines: ['cannot be built', problem.slice(0, 60)],
      tooltip: [problem],
      ref: { kind: 'node', id: node.id },
    });
    y += 40;
  }
  const bottom = y + 12;
  elements.unshift({
    type: 'box',
    x,
    y: top,
    width: COLUMN_WIDTH,
    height: bottom - top,
    classes: ['node', certaintyClass(node.podCidrNote ? 'inferred' : 'known')],
    lines: [
      node.name,
      `podCIDR ${node.podCidr ?? 'none'}${node.podCidrNote ? ' (inferred)' : ''}`,
      `node IP ${node.internalIp ?? 'unknown'}`,
    ],
    tooltip: [
      node.name,
      node.podCidr ? `podCIDR ${node.podCidr}` : 'no podCIDR',
      ...(node.podCidrNote ? [node.podCidrNote] : []),
      ...(node.internalIpNote ? [`node IP unknown: ${node.internalIpNote}`] : []),
      ...node.problems,
    ],
    ref: { kind: 'node', id: node.id },
  });
  return { elements, bottom, nicAnchor };
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
    lines: [pod.name, address],
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
