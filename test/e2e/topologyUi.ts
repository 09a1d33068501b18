// The topology panel as a person sees it in a real VS Code (code-server in Chromium, 1920 × 1080, the
// panel beside the manifest in half of the editor), for five clusters of one workspace: a broken one
// (a trailing comma in net-conf.json, a mistyped nodeName), an empty one (flannel's manifest alone),
// three nodes, a Calico one (examples/calico-operator), and 50 nodes × 1,000 pods. Each check asserts
// what is visible (text, the smallest rendered font size, what lies in the first view) and saves a
// screenshot to test-results/.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { type Browser, type FrameLocator, type Page } from 'playwright-core';
import { largeCluster } from '../unit/largeCluster';
import { REPO_ROOT, startCodeServer } from './codeServer';
import { type Tally, workbenchUrl } from './run';
import { check, command, openFile, vsixPath, webview } from './ui';

const EXAMPLES = path.join(REPO_ROOT, 'examples');

/** Five clusters, one folder each: what the checks below open the panel on. */
function makeTopologyWorkspace(): string {
  const workspace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-topology-')), 'clusters');
  fs.mkdirSync(workspace);
  fs.cpSync(path.join(EXAMPLES, 'cluster-10.100'), path.join(workspace, 'broken'), { recursive: true });
  const edit = (file: string, from: string, to: string) => {
    const text = fs.readFileSync(file, 'utf8');
    if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}`);
    fs.writeFileSync(file, text.replace(from, to));
  };
  edit(path.join(workspace, 'broken', 'kube-flannel-cfg.yaml'), '"vxlan"\n      }\n', '"vxlan"\n      },\n');
  edit(path.join(workspace, 'broken', 'network-cni-test.yaml'), 'nodeName: worker233', 'nodeName: worker323');
  fs.cpSync(path.join(EXAMPLES, 'flannel-upstream'), path.join(workspace, 'empty'), { recursive: true });
  fs.cpSync(path.join(EXAMPLES, 'cluster-10.100'), path.join(workspace, 'three-nodes'), { recursive: true });
  fs.cpSync(path.join(EXAMPLES, 'calico-operator'), path.join(workspace, 'calico'), { recursive: true });
  fs.mkdirSync(path.join(workspace, 'fifty-nodes'));
  for (const [file, text] of Object.entries(largeCluster(50, 1000)))
    fs.writeFileSync(path.join(workspace, 'fifty-nodes', file), text);
  // Quick Open finds the files the checks open by a name no other cluster has.
  fs.renameSync(
    path.join(workspace, 'three-nodes', 'nodes.yaml'),
    path.join(workspace, 'three-nodes', 'three-nodes.yaml'),
  );
  fs.renameSync(
    path.join(workspace, 'fifty-nodes', 'nodes.yaml'),
    path.join(workspace, 'fifty-nodes', 'fifty-nodes.yaml'),
  );
  return workspace;
}

/** What the checks read of the page's elements (the tests compile without DOM types). */
interface PageElement {
  getBoundingClientRect(): { left: number; top: number; right: number; bottom: number; y: number };
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}

interface DrawnText {
  text: string;
  /** Rendered size in px: the font size times the zoom. */
  size: number;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Every text of the diagram, with its rendered size and its box relative to the diagram's canvas. */
async function drawnTexts(view: FrameLocator): Promise<DrawnText[]> {
  // Runs in the page: the tests compile without DOM types, so the page's objects are typed here.
  return view.locator('.canvas').evaluate((element) => {
    type Text = PageElement & { textContent: string | null; getScreenCTM(): { a: number } | null };
    const canvas = element as unknown as PageElement;
    const style = (globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle;
    const area = canvas.getBoundingClientRect();
    return Array.from(canvas.querySelectorAll('svg text:not(.codicon-glyph)') as ArrayLike<Text>).map((text) => {
      const box = text.getBoundingClientRect();
      return {
        text: text.textContent ?? '',
        size: parseFloat(style(text).fontSize) * (text.getScreenCTM()?.a ?? 1),
        left: box.left - area.left,
        top: box.top - area.top,
        right: box.right - area.left,
        bottom: box.bottom - area.top,
      };
    });
  });
}

async function assertLegible(view: FrameLocator): Promise<DrawnText[]> {
  const texts = await drawnTexts(view);
  if (texts.length === 0) throw new Error('no text drawn');
  const smallest = texts.reduce((a, b) => (a.size <= b.size ? a : b));
  if (smallest.size < 11) throw new Error(`"${smallest.text}" is drawn at ${smallest.size.toFixed(1)} px`);
  return texts;
}

function assertShown(texts: DrawnText[], pattern: RegExp, what: string): void {
  if (!texts.some((t) => pattern.test(t.text)))
    throw new Error(
      `${what} is not drawn; drawn: ${texts
        .map((t) => t.text)
        .slice(0, 40)
        .join(' | ')}`,
    );
}

/** Opens (or switches) the panel to the cluster of `file` and waits for `ready` to be drawn in it. */
async function showCluster(page: Page, file: string, ready: string): Promise<FrameLocator> {
  // The keyboard must be in the workbench, not in the panel, and files open in the first group.
  const editor = page.locator('.editor-group-container').first().locator('.monaco-editor .view-lines').first();
  if ((await editor.count()) > 0) await editor.click();
  await openFile(page, file);
  await command(page, 'Podnet: Open Network Topology');
  const view = webview(page);
  await view.locator(ready).first().waitFor({ state: 'attached', timeout: 30_000 });
  // Let the layout settle (fonts, the panel's final size) before measuring.
  await page.waitForTimeout(800);
  return view;
}

export async function runTopologyUiChecks(browser: Browser, tally: Tally): Promise<void> {
  const workspace = makeTopologyWorkspace();
  const server = await startCodeServer({ workspace, vsix: [vsixPath()] });
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  try {
    const page = await context.newPage();
    await page.goto(workbenchUrl(server, workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });

    await check(tally, page, 'topology broken: banner links to the error, lost pod in the tray', async () => {
      const view = await showCluster(page, 'broken/kube-flannel-cfg.yaml', 'g.banner');
      const texts = await assertLegible(view);
      assertShown(texts, /^net-conf\.json has a trailing comma/, 'the banner');
      assertShown(texts, /json-syntax: stops the network on every node · kube-flannel-cfg\.yaml:36/, 'its source');
      assertShown(texts, /^Network stopped on this node$/, 'the stopped nodes');
      assertShown(texts, /^default\/xiuxian-v2$/, 'the pod on no node');
      assertShown(texts, /spec\.nodeName `worker323` names no known/, 'why it is on no node');
      const area = await view.locator('.canvas').boundingBox();
      const banner = await view.locator('g.banner').boundingBox();
      if (!area || !banner || banner.y + banner.height > area.y + area.height)
        throw new Error('the banner is not in the first view');
      // The banner reveals the diagnostic: the comma's line in the manifest.
      await openFile(page, 'broken/nodes.yaml');
      await view.locator('g.banner').click();
      await page
        .locator('.tabs-container .tab.active', { hasText: 'kube-flannel-cfg.yaml' })
        .waitFor({ timeout: 15_000 });
      // The comma's line becomes the editor's current line (the status bar shows Ln/Col only when the
      // editor has the focus, which stays in the panel).
      await page
        .locator('.editor-group-container')
        .first()
        .locator('.line-numbers.active-line-number', { hasText: /^36$/ })
        .waitFor({ timeout: 15_000 });
    });

    await check(tally, page, 'topology empty: says what is missing', async () => {
      const view = await showCluster(page, 'empty/kube-flannel.yml', 'g.empty-state');
      const texts = await assertLegible(view);
      assertShown(texts, /^Nothing to draw: no nodes$/, 'the empty state');
      assertShown(texts, /no Node objects and no Pods/, 'what is missing');
      assertShown(texts, /podnet\.knownNodes/, 'how to add nodes');
      const status = await view.locator('.status').innerText();
      if (/click a pod/i.test(status)) throw new Error(`the status still says: ${status}`);
    });

    await check(tally, page, 'topology 3 nodes: rows at 100 %, text from 11 px, nothing cut off', async () => {
      const view = await showCluster(page, 'three-nodes/three-nodes.yaml', 'g[data-ref="node:worker233"]');
      const texts = await assertLegible(view);
      for (const name of ['master231', 'worker232', 'worker233', 'xiuxian-v1', 'xiuxian-v2', 'cni0 · bridge'])
        assertShown(texts, new RegExp(`^${name.replace(/\./g, '\\.')}$`), name);
      assertShown(texts, /^VXLAN tunnel · VNI 1 · UDP 8472 · \+50 bytes$/, 'the tunnel label');
      const area = await view.locator('.canvas').boundingBox();
      const cut = texts.filter((t) => area && t.right > area.width + 1);
      if (cut.length > 0) throw new Error(`cut off at the right: ${cut.map((t) => t.text).join(', ')}`);
      const rows = await view
        .locator('g.node > rect')
        .evaluateAll(
          (rects) =>
            new Set(rects.map((r) => Math.round((r as unknown as PageElement).getBoundingClientRect().y))).size,
        );
      if (rows < 2) throw new Error('the three nodes are not wrapped into rows');
      const zoom = await view.getByRole('button', { name: 'Reset zoom to 100%' }).innerText();
      if (zoom.trim() !== '100%') throw new Error(`opens at ${zoom}`);
    });

    await check(tally, page, 'topology Calico: no bridge, cali ports, tunl0 where used, the pool', async () => {
      const view = await showCluster(page, 'calico/installation.yaml', 'g[data-ref="node:worker-b"]');
      const texts = await assertLegible(view);
      const leftover = texts.filter((t) => /cni0|flannel|podCIDR/.test(t.text));
      if (leftover.length > 0) throw new Error(`flannel leftovers: ${leftover.map((t) => t.text).join(', ')}`);
      assertShown(texts, /^Calico · pool 10\.48\.0\.0\/16 \/26 blocks · IPIP CrossSubnet · /, 'the pool in the header');
      assertShown(texts, /^host routing · \/32 per pod$/, 'the host routing');
      assertShown(texts, /^cali[0-9a-f]{11}$/, 'a cali port');
      assertShown(texts, /^via 169\.254\.1\.1$/, "a pod's gateway");
      assertShown(texts, /^IPIP · IP protocol 4 · \+20 bytes · between subnets only/, 'the IPIP tunnel');
      for (const worker of ['worker-a', 'worker-b']) {
        const tunl0 = view.locator(`g[data-ref="device:${worker}/host/tunl0"]`);
        const text = (await tunl0.locator('text').allTextContents()).join(' ');
        if (!/^tunl0 · ipip /.test(text)) throw new Error(`${worker}'s tunl0 says: ${text}`);
      }
      const area = await view.locator('.canvas').boundingBox();
      const cut = texts.filter((t) => area && t.right > area.width + 1);
      if (cut.length > 0) throw new Error(`cut off at the right: ${cut.map((t) => t.text).join(', ')}`);
      await page.screenshot({ path: path.join(REPO_ROOT, 'test-results', 'ui-topology-calico.png') });
    });

    await check(tally, page, 'topology 50 nodes: overview in the first view, drill-down, search', async () => {
      const view = await showCluster(page, 'fifty-nodes/fifty-nodes.yaml', 'g.node-tile');
      const texts = await assertLegible(view);
      const tiles = view.locator('g.node-tile');
      if ((await tiles.count()) !== 50) throw new Error(`${await tiles.count()} tiles`);
      const outside = await view.locator('.canvas').evaluate((element) => {
        const canvas = element as unknown as PageElement;
        const area = canvas.getBoundingClientRect();
        return [...Array.from(canvas.querySelectorAll('g.node-tile'))]
          .map((tile) => tile.getBoundingClientRect())
          .filter((r) => r.left < area.left || r.top < area.top || r.right > area.right || r.bottom > area.bottom)
          .length;
      });
      if (outside > 0) throw new Error(`${outside} nodes lie outside the first view`);
      for (let i = 1; i <= 50; i++)
        assertShown(texts, new RegExp(`^worker-${String(i).padStart(3, '0')}$`), `node ${i}`);
      assertShown(texts, /^10\.244\.7\.0\/24 · 20 pods$/, "a node's subnet and pod count");
      assertShown(texts, /^[a-z]+-[0-9a-f]{5}(, [a-z]+-[0-9a-f]{5})* \+\d+ more$/, 'a few pod names and "+N more"');
      await page.screenshot({ path: path.join(REPO_ROOT, 'test-results', 'ui-topology-50-nodes-overview.png') });
      // Drill into a node: its devices and its 20 pods.
      await tiles.nth(6).click();
      await view.locator('g[data-ref="device:worker-007/host/cni0"]').first().waitFor({ timeout: 10_000 });
      const pods = await view.locator('g.pod').count();
      if (pods !== 20) throw new Error(`${pods} pods drawn for worker-007`);
      await assertLegible(view);
      // Search finds a pod on another node and shows it.
      await view.getByRole('button', { name: 'Back to the overview of every node' }).click();
      await view.getByLabel('Find a pod or a node').fill('10.244.42.14');
      await view.getByLabel('Find a pod or a node').press('Enter');
      await view.locator('.status', { hasText: /Found .* on worker-042/ }).waitFor({ timeout: 10_000 });
      await view.locator('g.pod.found').waitFor({ timeout: 10_000 });
    });
  } finally {
    await context.close();
    await server.stop();
    fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
  }
}
