// The "Network Topology" webview panel: asks the language server for the clusters' topology, hands it to
// the webview, answers its path requests, reveals sources and exports SVG. One panel at a time; it is
// restored after a reload by the serializer from the state the webview saved.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  type HostToWebview,
  isWebviewMessage,
  PACKET_PATH_REQUEST,
  type PacketPath,
  type PacketPathParams,
  type SceneLayout,
  type SceneRef,
  TOPOLOGY_REQUEST,
  type TopologyParams,
  type TopologyResponse,
  type TopologyResult,
  type WebviewToHost,
} from '../../server/src/protocol';
import { pathOverlay } from '../../server/src/topology/pathOverlay';
import { buildScene, OVERVIEW_ABOVE } from '../../server/src/topology/scene';
import { sceneToSvg } from '../../server/src/topology/svg';
import { noPath } from '../../server/src/topology/types';
import { topologyResultFromWire } from '../../server/src/topology/wire';
import { newNonce, topologyPanelHtml } from './topologyHtml';
import { podsOf, resolvePod, sourceOf } from './topologySource';

export const TOPOLOGY_VIEW_TYPE = 'podnet.topology';
const REFRESH_DELAY_MS = 300;
const BASE_TITLE = 'Network Topology';

export interface TopologyDeps {
  extensionUri: vscode.Uri;
  output: vscode.LogOutputChannel;
  /** The running language client, if any. */
  client(): LanguageClient | undefined;
  /** Told what the webview drew each time it renders (the extension's API and tests listen). */
  onRendered?(message: Extract<WebviewToHost, { type: 'rendered' }>): void;
}

/** Asks the server for every cluster's topology, with `uri`'s cluster in focus. */
export async function requestTopology(
  deps: TopologyDeps,
  uri: vscode.Uri | undefined,
): Promise<TopologyResult | undefined> {
  const response = await requestTopologyWire(deps, uri);
  return response && topologyResultFromWire(response);
}

/** The topology as the server sends it: the panel forwards this form to the webview, which expands it too. */
async function requestTopologyWire(
  deps: TopologyDeps,
  uri: vscode.Uri | undefined,
): Promise<TopologyResponse | undefined> {
  const client = deps.client();
  if (!client) return undefined;
  const params: TopologyParams = uri ? { uri: uri.toString() } : {};
  try {
    return await client.sendRequest(TOPOLOGY_REQUEST, params);
  } catch (error) {
    deps.output.error(`Podnet: topology request failed: ${describeError(error)}`);
    return undefined;
  }
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

class TopologyPanel implements vscode.Disposable {
  /** The topology as the server sent it: the webview expands it for itself. */
  private response: TopologyResponse | undefined;
  /** `response` expanded, when reveal or export first needs it (not on every refresh). */
  private expanded: { from: TopologyResponse; result: TopologyResult } | undefined;
  /** The webview has said `ready`, and has been sent the current topology since. */
  private ready = false;
  private topologySent = false;
  /** A `select` waits for the topology: the webview resolves its cluster and pods in it. */
  private pendingSelect: HostToWebview | undefined;
  /** What the webview last drew: its cluster, and the last path answered per cluster, for reveal and export. */
  private shownClusterId: string | undefined;
  private readonly paths = new Map<string, PacketPath>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private requestSeq = 0;
  private appliedSeq = 0;
  private stale = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: TopologyDeps,
    private uri: vscode.Uri | undefined,
    private manifestColumn: vscode.ViewColumn | undefined,
  ) {
    const webview = panel.webview;
    webview.options = webviewOptions(deps.extensionUri);
    webview.html = topologyPanelHtml({
      cspSource: webview.cspSource,
      nonce: newNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, 'media', 'topology.css')).toString(),
      codiconUri: webview
        .asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, 'dist', 'codicons', 'codicon.css'))
        .toString(),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => {
        // The webview is a separate, less trusted context: anything not in the protocol is dropped.
        if (isWebviewMessage(message)) void this.onMessage(message);
      }),
      panel.onDidChangeViewState(() => {
        // A hidden webview is torn down (no retainContextWhenHidden); it says `ready` again when shown.
        if (!panel.visible) this.ready = this.topologySent = false;
      }),
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.languageId === 'yaml' && event.contentChanges.length > 0) this.scheduleRefresh();
      }),
      // The server republishes diagnostics once it has re-analysed the manifests (also after a restart).
      vscode.languages.onDidChangeDiagnostics((event) => {
        if (event.uris.some((uri) => /\.ya?ml$/i.test(uri.path))) this.scheduleRefresh();
      }),
    );
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }

  /** Shows `uri`'s cluster: a new topology request, then a `select` that switches the webview to it. */
  async focus(uri: vscode.Uri | undefined, column: vscode.ViewColumn | undefined): Promise<void> {
    if (uri) this.uri = uri;
    if (column) this.manifestColumn = column;
    const response = await this.load();
    const topology = response?.clusters[response.focus];
    if (topology) this.select({ type: 'select', clusterId: topology.cluster.id });
  }

  select(message: HostToWebview): void {
    this.pendingSelect = message;
    void this.flushSelect();
  }

  async load(): Promise<TopologyResponse | undefined> {
    const seq = ++this.requestSeq;
    const response = await requestTopologyWire(this.deps, this.uri);
    // A slower answer to an older request must not replace a newer one.
    if (!response || seq < this.appliedSeq) return this.response;
    this.appliedSeq = seq;
    this.response = response;
    this.stale = false;
    this.updateTitle();
    await this.sendTopology();
    return response;
  }

  private result(): TopologyResult | undefined {
    const response = this.response;
    if (!response) return undefined;
    if (this.expanded?.from !== response) this.expanded = { from: response, result: topologyResultFromWire(response) };
    return this.expanded.result;
  }

  private async sendTopology(): Promise<void> {
    if (!this.ready || !this.response) return;
    await this.post({ type: 'topology', result: forWebview(this.response) });
    this.topologySent = true;
    await this.flushSelect();
  }

  private async flushSelect(): Promise<void> {
    const message = this.pendingSelect;
    if (!message || !this.ready || !this.topologySent) return;
    this.pendingSelect = undefined;
    await this.post(message);
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      // Hidden panels catch up when they are shown again.
      if (this.panel.visible) void this.load();
      else this.stale = true;
    }, REFRESH_DELAY_MS);
  }

  private async post(message: HostToWebview): Promise<void> {
    await this.panel.webview.postMessage(message);
  }

  private async onMessage(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        // Also after every reload of the webview (it was hidden): it needs the topology again.
        this.ready = true;
        this.topologySent = false;
        if (this.stale || !this.response) await this.load();
        else await this.sendTopology();
        return;
      case 'requestPath': {
        const path = await this.packetPath(message);
        this.paths.set(message.clusterId, path);
        await this.post({ type: 'path', path });
        return;
      }
      case 'reveal':
        await this.reveal(message.ref);
        return;
      case 'exportSvg':
        await this.exportSvg(message.clusterId, message.layout, message.step);
        return;
      case 'rendered':
        this.shownClusterId = message.clusterId;
        if (message.highlighted.length === 0) this.paths.delete(message.clusterId);
        this.updateTitle();
        this.deps.onRendered?.(message);
        return;
      default:
        // Every WebviewToHost type is handled above; one added to protocol.ts does not compile until it is.
        message satisfies never;
    }
  }

  private async packetPath(params: PacketPathParams): Promise<PacketPath> {
    const failed = (reason: string): PacketPath => noPath(params.from, params.to, reason);
    const client = this.deps.client();
    if (!client) return failed('The Podnet language server is not running.');
    try {
      const request: PacketPathParams = { clusterId: params.clusterId, from: params.from, to: params.to };
      return await client.sendRequest(PACKET_PATH_REQUEST, request);
    } catch (error) {
      this.deps.output.error(`Podnet: packet path request failed: ${describeError(error)}`);
      return failed(`The language server could not trace the path: ${describeError(error)}`);
    }
  }

  private async reveal(ref: SceneRef): Promise<void> {
    const result = this.result();
    if (!result) return;
    const source = sourceOf(result, ref, this.shownClusterId);
    if (!source) return;
    const uri = vscode.Uri.parse(source.uri);
    const { start, end } = source.range;
    const range = new vscode.Range(start.line, start.character, end.line, end.character);
    const open = vscode.window.visibleTextEditors.find((editor) => editor.document.uri.toString() === uri.toString());
    try {
      // Focus stays in the panel so that picking the second pod of a path needs no extra click.
      await vscode.window.showTextDocument(uri, {
        viewColumn: open?.viewColumn ?? this.manifestColumn ?? vscode.ViewColumn.One,
        selection: range,
        preserveFocus: true,
      });
    } catch (error) {
      this.deps.output.warn(`Podnet: cannot open ${uri.toString()}: ${describeError(error)}`);
    }
  }

  /** Lays the cluster out as the panel did and draws the path shown there over it. */
  private async exportSvg(clusterId: string, layout: SceneLayout, step: number): Promise<void> {
    const view = this.result()?.clusters.find((c) => c.topology.cluster.id === clusterId);
    if (!view) return;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const fileName = `${view.topology.cluster.name.replace(/[^\w.-]+/g, '-') || 'cluster'}-topology.svg`;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
      filters: { 'SVG image': ['svg'] },
      saveLabel: 'Export',
      title: 'Export the network topology as SVG',
    });
    if (!target) return;
    const scene = buildScene(view.topology, layout);
    const svg = sceneToSvg(scene, pathOverlay(scene, this.paths.get(clusterId), step));
    try {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(svg));
      void vscode.window.showInformationMessage(
        `Podnet: topology exported to ${vscode.workspace.asRelativePath(target)}.`,
      );
    } catch (error) {
      void vscode.window.showErrorMessage(`Podnet: could not write ${target.fsPath}: ${describeError(error)}`);
    }
  }

  private updateTitle(): void {
    const clusters = this.response?.clusters ?? [];
    const shown =
      clusters.find((c) => c.cluster.id === this.shownClusterId) ??
      (this.response ? clusters[this.response.focus] : undefined);
    this.panel.title = shown ? `${BASE_TITLE}: ${shown.cluster.name}` : BASE_TITLE;
  }
}

/** The commands and the serializer; owns the one panel. */
export class TopologyPanels implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private current: TopologyPanel | undefined;

  constructor(private readonly deps: TopologyDeps) {}

  dispose(): void {
    this.current?.panel.dispose();
  }

  /** `podnet.openTopology [uri]`: from the palette, the editor title (a Uri) or a CodeLens (a string). */
  async open(uriArgument?: unknown): Promise<void> {
    const uri = toUri(uriArgument) ?? vscode.window.activeTextEditor?.document.uri;
    if (!this.deps.client()) {
      void vscode.window.showWarningMessage(
        'Podnet: the language server is not running, so there is no topology to show. Check the ' +
          '"podnet.enable" setting.',
      );
    }
    await this.panelFor(uri).focus(uri, columnOf(uri));
  }

  /** `podnet.tracePath [uri, "namespace/name"]`: picks the two pods, then shows their path in the panel. */
  async tracePath(uriArgument?: unknown, fromArgument?: unknown): Promise<void> {
    const uri = toUri(uriArgument) ?? vscode.window.activeTextEditor?.document.uri;
    const result = await requestTopology(this.deps, uri);
    const view = result?.clusters[result.focus];
    if (!result || !view) {
      void vscode.window.showWarningMessage(
        result
          ? 'Podnet: no cluster found in the workspace.'
          : 'Podnet: the language server did not answer; is it running?',
      );
      return;
    }
    const { topology } = view;
    const pods = podsOf(topology);
    if (pods.length < 2) {
      void vscode.window.showInformationMessage(
        `Podnet: cluster ${topology.cluster.name} has ${pods.length === 0 ? 'no pods' : 'only one pod'}; a ` +
          `path needs two.`,
      );
      return;
    }
    const item = (pod: (typeof pods)[number]) => ({
      label: pod.name,
      description: `${pod.namespace} on ${pod.node}`,
      detail: pod.ip ? `IP ${pod.ip}` : undefined,
      key: pod.key,
    });
    const given = typeof fromArgument === 'string' ? resolvePod(topology, fromArgument) : undefined;
    const from =
      given ??
      (
        await vscode.window.showQuickPick(pods.map(item), {
          title: 'Trace Packet Path (1/2)',
          placeHolder: 'Source pod',
          matchOnDescription: true,
        })
      )?.key;
    if (!from) return;
    const to = (
      await vscode.window.showQuickPick(pods.filter((pod) => pod.key !== from).map(item), {
        title: 'Trace Packet Path (2/2)',
        placeHolder: `Destination pod for a packet from ${from}`,
        matchOnDescription: true,
      })
    )?.key;
    if (!to) return;
    const panel = this.panelFor(uri);
    await panel.focus(uri, columnOf(uri));
    panel.select({ type: 'select', clusterId: topology.cluster.id, from, to });
  }

  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved = typeof state === 'object' && state !== null ? (state as Record<string, unknown>) : {};
    const uri = toUri(saved.uri);
    this.current?.panel.dispose();
    // The webview restores its own cluster, zoom and selection from the same state on `ready`.
    const panel = this.adopt(new TopologyPanel(webviewPanel, this.deps, uri, vscode.ViewColumn.One));
    await panel.load();
  }

  private panelFor(uri: vscode.Uri | undefined): TopologyPanel {
    if (this.current) {
      this.current.panel.reveal(undefined, true);
      return this.current;
    }
    const webviewPanel = vscode.window.createWebviewPanel(
      TOPOLOGY_VIEW_TYPE,
      BASE_TITLE,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      // Hidden panels are rebuilt from setState rather than kept alive: much less memory.
      { ...webviewOptions(this.deps.extensionUri), retainContextWhenHidden: false },
    );
    return this.adopt(new TopologyPanel(webviewPanel, this.deps, uri, columnOf(uri)));
  }

  private adopt(panel: TopologyPanel): TopologyPanel {
    this.current = panel;
    panel.onDidDispose(() => {
      if (this.current === panel) this.current = undefined;
    });
    return panel;
  }
}

/**
 * What the webview draws from: the node tables (routes, neighbours, FDB: one entry per peer node on
 * each node) stay with the host, which answers tool requests from its own copy. The
 * picture keeps each node's own routes (Calico's blackhole and /32 pod routes: linear), and the routes
 * to peers of a cluster small enough to be drawn whole, from which it tells which node pairs a tunnel joins.
 */
function forWebview(response: TopologyResponse): TopologyResponse {
  return {
    ...response,
    clusters: response.clusters.map((topology) => {
      const small = topology.nodes.length <= OVERVIEW_ABOVE;
      return {
        ...topology,
        neighbourTable: [],
        fdbTable: [],
        nodes: topology.nodes.map((node) => ({
          ...node,
          routes: small ? node.routes : node.routes.filter((i) => !topology.routeTable[i].via),
          neighbours: [],
          fdb: [],
        })),
      };
    }),
  };
}

/** Command arguments: a Uri from menus, a string from CodeLenses (JSON), or anything from the palette. */
function toUri(argument: unknown): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  if (typeof argument !== 'string' || argument.length === 0) return undefined;
  try {
    return vscode.Uri.parse(argument, true);
  } catch {
    return undefined;
  }
}

/** The column showing `uri` (where sources are revealed later), else the active editor's. */
function columnOf(uri: vscode.Uri | undefined): vscode.ViewColumn | undefined {
  const editor = uri
    ? vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString())
    : undefined;
  return editor?.viewColumn ?? vscode.window.activeTextEditor?.viewColumn;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
