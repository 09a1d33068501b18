// What a person sees, checked in the browser against code-server with the packaged .vsix installed:
// the Problems panel lists Podnet's diagnostics with their codes, a hover shows a node's pod range, and
// the topology panel draws nodes and devices and highlights a path after two pods are picked.
import * as fs from 'fs';
import * as path from 'path';
import { type Browser, type FrameLocator, type Page } from 'playwright-core';
import { REPO_ROOT, startCodeServer } from './codeServer';
import { ARTEFACTS, makeWorkspace, removeWorkspace, type Tally, workbenchUrl } from './run';

const TYPO_POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: typo-pod\nspec:\n  nodeName: worker323\n  containers:\n  - ' +
  'name: c\n    image: busybox\n';

export function vsixPath(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const vsix = path.join(REPO_ROOT, `${pkg.name}-${pkg.version}.vsix`);
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package first`);
  return vsix;
}

export async function command(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** Opens a file by its path in the workspace (`cluster/file.yaml`: several clusters have files of one name). */
export async function openFile(page: Page, filePath: string): Promise<void> {
  const name = filePath.split('/').pop() ?? filePath;
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(filePath);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
}

async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
}

export async function check(tally: Tally, page: Page, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
    tally.passed++;
    process.stdout.write(`  ✓ ${name}\n`);
  } catch (error) {
    tally.failed++;
    tally.failures.push(`UI: ${name}\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.stdout.write(`  ✗ ${name}\n`);
  } finally {
    await page
      .screenshot({ path: path.join(ARTEFACTS, `ui-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`) })
      .catch(() => undefined);
  }
}

export function webview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

export async function runUiChecks(browser: Browser, tally: Tally): Promise<void> {
  const workspace = makeWorkspace();
  fs.writeFileSync(path.join(workspace, 'cluster-10.100', 'typo-pod.yaml'), TYPO_POD);
  const server = await startCodeServer({ workspace, vsix: [vsixPath()] });
  // A full-HD screen: the panel opens beside the editor, in half of it.
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  try {
    const page = await context.newPage();
    await page.goto(workbenchUrl(server, workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    await openFile(page, 'cluster-10.100/network-cni-test.yaml');

    await check(tally, page, 'Problems panel lists Podnet diagnostics with their codes', async () => {
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'nodename-unknown' }).first();
      await row.waitFor({ timeout: 30_000 });
      const text = await page.locator('.markers-panel').innerText();
      if (!/podnet/.test(text) || !/worker323/.test(text))
        throw new Error(`Problems panel shows: ${text.slice(0, 500)}`);
    });

    await check(tally, page, 'hover on nodeName shows the node pod range', async () => {
      await openFile(page, 'cluster-10.100/network-cni-test.yaml');
      await goTo(page, 6, 14);
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      const hover = page.locator('.monaco-hover:not(.hidden)');
      await hover.filter({ hasText: '10.100.1.0/24' }).first().waitFor({ timeout: 20_000 });
      const text = await hover.first().innerText();
      if (!/10\.100\.1\.2/.test(text)) throw new Error(`hover shows: ${text}`);
      await page.keyboard.press('Escape');
    });

    await check(tally, page, 'topology panel draws nodes and devices and highlights a path', async () => {
      await openFile(page, 'cluster-10.100/kube-flannel-cfg.yaml');
      await command(page, 'Podnet: Open Network Topology');
      const view = webview(page);
      await view.locator('g[data-ref="node:worker232"]').first().waitFor({ timeout: 30_000 });
      for (const ref of [
        'node:master231',
        'node:worker233',
        'device:worker232/host/cni0',
        'device:worker232/host/flannel.1',
      ]) {
        await view.locator(`g[data-ref="${ref}"]`).first().waitFor({ timeout: 10_000 });
      }
      await view.locator('g[data-ref="pod:worker232/default/xiuxian-v1"]').first().click();
      await view.locator('g[data-ref="pod:worker233/default/xiuxian-v2"]').first().click();
      await view.locator('.hop').first().waitFor({ timeout: 20_000 });
      // Step to the wire hop: by then worker232's flannel.1 has encapsulated the packet.
      const next = view.locator('button', { hasText: /Next/ }).first();
      for (let i = 0; i < 6; i++) await next.click();
      await view.locator('g[data-ref="device:worker232/host/flannel.1"].on-path').first().waitFor({ timeout: 10_000 });
      // The tunnel between the two flannel.1 devices is drawn as the packet's way now.
      await view.locator('polyline.path-tunnel.current').first().waitFor({ state: 'attached', timeout: 10_000 });
      const hops = await view.locator('.hop').count();
      if (hops < 8) throw new Error(`only ${hops} hops listed`);
    });
  } finally {
    await context.close();
    await server.stop();
    removeWorkspace(workspace);
  }
}
