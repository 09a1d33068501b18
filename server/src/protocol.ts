// The messages between the extension client and the language server, typed once for both sides.
// The webview's messages are typed here too, so host and webview cannot drift apart.
//
// Each custom LSP message is one RequestType/NotificationType object carrying its params and result
// types; the client, the server, the tests and the benchmark send and handle it through that object,
// never through its method string, so changing a type here breaks the build of whichever side
// disagrees. The classes come from vscode-jsonrpc, which defines them and which vscode-languageclient
// and vscode-languageserver-protocol re-export: it has no `vscode` import and bundles on both sides.
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { Topology, PacketPath, SourceRef } from './topology/types';
import type { Scene, SceneRef } from './topology/scene';
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
};

// ---- Topology: LSP requests from the client to the server ----

export type { Topology, PacketPath, SourceRef, Scene, SceneRef, ToolView };

export interface TopologyParams {
  /** A file of the cluster to show first; every cluster is returned. */
  uri?: string;
}

export interface ClusterView {
  topology: Topology;
  scene: Scene;
}

export interface TopologyResult {
  clusters: ClusterView[];
  /** Index in `clusters` of the cluster that holds `uri`, or 0. */
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

/** Every cluster's topology and scene, for the panel and the extension's API. */
export const TOPOLOGY_REQUEST = new RequestType<TopologyParams, TopologyResult, void>('podnet/topology');
/** The hops of a packet between two pods of a cluster. */
export const PACKET_PATH_REQUEST = new RequestType<PacketPathParams, PacketPath, void>('podnet/packetPath');
/** What a tool (`ip route`, `brctl show`…) would print on a node; null for an unknown cluster or node. */
export const NODE_TOOLS_REQUEST = new RequestType<NodeToolsParams, string | null, void>('podnet/nodeTools');

// ---- Topology: messages between the extension host and the webview ----

export type HostToWebview =
  | { type: 'topology'; result: TopologyResult }
  | { type: 'path'; path: PacketPath }
  | { type: 'select'; clusterId: string; from?: string; to?: string };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'requestPath'; clusterId: string; from: string; to: string }
  | { type: 'reveal'; ref: SceneRef }
  | { type: 'exportSvg'; clusterId: string }
  | { type: 'rendered'; clusterId: string; nodes: string[]; pods: string[]; highlighted: string[] };

const isString = (value: unknown): value is string => typeof value === 'string' && value.length <= 1000;
const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.length <= 10_000 && value.every(isString);
const REF_KINDS = ['node', 'pod', 'device', 'wire', 'group'];

/** Messages from the webview are untrusted input: accept only the exact shapes above. */
export function isWebviewMessage(message: unknown): message is WebviewToHost {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return true;
    case 'requestPath':
      return isString(m.clusterId) && isString(m.from) && isString(m.to);
    case 'reveal': {
      const ref = m.ref as Record<string, unknown> | null;
      return typeof ref === 'object' && ref !== null && REF_KINDS.includes(ref.kind as string) && isString(ref.id);
    }
    case 'exportSvg':
      return isString(m.clusterId);
    case 'rendered':
      return isString(m.clusterId) && isStringList(m.nodes) && isStringList(m.pods) && isStringList(m.highlighted);
    default:
      return false;
  }
}
