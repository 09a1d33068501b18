// The topology webview in a real browser: headless Chromium loads the built dist/webview.js and
// media/topology.css under the panel's own CSP, with a stand-in for VS Code's webview API, and gets
// a topology and a packet path computed by the engine from shared/examples/cluster-10.100.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { topologyPanelHtml, newNonce } from '../../client/src/topologyHtml';
import { type HostToWebview, type TopologyResult, type WebviewToHost } from '../../server/src/protocol';
import { buildTopology } from '../../server/src/topology/build';
import { packetPath } from '../../server/src/topology/path';
import { buildScene } from '../../server/src/topology/scene';
import { type Files, loadExample, workspaceOf } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = '/tmp/podnet-webview.png';

const XSS_IMG = '<img src=x onerror=window.pwned=1>';
const XSS_SCRIPT = '"><script>window.pwned=2</script>';

const evilPods = [XSS_IMG, XSS_SCRIPT]
  .map(
    (name) => `---
apiVersion: v1
kind: Pod
metadata:
  name: '${name}'
spec:
  nodeName: master231
  containers:
  - name: app
    image: nginx
`,
  )
  .join('');

function engine() {
  const files: Files = { ...loadExample('cluster-10.100'), '/ws/cluster-10.100/evil.yaml': evilPods };
  const cluster = workspaceOf(files)
    .clusters()
    .find((c) => c.root === '/ws/cluster-10.100');
  assert.ok(cluster, 'cluster-10.100 is found');
  const topology = buildTopology(cluster);
  const result: TopologyResult = { clusters: [{ topology, scene: buildScene(topology) }], focus: 0 };
  return { cluster, topology, result };
}

/** Stands in for the VS Code webview host: records messages, keeps state across reloads, sets theme colours. */
const HOST_STUB = `
(() => {
  window.__posted = [];
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = () => ({
    postMessage: (message) => window.__posted.push(JSON.parse(JSON.stringify(message))),
    getState: () => JSON.parse(sessionStorage.getItem('podnet-state') || 'null'),
    setState: (state) => sessionStorage.setItem('podnet-state', JSON.stringify(state)),
  });
  // VS Code sets these on <html>; these are the Dark Modern theme's values.
  const theme = {
    'font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif', 'font-size': '13px',
    'editor-font-family': 'monospace', 'foreground': '#cccccc', 'descriptionForeground': '#9d9d9d',
    'editor-background': '#1f1f1f', 'sideBar-background': '#181818', 'panel-border': '#2b2b2b',
    'focusBorder': '#0078d4', 'errorForeground': '#f85149', 'inputValidation-errorBackground': '#5a1d1d',
    'charts-blue': '#3794ff', 'charts-yellow': '#cca700', 'charts-green': '#89d185', 'charts-purple': '#b180d7',
    'charts-orange': '#d18616', 'charts-red': '#f14c4c',
    'editor-findMatchHighlightBackground': 'rgba(234, 92, 0, 0.33)', 'button-secondaryForeground': '#cccccc',
    'button-secondaryBackground': '#313131', 'button-secondaryHoverBackground': '#3c3c3c',
    'button-border': 'rgba(255, 255, 255, 0.07)', 'dropdown-foreground': '#cccccc', 'dropdown-background': '#313131',
    'dropdown-border': '#3c3c3c', 'list-inactiveSelectionBackground': '#37373d', 'textLink-foreground': '#4daafc',
  };
  const apply = () => {
    for (const [k, v] of Object.entries(theme)) document.documentElement.style.setProperty('--vscode-' + k, v);
  };
  if (document.documentElement) apply(); else document.addEventListener('DOMContentLoaded', apply);
})();
`;

let browser: Browser | undefined;
let server: http.Server | undefined;
let page: Page;
let origin = '';
const pageErrors: string[] = [];
const { cluster, topology, result } = engine();
const clusterId = topology.cluster.id;

before(async () => {
  const files: Record<string, { type: string; body: Buffer }> = {
    '/dist/webview.js': { type: 'text/javascript', body: fs.readFileSync(path.join(ROOT, 'dist', 'webview.js')) },
    '/media/topology.css': { type: 'text/css', body: fs.readFileSync(path.join(ROOT, 'media', 'topology.css')) },
  };
  server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    const file =
      url.pathname === '/'
        ? {
            type: 'text/html',
            body: Buffer.from(
              topologyPanelHtml({
                cspSource: origin,
                nonce: newNonce(),
                scriptUri: `${origin}/dist/webview.js`,
                styleUri: `${origin}/media/topology.css`,
              }),
            ),
          }
        : files[url.pathname];
    response.writeHead(file ? 200 : 404, { 'content-type': file?.type ?? 'text/plain' });
    response.end(file?.body ?? 'not found');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // No skipping: without Chromium this test must fail, not pass silently.
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: install it (apt-get install -y chromium)`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.addInitScript(HOST_STUB);
  await page.goto(origin);
});

after(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

// ---- helpers that talk to the page ----

// Functions passed to page.evaluate run in the page: they may use only their own arguments and globals.
// The test compiles without DOM types, so browser globals are reached through this cast.
type Win = {
  __posted: WebviewToHost[];
  __violations: string[];
  pwned?: unknown;
  postMessage(message: unknown, targetOrigin: string): void;
  getComputedStyle(element: unknown): { strokeDasharray: string; fontStyle: string };
  sessionStorage: { getItem(key: string): string | null };
};

const posted = () => page.evaluate(() => (globalThis as unknown as Win).__posted);
const violations = () => page.evaluate(() => (globalThis as unknown as Win).__violations);

async function post(message: HostToWebview): Promise<void> {
  await page.evaluate((m) => (globalThis as unknown as Win).postMessage(m, '*'), message);
}

/** Waits until the webview has posted a message of `type` past index `since`; returns it. */
async function waitFor<T extends WebviewToHost['type']>(
  type: T,
  since = 0,
): Promise<Extract<WebviewToHost, { type: T }>> {
  const handle = await page.waitForFunction(
    ([t, s]) =>
      (globalThis as unknown as Win).__posted
        .slice(s as number)
        .filter((m) => m.type === t)
        .pop(),
    [type, since] as const,
    { timeout: 5000 },
  );
  return (await handle.jsonValue()) as Extract<WebviewToHost, { type: T }>;
}

const mark = async () => (await posted()).length;

const texts = () =>
  page.$$eval('svg text', (elements: { textContent: string | null }[]) => elements.map((e) => e.textContent ?? ''));
const podBox = (id: string) =>
  page.locator('g.pod').filter({ has: page.locator('title', { hasText: id.split('/').slice(1).join('/') }) });

// ---- tests ----

test('the webview sources type-check as strict TypeScript with DOM types', () => {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(
    process.execPath,
    [tsc, '-p', path.join(ROOT, 'media', 'webview', 'tsconfig.json'), '--noEmit'],
    { encoding: 'utf8' },
  );
  assert.equal(run.status, 0, run.stdout + run.stderr);
});

test('the stylesheet takes every colour from the theme', () => {
  const css = fs.readFileSync(path.join(ROOT, 'media', 'topology.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  assert.doesNotMatch(css, /#[0-9a-fA-F]{3,8}\b|\brgba?\(|\bhsla?\(/);
  assert.doesNotMatch(css, /:\s*(white|black|red|green|blue|gray|grey)\b/);
  assert.doesNotMatch(css, /@import|url\(/, 'no remote resources');
});

test('the webview says ready, then draws nodes, devices and pods', async () => {
  await waitFor('ready');
  const since = await mark();
  await post({ type: 'topology', result });
  const rendered = await waitFor('rendered', since);
  assert.equal(rendered.clusterId, clusterId);
  assert.deepEqual(rendered.nodes, ['master231', 'worker232', 'worker233']);
  const podIds = topology.nodes.flatMap((n) => n.pods.map((p) => p.id));
  assert.deepEqual([...rendered.pods].sort(), podIds.sort());
  assert.ok(rendered.pods.includes('worker232/default/xiuxian-v1'));
  assert.ok(
    rendered.pods.includes('master231/kube-system/kube-controller-manager'),
    'the static pod is drawn on the control plane',
  );
  assert.deepEqual(rendered.highlighted, []);

  const shown = await texts();
  for (const name of ['master231', 'worker232', 'worker233', 'cni0', 'flannel.1', 'xiuxian-v1', 'xiuxian-v2']) {
    assert.ok(shown.includes(name), `${name} is drawn (got ${shown.slice(0, 40).join(' | ')})`);
  }
  assert.equal(await page.locator('g.node').count(), 3);
  assert.equal(await page.locator('g.device-vxlan').count(), 3);
  assert.equal(
    await page.locator('g.device-bridge').count(),
    3,
    'cni0 on every node with pods (master231 has the markup-named ones)',
  );
  assert.equal(await page.locator('polyline.wire').count(), 1);
  // Boxes are focusable buttons with names; the cluster picker stays hidden for one cluster.
  assert.equal(await page.locator('g.pod[tabindex="0"][role="button"][aria-label^="Pod xiuxian-v1"]').count(), 1);
  assert.equal(await page.locator('.cluster-picker').isHidden(), true);
});

test('inferred and placeholder values are drawn differently', async () => {
  const placeholderRect = page.locator('g.certainty-placeholder > rect').first();
  assert.ok(await placeholderRect.count(), 'the scene has a placeholder box');
  const dash = await placeholderRect.evaluate(
    (e) => (globalThis as unknown as Win).getComputedStyle(e).strokeDasharray,
  );
  assert.notEqual(dash, 'none');
  const italic = await page
    .locator('g.certainty-placeholder text')
    .first()
    .evaluate((e) => (globalThis as unknown as Win).getComputedStyle(e).fontStyle);
  assert.equal(italic, 'italic');
  const knownDash = await page
    .locator('g.node.certainty-known > rect')
    .first()
    .evaluate((e) => (globalThis as unknown as Win).getComputedStyle(e).strokeDasharray);
  assert.equal(knownDash, 'none');
});

test('pod names full of markup render as literal text and run nothing', async () => {
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => (globalThis as unknown as Win).pwned), undefined);
  assert.equal(await page.locator('img').count(), 0);
  assert.equal(await page.locator('script').count(), 1, 'only the bundle');
  const titles = await page.$$eval('g.pod > title', (elements: { textContent: string | null }[]) =>
    elements.map((e) => e.textContent ?? ''),
  );
  assert.ok(
    titles.some((t) => t.includes(`default/${XSS_IMG} on master231`)),
    'the <img> name is shown verbatim in its tooltip',
  );
  assert.ok(
    titles.some((t) => t.includes(`default/${XSS_SCRIPT} on master231`)),
    'the <script> name is shown verbatim in its tooltip',
  );
  const shown = await texts();
  // Long names are shortened to fit their box; the start is the literal name.
  assert.ok(
    shown.some((t) => t.startsWith('<img src=x')),
    'the <img> name is drawn as text',
  );
  assert.ok(
    shown.some((t) => t.startsWith('"><script>')),
    'the <script> name is drawn as text',
  );
  assert.deepEqual(await violations(), []);
});

test('clicking a pod reveals it and picks it as the source; the second pick asks for the path', async () => {
  let since = await mark();
  await podBox('worker232/default/xiuxian-v1').click();
  const reveal = await waitFor('reveal', since);
  assert.deepEqual(reveal.ref, { kind: 'pod', id: 'worker232/default/xiuxian-v1' });
  assert.equal(await page.locator('g.pod.selected-source').count(), 1);

  since = await mark();
  await podBox('worker233/default/xiuxian-v2').click();
  const request = await waitFor('requestPath', since);
  assert.deepEqual(request, { type: 'requestPath', clusterId, from: 'default/xiuxian-v1', to: 'default/xiuxian-v2' });
});

test('the path is highlighted hop by hop up to the destination, with every hop listed', async () => {
  const trace = packetPath(cluster, topology, 'default/xiuxian-v1', 'default/xiuxian-v2');
  assert.ok(trace.ok, trace.reason);
  await post({ type: 'path', path: trace });
  await page.locator('.path-panel').waitFor({ state: 'visible' });
  assert.equal(await page.locator('.hops > li').count(), trace.hops.length);
  assert.match(await page.locator('.path-panel').innerText(), /VNI 1/);
  assert.match(await page.locator('.path-panel').innerText(), /10\.0\.0\.232 → 10\.0\.0\.233/);
  assert.equal(await page.locator('g.pod.current').count(), 1, 'the first hop is the source pod');

  // Step to the wire and take the picture there: encapsulated on worker232, on its way to worker233.
  const wireHop = trace.hops.findIndex((h) => h.action === 'wire');
  for (let i = 0; i < wireHop; i++) await page.getByRole('button', { name: 'Next hop' }).click();
  assert.equal(await page.locator('polyline.wire.current').count(), 1);
  assert.equal(
    await page.locator('polyline.link-wire.current').count(),
    2,
    'the drops from worker232 and worker233, not master231',
  );
  await page.waitForTimeout(300); // let the colour transitions finish
  await page.screenshot({ path: SCREENSHOT });

  while (await page.getByRole('button', { name: 'Next hop' }).isEnabled()) {
    const since = await mark();
    await page.getByRole('button', { name: 'Next hop' }).click();
    await waitFor('rendered', since);
  }
  const last = (await posted()).filter((m) => m.type === 'rendered').pop();
  assert.ok(last && last.type === 'rendered');
  for (const id of [
    'worker232/host/flannel.1',
    'wire',
    'worker233/host/flannel.1',
    'worker232/host/cni0',
    'worker233/default/xiuxian-v2',
  ]) {
    assert.ok(last.highlighted.includes(id), `${id} is on the path (got ${last.highlighted.join(', ')})`);
  }
  assert.ok(!last.highlighted.includes('master231/host/flannel.1'), 'master231 is not on the path');
  assert.equal(await page.locator('g.pod.current').count(), 1, 'the last hop is the destination pod');
  assert.equal(await page.locator('.hops > li.current').getAttribute('aria-current'), 'step');
  assert.match(
    await page.locator('.position').innerText(),
    new RegExp(`Hop ${trace.hops.length} of ${trace.hops.length}`),
  );
});

test('Previous steps back and Play walks the hops again', async () => {
  await page.getByRole('button', { name: 'Previous hop' }).click();
  assert.equal(await page.locator('g.pod.current').count(), 0);
  await page.getByRole('button', { name: 'Play the path hop by hop' }).click();
  // Playing from the second-to-last hop reaches the end after one ~700 ms tick and stops.
  const hops = packetPath(cluster, topology, 'default/xiuxian-v1', 'default/xiuxian-v2').hops.length;
  await page.locator('.position', { hasText: `Hop ${hops} of ${hops}` }).waitFor({ timeout: 3000 });
  await page.getByRole('button', { name: 'Play the path hop by hop' }).waitFor();
});

test('zoom, pan and the selection survive a topology update', async () => {
  await page.locator('.canvas').focus();
  await page.keyboard.press('+');
  await page.keyboard.press('ArrowLeft');
  const transform = await page.locator('g.layer').getAttribute('transform');
  // An edit that changes the picture: the title line is redrawn, the view stays.
  const edited = JSON.parse(JSON.stringify(result)) as TopologyResult;
  const title = edited.clusters[0].scene.elements.find((e) => e.type === 'box' && e.ref.id === 'cluster');
  assert.ok(title && title.type === 'box');
  title.lines = ['edited title'];
  const since = await mark();
  await post({ type: 'topology', result: edited });
  await waitFor('requestPath', since);
  await page.locator('svg text', { hasText: 'edited title' }).waitFor();
  assert.equal(await page.locator('g.layer').getAttribute('transform'), transform);
  assert.equal(await page.locator('g.pod.selected-source').count(), 1);
  assert.equal(await page.locator('g.pod.selected-destination').count(), 1);
  const state = await page.evaluate(
    () =>
      JSON.parse((globalThis as unknown as Win).sessionStorage.getItem('podnet-state') ?? 'null') as Record<
        string,
        unknown
      >,
  );
  assert.equal(state.clusterId, clusterId);
  assert.equal(state.from, 'default/xiuxian-v1');
  assert.equal(state.to, 'default/xiuxian-v2');
  assert.match(String(state.uri), /^file:\/\/\/ws\/cluster-10\.100\//);
});

test('an update with the same picture keeps keyboard focus on the focused box', async () => {
  let since = await mark();
  await post({ type: 'topology', result });
  await waitFor('requestPath', since);
  await podBox('worker232/default/xiuxian-v1').focus();
  since = await mark();
  await post({ type: 'topology', result: JSON.parse(JSON.stringify(result)) as TopologyResult });
  await waitFor('requestPath', since);
  const focused = await page.evaluate(() =>
    (
      globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }
    ).document.activeElement?.getAttribute('aria-label'),
  );
  assert.match(String(focused), /^Pod xiuxian-v1/);
});

test('a reloaded webview restores its view from the saved state and asks for the path again', async () => {
  const transform = await page.locator('g.layer').getAttribute('transform');
  await page.reload();
  await waitFor('ready');
  await post({ type: 'topology', result });
  const request = await waitFor('requestPath');
  assert.equal(request.from, 'default/xiuxian-v1');
  assert.equal(await page.locator('g.layer').getAttribute('transform'), transform);
  await post({ type: 'path', path: packetPath(cluster, topology, 'default/xiuxian-v1', 'default/xiuxian-v2') });
  await page.locator('g.box.current').first().waitFor();
});

test('a path that cannot exist shows its reason', async () => {
  await post({
    type: 'path',
    path: {
      from: 'default/xiuxian-v1',
      to: 'default/xiuxian-v2',
      ok: false,
      reason: 'worker233: no podCIDR',
      backend: 'vxlan',
      hops: [],
      encapsulation: null,
      mtu: 0,
      ttl: 0,
      notes: [],
    },
  });
  await page.locator('.reason', { hasText: 'worker233: no podCIDR' }).waitFor();
  assert.equal(await page.locator('g.box.on-path').count(), 0);
});

test('Enter on a focused pod and on a device reveals it; Export SVG asks the host', async () => {
  let since = await mark();
  await podBox('worker233/default/xiuxian-v2').focus();
  await page.keyboard.press('Enter');
  assert.deepEqual((await waitFor('reveal', since)).ref, { kind: 'pod', id: 'worker233/default/xiuxian-v2' });

  since = await mark();
  await page.locator('g.device-vxlan').nth(1).click();
  assert.deepEqual((await waitFor('reveal', since)).ref, { kind: 'device', id: 'worker232/host/flannel.1' });

  since = await mark();
  await page.getByRole('button', { name: 'Export the diagram as an SVG file' }).click();
  assert.deepEqual(await waitFor('exportSvg', since), { type: 'exportSvg', clusterId });
});

test('several clusters get a picker; switching draws the other cluster', async () => {
  const files = loadExample('seed-multi-node');
  const other = workspaceOf(files)
    .clusters()
    .find((c) => c.root === '/ws/seed-multi-node');
  assert.ok(other);
  const otherTopology = buildTopology(other);
  const since = await mark();
  await post({
    type: 'topology',
    result: { clusters: [...result.clusters, { topology: otherTopology, scene: buildScene(otherTopology) }], focus: 0 },
  });
  await waitFor('rendered', since);
  assert.equal(await page.locator('.cluster-picker').isVisible(), true);
  const switched = await mark();
  await page.getByLabel('Cluster', { exact: true }).selectOption(otherTopology.cluster.id);
  const rendered = await waitFor('rendered', switched);
  assert.equal(rendered.clusterId, otherTopology.cluster.id);
  assert.deepEqual(
    rendered.nodes,
    otherTopology.nodes.map((n) => n.name),
  );
  assert.deepEqual(rendered.highlighted, [], 'the selection belongs to the other cluster');
});

test('no errors and no CSP violations in the page', async () => {
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(await violations(), []);
});
