// A timing LSP client: starts a language server over stdio, answers the requests a client must
// answer, timestamps every notification as it arrives, samples the server's memory, and always
// kills the process it started.
import { type ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import { pathToFileURL } from 'url';
import {
  createMessageConnection,
  type MessageConnection,
  type NotificationType,
  type RequestType,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';

export interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  code?: string | number;
  severity?: number;
  message: string;
}

export interface Published {
  uri: string;
  diagnostics: LspDiagnostic[];
  version?: number;
  /** performance.now() at arrival. */
  at: number;
}

interface Waiter {
  method: string;
  test: (params: unknown) => boolean;
  resolve: (at: number) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

export const uriOf = (file: string) => pathToFileURL(file).href;

const live = new Set<ChildProcess>();

/** Kills every server still running: on normal exit, on errors and on Ctrl-C. */
export function killAllServers(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}
process.on('exit', killAllServers);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllServers();
    process.exit(130);
  });
}

export class TimeoutError extends Error {}

export interface ServerOptions {
  command: string[];
  /** Answers workspace/configuration, one result per item. */
  configuration: (section: string | undefined) => unknown;
}

export class LspServer {
  readonly connection: MessageConnection;
  readonly child: ChildProcess;
  readonly spawnedAt: number;
  readonly published: Published[] = [];
  readonly configurationSections: string[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly versions = new Map<string, number>();
  private readonly sampler: NodeJS.Timeout;
  private stderrTail = '';
  private exited = false;
  lastMessageAt = 0;
  maxSampledRssKb = 0;

  constructor(options: ServerOptions) {
    this.spawnedAt = performance.now();
    this.child = spawn(options.command[0], options.command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    live.add(this.child);
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      live.delete(this.child);
      // A crashed server answers nothing more: fail what waits for it now, not at its time-out.
      for (const waiter of this.waiters.splice(0)) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`the server exited (${signal ?? `code ${code}`}) while waiting for ${waiter.method}`));
      }
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000);
    });
    this.connection = createMessageConnection(
      new StreamMessageReader(this.child.stdout!),
      new StreamMessageWriter(this.child.stdin!),
    );
    this.connection.onNotification((method: string, params: unknown) => {
      const at = performance.now();
      this.lastMessageAt = at;
      if (method === 'textDocument/publishDiagnostics')
        this.published.push({ ...(params as Omit<Published, 'at'>), at });
      for (const waiter of [...this.waiters]) {
        if (waiter.method !== method) continue;
        let matches: boolean;
        try {
          matches = waiter.test(params);
        } catch {
          matches = false;
        }
        if (matches) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(at);
        }
      }
    });
    this.connection.onRequest('workspace/configuration', (params: { items: Array<{ section?: string }> }) => {
      this.lastMessageAt = performance.now();
      return params.items.map((item) => {
        this.configurationSections.push(item.section ?? '');
        return options.configuration(item.section);
      });
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('client/unregisterCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('window/showMessageRequest', () => null);
    this.connection.onRequest('workspace/workspaceFolders', () => null);
    this.connection.onError(() => undefined);
    this.connection.listen();
    this.sampler = setInterval(() => this.sampleRss(), 50);
    this.sampler.unref();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get stderr(): string {
    return this.stderrTail;
  }

  /**
   * Registers interest in a notification before the message that causes it is sent; resolves with
   * the arrival time of the first one that passes `test`. Podnet's own notifications go by their typed
   * object from server/src/protocol.ts, standard LSP ones by method name.
   */
  expect<P>(type: NotificationType<P>, test: (params: P) => boolean, what: string, timeoutMs?: number): Promise<number>;
  expect<P>(method: string, test: (params: P) => boolean, what: string, timeoutMs?: number): Promise<number>;
  expect(
    type: string | NotificationType<unknown>,
    test: (params: never) => boolean,
    what: string,
    timeoutMs = 120_000,
  ): Promise<number> {
    const promise = new Promise<number>((resolve, reject) => {
      const waiter: Waiter = {
        method: typeof type === 'string' ? type : type.method,
        // The params are what the server sent under that method, unchecked, as the caller expects them.
        test: test as (params: unknown) => boolean,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
        reject,
      };
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(
          new TimeoutError(
            `timed out after ${timeoutMs} ms waiting for ${what}${this.exited ? ' (the server exited)' : ''}`,
          ),
        );
      }, timeoutMs);
      waiter.timer = timer;
      this.waiters.push(waiter);
    });
    // Handled here too, so a wait that an error left behind is no unhandled rejection; `await` still throws.
    promise.catch(() => undefined);
    return promise;
  }

  expectDiagnostics(
    uri: string,
    test: (diagnostics: LspDiagnostic[]) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<number> {
    return this.expect(
      'textDocument/publishDiagnostics',
      (p: Published) => p.uri === uri && test(p.diagnostics ?? []),
      what,
      timeoutMs,
    );
  }

  /**
   * Sends a request; resolves with the elapsed time (ms) and the result. Podnet's own requests go by
   * their typed object from server/src/protocol.ts, standard LSP ones by method name.
   */
  async timedRequest<P, R>(type: RequestType<P, R, void>, params: P): Promise<{ ms: number; result: R }>;
  async timedRequest<T = unknown>(method: string, params: unknown): Promise<{ ms: number; result: T }>;
  async timedRequest(
    type: string | RequestType<unknown, unknown, void>,
    params: unknown,
  ): Promise<{ ms: number; result: unknown }> {
    const start = performance.now();
    const result =
      typeof type === 'string'
        ? await this.connection.sendRequest(type, params)
        : await this.connection.sendRequest(type, params);
    return { ms: performance.now() - start, result };
  }

  async initialize(
    folder: string,
    initializationOptions?: unknown,
  ): Promise<{ ms: number; sentAt: number; result: unknown }> {
    const sentAt = performance.now();
    const { ms, result } = await this.timedRequest('initialize', {
      processId: process.pid,
      clientInfo: { name: 'podnet-bench' },
      rootUri: uriOf(folder),
      workspaceFolders: [{ uri: uriOf(folder), name: 'bench' }],
      capabilities: {
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeConfiguration: { dynamicRegistration: true },
        },
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: true },
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
      },
      initializationOptions,
    });
    return { ms, sentAt, result };
  }

  initialized(): void {
    void this.connection.sendNotification('initialized', {});
  }

  /** Sends didOpen; returns the send time. */
  open(file: string, text: string): number {
    const uri = uriOf(file);
    this.versions.set(uri, 1);
    const at = performance.now();
    void this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
    return at;
  }

  /** Sends one incremental didChange replacing `range` with `text`; returns the send time. */
  change(file: string, range: LspDiagnostic['range'], text: string): number {
    const uri = uriOf(file);
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const at = performance.now();
    void this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
    return at;
  }

  /** Resolves once no notification or request from the server has arrived for `quietMs`. */
  async settle(quietMs: number, maxMs = 30_000): Promise<void> {
    const start = performance.now();
    this.lastMessageAt = Math.max(this.lastMessageAt, start);
    while (performance.now() - this.lastMessageAt < quietMs && performance.now() - start < maxMs) {
      await sleep(Math.max(5, quietMs - (performance.now() - this.lastMessageAt)));
    }
  }

  private sampleRss(): void {
    const status = readProcStatus(this.child.pid);
    if (status?.VmRSS && status.VmRSS > this.maxSampledRssKb) this.maxSampledRssKb = status.VmRSS;
  }

  /** Peak resident memory in MB: the kernel's high-water mark, or the highest sample where that is missing. */
  peakRssMb(): number | undefined {
    this.sampleRss();
    const status = readProcStatus(this.child.pid);
    const kb = Math.max(status?.VmHWM ?? 0, this.maxSampledRssKb);
    return kb > 0 ? kb / 1024 : undefined;
  }

  async stop(): Promise<void> {
    clearInterval(this.sampler);
    // Waits nobody awaits any more (after an error) must neither fire later nor keep the process alive.
    for (const waiter of this.waiters.splice(0)) clearTimeout(waiter.timer);
    try {
      if (!this.exited) {
        await Promise.race([this.connection.sendRequest('shutdown'), sleep(2000)]);
        void this.connection.sendNotification('exit');
      }
    } catch {
      // The process may already be gone.
    }
    const deadline = performance.now() + 1000;
    while (!this.exited && performance.now() < deadline) await sleep(20);
    this.connection.dispose();
    if (!this.exited) this.child.kill('SIGKILL');
    live.delete(this.child);
  }
}

function readProcStatus(pid: number | undefined): { VmRSS?: number; VmHWM?: number } | undefined {
  if (!pid) return undefined;
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => {
      const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
      return match ? Number(match[1]) : undefined;
    };
    return { VmRSS: field('VmRSS'), VmHWM: field('VmHWM') };
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
