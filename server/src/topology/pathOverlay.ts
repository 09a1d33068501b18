// A packet path drawn over a scene: each hop numbered on the box that stands for it, an arrow along the
// drawn links from each hop to the next (through the ports, the bridge, the tunnel device, the NIC and
// the wire), and the tunnel as its own arrow between the two tunnel devices, labelled with the outer
// addresses. Hops passed, the current hop and hops ahead get their own classes. Shared by the webview
// and the SVG export, like the scene.
import { nodeId, podIdOfDevice } from './ids';
import { type Scene, type SceneBadge, type SceneBox, type SceneElement, type SceneLine } from './sceneModel';
import { type PacketPath } from './types';

type Point = [number, number];
type HopState = 'passed' | 'current' | 'ahead';

export interface PathOverlay {
  elements: SceneElement[];
  /** Ids of the boxes and lines the packet has reached, up to and including the current hop. */
  onPath: Set<string>;
  /** Ids of what stands for the current hop. */
  current: Set<string>;
  /** The box id standing for each hop, if it is drawn. */
  targets: Array<string | undefined>;
}

interface Edge {
  to: string;
  points: Point[];
  line: SceneLine;
}

const stateOf = (hop: number, step: number): HopState => (hop < step ? 'passed' : hop === step ? 'current' : 'ahead');

export function pathOverlay(scene: Scene, path: PacketPath | undefined, step: number): PathOverlay {
  const overlay: PathOverlay = { elements: [], onPath: new Set(), current: new Set(), targets: [] };
  if (!path?.ok || path.hops.length === 0) return overlay;
  const boxes = boxIndex(scene);
  const graph = edgeIndex(scene);
  const hops = path.hops;
  overlay.targets = hops.map((hop) => {
    const has = (id: string | undefined): id is string => id !== undefined && boxes.has(id);
    // Where the host routes pods (Calico: no bridge), the routing decision is the host routing's hop.
    const routing = routingKey(nodeId(hop.node));
    if (hop.action === 'route' && hop.netns === 'host' && has(routing)) return routing;
    if (has(hop.deviceId)) return hop.deviceId;
    const pod = hop.deviceId === undefined ? undefined : podIdOfDevice(hop.deviceId);
    if (has(pod)) return pod;
    const node = nodeId(hop.node);
    return has(node) ? node : undefined;
  });
  const reach = (id: string | undefined, hop: number) => {
    if (id === undefined) return;
    if (hop <= step) overlay.onPath.add(id);
    if (hop === step) overlay.current.add(id);
  };

  const arrows: SceneElement[] = [];
  for (let i = 1; i < hops.length; i++) {
    const from = overlay.targets[i - 1];
    const to = overlay.targets[i];
    if (!from || !to || from === to) continue;
    const state = stateOf(i, step);
    const route = findRoute(graph, from, to, false);
    const pieces: Point[][] = route ? route.map((edge) => edge.points) : [straight(boxes.get(from)!, boxes.get(to)!)];
    for (const edge of route ?? []) if (edge.line.ref) reach(edge.line.ref.id, i);
    pieces.forEach((points, k) =>
      arrows.push({
        type: 'line',
        points,
        classes: ['path-link', state],
        ...(k === pieces.length - 1 ? { arrow: true } : {}),
      }),
    );
  }
  const tunnel = tunnelArrow(path, overlay.targets, graph, step);
  if (tunnel) {
    overlay.elements.push(...tunnel.elements);
    if (tunnel.state !== 'ahead') overlay.onPath.add(tunnel.ref);
    if (tunnel.state === 'current') overlay.current.add(tunnel.ref);
  }
  overlay.elements.push(...arrows);
  hops.forEach((_, i) => reach(overlay.targets[i], i));
  overlay.elements.push(...badges(overlay.targets, boxes, step));
  return overlay;
}

/** The key of a node's host-routing box: the end its ports and routes join in the scene's lines. */
const routingKey = (node: string) => `${node}/routing`;

/** The main box of each id: a bridge's bar and its box share one id, and the box carries the number. */
function boxIndex(scene: Scene): Map<string, SceneBox> {
  const boxes = new Map<string, SceneBox>();
  for (const element of scene.elements) {
    if (element.type !== 'box') continue;
    // The host routing stands for its node (its ref), but is a hop of its own.
    if (element.classes.includes('routing') && !element.classes.includes('bridge-bar')) {
      boxes.set(routingKey(element.ref.id), element);
      continue;
    }
    const known = boxes.get(element.ref.id);
    if (!known || known.classes.includes('bridge-bar')) boxes.set(element.ref.id, element);
  }
  return boxes;
}

function edgeIndex(scene: Scene): Map<string, Edge[]> {
  const graph = new Map<string, Edge[]>();
  const add = (from: string, edge: Edge) => graph.set(from, [...(graph.get(from) ?? []), edge]);
  for (const element of scene.elements) {
    if (element.type !== 'line' || !element.ends) continue;
    const [a, b] = element.ends;
    add(a, { to: b, points: element.points, line: element });
    add(b, { to: a, points: [...element.points].reverse(), line: element });
  }
  return graph;
}

/** The shortest way along drawn links from one box to another: the tunnel's own lines, or the others. */
function findRoute(graph: Map<string, Edge[]>, from: string, to: string, tunnel: boolean): Edge[] | undefined {
  const previous = new Map<string, { key: string; edge: Edge }>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length > 0) {
    const key = queue.shift()!;
    if (key === to) break;
    for (const edge of graph.get(key) ?? []) {
      if ((edge.line.tunnel ?? false) !== tunnel || seen.has(edge.to)) continue;
      seen.add(edge.to);
      previous.set(edge.to, { key, edge });
      queue.push(edge.to);
    }
  }
  if (!previous.has(to)) return undefined;
  const route: Edge[] = [];
  for (let key = to; key !== from; key = previous.get(key)!.key) route.unshift(previous.get(key)!.edge);
  return route;
}

/** From the border of one box towards the centre of the other, where no drawn link joins them. */
function straight(a: SceneBox, b: SceneBox): Point[] {
  const centre = (box: SceneBox): Point => [box.x + box.width / 2, box.y + box.height / 2];
  const [ax, ay] = centre(a);
  const [bx, by] = centre(b);
  return [border(a, ax, ay, bx, by), border(b, bx, by, ax, ay)];
}

/** Where the segment from the centre (cx, cy) of `box` towards (tx, ty) leaves the box. */
function border(box: SceneBox, cx: number, cy: number, tx: number, ty: number): Point {
  const dx = tx - cx;
  const dy = ty - cy;
  const scale = Math.min(
    dx === 0 ? Infinity : box.width / 2 / Math.abs(dx),
    dy === 0 ? Infinity : box.height / 2 / Math.abs(dy),
    1,
  );
  return [cx + dx * scale, cy + dy * scale];
}

/** The tunnel between the encapsulating and the decapsulating device, when both are drawn. */
function tunnelArrow(
  path: PacketPath,
  targets: Array<string | undefined>,
  graph: Map<string, Edge[]>,
  step: number,
): { elements: SceneElement[]; state: HopState; ref: string } | undefined {
  const encap = path.hops.findIndex((h) => h.action === 'encapsulate');
  const decap = path.hops.findIndex((h, i) => i > encap && h.action === 'decapsulate');
  if (encap < 0 || decap < 0) return undefined;
  const from = targets[encap];
  const to = targets[decap];
  if (!from || !to || from === to) return undefined;
  const route = findRoute(graph, from, to, true);
  if (!route) return undefined;
  const state: HopState = step <= encap ? 'ahead' : step >= decap ? 'passed' : 'current';
  const elements: SceneElement[] = route.map((edge, k) => ({
    type: 'line',
    points: edge.points,
    classes: ['path-tunnel', state],
    ...(k === route.length - 1 ? { arrow: true } : {}),
  }));
  const encapsulation = path.hops[encap].encapsulation ?? path.encapsulation;
  // The label sits on the longest level stretch of the tunnel, where it runs between the nodes.
  const level = route
    .flatMap((edge) => edge.points.slice(1).map((p, i): [Point, Point] => [edge.points[i], p]))
    .filter(([a, b]) => a[1] === b[1])
    .sort(([a, b], [c, d]) => Math.abs(d[0] - c[0]) - Math.abs(b[0] - a[0]))[0];
  if (encapsulation && level) {
    const port = encapsulation.port ? `:${encapsulation.port}` : '';
    elements.push({
      type: 'label',
      x: (level[0][0] + level[1][0]) / 2,
      y: level[0][1] + 15,
      text: `${encapsulation.type} ${encapsulation.outerSrc} → ${encapsulation.outerDst}${port}`,
      classes: ['path-label', state],
      anchor: 'middle',
    });
  }
  return { elements, state, ref: route[0].line.ref?.id ?? 'tunnel' };
}

/** One numbered badge per hop on the top edge of its box, in hop order, the last at the right corner. */
function badges(targets: Array<string | undefined>, boxes: Map<string, SceneBox>, step: number): SceneBadge[] {
  const total = new Map<string, number>();
  for (const id of targets) if (id !== undefined) total.set(id, (total.get(id) ?? 0) + 1);
  const placed = new Map<string, number>();
  const result: SceneBadge[] = [];
  targets.forEach((id, hop) => {
    const box = id === undefined ? undefined : boxes.get(id);
    if (!box || id === undefined) return;
    const k = placed.get(id) ?? 0;
    placed.set(id, k + 1);
    // A bridge's (or the host routing's) bars rise from its right end: its numbers stand left of them.
    const barred = box.classes.includes('device-bridge') || box.classes.includes('routing');
    const right = box.x + box.width - (barred ? 34 : 12);
    result.push({
      type: 'badge',
      x: right - (total.get(id)! - 1 - k) * 21,
      y: box.y,
      text: String(hop + 1),
      classes: ['hop-badge', stateOf(hop, step)],
      hop,
    });
  });
  return result;
}

/** The arrowhead at the end of a line: a triangle pointing along its last segment. */
export function arrowHead(points: ReadonlyArray<readonly [number, number]>): Point[] {
  const [x, y] = points[points.length - 1];
  const [px, py] = points[points.length - 2] ?? [x, y - 1];
  const length = Math.hypot(x - px, y - py) || 1;
  const ux = (x - px) / length;
  const uy = (y - py) / length;
  return [
    [x, y],
    [x - ux * 9 - uy * 5, y - uy * 9 + ux * 5],
    [x - ux * 9 + uy * 5, y - uy * 9 - ux * 5],
  ];
}
