// The overview of a large cluster: one tile per node with its name, podCIDR and pods aggregated (how
// many, a few names, "+N more"), in a grid that fills the view. The richest tile that lets every node
// fit in the view is chosen; text never shrinks below FONT.small: with too many nodes, the grid scrolls.
import { podKey } from './ids';
import { boxHeight, count, type SceneElement } from './sceneModel';
import { fitText, FONT, textWidth } from './sceneText';
import { type NodeTopology, type Topology } from './types';

const GAP = 8;
const MAX_TILE_WIDTH = 260;

interface TileFormat {
  lines: 2 | 3;
  minWidth: number;
}

/** Richest first: name, podCIDR and pod count, a few pod names; then without the names. */
const FORMATS: readonly TileFormat[] = [
  { lines: 3, minWidth: 170 },
  { lines: 3, minWidth: 150 },
  { lines: 2, minWidth: 140 },
];

export function layoutOverview(
  topology: Topology,
  width: number,
  height: number,
  left: number,
  top: number,
): { elements: SceneElement[]; bottom: number } {
  const nodes = topology.nodes;
  const grid = (format: TileFormat) => {
    const columns = Math.max(1, Math.min(nodes.length, Math.floor((width + GAP) / (format.minWidth + GAP))));
    const tileWidth = Math.min(MAX_TILE_WIDTH, Math.floor((width - (columns - 1) * GAP) / columns));
    const rows = Math.ceil(nodes.length / columns);
    const tileHeight = boxHeight(format.lines);
    return { format, columns, tileWidth, tileHeight, needed: rows * (tileHeight + GAP) - GAP };
  };
  const grids = FORMATS.map(grid);
  const chosen = grids.find((g) => g.needed <= height) ?? grids[0];
  const elements: SceneElement[] = nodes.map((node, i) => {
    const x = left + (i % chosen.columns) * (chosen.tileWidth + GAP);
    const y = top + Math.floor(i / chosen.columns) * (chosen.tileHeight + GAP);
    return tile(node, x, y, chosen.tileWidth, chosen.tileHeight, chosen.format);
  });
  return { elements, bottom: top + chosen.needed };
}

function tile(node: NodeTopology, x: number, y: number, width: number, height: number, format: TileFormat) {
  const text = width - 16;
  const broken = node.problems.length > 0;
  const summary = `${broken ? 'cannot be built' : (node.podCidr ?? 'no podCIDR')} · ${count(node.pods.length, 'pod')}`;
  const lines = [fitText(node.name, text, FONT.normal, true), fitText(summary, text, FONT.small)];
  if (format.lines === 3) lines.push(podNames(node, text));
  return {
    type: 'box' as const,
    x,
    y,
    width,
    height,
    classes: [
      'node',
      'node-tile',
      `certainty-${node.podCidrNote ? 'inferred' : 'known'}`,
      ...(broken ? ['node-broken'] : []),
    ],
    lines,
    tooltip: [
      node.name,
      node.podCidr ? `podCIDR ${node.podCidr}${node.podCidrNote ? ' (inferred)' : ''}` : 'no podCIDR',
      node.internalIp ? `InternalIP ${node.internalIp}` : 'no InternalIP',
      ...node.problems,
      `${count(node.pods.length, 'pod')}${node.pods.length > 0 ? ':' : ''}`,
      ...node.pods.slice(0, 12).map((p) => `  ${podKey(p)}${p.address ? ` ${p.address.ip}` : ''}`),
      ...(node.pods.length > 12 ? [`  +${node.pods.length - 12} more`] : []),
    ],
    ref: { kind: 'node' as const, id: node.id },
  };
}

/** `web-1, cart-2 +18 more`: as many names as fit, and at least the start of the first. */
function podNames(node: NodeTopology, width: number): string {
  const pods = node.pods;
  if (pods.length === 0) return 'no pods';
  const more = (shown: number) => (pods.length > shown ? ` +${pods.length - shown} more` : '');
  const names: string[] = [];
  for (const pod of pods) {
    const candidate = [...names, pod.name].join(', ') + more(names.length + 1);
    if (textWidth(candidate, FONT.small) > width) break;
    names.push(pod.name);
  }
  if (names.length > 0) return names.join(', ') + more(names.length);
  const tail = more(1);
  return fitText(pods[0].name, width - textWidth(tail, FONT.small), FONT.small) + tail;
}
