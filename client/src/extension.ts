// Entry point of the Podnet extension: wires the output channel, the status bar, the commands and the
// language server together. All checking happens in the server; this side only starts it and shows state.
import * as vscode from 'vscode';
import { PodnetServer } from './server';
import { isEnabled, SETTINGS_SECTION } from './settings';
import { ServerStatusBar } from './statusBar';
import { requestTopology, TOPOLOGY_VIEW_TYPE, TopologyPanels } from './topologyPanel';
import {
  PACKET_PATH_REQUEST,
  type PacketPath,
  type PacketPathParams,
  type TopologyResult,
  type WebviewToHost,
} from '../../server/src/protocol';

/** What the extension offers other extensions and the integration tests. */
export interface PodnetApi {
  /** Fires each time the topology panel has drawn a cluster, with the nodes, pods and highlighted ids it drew. */
  onDidRenderTopology: vscode.Event<Extract<WebviewToHost, { type: 'rendered' }>>;
  /** Every cluster's topology, with `uri`'s cluster in focus; undefined while the server is not running. */
  topology(uri?: vscode.Uri): Promise<TopologyResult | undefined>;
  /** The hops of a packet between two pods of a cluster. */
  packetPath(params: PacketPathParams): Promise<PacketPath | undefined>;
  /** The process id of the running language server; undefined while it is not running. */
  serverProcessId(): number | undefined;
}

const RESTART_COMMAND = 'podnet.restartServer';
const SHOW_OUTPUT_COMMAND = 'podnet.showOutput';

let server: PodnetServer | undefined;

export function activate(context: vscode.ExtensionContext): PodnetApi {
  // A log channel: the language client writes its messages and (with podnet.trace.server) the
  // protocol trace into it, and its level can be changed from the Output view.
  const output = vscode.window.createOutputChannel('Podnet', { log: true });
  const statusBar = new ServerStatusBar(SHOW_OUTPUT_COMMAND, RESTART_COMMAND);
  const podnet = new PodnetServer(context, output, statusBar);
  server = podnet;
  context.subscriptions.push(output, statusBar, podnet);

  context.subscriptions.push(
    vscode.commands.registerCommand('podnet.restartServer', async () => {
      if (!isEnabled()) {
        const open = 'Open Settings';
        const choice = await vscode.window.showInformationMessage(
          'Podnet is turned off by the "podnet.enable" setting.',
          open,
        );
        if (choice === open)
          await vscode.commands.executeCommand('workbench.action.openSettings', `${SETTINGS_SECTION}.enable`);
        return;
      }
      output.info('Restarting the Podnet language server…');
      await podnet.restart();
    }),
    vscode.commands.registerCommand('podnet.showOutput', () => output.show(true)),
  );

  // A function, not a copy, so that the panel always sees the client of the current (re)start.
  const rendered = new vscode.EventEmitter<Extract<WebviewToHost, { type: 'rendered' }>>();
  const deps = {
    extensionUri: context.extensionUri,
    output,
    client: () => podnet.languageClient,
    onRendered: (m: Extract<WebviewToHost, { type: 'rendered' }>) => rendered.fire(m),
  };
  const topology = new TopologyPanels(deps);
  context.subscriptions.push(rendered);
  context.subscriptions.push(
    topology,
    vscode.commands.registerCommand('podnet.openTopology', (uri?: unknown) => topology.open(uri)),
    vscode.commands.registerCommand('podnet.tracePath', (uri?: unknown, fromPod?: unknown) =>
      topology.tracePath(uri, fromPod),
    ),
    vscode.window.registerWebviewPanelSerializer(TOPOLOGY_VIEW_TYPE, topology),
  );

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      // Other podnet.* settings reach the running server through the client's configuration sync;
      // only the master switch needs the server started or stopped.
      if (!event.affectsConfiguration(`${SETTINGS_SECTION}.enable`)) return;
      if (isEnabled()) void podnet.start();
      else void podnet.stop().then(() => statusBar.show({ kind: 'disabled' }));
    }),
  );

  const api: PodnetApi = {
    onDidRenderTopology: rendered.event,
    topology: (uri) => requestTopology(deps, uri),
    packetPath: async (params) => podnet.languageClient?.sendRequest(PACKET_PATH_REQUEST, params),
    serverProcessId: () => podnet.serverProcessId,
  };

  if (isEnabled()) {
    // Not awaited: activation returns at once and the server starts in the background, so opening
    // a YAML file is never held up by Podnet.
    void podnet.start();
  } else {
    statusBar.show({ kind: 'disabled' });
  }
  return api;
}

export async function deactivate(): Promise<void> {
  const stopping = server?.stop();
  server = undefined;
  await stopping;
}
