// Starts code-server (a real VS Code 1.100: workbench in the browser, Node extension host) on
// 127.0.0.1 with its own data folders, and stops its whole process group. Used by the real-editor
// tests and the demo. Installed by scripts/install-e2e-deps.sh into .cache/code-server.
import { type ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CODE_SERVER_BIN = path.join(REPO_ROOT, '.cache', 'code-server', 'node_modules', '.bin', 'code-server');

export interface CodeServer {
  url: string;
  port: number;
  /** Scratch folder holding the user data, extensions, HOME and TMPDIR of this instance. */
  scratch: string;
  process: ChildProcess;
  log: () => string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  workspace: string;
  /** Extra environment for code-server and its extension host. */
  env?: Record<string, string>;
  /** .vsix files to install before starting. */
  vsix?: string[];
  /** Fixed port (the demo); a free one otherwise. */
  port?: number;
  /** Keep the scratch folder after stop (the demo keeps nothing either; tests may want logs). */
  keepScratch?: boolean;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'editor.hover.delay': 100,
  'workbench.colorTheme': 'Default Dark Modern',
};

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  if (!fs.existsSync(CODE_SERVER_BIN))
    throw new Error(
      `code-server is not installed: run bash scripts/install-e2e-deps.sh (looked for ${CODE_SERVER_BIN})`,
    );
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-code-server-'));
  const dirs = {
    user: path.join(scratch, 'user'),
    exts: path.join(scratch, 'exts'),
    home: path.join(scratch, 'home'),
    tmp: path.join(scratch, 'tmp'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(path.join(dirs.user, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.user, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const env = {
    ...process.env,
    HOME: dirs.home,
    TMPDIR: dirs.tmp,
    // Never call a public extension gallery: a refused loopback connection is harmless.
    EXTENSIONS_GALLERY: JSON.stringify({
      serviceUrl: 'http://127.0.0.1:9/gallery',
      itemUrl: 'http://127.0.0.1:9/item',
    }),
    ...options.env,
  };
  const common = ['--user-data-dir', dirs.user, '--extensions-dir', dirs.exts];
  for (const vsix of options.vsix ?? []) {
    const result = spawnSync(CODE_SERVER_BIN, [...common, '--install-extension', vsix, '--force'], {
      env,
      encoding: 'utf8',
    });
    if (result.status !== 0)
      throw new Error(`installing ${vsix} into code-server failed:\n${result.stdout}\n${result.stderr}`);
  }
  const port = options.port ?? (await freePort());
  const child = spawn(
    CODE_SERVER_BIN,
    [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      ...common,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--disable-proxy',
      options.workspace,
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const exited = await Promise.race([
        new Promise((r) => child.once('exit', r)),
        new Promise((r) => setTimeout(() => r('timeout'), 5000)),
      ]);
      if (exited === 'timeout')
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
    }
    if (!options.keepScratch) fs.rmSync(scratch, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, scratch, process: child, log: () => output, stop };
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer on ${url} within 60 s:\n${log()}`);
}
