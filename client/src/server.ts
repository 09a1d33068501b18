// Owns the language client: starting, stopping and restarting the Podnet language server, and
// forwarding the server's status to the status bar.
import { type ChildProcess, fork } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { SERVER_NODE_OPTIONS } from '../../server/src/lsp/launch';
import { type InitializationOptions, SERVER_STATUS_NOTIFICATION } from '../../server/src/protocol';
import { readSettings, SETTINGS_SECTION } from './settings';
import { type ServerStatusBar } from './statusBar';

/** Red Hat's YAML extension reports YAML syntax errors itself; the server then leaves yaml-syntax off. */
const RED_HAT_YAML = 'redhat.vscode-yaml';

/**
 * One LanguageClient at a time. Every start, stop and restart goes through a queue so that a restart
 * command arriving while the `podnet.enable` switch is being flipped cannot leave two servers running.
 */
export class PodnetServer implements vscode.Disposable {
  private client: LanguageClient | undefined;

  /** The client of the current (re)start, for requests such as the topology's. */
  get languageClient(): LanguageClient | undefined {
    return this.client;
  }
  /** The process of the running server, for the integration tests (which kill it to test the restart). */
  private serverProcess: ChildProcess | undefined;

  get serverProcessId(): number | undefined {
    return this.client && this.serverProcess?.exitCode === null ? this.serverProcess.pid : undefined;
  }
  private clientDisposables: vscode.Disposable[] = [];
  /** Set while we stop the client on purpose, so that the Stopped state is not shown as a failure. */
  private stoppingOnPurpose = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    private readonly statusBar: ServerStatusBar,
  ) {}

  get running(): boolean {
    return this.client !== undefined;
  }

  start(): Promise<void> {
    return this.enqueue(() => this.startClient());
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.stopClient());
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.stopClient();
      await this.startClient();
    });
  }

  dispose(): void {
    void this.stop();
  }

  private enqueue(operation: () => Promise<void>): Promise<void> {
    // A failed operation is logged and must not block the ones queued after it.
    this.queue = this.queue.then(operation).catch((error: unknown) => {
      this.output.error(`Podnet: ${describeError(error)}`);
    });
    return this.queue;
  }

  private async startClient(): Promise<void> {
    if (this.client) return;
    const serverModule = this.context.asAbsolutePath(path.join('dist', 'server.js'));
    if (!fs.existsSync(serverModule)) {
      // Only happens in a development checkout that has not been built; say so plainly.
      const reason = `the language server is missing (${serverModule}); run "npm run build".`;
      this.output.error(`Podnet: ${reason}`);
      this.statusBar.show({ kind: 'failed', reason });
      return;
    }

    this.statusBar.show({ kind: 'starting' });
    const client = new LanguageClient(
      'podnet',
      'Podnet Language Server',
      this.serverOptions(serverModule),
      this.clientOptions(),
    );
    this.client = client;
    this.clientDisposables.push(
      client.onNotification(SERVER_STATUS_NOTIFICATION, (status) => {
        if (this.client === client) this.statusBar.show({ kind: 'server', status });
      }),
      client.onDidChangeState(({ newState }) => {
        if (this.client !== client) return;
        // The client restarts a crashed server by itself a few times; the status bar follows along.
        if (newState === State.Starting) this.statusBar.show({ kind: 'starting' });
        if (newState === State.Stopped && !this.stoppingOnPurpose) {
          this.statusBar.show({
            kind: 'stopped',
            reason: 'the language server stopped. Restart it with "Podnet: Restart Language Server".',
          });
        }
      }),
    );

    try {
      await client.start();
      this.output.info('Podnet language server started.');
    } catch (error) {
      const reason = `the language server failed to start: ${describeError(error)}`;
      this.output.error(`Podnet: ${reason}`);
      await this.disposeClient();
      this.statusBar.show({ kind: 'failed', reason });
    }
  }

  private async stopClient(): Promise<void> {
    if (!this.client) return;
    this.stoppingOnPurpose = true;
    try {
      await this.disposeClient();
      this.output.info('Podnet language server stopped.');
    } finally {
      this.stoppingOnPurpose = false;
    }
  }

  private async disposeClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const disposable of this.clientDisposables.splice(0)) disposable.dispose();
    if (!client) return;
    try {
      // Stops the server (clearing its diagnostics) and releases the client; we make a new one next time.
      await client.dispose(2000);
    } catch (error) {
      this.output.warn(`Podnet: stopping the language server: ${describeError(error)}`);
    }
  }

  private clientOptions(): LanguageClientOptions {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}');
    this.clientDisposables.push(watcher);
    return {
      documentSelector: [
        { scheme: 'file', language: 'yaml' },
        { scheme: 'untitled', language: 'yaml' },
      ],
      synchronize: {
        // The server pulls settings with workspace/configuration; this push only tells it when to pull again.
        configurationSection: SETTINGS_SECTION,
        // Manifests that change on disk without being open (git checkout, generators) still affect
        // cross-file checks such as ConfigMap references and node names.
        fileEvents: watcher,
      },
      // A function, so every (re)start hands the server the settings of that moment.
      initializationOptions: (): InitializationOptions => ({
        settings: readSettings(),
        yamlExtensionActive: vscode.extensions.getExtension(RED_HAT_YAML) !== undefined,
      }),
      diagnosticCollectionName: 'podnet',
      outputChannel: this.output,
      // The status bar shows errors; popping the output open would interrupt the user's typing.
      revealOutputChannelOn: RevealOutputChannelOn.Never,
    };
  }

  /**
   * Starts the server ourselves (over stdio) so that we know its process; the language client calls this
   * again for each automatic restart after a crash, and stops the process it returns.
   */
  private serverOptions(serverModule: string): ServerOptions {
    return async () => {
      // When the extension runs under the debugger, the server waits for an inspector on a fixed port.
      const debugging = process.execArgv.some((arg) => /^--(inspect|debug)/.test(arg));
      const child = fork(serverModule, ['--stdio'], {
        silent: true,
        execArgv: [...SERVER_NODE_OPTIONS, ...(debugging ? ['--nolazy', '--inspect=6009'] : [])],
      });
      this.serverProcess = child;
      return child;
    };
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
