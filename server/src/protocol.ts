// The messages between the extension client and the language server, typed once for both sides.
// The webview's messages are typed here too, so host and webview cannot drift apart.
//
// Each custom LSP message is one RequestType/NotificationType object carrying its params and result
// types; the client, the server, the tests and the benchmark send and handle it through that object,
// never through its method string, so changing a type here breaks the build of whichever side
// disagrees. The classes come from vscode-jsonrpc, which defines them and which vscode-languageclient
// and vscode-languageserver-protocol re-export: it has no `vscode` import and bundles on both sides.
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type {
  Device,
  DeviceAddress,
  FdbEntry,
  NeighbourEntry,
  NodeTopology,
  PacketPath,
  RouteEntry,
  PodTopology,
  SourceRef,
  Topology,
  UnplacedPod,
} from './topology/types';
import type { Scene, SceneOptions, SceneRef } from './topology/scene';
import type { ToolView } from './topology/tools';

export interface ServerStatus {
  state: 'starting' | 'indexing' | 'ready' | 'error';
  /** YAML files the server has read. */
  files: number;
  clusters: number;
  errors: number;
  warnings: number;
  message?: string;
}

/** Server → client, whenever the indexing state or the problem counts change (the status bar). */
export const SERVER_STATUS_NOTIFICATION = new NotificationType<ServerStatus>('podnet/status');

/** Settings under `podnet.*`, as the client sends them. */
export interface PodnetSettings {
  enable: boolean;
  rules: Record<string, 'off' | 'error' | 'warning' | 'information' | 'hint'>;
  clusters: Array<{ folder: string; name: string }>;
  knownNodes: string[];
  maxFileSize: number;
  /** The cluster's CNI, or `auto` to detect it from the manifests. */
  cni: 'auto' | 'flannel' | 'calico' | 'canal';
}

/** What the client sends as LSP initializationOptions. */
export interface InitializationOptions {
  settings: PodnetSettings;
  /** Red Hat's YAML extension is installed: it already reports YAML syntax errors. */
  yamlExtensionActive: boolean;
}

export const DEFAULT_PODNET_SETTINGS: PodnetSettings = {
  enable: true,
  rules: {},
  clusters: [],
  knownNodes: [],
  maxFileSize: 5_000_000,
  cni: 'auto',
};

// ---- Topology: LSP requests from the client to the server ----

export type { Topology, PacketPath, SourceRef, Scene, SceneRef, ToolView };

export interface TopologyParams {
  /** A file of the cluster to show first; every cluster is returned. */
  uri?: string;
}

/** A cluster's topology; the panel lays it out (topology/scene.ts) for the size of its view. */
export interface ClusterView {
  topology: Topology;
}

export interface TopologyResult {
  clusters: ClusterView[];
  /** Index in `clusters` of the cluster that holds `uri`, or 0. */
  focus: number;
}

// ---- Topology on the wire: what the server sends and the webview receives ----
//
// A 5,000-pod cluster repeats the same devices, sentences and file names thousands of times. On the
// wire each is sent once: sentences in `texts`, file names in `uris`, what devices share in `shapes`,
// and what ids.ts derives from names (ids, a pod device's netns, a veth pair's peers) is left out
// unless it differs. topology/wire.ts converts both ways; the round trip is exact.

/** Index of a sentence in TopologyWire.texts. */
export type TextRef = number;

/** A SourceRef as `[uri index in TopologyWire.uris, start line, start character, end line, end character]`. */
export type WireSource = [number, number, number, number, number];

/**
 * What devices share, sent once: a device names its shape by index. Every field of a Device is here
 * but those the device keeps (WireDevice) or derives; `name` is absent for the host end of a pod's
 * veth pair named as ids.ts's `vethName` names it.
 */
export type DeviceShape = Omit<Device, 'id' | 'name' | 'netns' | 'peer' | 'facts' | 'source'> & {
  name?: string;
  facts: TextRef[];
};

export interface WireDevice {
  /** Index in TopologyWire.shapes. */
  shape: number;
  /** The device's own addresses, when they are not its shape's. */
  addresses?: DeviceAddress[];
  /** Absent: the id ids.ts builds from the node, the pod and the name. */
  id?: string;
  /** Absent: `host` for a node's device, the pod's `namespace/name` for a pod's. */
  netns?: string;
  /** A peer that is not the other end of a `pair`. */
  peer?: string;
  /**
   * On a node's device that is the host end of a pod's veth pair: `[pod index, device index]` in the
   * node's pods. Both ends' peers are derived, and the pod's key fills the shape's sentences about it.
   */
  pair?: [number, number];
  source?: WireSource;
}

export type WirePod = Omit<PodTopology, 'id' | 'node' | 'devices' | 'placement' | 'notes' | 'source'> & {
  /** Absent: the id ids.ts builds. */
  id?: string;
  /** Absent: the node it is listed under. */
  node?: string;
  devices: WireDevice[];
  placement?: TextRef;
  notes?: TextRef[];
  source?: WireSource;
};

export type WireNode = Omit<NodeTopology, 'id' | 'devices' | 'pods' | 'source' | 'routes' | 'neighbours' | 'fdb'> & {
  /** Absent: the id ids.ts builds from the name. */
  id?: string;
  devices: WireDevice[];
  pods: WirePod[];
  source?: WireSource;
  /**
   * Indexes in TopologyWire.routeTable, neighbourTable and fdbTable: a node's entry for a peer is the
   * same on every node (its route, its VTEP), so the cluster sends it once, not once per node.
   */
  routes: number[];
  neighbours: number[];
  fdb: number[];
};

export type WireUnplacedPod = Omit<UnplacedPod, 'reason' | 'source'> & { reason: TextRef; source?: WireSource };

/** A Topology as sent; topology/wire.ts's `topologyFromWire` gives it back. */
export type TopologyWire = Omit<Topology, 'nodes' | 'unplaced'> & {
  nodes: WireNode[];
  unplaced: WireUnplacedPod[];
  /**
   * Facts, placements, notes and reasons; an array is a sentence about a pod, cut where the pod's
   * `namespace/name` goes.
   */
  texts: Array<string | string[]>;
  uris: string[];
  shapes: DeviceShape[];
  routeTable: RouteEntry[];
  neighbourTable: NeighbourEntry[];
  fdbTable: FdbEntry[];
};

/** The answer to TOPOLOGY_REQUEST: a TopologyResult with each topology in its wire form. */
export interface TopologyResponse {
  clusters: TopologyWire[];
  /** Index in `clusters` of the cluster that holds the `uri` asked about, or 0. */
  focus: number;
}

export interface PacketPathParams {
  clusterId: string;
  /** Pods as `name` or `namespace/name`. */
  from: string;
  to: string;
}

export interface NodeToolsParams {
  clusterId: string;
  node: string;
  view: ToolView;
}

/** Every cluster's topology in its wire form, for the panel and the extension's API (topologyResultFromWire). */
export const TOPOLOGY_REQUEST = new RequestType<TopologyParams, TopologyResponse, void>('podnet/topology');
/** The hops of a packet between two pods of a cluster. */
export const PACKET_PATH_REQUEST = new RequestType<PacketPathParams, PacketPath, void>('podnet/packetPath');
/** What a tool (`ip route`, `brctl show`…) would print on a node; null for an unknown cluster or node. */
export const NODE_TOOLS_REQUEST = new RequestType<NodeToolsParams, string | null, void>('podnet/nodeTools');

// ---- Topology: messages between the extension host and the webview ----

export type HostToWebview =
  /** In the wire form: the webview expands it (topology/wire.ts), as the host does. */
  | { type: 'topology'; result: TopologyResponse }
  | { type: 'path'; path: PacketPath }
  | { type: 'select'; clusterId: string; from?: string; to?: string };

/** How the panel laid a cluster out: the export lays it out the same way (topology/scene.ts). */
export type SceneLayout = Pick<SceneOptions, 'width' | 'height' | 'mode' | 'focusNodes' | 'pinnedPods'>;

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'requestPath'; clusterId: string; from: string; to: string }
  | { type: 'reveal'; ref: SceneRef }
  /** `step`: the hop shown, for the path drawn over the picture. */
  | { type: 'exportSvg'; clusterId: string; layout: SceneLayout; step: number }
  | { type: 'rendered'; clusterId: string; nodes: string[]; pods: string[]; highlighted: string[] };

/** A runtime check that a value is a T. */
type Check<T> = (value: unknown) => value is T;

const isString = (value: unknown): value is string => typeof value === 'string' && value.length <= 1000;
const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.length <= 10_000 && value.every(isString);
const REF_KINDS: Record<SceneRef['kind'], true> = {
  node: true,
  pod: true,
  device: true,
  wire: true,
  tunnel: true,
  group: true,
  banner: true,
  unplaced: true,
};
const isSceneRef = (value: unknown): value is SceneRef => {
  const ref = value as Record<string, unknown> | null;
  return (
    typeof ref === 'object' &&
    ref !== null &&
    typeof ref.kind === 'string' &&
    Object.hasOwn(REF_KINDS, ref.kind) &&
    isString(ref.id)
  );
};

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100_000;
const LAYOUT_MODES: ReadonlyArray<SceneLayout['mode']> = ['auto', 'detail', 'overview'];
const isSceneLayout = (value: unknown): value is SceneLayout => {
  const layout = value as Record<string, unknown> | null;
  return (
    typeof layout === 'object' &&
    layout !== null &&
    isCount(layout.width) &&
    isCount(layout.height) &&
    LAYOUT_MODES.includes(layout.mode as SceneLayout['mode']) &&
    isStringList(layout.focusNodes) &&
    isStringList(layout.pinnedPods)
  );
};

type WebviewMessage<K extends WebviewToHost['type']> = Extract<WebviewToHost, { type: K }>;

/**
 * A check for every field of every webview message, typed by that field: a message type or a field
 * added to WebviewToHost without its check, or a field whose type changes under its check, does not
 * compile.
 */
const WEBVIEW_MESSAGE_FIELDS: {
  [K in WebviewToHost['type']]: { [F in Exclude<keyof WebviewMessage<K>, 'type'>]-?: Check<WebviewMessage<K>[F]> };
} = {
  ready: {},
  requestPath: { clusterId: isString, from: isString, to: isString },
  reveal: { ref: isSceneRef },
  exportSvg: { clusterId: isString, layout: isSceneLayout, step: isCount },
  rendered: { clusterId: isString, nodes: isStringList, pods: isStringList, highlighted: isStringList },
};

/** Messages from the webview are untrusted input: accept only the exact shapes above. */
export function isWebviewMessage(message: unknown): message is WebviewToHost {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  // Own keys only: `type: 'constructor'` must not find Object.prototype's.
  if (typeof m.type !== 'string' || !Object.hasOwn(WEBVIEW_MESSAGE_FIELDS, m.type)) return false;
  const fields: Record<string, Check<unknown>> = WEBVIEW_MESSAGE_FIELDS[m.type as WebviewToHost['type']];
  return Object.entries(fields).every(([field, check]) => check(m[field]));
}
