// Lays a topology out as a flat list of drawing primitives for a view of a given size: the cluster's
// title, a banner for each error that stops the network, a tray of the pods that land on no node, then
// either the nodes in detail (wrapped into rows that fill the width) or, for large clusters, an overview
// of one tile per node. The same function runs in the webview and in the CLI, and both only turn its
// primitives into SVG, so the panel and the exported picture cannot differ.
import { CLUSTER_ID } from './ids';
import { layoutNodes } from './sceneNodes';
import { layoutOverview } from './sceneOverview';
import { blocksPredicted, calicoCniLine, routesPods } from './sceneCalico';
import { fitText, FONT, wrapText } from './sceneText';
import { BOX_TEXT, boxHeight, count, type Scene, type SceneElement } from './sceneModel';
import { type Topology } from './types';

export * from './sceneModel';

export interface SceneOptions {
  /** Size of the view the scene is drawn for, in px at 100 %: nodes wrap into rows to fill the width. */
  width: number;
  height: number;
  /** `auto`: an overview for clusters of more than OVERVIEW_ABOVE nodes, unless nodes are focused. */
  mode: 'auto' | 'detail' | 'overview';
  /** Node names drawn in detail, alone (a drill-down, the ends of a path); empty: every node. */
  focusNodes: string[];
  /** Pod ids drawn even beyond the per-node limit (a search hit, the ends of a path). */
  pinnedPods: string[];
  /** Pods drawn per node before the rest are grouped into one box; focused nodes show more. */
  maxPodsPerNode: number;
}

export const DEFAULT_SCENE_OPTIONS: SceneOptions = {
  width: 1200,
  height: 900,
  mode: 'auto',
  focusNodes: [],
  pinnedPods: [],
  maxPodsPerNode: 12,
};

/** Above this many nodes, `auto` shows the overview. */
export const OVERVIEW_ABOVE = 8;
/** Pods per node when the node is focused (drilled into). */
export const FOCUSED_MAX_PODS = 100;

export const MARGIN = 16;
const GAP = 10;
const MAX_TRAY = 8;

/** Options from outside (a webview message, a CLI flag): every field checked and bounded. */
export function sceneOptions(raw: Partial<SceneOptions> = {}): SceneOptions {
  const number = (value: unknown, fallback: number, min: number, max: number) =>
    typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
  const names = (value: unknown) =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').slice(0, 1000) : [];
  return {
    width: number(raw.width, DEFAULT_SCENE_OPTIONS.width, 320, 20_000),
    height: number(raw.height, DEFAULT_SCENE_OPTIONS.height, 200, 20_000),
    mode: raw.mode === 'detail' || raw.mode === 'overview' ? raw.mode : 'auto',
    focusNodes: names(raw.focusNodes),
    pinnedPods: names(raw.pinnedPods),
    maxPodsPerNode: number(raw.maxPodsPerNode, DEFAULT_SCENE_OPTIONS.maxPodsPerNode, 1, 10_000),
  };
}

export function buildScene(topology: Topology, partial: Partial<SceneOptions> = {}): Scene {
  const options = sceneOptions(partial);
  const inner = options.width - 2 * MARGIN;
  const elements: SceneElement[] = [];
  const focused = topology.nodes.filter((n) => options.focusNodes.includes(n.name));
  const mode: Scene['mode'] =
    topology.nodes.length === 0
      ? 'empty'
      : focused.length > 0 || options.mode === 'detail'
        ? 'detail'
        : options.mode === 'overview' || topology.nodes.length > OVERVIEW_ABOVE
          ? 'overview'
          : 'detail';
  const shownNodes = focused.length > 0 ? focused : topology.nodes;

  let y = MARGIN;
  y = title(topology, mode, shownNodes.length, inner, y, elements) + GAP;
  y = banners(topology, inner, y, elements);
  y = tray(topology, inner, y, elements);
  let width = options.width;
  let nodes: string[] = [];
  if (mode === 'empty') {
    y = emptyState(topology, inner, y, elements);
  } else if (mode === 'overview') {
    const overview = layoutOverview(topology, inner, options.height - y - MARGIN, MARGIN, y);
    elements.push(...overview.elements);
    y = overview.bottom;
  } else {
    const detail = layoutNodes(topology, shownNodes, {
      left: MARGIN,
      top: y,
      width: inner,
      maxPods: focused.length > 0 ? Math.max(options.maxPodsPerNode, FOCUSED_MAX_PODS) : options.maxPodsPerNode,
      pinned: new Set(options.pinnedPods),
    });
    elements.push(...detail.elements);
    y = detail.bottom;
    width = Math.max(width, detail.right + MARGIN);
    nodes = shownNodes.map((n) => n.name);
  }
  return { width, height: Math.ceil(y + MARGIN), mode, nodes, elements };
}

function title(
  topology: Topology,
  mode: Scene['mode'],
  shown: number,
  width: number,
  top: number,
  elements: SceneElement[],
): number {
  const { cluster, nodes, unplaced } = topology;
  const pods = nodes.reduce((sum, n) => sum + n.pods.length, 0) + unplaced.length;
  const predicted = cluster.cni === 'calico' && blocksPredicted(topology);
  const summary = [
    cniLine(cluster),
    // Calico's pools say the range; Canal's flannel Network is the podCIDRs'.
    ...(cluster.cni === 'calico' ? [] : [cluster.network ? `Network ${cluster.network}` : 'no Network']),
    `pod MTU ${cluster.podMtu}`,
    `${count(nodes.length, 'node')}, ${count(pods, 'pod')}`,
    ...(cluster.assumed ? ['defaults assumed (no net-conf.json)'] : []),
    ...(predicted ? ['blocks predicted: dashed outlines'] : []),
  ].join(' · ');
  const lines = [
    fitText(cluster.name, width - 16, FONT.heading, true),
    ...wrapText(summary, width - 16, FONT.small, 2),
  ];
  if (mode === 'overview') lines.push('Overview: click a node, or search, to see its devices and pods.');
  else if (mode === 'detail' && shown < nodes.length) lines.push(`Showing ${shown} of ${count(nodes.length, 'node')}.`);
  elements.push({
    type: 'box',
    x: MARGIN,
    y: top,
    width,
    height: boxHeight(lines.length) + 2,
    classes: ['title', `certainty-${cluster.assumed || predicted ? 'inferred' : 'known'}`],
    lines,
    tooltip: [cluster.name, summary, ...topology.notes],
    ref: { kind: 'group', id: CLUSTER_ID },
  });
  return top + boxHeight(lines.length) + 2;
}

function banners(topology: Topology, width: number, top: number, elements: SceneElement[]): number {
  let y = top;
  topology.banners.forEach((banner, index) => {
    const where = banner.source ? `${fileName(banner.source.uri)}:${banner.source.range.start.line + 1}` : '';
    const scope =
      banner.scope === 'node' && banner.nodes.length > 0
        ? `stops ${banner.nodes.length === 1 ? 'node' : 'nodes'} ${banner.nodes.join(', ')}`
        : 'stops the network on every node';
    const more = banner.more > 0 ? ` (and ${banner.more} more like it)` : '';
    const text = wrapText(banner.message, width - 16 - BOX_TEXT.iconWidth, FONT.normal, 3, true);
    const footer = fitText(
      `${banner.rule}: ${scope}${more}${where ? ` · ${where}, click to show` : ''}`,
      width - 16 - BOX_TEXT.iconWidth,
      FONT.small,
    );
    const lines = [...text, footer];
    elements.push({
      type: 'box',
      x: MARGIN,
      y,
      width,
      height: boxHeight(lines.length),
      classes: ['banner', 'banner-error'],
      lines,
      tooltip: [banner.message, `${banner.rule}${where ? ` at ${where}` : ''}`],
      ref: { kind: 'banner', id: String(index) },
      icon: 'error',
    });
    y += boxHeight(lines.length) + 6;
  });
  return y === top ? top : y + GAP - 6;
}

/** The pods that land on no node, with the reason, in a grid of boxes under the banners. */
function tray(topology: Topology, width: number, top: number, elements: SceneElement[]): number {
  const { unplaced } = topology;
  if (unplaced.length === 0) return top;
  elements.push({
    type: 'label',
    x: MARGIN,
    y: top + 12,
    text: `Pods on no node (${unplaced.length})`,
    classes: ['tray-heading'],
  });
  const columns = Math.max(1, Math.floor((width + GAP) / (300 + GAP)));
  const boxWidth = (width - (columns - 1) * GAP) / columns;
  const shown = unplaced.slice(0, unplaced.length > MAX_TRAY ? MAX_TRAY - 1 : MAX_TRAY);
  const textWidth = boxWidth - 16 - BOX_TEXT.iconWidth;
  const cells = shown.map((pod) => ({
    lines: [fitText(pod.pod, textWidth, FONT.normal, true), ...wrapText(pod.reason, textWidth, FONT.small, 2)],
    pod,
  }));
  const rowHeight = boxHeight(3);
  cells.forEach(({ lines, pod }, i) => {
    elements.push({
      type: 'box',
      x: MARGIN + (i % columns) * (boxWidth + GAP),
      y: top + 20 + Math.floor(i / columns) * (rowHeight + 6),
      width: boxWidth,
      height: rowHeight,
      classes: ['unplaced'],
      lines,
      tooltip: [pod.pod, pod.reason],
      ref: { kind: 'unplaced', id: pod.pod },
      icon: 'warning',
    });
  });
  let slots = cells.length;
  if (unplaced.length > shown.length) {
    const rest = unplaced.slice(shown.length);
    elements.push({
      type: 'box',
      x: MARGIN + (slots % columns) * (boxWidth + GAP),
      y: top + 20 + Math.floor(slots / columns) * (rowHeight + 6),
      width: boxWidth,
      height: rowHeight,
      classes: ['unplaced', 'unplaced-more'],
      lines: [`+${rest.length} more pods on no node`, fitText(rest[0].reason, textWidth, FONT.small)],
      tooltip: rest.slice(0, 30).map((p) => `${p.pod}: ${p.reason}`),
      ref: { kind: 'unplaced', id: rest[0].pod },
      icon: 'warning',
    });
    slots++;
  }
  return top + 20 + Math.ceil(slots / columns) * (rowHeight + 6) + GAP - 6;
}

/** The CNI and how it carries traffic between nodes: flannel's backend, Calico's pools. */
function cniLine(cluster: Topology['cluster']): string {
  if (cluster.cni === 'unknown') return 'CNI unknown';
  return routesPods(cluster) ? calicoCniLine(cluster) : `${cluster.cni} ${cluster.backend || '(no backend)'}`;
}

/** A cluster with no node to draw says what is missing instead of showing a blank canvas. */
function emptyState(topology: Topology, width: number, top: number, elements: SceneElement[]): number {
  const { cluster, unplaced } = topology;
  const found =
    cluster.cni === 'unknown'
      ? 'No CNI configuration either: the CNI is unknown.'
      : cluster.cni !== 'flannel'
        ? `Found ${cluster.cni}'s configuration${cluster.network ? ` on ${cluster.network}` : ''}.`
        : cluster.assumed
          ? 'No flannel ConfigMap either: flannel defaults (10.244.0.0/16, vxlan) are assumed.'
          : `Found flannel's configuration: ${cluster.backend || 'no backend'}` +
            `${cluster.network ? ` on ${cluster.network}` : ''}.`;
  const objects = unplaced.filter((pod) => !pod.predicted);
  const controllers = [
    ...new Set(unplaced.flatMap((pod) => (pod.predicted && pod.owner ? [`${pod.owner.kind} ${pod.owner.name}`] : []))),
  ];
  const missing =
    (objects.length === 0
      ? 'This cluster has no Node objects and no Pods, so no node and no pod can be drawn.'
      : `This cluster has no Node objects, and its ${count(objects.length, 'Pod')} name no node ` +
        '(see above), so no node can be drawn.') +
    (controllers.length > 0 ? ` ${controllers.join(', ')} would run pods on nodes that are not known.` : '');
  const hint =
    'Add Node manifests (kubectl get nodes -o yaml), Pods with spec.nodeName, or list the node names in ' +
    'the podnet.knownNodes setting.';
  const textWidth = width - 16 - BOX_TEXT.iconWidth;
  const lines = [
    'Nothing to draw: no nodes',
    ...wrapText(missing, textWidth, FONT.small, 3),
    ...wrapText(found, textWidth, FONT.small, 2),
    ...wrapText(hint, textWidth, FONT.small, 3),
  ];
  elements.push({
    type: 'box',
    x: MARGIN,
    y: top,
    width,
    height: boxHeight(lines.length),
    classes: ['empty-state'],
    lines,
    tooltip: [missing, found, hint],
    ref: { kind: 'group', id: CLUSTER_ID },
    icon: 'info',
  });
  return top + boxHeight(lines.length);
}

const fileName = (uri: string) => decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
