// Turns the scene (a flat list of positioned boxes, lines and labels laid out by topology/scene.ts) and
// the path drawn over it into SVG DOM. Layout is not done here: this file only draws, makes boxes
// focusable, and keeps an index by scene id so that highlighting changes classes instead of redrawing.
import type { PathOverlay } from '../../server/src/topology/pathOverlay';
import { arrowHead } from '../../server/src/topology/pathOverlay';
import {
  BOX_TEXT,
  type Scene,
  type SceneBox,
  type SceneElement,
  type SceneIcon,
  type SceneRef,
} from '../../server/src/topology/scene';
import { safeClasses, svgElement } from './dom';

export interface RenderedScene {
  scene: Scene;
  /** Every box by its scene ref id (a bridge's bar and box share one id). */
  byId: Map<string, SVGGElement[]>;
  /** The main box of each id: the one that carries the text. */
  boxes: Map<string, { box: SceneBox; element: SVGGElement }>;
}

export interface RenderHandlers {
  activate(box: SceneBox): void;
  /** The pointer or the keyboard focus is on a box (for the popover), or left it (undefined). */
  point(box: SceneBox | undefined, element: SVGGElement | undefined): void;
  /** A hop number of the path was clicked. */
  hop(index: number): void;
}

/** Boxes that react to clicks and Enter. */
const INTERACTIVE = new Set<SceneRef['kind']>(['node', 'pod', 'device', 'banner', 'unplaced', 'group']);

/** Codicon glyphs (the codicon font is loaded with the panel's stylesheets). */
const ICON_GLYPH: Record<SceneIcon, string> = { error: '\uea87', warning: '\uea6c', info: '\uea74' };

export function renderScene(layer: SVGGElement, scene: Scene, handlers: RenderHandlers): RenderedScene {
  layer.replaceChildren();
  const rendered: RenderedScene = { scene, byId: new Map(), boxes: new Map() };
  for (const element of scene.elements) {
    if (element.type !== 'box') {
      drawPrimitive(layer, element, handlers);
      continue;
    }
    const group = drawBox(layer, element, handlers);
    const list = rendered.byId.get(element.ref.id) ?? [];
    list.push(group);
    rendered.byId.set(element.ref.id, list);
    const known = rendered.boxes.get(element.ref.id);
    if (!known || known.box.classes.includes('bridge-bar'))
      rendered.boxes.set(element.ref.id, { box: element, element: group });
  }
  return rendered;
}

/** Draws the path over the scene and marks the boxes it reaches. */
export function renderOverlay(
  layer: SVGGElement,
  rendered: RenderedScene,
  overlay: PathOverlay,
  handlers: RenderHandlers,
): void {
  layer.replaceChildren();
  for (const element of overlay.elements) if (element.type !== 'box') drawPrimitive(layer, element, handlers);
  for (const [id, elements] of rendered.byId)
    for (const element of elements) {
      element.classList.toggle('on-path', overlay.onPath.has(id));
      element.classList.toggle('current', overlay.current.has(id));
    }
}

function drawPrimitive(layer: SVGGElement, element: Exclude<SceneElement, SceneBox>, handlers: RenderHandlers): void {
  const points = (list: ReadonlyArray<readonly [number, number]>) => list.map(([x, y]) => `${x},${y}`).join(' ');
  switch (element.type) {
    case 'line': {
      const line = svgElement('polyline', { points: points(element.points) }, layer);
      line.classList.add(...safeClasses(element.classes));
      if (element.ref) line.setAttribute('data-ref', `${element.ref.kind}:${element.ref.id}`);
      if (element.arrow) {
        const head = svgElement('polygon', { points: points(arrowHead(element.points)) }, layer);
        head.classList.add('arrowhead', ...safeClasses(element.classes));
      }
      return;
    }
    case 'label': {
      const text = svgElement(
        'text',
        { x: element.x, y: element.y, 'text-anchor': element.anchor === 'start' ? undefined : element.anchor },
        layer,
      );
      text.classList.add(...safeClasses(element.classes));
      text.textContent = element.text;
      return;
    }
    case 'badge': {
      const group = svgElement('g', { role: 'button', tabindex: '-1' }, layer);
      group.classList.add(...safeClasses(element.classes));
      group.setAttribute('aria-label', `Hop ${element.text}`);
      group.setAttribute('data-hop', String(element.hop));
      svgElement('circle', { cx: element.x, cy: element.y, r: 9 }, group);
      const text = svgElement('text', { x: element.x, y: element.y + 4, 'text-anchor': 'middle' }, group);
      text.textContent = element.text;
      group.addEventListener('click', (event) => {
        event.stopPropagation();
        handlers.hop(element.hop);
      });
      return;
    }
  }
}

function drawBox(layer: SVGGElement, box: SceneBox, handlers: RenderHandlers): SVGGElement {
  const group = svgElement('g', {}, layer);
  group.classList.add('box', ...safeClasses(box.classes));
  // The same reference the standalone SVG carries: lets tests and scripts find an element by what it is.
  group.setAttribute('data-ref', `${box.ref.kind}:${box.ref.id}`);
  svgElement('rect', { x: box.x, y: box.y, width: box.width, height: box.height, rx: 4 }, group);
  const indent = box.icon ? BOX_TEXT.iconWidth : 0;
  if (box.icon) {
    const icon = svgElement('text', { x: box.x + BOX_TEXT.paddingX - 1, y: box.y + 19, 'aria-hidden': 'true' }, group);
    icon.classList.add('codicon-glyph', `icon-${box.icon}`);
    icon.textContent = ICON_GLYPH[box.icon];
  }
  box.lines.forEach((line, i) => {
    const text = svgElement(
      'text',
      {
        x: box.x + BOX_TEXT.paddingX + indent,
        y: box.y + BOX_TEXT.firstBaseline + i * BOX_TEXT.lineStep,
        class: i === 0 ? 'bold' : undefined,
      },
      group,
    );
    text.textContent = line;
    fitText(text, line, box.width - 2 * BOX_TEXT.paddingX - indent);
  });
  if (box.lines.length > 0 || box.ref.kind === 'device') {
    group.addEventListener('pointerenter', () => handlers.point(box, group));
    group.addEventListener('pointerleave', () => handlers.point(undefined, undefined));
  }
  if (INTERACTIVE.has(box.ref.kind) && !box.classes.includes('bridge-bar') && !box.classes.includes('problem')) {
    group.setAttribute('tabindex', '0');
    group.setAttribute('role', 'button');
    group.setAttribute('aria-label', describeBox(box));
    group.addEventListener('focus', () => handlers.point(box, group));
    group.addEventListener('blur', () => handlers.point(undefined, undefined));
    group.addEventListener('click', (event) => {
      // Nested drawing order puts pods above their node; only the topmost box reacts.
      event.stopPropagation();
      handlers.activate(box);
    });
    group.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      handlers.activate(box);
    });
  } else if (box.classes.includes('bridge-bar')) {
    group.addEventListener('click', (event) => {
      event.stopPropagation();
      handlers.activate(box);
    });
  }
  return group;
}

const KIND_NAMES: Record<SceneRef['kind'], string> = {
  node: 'Node',
  pod: 'Pod',
  device: 'Device',
  wire: 'Wire',
  tunnel: 'Tunnel',
  group: 'Group',
  banner: 'Error',
  unplaced: 'Pod on no node',
};

/** The accessible name: the kind and the popover's first line, which is never shortened. */
export function describeBox(box: SceneBox, extra?: string): string {
  return `${KIND_NAMES[box.ref.kind]} ${box.tooltip[0] ?? box.lines.join(', ')}${extra ? `, ${extra}` : ''}`;
}

/** Shortens a line that the real font draws wider than its box; the full text stays in the popover. */
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
