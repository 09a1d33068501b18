// The topology webview in a half-width panel (800 × 1000 px: half the editor of a 1920 × 1080 screen)
// for the states the panel must show truthfully and legibly: a broken network, an empty cluster, three
// nodes, and large clusters (50 and 200 nodes) with the overview, drill-down and search. Text is
// measured as drawn.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { type Page } from 'playwright-core';
import { type TopologyResult } from '../../server/src/protocol';
import { buildTopology } from '../../server/src/topology/build';
import { packetPath } from '../../server/src/topology/path';
import { topologyResultToWire } from '../../server/src/topology/wire';
import { type Files, loadExample, mutate, workspaceOf } from './helpers';
import { largeCluster } from './largeCluster';
import { drawnTexts, openWebview, type Webview, type Win } from './webviewHarness';

const VIEW = { width: 800, height: 1000 };
const SCREENSHOTS = '/tmp/podnet-webview-';

let webview: Webview;
let page: Page;

before(async () => {
  webview = await openWebview(VIEW);
  page = webview.page;
  await webview.waitFor('ready');
});

after(async () => {
  await webview?.close();
});

function resultOf(files: Files, root: string): TopologyResult {
  const cluster = workspaceOf(files)
    .clusters()
    .find((c) => c.root === root);
  assert.ok(cluster, root);
  return { clusters: [{ topology: buildTopology(cluster) }], focus: 0 };
}

function largeResult(nodes: number, pods: number): TopologyResult {
  const files = Object.fromEntries(Object.entries(largeCluster(nodes, pods)).map(([f, t]) => [`/ws/big/${f}`, t]));
  return resultOf(files, '/ws/big');
}

/** Shows `result` and waits until it is drawn. */
async function show(result: TopologyResult): Promise<void> {
  const since = await webview.mark();
  await webview.post({ type: 'topology', result: topologyResultToWire(result) });
  await webview.waitFor('rendered', since);
}

async function smallestText(): Promise<number> {
  return Math.min(...(await drawnTexts(page)).map((t) => t.size));
}

const canvasBox = () => page.locator('.canvas').boundingBox();

test('a broken network: a banner per stopping error, the stopped nodes marked, the lost pod in the tray', async () => {
  let files = mutate(
    loadExample('cluster-10.100'),
    '/ws/cluster-10.100/kube-flannel-cfg.yaml',
    '"vxlan"\n      }\n',
    '"vxlan"\n      },\n',
  );
  files = mutate(files, '/ws/cluster-10.100/network-cni-test.yaml', 'nodeName: worker233', 'nodeName: worker323');
  await show(resultOf(files, '/ws/cluster-10.100'));
  const banner = page.locator('g.banner');
  assert.equal(await banner.count(), 1);
  assert.match((await banner.locator('text').allTextContents()).join(' '), /net-conf\.json has a trailing comma/);
  assert.equal(await page.locator('g.problem', { hasText: 'Network stopped on this node' }).count(), 3);
  const tray = page.locator('g.unplaced', { hasText: 'default/xiuxian-v2' });
  assert.match((await tray.locator('text').allTextContents()).join(' '), /spec\.nodeName `worker323` names no known/);
  // Banners and the tray are in the first view, and link to their source.
  const area = await canvasBox();
  const bannerBox = await banner.boundingBox();
  assert.ok(area && bannerBox && bannerBox.y + bannerBox.height <= area.y + area.height);
  let since = await webview.mark();
  await banner.click();
  assert.deepEqual((await webview.waitFor('reveal', since)).ref, { kind: 'banner', id: '0' });
  since = await webview.mark();
  await tray.focus();
  await page.keyboard.press('Enter');
  assert.deepEqual((await webview.waitFor('reveal', since)).ref, { kind: 'unplaced', id: 'default/xiuxian-v2' });
  assert.ok((await smallestText()) >= 11);
  await page.screenshot({ path: `${SCREENSHOTS}broken.png` });
});

test('a cluster with nothing to draw says what is missing, not "click a pod"', async () => {
  await show(resultOf(loadExample('flannel-upstream'), '/ws/flannel-upstream'));
  const message = (await page.locator('g.empty-state text').allTextContents()).join(' ');
  assert.match(message, /Nothing to draw: no nodes/);
  assert.match(message, /no Node objects and no Pods/);
  const status = await page.locator('.status').innerText();
  assert.doesNotMatch(status, /click a pod/i);
  assert.match(status, /Nothing to draw/);
  await page.screenshot({ path: `${SCREENSHOTS}empty.png` });
});

test('three nodes at half width: rows at 100 %, no text under 11 px, nothing cut off sideways', async () => {
  await show(resultOf(loadExample('cluster-10.100'), '/ws/cluster-10.100'));
  assert.equal(await page.locator('button[aria-label="Reset zoom to 100%"]').innerText(), '100%');
  const texts = await drawnTexts(page);
  assert.ok(Math.min(...texts.map((t) => t.size)) >= 11, 'smallest text');
  const area = await canvasBox();
  assert.ok(area);
  for (const text of texts) assert.ok(text.right <= area.width + 1, `"${text.text}" is inside the panel's width`);
  const frames = await page
    .locator('g.node > rect')
    .evaluateAll((rects) =>
      rects.map((r) => (r as unknown as { getBoundingClientRect(): { y: number } }).getBoundingClientRect().y),
    );
  assert.equal(new Set(frames).size, 2, 'two rows');
  await page.screenshot({ path: `${SCREENSHOTS}3-nodes.png` });
});

test('stepping through a path keeps the current hop in view, with the hop list under the picture', async () => {
  const cluster = workspaceOf(loadExample('cluster-10.100'))
    .clusters()
    .find((c) => c.root === '/ws/cluster-10.100');
  assert.ok(cluster);
  const topology = buildTopology(cluster);
  await page.locator('g[data-ref="pod:worker232/default/xiuxian-v1"]').click();
  await page.locator('g[data-ref="pod:worker233/default/xiuxian-v2"]').click();
  await webview.post({ type: 'path', path: packetPath(cluster, topology, 'default/xiuxian-v1', 'default/xiuxian-v2') });
  await page.locator('.path-panel').waitFor({ state: 'visible' });
  const panel = await page.locator('.path-panel').boundingBox();
  const area = await canvasBox();
  assert.ok(panel && area && panel.y >= area.y + area.height - 1, 'the hop list is under the picture');
  while (await page.getByRole('button', { name: 'Next hop' }).isEnabled())
    await page.getByRole('button', { name: 'Next hop' }).click();
  const destination = await page.locator('g[data-ref="pod:worker233/default/xiuxian-v2"]').boundingBox();
  assert.ok(destination, 'drawn');
  assert.ok(
    destination.y >= area.y && destination.y + destination.height <= area.y + area.height,
    `the last hop (${destination.y}) is in the view (${area.y}–${area.y + area.height})`,
  );
  await page.screenshot({ path: `${SCREENSHOTS}3-nodes-path.png` });
  await page.getByRole('button', { name: 'Clear the selected pods and the path' }).click();
  await page.getByRole('button', { name: 'Reset zoom to 100%' }).click();
});

test("the popover shows a device's facts, from the keyboard too", async () => {
  await page.locator('g[data-ref="device:worker232/host/flannel.1"]').focus();
  const popover = page.locator('.popover');
  await popover.waitFor({ state: 'visible' });
  assert.match(await popover.innerText(), /flannel\.1 \(vxlan\) in host[\s\S]*VNI 1, UDP 8472/);
  assert.equal(
    await page.locator('g[data-ref="device:worker232/host/flannel.1"]').getAttribute('aria-describedby'),
    'podnet-popover',
  );
  // Themed: the hover widget's colours, not a browser tooltip (no <title> in the page).
  assert.equal(await page.locator('svg title').count(), 0);
  await page.keyboard.press('Escape');
  await popover.waitFor({ state: 'hidden' });
});

test('codicons, not Unicode glyphs: the font loads under the CSP', async () => {
  await page.evaluate(() => (globalThis as unknown as Win).document.fonts.ready);
  const loaded = await page.evaluate(() =>
    [
      ...(globalThis as unknown as { document: { fonts: Iterable<{ family: string; status: string }> } }).document
        .fonts,
    ].some((f) => f.family.includes('codicon') && f.status === 'loaded'),
  );
  assert.ok(loaded, 'the codicon font is loaded');
  const body = await page.locator('body').innerText();
  assert.doesNotMatch(body, /[◀▶⏸]/);
  assert.ok((await page.locator('.toolbar .codicon').count()) >= 5);
  assert.deepEqual(await webview.violations(), []);
});

test('50 nodes × 1,000 pods: an overview of every node in the first view, then a drill-down and back', async () => {
  await show(largeResult(50, 1000));
  const tiles = page.locator('g.node-tile');
  assert.equal(await tiles.count(), 50);
  const area = await canvasBox();
  assert.ok(area);
  const outside = await tiles.evaluateAll(
    (elements, box) =>
      elements
        .map((e) => {
          const r = (
            e as unknown as { getBoundingClientRect(): { left: number; top: number; right: number; bottom: number } }
          ).getBoundingClientRect();
          return r.left < box.x || r.top < box.y || r.right > box.x + box.width || r.bottom > box.y + box.height;
        })
        .filter(Boolean).length,
    area,
  );
  assert.equal(outside, 0, 'no node outside the first view');
  assert.ok((await smallestText()) >= 11);
  const names = await page.locator('g.node-tile text.bold').allTextContents();
  assert.deepEqual(
    names,
    Array.from({ length: 50 }, (_, i) => `worker-${String(i + 1).padStart(3, '0')}`),
  );
  assert.match(
    (await tiles.nth(6).locator('text').allTextContents()).join(' '),
    /10\.244\.7\.0\/24 · 20 pods [a-z]+-[0-9a-f]{5}.* \+\d+ more/,
  );
  await page.screenshot({ path: `${SCREENSHOTS}50-nodes.png` });

  await tiles.nth(6).click();
  await page.locator('g.node:not(.node-tile)[data-ref="node:worker-007"]').waitFor();
  assert.equal(await page.locator('g.pod').count(), 20);
  assert.equal(await page.locator('g[data-ref="device:worker-007/host/cni0"]:not(.bridge-bar)').count(), 1);
  await page.screenshot({ path: `${SCREENSHOTS}50-nodes-drill.png` });
  await page.getByRole('button', { name: 'Back to the overview of every node' }).click();
  await page.locator('g.node-tile').first().waitFor();
  assert.equal(await page.locator('g.node-tile').count(), 50);
});

test('search finds a pod: its node opens, the pod is shown, focused and described', async () => {
  const { topology } = largeResult(50, 1000).clusters[0];
  const pod = topology.nodes[41].pods[13];
  await page.getByLabel('Find a pod or a node').fill(pod.name);
  await page.getByLabel('Find a pod or a node').press('Enter');
  const box = page.locator(`g[data-ref="pod:${pod.id}"]`);
  await box.waitFor();
  assert.match(
    await page.locator('.status').innerText(),
    new RegExp(`Found ${pod.namespace}/${pod.name} on worker-042`),
  );
  assert.match((await box.getAttribute('class')) ?? '', /\bfound\b/);
  await page.locator('.popover', { hasText: `${pod.namespace}/${pod.name} on worker-042` }).waitFor();
  const area = await canvasBox();
  const found = await box.boundingBox();
  assert.ok(area && found && found.y >= area.y && found.y + found.height <= area.y + area.height, 'in view');
  await page.getByLabel('Find a pod or a node').fill('no-such-thing');
  await page.getByLabel('Find a pod or a node').press('Enter');
  assert.match(await page.locator('.status').innerText(), /No pod or node matches "no-such-thing"/);
  await page.getByRole('button', { name: 'Back to the overview of every node' }).click();
});

test('200 nodes × 10,000 pods: the overview is a few hundred elements; the wheel pans, Ctrl+wheel zooms', async () => {
  await show(largeResult(200, 10_000));
  assert.equal(await page.locator('g.node-tile').count(), 200);
  const elements = await page.locator('svg.surface *').count();
  assert.ok(elements < 1500, `${elements} SVG elements`);
  assert.ok((await smallestText()) >= 11);
  const layer = page.locator('g.layer');
  const before = await layer.getAttribute('transform');
  await page.mouse.move(300, 400);
  await page.mouse.wheel(0, 400);
  await page.waitForFunction(
    (t) =>
      (
        globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string } } }
      ).document
        .querySelector('g.layer')
        .getAttribute('transform') !== t,
    before,
  );
  assert.match((await layer.getAttribute('transform')) ?? '', /translate\(0 -400\) scale\(1\)/);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -200);
  await page.keyboard.up('Control');
  assert.doesNotMatch((await layer.getAttribute('transform')) ?? '', /scale\(1\)$/);
  assert.deepEqual(webview.pageErrors, []);
});

test('a Calico cluster: cali ports on the host routing, tunl0 where a pool uses it, the pool on top', async () => {
  const files = loadExample('calico-operator');
  await show(resultOf(files, '/ws/calico-operator'));
  const drawn = await drawnTexts(page);
  const area = await canvasBox();
  assert.ok(area);
  for (const text of drawn) assert.ok(text.right <= area.width + 1, `"${text.text}" is inside the panel's width`);
  const texts = drawn.map((t) => t.text);
  const all = texts.join('\n');
  assert.doesNotMatch(all, /cni0|flannel|podCIDR/, 'no flannel leftovers');
  assert.ok(
    texts.includes('Calico · pool 10.48.0.0/16 /26 blocks · IPIP CrossSubnet · pod MTU 1480 · 3 nodes, 7 pods'),
  );
  assert.equal(texts.filter((t) => t === 'tunl0 · ipip').length, 3);
  assert.equal(texts.filter((t) => t === 'host routing · /32 per pod').length, 2, 'on the two nodes with pods');
  assert.ok(texts.includes('cali45015adc167'), 'a cali port by its name');
  assert.ok(texts.includes('via 169.254.1.1'));
  assert.ok(texts.some((t) => t.startsWith('IPIP · IP protocol 4 · +20 bytes · between subnets only')));
  assert.ok((await smallestText()) >= 11);
  // The port's popover tells Calico's facts.
  const port = page.locator('g[data-ref="device:worker-b/host/cali45015adc167"]');
  await port.focus();
  const popover = page.locator('.popover');
  await popover.waitFor({ state: 'visible' });
  const facts = await popover.innerText();
  assert.match(facts, /ee:ee:ee:ee:ee:ee, proxy ARP on/);
  assert.match(facts, /Named by Calico: cali \+ the first 11 hex digits of SHA-1\("shop\.orders-db-0"\)/);
  await page.keyboard.press('Escape');
  await popover.waitFor({ state: 'hidden' });
  // A path across the subnets: numbered on the host routing and tunl0, never on a bridge.
  const cluster = workspaceOf(files)
    .clusters()
    .find((c) => c.root === '/ws/calico-operator')!;
  const trace = packetPath(cluster, buildTopology(cluster), 'shop/storefront-1', 'shop/orders-db-0');
  assert.ok(trace.ok, trace.reason);
  await page.locator('g[data-ref="pod:worker-a/shop/storefront-1"]').click();
  await page.locator('g[data-ref="pod:worker-b/shop/orders-db-0"]').click();
  await webview.post({ type: 'path', path: trace });
  await page.locator('.path-panel').waitFor({ state: 'visible' });
  assert.equal(await page.locator('g.hop-badge').count(), trace.hops.length);
  const hops = await page.locator('.path-panel').innerText();
  assert.match(hops, /tunl0/);
  assert.doesNotMatch(hops, /cni0/);
  assert.deepEqual(webview.pageErrors, []);
  assert.deepEqual(await webview.violations(), []);
  await page.screenshot({ path: `${SCREENSHOTS}calico.png` });
  await page.getByRole('button', { name: 'Clear the selected pods and the path' }).click();
});
