// The topology webview in a real browser (webviewHarness.ts), with a topology and a packet path
// computed by the engine from examples/cluster-10.100: drawing, picking, the path with its numbered
// hops, the popover, the keyboard, state across reloads, and the page's safety.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { type Page } from 'playwright-core';
import { type HostToWebview, type TopologyResult, type WebviewToHost } from '../../server/src/protocol';
import { buildTopology } from '../../server/src/topology/build';
import { packetPath } from '../../server/src/topology/path';
import { topologyResultToWire } from '../../server/src/topology/wire';
import { type Files, loadExample, workspaceOf } from './helpers';
import { openWebview, ROOT, type Webview, type Win } from './webviewHarness';

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
  const result: TopologyResult = { clusters: [{ topology }], focus: 0 };
  return { cluster, topology, result };
}

let webview: Webview;
let page: Page;
const { cluster, topology, result } = engine();
const clusterId = topology.cluster.id;

before(async () => {
  webview = await openWebview({ width: 1400, height: 860 });
  page = webview.page;
});

after(async () => {
  await webview?.close();
});

const posted = () => webview.posted();
const violations = () => webview.violations();
const post = (message: HostToWebview) => webview.post(message);
const waitFor = <T extends WebviewToHost['type']>(type: T, since = 0) => webview.waitFor(type, since);
const mark = () => webview.mark();

const texts = () =>
  page.$$eval('svg text', (elements: { textContent: string | null }[]) => elements.map((e) => e.textContent ?? ''));
const podBox = (id: string) => page.locator(`g[data-ref="pod:${id}"]`);

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
  await post({ type: 'topology', result: topologyResultToWire(result) });
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
  for (const name of [
    'master231',
    'worker232',
    'worker233',
    'cni0 · bridge',
    'flannel.1 · vxlan',
    'xiuxian-v1',
    'xiuxian-v2',
  ]) {
    assert.ok(shown.includes(name), `${name} is drawn (got ${shown.slice(0, 40).join(' | ')})`);
  }
  assert.equal(await page.locator('g.node').count(), 3);
  assert.equal(await page.locator('g.device-vxlan').count(), 3);
  assert.equal(
    await page.locator('g.device-bridge:not(.bridge-bar)').count(),
    3,
    'cni0 on every node with pods (master231 has the markup-named ones)',
  );
  // Three nodes fit side by side in 1400 px: one row, one wire under it, the tunnel above it.
  assert.equal(await page.locator('polyline.wire').count(), 1);
  assert.equal(await page.locator('polyline.tunnel-lane').count(), 1);
  assert.ok(shown.includes('VXLAN tunnel · VNI 1 · UDP 8472 · +50 bytes'), 'the tunnel says what crosses it');
  // Boxes are focusable buttons with names; the cluster picker stays hidden for one cluster.
  assert.equal(
    await page.locator('g.pod[tabindex="0"][role="button"][aria-label^="Pod default/xiuxian-v1 on worker232"]').count(),
    1,
  );
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
  const labels = await page.$$eval('g.pod', (elements: { getAttribute(n: string): string | null }[]) =>
    elements.map((e) => e.getAttribute('aria-label') ?? ''),
  );
  assert.ok(
    labels.some((t) => t.startsWith(`Pod default/${XSS_IMG} on`)),
    'the <img> name is in its label verbatim',
  );
  assert.ok(
    labels.some((t) => t.startsWith(`Pod default/${XSS_SCRIPT} on`)),
    'the <script> name is in its label verbatim',
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
  // The popover shows the full name as text too.
  await page.locator(`g.pod[aria-label^="Pod default/${XSS_IMG.slice(0, 8)}"]`).focus();
  await page.locator('.popover', { hasText: `default/${XSS_IMG} on master231` }).waitFor();
  assert.equal(await page.locator('.popover img').count(), 0);
  await page.keyboard.press('Escape');
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

test('the path is drawn with numbered, directed hops, the tunnel as its own link, and every hop listed', async () => {
  const trace = packetPath(cluster, topology, 'default/xiuxian-v1', 'default/xiuxian-v2');
  assert.ok(trace.ok, trace.reason);
  await post({ type: 'path', path: trace });
  await page.locator('.path-panel').waitFor({ state: 'visible' });
  assert.equal(await page.locator('.hops > li').count(), trace.hops.length);
  assert.match(await page.locator('.path-panel').innerText(), /VNI 1/);
  assert.match(await page.locator('.path-panel').innerText(), /10\.0\.0\.232 → 10\.0\.0\.233/);
  assert.equal(await page.locator('g.pod.current').count(), 1, 'the first hop is the source pod');
  // Every hop has its number on the picture; the way between them ends in arrowheads.
  const badges = await page.$$eval('.hop-badge text', (e: { textContent: string | null }[]) =>
    e.map((t) => t.textContent),
  );
  assert.deepEqual(
    [...badges].sort((a, b) => Number(a) - Number(b)),
    trace.hops.map((_, i) => String(i + 1)),
  );
  assert.ok((await page.locator('polygon.arrowhead').count()) >= 5);
  // The tunnel runs between the two flannel.1 devices, labelled with the outer addresses.
  assert.ok((await page.locator('polyline.path-tunnel').count()) >= 3, 'down, across, up');
  await page
    .locator('text.path-label', { hasText: 'vxlan 10.0.0.232 → 10.0.0.233:8472' })
    .waitFor({ state: 'attached' });

  // Step to the wire and take the picture there: encapsulated on worker232, on its way to worker233.
  const wireHop = trace.hops.findIndex((h) => h.action === 'wire');
  for (let i = 0; i < wireHop; i++) await page.getByRole('button', { name: 'Next hop' }).click();
  assert.equal((await page.locator('polyline.path-tunnel.current').count()) > 0, true, 'in the tunnel now');
  assert.ok((await page.locator('polyline.path-link.current').count()) > 0, 'the way into the wire hop');
  assert.equal(await page.locator('.hop-badge.current text').textContent(), String(wireHop + 1));
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
    'tunnel',
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

test('the picture and the hop list select together', async () => {
  // A number on the picture selects its hop in the list.
  await page.locator('.hop-badge', { hasText: /^3$/ }).click();
  assert.match(await page.locator('.position').innerText(), /Hop 3 of/);
  assert.equal(await page.locator('.hops > li.current .hop-number').innerText(), '3');
  // A device on the path selects its first hop; the list's hop lights up its device.
  await page.locator('g[data-ref="device:worker233/host/flannel.1"]').click();
  const hops = packetPath(cluster, topology, 'default/xiuxian-v1', 'default/xiuxian-v2').hops;
  const decap = hops.findIndex((h) => h.deviceId === 'worker233/host/flannel.1');
  assert.match(await page.locator('.position').innerText(), new RegExp(`Hop ${decap + 1} of`));
  await page.locator('.hops > li').nth(2).locator('.hop-head').click();
  assert.equal(await page.locator('g[data-ref="device:worker232/host/cni0"].current:not(.bridge-bar)').count(), 1);
  // Back to the end for the next tests.
  await page.locator('.hops > li').last().locator('.hop-head').click();
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
  edited.clusters[0].topology.cluster.name = 'edited title';
  const since = await mark();
  await post({ type: 'topology', result: topologyResultToWire(edited) });
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
  await post({ type: 'topology', result: topologyResultToWire(result) });
  await waitFor('requestPath', since);
  await podBox('worker232/default/xiuxian-v1').focus();
  since = await mark();
  await post({ type: 'topology', result: topologyResultToWire(JSON.parse(JSON.stringify(result)) as TopologyResult) });
  await waitFor('requestPath', since);
  const focused = await page.evaluate(() =>
    (
      globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }
    ).document.activeElement?.getAttribute('aria-label'),
  );
  assert.match(String(focused), /^Pod default\/xiuxian-v1 on worker232/);
});

test('a reloaded webview restores its view from the saved state and asks for the path again', async () => {
  const transform = await page.locator('g.layer').getAttribute('transform');
  await page.reload();
  await waitFor('ready');
  await post({ type: 'topology', result: topologyResultToWire(result) });
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
  const request = await waitFor('exportSvg', since);
  assert.equal(request.clusterId, clusterId);
  // The export is laid out as the panel is: its width, mode and pinned pods.
  assert.ok(request.layout.width > 500 && request.layout.width <= 1400, String(request.layout.width));
  // The Enter above started a new selection: its source is drawn whatever the node's pod limit.
  assert.deepEqual(request.layout.pinnedPods, ['worker233/default/xiuxian-v2']);
  assert.equal(request.layout.mode, 'auto');
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
    result: topologyResultToWire({ clusters: [...result.clusters, { topology: otherTopology }], focus: 0 }),
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
  assert.deepEqual(webview.pageErrors, []);
  assert.deepEqual(await violations(), []);
});
