// The topology panel's page and its message gate: a strict CSP with a per-page nonce, and only
// well-formed messages from the webview get through.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { contentSecurityPolicy, newNonce, topologyPanelHtml } from '../../client/src/topologyHtml';
import { podsOf, resolvePod, sourceOf } from '../../client/src/topologySource';
import { isWebviewMessage, type TopologyResult } from '../../server/src/protocol';
import { buildTopology } from '../../server/src/topology/build';
import { loadExample, workspaceOf } from './helpers';

const CSP_SOURCE = 'https://*.vscode-cdn.net';

function page(nonce = newNonce()) {
  const html = topologyPanelHtml({
    cspSource: CSP_SOURCE,
    nonce,
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/topology.css',
    codiconUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/codicons/codicon.css',
  });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  assert.ok(csp, 'the page declares a CSP in a meta tag');
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/);
        return [name, values] as [string, string[]];
      }),
  );
  return { html, csp, directives, nonce };
}

test('the CSP denies by default and allows scripts only by nonce', () => {
  const { csp, directives, nonce } = page();
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), [`'nonce-${nonce}'`]);
  assert.deepEqual(directives.get('style-src'), [CSP_SOURCE]);
  assert.deepEqual(directives.get('img-src'), [CSP_SOURCE, 'data:']);
  assert.deepEqual(directives.get('font-src'), [CSP_SOURCE]);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|wasm-unsafe-eval/);
  // Apart from the webview's own resource origin, no network origin of any kind.
  const others = csp.split(CSP_SOURCE).join('');
  assert.doesNotMatch(others, /https?:|\*|ws:|wss:/);
});

test('the one script carries the page nonce; no inline script or style', () => {
  const { html, nonce } = page();
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  assert.match(scripts[0][1], new RegExp(`nonce="${nonce.replace(/[+/]/g, (c) => `\\${c}`)}"`));
  assert.match(scripts[0][1], /src="[^"]+\/dist\/webview\.js"/);
  assert.equal(scripts[0][2].trim(), '', 'no inline code');
  assert.doesNotMatch(html, /<style|style="/);
  assert.match(html, /<link rel="stylesheet" href="[^"]+\/media\/topology\.css">/);
  // The codicon font comes from the extension's own files, under font-src cspSource.
  assert.match(html, /<link rel="stylesheet" href="[^"]+\/dist\/codicons\/codicon\.css">/);
});

test('every page gets a fresh nonce of 128 bits', () => {
  const nonces = new Set(Array.from({ length: 50 }, newNonce));
  assert.equal(nonces.size, 50);
  for (const nonce of nonces) {
    assert.match(nonce, /^[A-Za-z0-9+/]+={0,2}$/);
    assert.equal(Buffer.from(nonce, 'base64').length, 16);
  }
});

test('attribute values are escaped', () => {
  const html = topologyPanelHtml({
    cspSource: CSP_SOURCE,
    nonce: 'abc',
    scriptUri: 'x"><script>alert(1)</script>',
    styleUri: 's',
    codiconUri: '"><style>',
  });
  assert.doesNotMatch(html, /"><script>alert/);
  assert.doesNotMatch(html, /"><style>/);
  assert.equal(
    contentSecurityPolicy('src', 'n'),
    "default-src 'none'; img-src src data:; style-src src; font-src src; script-src 'nonce-n';",
  );
});

const layout = { width: 760, height: 800, mode: 'auto', focusNodes: ['n1'], pinnedPods: [] };

test('isWebviewMessage accepts the protocol messages', () => {
  const good: unknown[] = [
    { type: 'ready' },
    { type: 'requestPath', clusterId: '/ws/a', from: 'default/a', to: 'b' },
    { type: 'reveal', ref: { kind: 'pod', id: 'worker/default/a' } },
    { type: 'reveal', ref: { kind: 'wire', id: 'wire' } },
    { type: 'reveal', ref: { kind: 'banner', id: '0' } },
    { type: 'reveal', ref: { kind: 'unplaced', id: 'default/server' } },
    { type: 'exportSvg', clusterId: '/ws/a', layout, step: 3 },
    { type: 'rendered', clusterId: '/ws/a', nodes: ['n1'], pods: [], highlighted: ['wire'] },
  ];
  for (const message of good) assert.ok(isWebviewMessage(message), JSON.stringify(message));
});

test('isWebviewMessage rejects malformed messages', () => {
  const long = 'x'.repeat(1001);
  const bad: unknown[] = [
    null,
    undefined,
    42,
    'ready',
    [],
    {},
    { type: 'unknown' },
    { type: 'READY' },
    { type: 'requestPath', clusterId: '/ws/a', from: 'a' },
    { type: 'requestPath', clusterId: 1, from: 'a', to: 'b' },
    { type: 'requestPath', clusterId: '/ws/a', from: long, to: 'b' },
    { type: 'reveal' },
    { type: 'reveal', ref: null },
    { type: 'reveal', ref: 'pod' },
    { type: 'reveal', ref: { kind: 'file', id: '/etc/passwd' } },
    { type: 'reveal', ref: { kind: 'pod', id: 7 } },
    { type: 'reveal', ref: { kind: 'pod', id: long } },
    { type: 'exportSvg' },
    { type: 'exportSvg', clusterId: { id: 'a' } },
    { type: 'exportSvg', clusterId: '/ws/a', step: 0 },
    { type: 'exportSvg', clusterId: '/ws/a', layout: { ...layout, width: -1 }, step: 0 },
    { type: 'exportSvg', clusterId: '/ws/a', layout: { ...layout, mode: 'everything' }, step: 0 },
    { type: 'exportSvg', clusterId: '/ws/a', layout: { ...layout, focusNodes: 'n1' }, step: 0 },
    { type: 'exportSvg', clusterId: '/ws/a', layout, step: 1.5 },
    { type: 'rendered', clusterId: 'a', nodes: 'n1', pods: [], highlighted: [] },
    { type: 'rendered', clusterId: 'a', nodes: [1], pods: [], highlighted: [] },
    { type: 'rendered', clusterId: 'a', nodes: [], pods: [], highlighted: [long] },
    { type: 'rendered', clusterId: 'a', nodes: [], pods: new Array(10_001).fill('p'), highlighted: [] },
    { type: 'rendered', clusterId: 'a', nodes: [], pods: [] },
  ];
  for (const message of bad) assert.equal(isWebviewMessage(message), false, JSON.stringify(message)?.slice(0, 120));
});

function exampleResult(): TopologyResult {
  const cluster = workspaceOf(loadExample('cluster-10.100'))
    .clusters()
    .find((c) => c.root === '/ws/cluster-10.100');
  assert.ok(cluster);
  const topology = buildTopology(cluster);
  return { clusters: [{ topology }], focus: 0 };
}

test("reveal looks sources up in the host's topology: nodes, pods, devices, undeclared devices via their node", () => {
  const result = exampleResult();
  const node = sourceOf(result, { kind: 'node', id: 'worker232' });
  assert.match(node?.uri ?? '', /nodes\.yaml$/);
  assert.match(
    sourceOf(result, { kind: 'pod', id: 'worker232/default/xiuxian-v1' })?.uri ?? '',
    /network-cni-test\.yaml$/,
  );
  assert.match(sourceOf(result, { kind: 'device', id: 'worker232/host/flannel.1' })?.uri ?? '', /\.yaml$/);
  assert.match(
    sourceOf(result, { kind: 'device', id: 'worker232/default/xiuxian-v1/eth0' })?.uri ?? '',
    /network-cni-test\.yaml$/,
    "a pod's eth0: its pod's manifest",
  );
  assert.deepEqual(
    sourceOf(result, { kind: 'device', id: 'worker232/host/cni0' }),
    node,
    'cni0 has no manifest: its node',
  );
  assert.equal(sourceOf(result, { kind: 'pod', id: 'worker232/default/nope' }), undefined);
  assert.equal(sourceOf(result, { kind: 'wire', id: 'wire' }), undefined);
  assert.match(sourceOf(result, { kind: 'tunnel', id: 'tunnel' })?.uri ?? '', /kube-flannel-cfg\.yaml$/);
});

test('banners reveal their diagnostic, and tray pods their manifest', () => {
  const files = loadExample('broken-flannel');
  const cluster = workspaceOf(files).clusters()[0];
  const topology = buildTopology(cluster);
  const result: TopologyResult = { clusters: [{ topology }], focus: 0 };
  const banner = topology.banners.findIndex((b) => b.rule === 'cluster-cidr-mismatch');
  assert.ok(banner >= 0, topology.banners.map((b) => b.rule).join(', '));
  const source = sourceOf(result, { kind: 'banner', id: String(banner) });
  assert.match(source?.uri ?? '', /kubeadm-config\.yaml$/);
  assert.equal(source?.range.start.line, 6, 'the podSubnet line, where the diagnostic points');
  assert.match(sourceOf(result, { kind: 'unplaced', id: 'default/server' })?.uri ?? '', /pods\.yaml$/);
  assert.equal(sourceOf(result, { kind: 'banner', id: '99' }), undefined);
  assert.equal(sourceOf(result, { kind: 'banner', id: 'constructor' }), undefined);
});

test('pods resolve by namespace/name or by a unique bare name', () => {
  const { topology } = exampleResult().clusters[0];
  assert.deepEqual(
    podsOf(topology)
      .map((p) => p.key)
      .sort(),
    ['default/xiuxian-v1', 'default/xiuxian-v2', 'kube-system/kube-controller-manager'],
  );
  assert.equal(resolvePod(topology, 'xiuxian-v1'), 'default/xiuxian-v1');
  assert.equal(resolvePod(topology, 'default/xiuxian-v2'), 'default/xiuxian-v2');
  assert.equal(resolvePod(topology, 'kube-system/xiuxian-v2'), undefined);
});
