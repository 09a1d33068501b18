// The primitives a scene is made of, and the text metrics every renderer places them with. Kept apart
// from the layout so that the layout's modules and the renderers share them without a cycle.

export type SceneRefKind = 'node' | 'pod' | 'device' | 'wire' | 'tunnel' | 'group' | 'banner' | 'unplaced';

/** What a primitive stands for: a topology id, a banner's index, or an unplaced pod's `namespace/name`. */
export type SceneRef = { kind: SceneRefKind; id: string };

export type SceneIcon = 'error' | 'warning' | 'info';

export interface SceneBox {
  type: 'box';
  x: number;
  y: number;
  width: number;
  height: number;
  /** CSS classes: the element kind and its certainty. */
  classes: string[];
  /** Lines of text inside the box, already fitted to its width; the first one is bold. */
  lines: string[];
  /** Shown in the popover (the panel) or the tooltip (standalone SVG). */
  tooltip: string[];
  ref: SceneRef;
  /** Drawn before the first line, which then starts further right. */
  icon?: SceneIcon;
}

export interface SceneLine {
  type: 'line';
  points: Array<[number, number]>;
  classes: string[];
  ref?: SceneRef;
  /**
   * What the line joins, for tracing a path over the picture: box ids, or junctions on the wire and
   * the tunnel overlay (`wire@<node id>`, `tunnel@<node id>`).
   */
  ends?: [string, string];
  /** Tunnel lines join tunnel devices over the underlay; a packet's own hops never use them. */
  tunnel?: boolean;
  /** Ends with an arrowhead (the path overlay). */
  arrow?: boolean;
}

export interface SceneLabel {
  type: 'label';
  x: number;
  y: number;
  text: string;
  classes: string[];
  anchor?: 'start' | 'middle' | 'end';
}

/** A hop number on the path overlay, centred on (x, y). */
export interface SceneBadge {
  type: 'badge';
  x: number;
  y: number;
  text: string;
  classes: string[];
  /** Index of the hop in the path. */
  hop: number;
}

export type SceneElement = SceneBox | SceneLine | SceneLabel | SceneBadge;

export interface Scene {
  width: number;
  height: number;
  /** `overview`: one tile per node; `detail`: devices of the nodes in `nodes`; `empty`: nothing to place. */
  mode: 'detail' | 'overview' | 'empty';
  /** The nodes drawn in detail, in drawing order. */
  nodes: string[];
  elements: SceneElement[];
}

/** Where text sits in a box: renderers place lines with these, so every renderer agrees. */
export const BOX_TEXT = { paddingX: 8, firstBaseline: 17, lineStep: 15, iconWidth: 18 } as const;

/** The height of a box holding `lines` lines. */
export const boxHeight = (lines: number) => 10 + BOX_TEXT.lineStep * Math.max(1, lines);

export const count = (n: number, noun: string) => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
