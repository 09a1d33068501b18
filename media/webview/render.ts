// Turns the server's scene (a flat list of positioned boxes and lines) into SVG DOM. Layout is the
// server's job; this file only draws, makes boxes focusable, and keeps an index by scene id so that
// highlighting a hop or a selected pod changes classes instead of redrawing.
import type { Scene, SceneBox, SceneLine, SceneRef } from '../../server/src/topology/scene';
import { nodeOfId } from '../../server/src/topology/ids';
import { safeClasses, svgElement } from './dom';

const LINE_HEIGHT = 14;
const TEXT_PADDING = 8;

export interface RenderedScene {
  /** Every drawn element by its scene ref id (a device's box and its link lines share one id). */
  byId: Map<string, SVGElement[]>;
  boxes: Map<string, { box: SceneBox; element: SVGGElement }>;
  /** NIC device ids by node name, to light up the far end of the wire. */
  nicByNode: Map<string, string>;
  /**
   * The line from each node's NIC down to the shared wire. They all carry the ref `wire`; a packet
   * uses only two of them, so they are also kept per node.
   */
  wireDrops: Map<string, SVGElement>;
}

export interface RenderHandlers {
  activate(ref: SceneRef): void;
}

const INTERACTIVE = new Set<SceneRef['kind']>(['node', 'pod', 'device']);

export function renderScene(layer: SVGGElement, scene: Scene, handlers: RenderHandlers): RenderedScene {
  layer.replaceChildren();
  const rendered: RenderedScene = { byId: new Map(), boxes: new Map(), nicByNode: new Map(), wireDrops: new Map() };
  const drops: Array<{ line: SceneLine; element: SVGElement }> = [];
  const index = (id: string, element: SVGElement) => {
    const list = rendered.byId.get(id) ?? [];
    list.push(element);
    rendered.byId.set(id, list);
  };
  for (const element of scene.elements) {
    if (element.type === 'line') {
      const line = drawLine(layer, element);
      if (element.ref) index(element.ref.id, line);
      if (element.classes.includes('link-wire')) drops.push({ line: element, element: line });
      continue;
    }
    const group = drawBox(layer, element, handlers);
    index(element.ref.id, group);
    rendered.boxes.set(element.ref.id, { box: element, element: group });
    const isNic = element.ref.kind === 'device' && element.classes.includes('device-nic');
    const nicNode = isNic ? nodeOfId(element.ref.id) : undefined;
    if (nicNode !== undefined) rendered.nicByNode.set(nicNode, element.ref.id);
  }
  // A drop line starts at the middle of its NIC's bottom edge.
  for (const [node, nicId] of rendered.nicByNode) {
    const nic = rendered.boxes.get(nicId)?.box;
    const drop =
      nic &&
      drops.find(({ line }) => line.points[0][0] === nic.x + nic.width / 2 && line.points[0][1] === nic.y + nic.height);
    if (drop) rendered.wireDrops.set(node, drop.element);
  }
  return rendered;
}

function drawLine(layer: SVGGElement, line: SceneLine): SVGPolylineElement {
  const element = svgElement('polyline', { points: line.points.map(([x, y]) => `${x},${y}`).join(' ') }, layer);
  element.classList.add(...safeClasses(line.classes));
  if (line.ref) element.setAttribute('data-ref', `${line.ref.kind}:${line.ref.id}`);
  return element;
}

function drawBox(layer: SVGGElement, box: SceneBox, handlers: RenderHandlers): SVGGElement {
  const group = svgElement('g', {}, layer);
  group.classList.add('box', ...safeClasses(box.classes));
  // The same reference the standalone SVG carries: lets tests and scripts find an element by what it is.
  group.setAttribute('data-ref', `${box.ref.kind}:${box.ref.id}`);
  const title = svgElement('title', {}, group);
  title.textContent = box.tooltip.join('\n');
  svgElement('rect', { x: box.x, y: box.y, width: box.width, height: box.height, rx: 4 }, group);
  box.lines.forEach((line, i) => {
    const text = svgElement(
      'text',
      { x: box.x + TEXT_PADDING, y: box.y + 16 + i * LINE_HEIGHT, class: i === 0 ? 'bold' : undefined },
      group,
    );
    text.textContent = line;
    fitText(text, line, box.width - 2 * TEXT_PADDING);
  });
  if (INTERACTIVE.has(box.ref.kind)) {
    group.setAttribute('tabindex', '0');
    group.setAttribute('role', 'button');
    group.setAttribute('aria-label', describeBox(box));
    group.addEventListener('click', (event) => {
      // Nested drawing order puts pods above their node; only the topmost box reacts.
      event.stopPropagation();
      handlers.activate(box.ref);
    });
    group.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      handlers.activate(box.ref);
    });
  }
  return group;
}

export function describeBox(box: SceneBox, extra?: string): string {
  const kind = box.ref.kind === 'pod' ? 'Pod' : box.ref.kind === 'node' ? 'Node' : 'Device';
  return `${kind} ${box.lines.join(', ')}${extra ? `, ${extra}` : ''}`;
}

/** Shortens a line that would spill out of its box; the full text stays in the tooltip. */
function fitText(text: SVGTextElement, full: string, maxWidth: number): void {
  if (maxWidth <= 0 || text.getComputedTextLength() <= maxWidth) return;
  let low = 0;
  let high = full.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    text.textContent = `${full.slice(0, middle)}…`;
    if (text.getComputedTextLength() <= maxWidth) low = middle;
    else high = middle - 1;
  }
  text.textContent = `${full.slice(0, low)}…`;
}
