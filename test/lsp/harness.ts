// A minimal LSP client for tests: starts the built server (dist/server.js) over stdio, records the
// diagnostics it publishes, and shuts it down.
import { type ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import {
  createMessageConnection,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import { SERVER_NODE_OPTIONS } from '../../server/src/lsp/launch';
import { pathToUri } from '../../server/src/model/workspace';
import { SERVER_STATUS_NOTIFICATION, type ServerStatus } from '../../server/src/protocol';
import { REPO_ROOT } from '../unit/helpers';

export interface PublishedDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  code: string;
  source: string;
  severity: number;
  message: string;
}

export class TestClient {
  readonly published = new Map<string, PublishedDiagnostic[]>();
  /** The last SERVER_STATUS_NOTIFICATION the server sent. */
  status: ServerStatus | undefined;
  readonly connection: MessageConnection;
  private readonly server: ChildProcess;
  private readonly waiters: Array<() => void> = [];

  /** What the client answers for `workspace/configuration` (the `podnet` section), after `settingsDelayMs`. */
  settings: Record<string, unknown> = {};
  settingsDelayMs = 0;

  private constructor() {
    this.server = spawn(
      process.execPath,
      [...SERVER_NODE_OPTIONS, path.join(REPO_ROOT, 'dist', 'server.js'), '--stdio'],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    this.connection = createMessageConnection(
      new StreamMessageReader(this.server.stdout!),
      new StreamMessageWriter(this.server.stdin!),
    );
    this.connection.onNotification(
      'textDocument/publishDiagnostics',
      (params: { uri: string; diagnostics: PublishedDiagnostic[] }) => {
        this.published.set(params.uri, params.diagnostics);
        this.waiters.splice(0).forEach((w) => w());
      },
    );
    this.connection.onNotification(SERVER_STATUS_NOTIFICATION, (status) => {
      this.status = status;
      this.waiters.splice(0).forEach((w) => w());
    });
    this.connection.onRequest(
      'workspace/configuration',
      () => new Promise((resolve) => setTimeout(() => resolve([this.settings]), this.settingsDelayMs)),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.listen();
  }

  static async start(
    workspaceDir: string,
    initializationOptions?: unknown,
    settings?: { values: Record<string, unknown>; delayMs: number },
  ): Promise<TestClient> {
    const client = new TestClient();
    if (settings) {
      client.settings = settings.values;
      client.settingsDelayMs = settings.delayMs;
    }
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToUri(workspaceDir),
      workspaceFolders: [{ uri: pathToUri(workspaceDir), name: 'ws' }],
      capabilities: { workspace: { configuration: true } },
      initializationOptions,
    });
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  /**
   * Resolves once the workspace is indexed and analysed. Files without problems get no diagnostics
   * message unless they are open, so tests about such files wait for this and then look.
   */
  waitForReady(): Promise<true> {
    return this.waitFor(() => (this.status?.state === 'ready' ? true : undefined), 'the server status ready');
  }

  /** Resolves with the probe's first defined value, re-checked each time diagnostics or a status arrive. */
  waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      const check = () => {
        const value = probe();
        if (value === undefined) return this.waiters.push(check);
        clearTimeout(timer);
        resolve(value);
      };
      check();
    });
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // The process may already be gone.
    }
    this.connection.dispose();
    this.server.kill();
  }
}
