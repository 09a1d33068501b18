// Runs Podnet in a real VS Code (code-server 1.100 in Debian's Chromium), offline:
//  1. the mocha integration suite (test/integration/suite) in the extension host, through VS Code's API;
//  2. UI checks a person would make: the Problems panel, a hover, and the topology panel with a path;
//  3. the topology panel on a broken, an empty, a 3-node and a 50-node cluster (topologyUi.ts).
// Prints one closing line `N passed, N failed` and exits non-zero on any failure. Everything it starts
// (code-server, Chromium) is stopped before it exits; screenshots go to test-results/.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { format } from 'util';
import { type Browser, type Page } from 'playwright-core';
import { REPO_ROOT, startCodeServer, type CodeServer } from './codeServer';
import { launchChromium } from './browser';
import { runTopologyUiChecks } from './topologyUi';
import { runUiChecks } from './ui';

const EXAMPLES = path.join(REPO_ROOT, 'examples');
const SUITE = path.join(REPO_ROOT, 'out', 'test', 'integration', 'suite', 'index.js');
export const ARTEFACTS = path.join(REPO_ROOT, 'test-results');

interface Tally {
  passed: number;
  failed: number;
  failures: string[];
}

/**
 * A fresh copy of the example clusters, so tests can edit files freely. It is a folder named `examples`
 * inside a temporary one: the workspace's name is what people see (and what names the cluster of the
 * files under no cluster folder), not a random temporary name.
 */
export function makeWorkspace(): string {
  const workspace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-ws-')), 'examples');
  fs.cpSync(EXAMPLES, workspace, { recursive: true });
  return workspace;
}

/** Removes a workspace made by makeWorkspace, with its temporary parent. */
export function removeWorkspace(workspace: string): void {
  fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  // The timer must not outlive the race: it would keep this process (and CI) waiting.
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Extension-host output reaches the page console as ('%c LEVEL', css, fmt, ...args). */
async function forwardConsole(page: Page, sink: string[]): Promise<void> {
  page.on('console', async (message) => {
    try {
      const args: unknown[] = await Promise.all(message.args().map((a) => a.jsonValue().catch(() => '')));
      const [first, , ...rest] = args;
      const text =
        typeof first === 'string' && first.startsWith('%c') ? format(...(rest as unknown[])) : message.text();
      sink.push(text);
      if (/passing|failing|✔|✓|\d+\) |integration:|Error/.test(text))
        process.stdout.write(`  [editor] ${text.split('\n').join('\n  [editor] ')}\n`);
    } catch {
      // A console message from a closing page: nothing to forward.
    }
  });
}

export function workbenchUrl(server: CodeServer, workspace: string, payload?: Array<[string, string]>): string {
  const query = [`folder=${encodeURIComponent(workspace)}`];
  if (payload) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${server.url}/?${query.join('&')}`;
}

async function runIntegrationSuite(browser: Browser, tally: Tally): Promise<void> {
  const workspace = makeWorkspace();
  const resultsFile = path.join(os.tmpdir(), `podnet-integration-${process.pid}.json`);
  fs.rmSync(resultsFile, { force: true });
  const server = await startCodeServer({ workspace, env: { PODNET_TEST_RESULTS: resultsFile } });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    const log: string[] = [];
    await forwardConsole(page, log);
    let exitCode: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => {
      exitCode = resolve;
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => exitCode(code));
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    await page.goto(
      workbenchUrl(server, workspace, [
        ['extensionDevelopmentPath', remote(REPO_ROOT)],
        ['extensionTestsPath', remote(SUITE)],
      ]),
    );
    const code = await withTimeout(exited, 5 * 60_000, 'the integration suite');
    await page.screenshot({ path: path.join(ARTEFACTS, 'integration-end.png') }).catch(() => undefined);
    if (!fs.existsSync(resultsFile))
      throw new Error(
        `the integration suite wrote no results (exit ${code}); editor log:\n${log.slice(-40).join('\n')}`,
      );
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as {
      passed: number;
      failed: number;
      failures: Array<{ title: string; error: string }>;
    };
    tally.passed += results.passed;
    tally.failed += results.failed;
    for (const failure of results.failures) tally.failures.push(`integration: ${failure.title}\n${failure.error}`);
    if (code !== 0 && results.failed === 0) {
      tally.failed++;
      tally.failures.push(`integration: the suite exited with ${code}`);
    }
  } finally {
    await context.close();
    await server.stop();
    removeWorkspace(workspace);
    fs.rmSync(resultsFile, { force: true });
  }
}

async function main(): Promise<number> {
  fs.mkdirSync(ARTEFACTS, { recursive: true });
  const tally: Tally = { passed: 0, failed: 0, failures: [] };
  const browser = await launchChromium();
  try {
    // PODNET_E2E_ONLY=topology runs only the parts whose name contains it (a quicker loop while working).
    const only = process.env.PODNET_E2E_ONLY;
    for (const [name, part] of [
      ['integration suite', runIntegrationSuite],
      ['UI checks', runUiChecks],
      ['topology UI checks', runTopologyUiChecks],
    ] as const) {
      if (only && !name.includes(only)) continue;
      process.stdout.write(`== real editor: ${name}\n`);
      try {
        await part(browser, tally);
      } catch (error) {
        tally.failed++;
        tally.failures.push(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
  } finally {
    await browser.close();
  }
  for (const failure of tally.failures) process.stdout.write(`FAILED ${failure}\n`);
  process.stdout.write(`Screenshots: ${path.relative(process.cwd(), ARTEFACTS) || ARTEFACTS}/\n`);
  process.stdout.write(`${tally.passed} passed, ${tally.failed} failed\n`);
  return tally.failed === 0 && tally.passed > 0 ? 0 : 1;
}

if (require.main === module) {
  // Exit explicitly once everything started has been stopped: a stray handle in a dependency must
  // not keep CI waiting.
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}

export type { Tally };
