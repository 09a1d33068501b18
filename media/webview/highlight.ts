// Which drawn elements stand for each hop of a packet path. Hops name devices by id; the scene has no
// box for a pod's eth0 (the pod box stands for it), and a `wire` hop is the underlay between two NICs.
import type { PacketPath } from '../../server/src/protocol';
import { nodeId, podIdOfDevice, WIRE_ID } from '../../server/src/topology/ids';
import type { RenderedScene } from './render';

type Hop = PacketPath['hops'][number];

export function hopTargets(hops: readonly Hop[], index: number, scene: RenderedScene): string[] {
  const hop = hops[index];
  if (!hop) return [];
  const has = (id: string | undefined): id is string => id !== undefined && scene.byId.has(id);
  if (hop.action === 'wire') {
    const next = hops[index + 1];
    const farNic = next ? scene.nicByNode.get(next.node) : undefined;
    return [WIRE_ID, hop.deviceId, farNic].filter(has);
  }
  if (has(hop.deviceId)) return [hop.deviceId];
  // A pod's eth0 or lo → the pod box.
  const podId = hop.deviceId === undefined ? undefined : podIdOfDevice(hop.deviceId);
  if (has(podId)) return [podId];
  const node = nodeId(hop.node);
  return has(node) ? [node] : [];
}

export interface Highlight {
  /** Scene ids of the hops passed so far, and of the hop shown now. */
  onPath: Set<string>;
  current: Set<string>;
  /** Nodes whose NIC-to-wire line the packet used, and uses now. */
  wireNodes: Set<string>;
  currentWireNodes: Set<string>;
}

/** The nodes at either end of a `wire` hop. */
function wireEnds(hops: readonly Hop[], index: number): string[] {
  const hop = hops[index];
  if (hop?.action !== 'wire') return [];
  const next = hops[index + 1];
  return next ? [hop.node, next.node] : [hop.node];
}

export function highlightFor(path: PacketPath | undefined, step: number, scene: RenderedScene): Highlight {
  const highlight: Highlight = {
    onPath: new Set(),
    current: new Set(),
    wireNodes: new Set(),
    currentWireNodes: new Set(),
  };
  if (!path?.ok) return highlight;
  for (let i = 0; i <= step && i < path.hops.length; i++) {
    for (const id of hopTargets(path.hops, i, scene)) highlight.onPath.add(id);
    for (const node of wireEnds(path.hops, i)) highlight.wireNodes.add(node);
  }
  for (const id of hopTargets(path.hops, step, scene)) highlight.current.add(id);
  for (const node of wireEnds(path.hops, step)) highlight.currentWireNodes.add(node);
  return highlight;
}

export function applyHighlight(scene: RenderedScene, highlight: Highlight): void {
  for (const [id, elements] of scene.byId) {
    for (const element of elements) {
      element.classList.toggle('on-path', highlight.onPath.has(id));
      element.classList.toggle('current', highlight.current.has(id));
    }
  }
  // Only the two drop lines the packet takes, not every node's.
  for (const [node, element] of scene.wireDrops) {
    element.classList.toggle('on-path', highlight.wireNodes.has(node));
    element.classList.toggle('current', highlight.currentWireNodes.has(node));
  }
}
