// Runs the built CLI (dist/cli.js) as a user or CI would.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { PacketPath, Topology } from '../../server/src/topology/types';
import { EXAMPLES, FIXTURES, REPO_ROOT } from './helpers';

/** One record of `podnet check --format json`. */
interface CheckRecord {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const run = (args: string[], cwd = REPO_ROOT) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });

test('podnet check over the clean examples: no error, no warning, exit 0', () => {
  const clean = ['cluster-10.100', 'flannel-upstream', 'seed-multi-node', 'seed-single-node'];
  const result = run(['check', ...clean.map((folder) => path.join(EXAMPLES, folder))]);
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /^0 errors, 0 warnings, \d+ notes? in 11 files \(4 clusters\)$/m);
});

test('podnet check over all examples finds the broken cluster and exits 1', () => {
  const result = run(['check', EXAMPLES]);
  assert.equal(result.status, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /^4 errors, 2 warnings, \d+ notes? in 25 files \(8 clusters\)$/m);
  assert.doesNotMatch(
    result.stdout,
    /^(?!.*broken-flannel).*(error|warning) \[/m,
    'only the broken cluster has findings',
  );
});

test('npm run check-examples: clean clusters pass, the broken one is shown and expected', () => {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'check-examples.mjs')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /== broken-flannel: deliberately broken/);
  assert.match(result.stdout, /\[nodename-unknown\] spec\.nodeName `lab-wroker`/);
  assert.match(result.stdout, /== cluster-10\.100: 0 errors, 0 warnings/);
});

test('--format json prints one array with 1-based positions; errors exit 1', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-cli-'));
  try {
    fs.writeFileSync(
      path.join(dir, 'cm.yaml'),
      'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: kube-flannel-cfg\ndata:\n  net-conf.json: |\n    ' +
        '{\n      "Network": "10.244.0.0/16", # pods\n      "Backend": {"Type": "vxlan"}\n    }\n',
    );
    const result = run(['check', '--format', 'json', 'cm.yaml'], dir);
    assert.equal(result.status, 1, result.stderr);
    const records = JSON.parse(result.stdout) as CheckRecord[];
    const syntax = records.find((r) => r.code === 'json-syntax');
    assert.ok(syntax);
    const { file, line, column, endLine, endColumn, severity } = syntax;
    assert.deepEqual(
      { file, line, column, endLine, endColumn, severity },
      { file: 'cm.yaml', line: 8, column: 35, endLine: 8, endColumn: 41, severity: 'error' },
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--format sarif prints a SARIF 2.1.0 log with rule metadata', () => {
  const result = run(['check', '--format=sarif', path.join(EXAMPLES, 'seed-multi-node')]);
  assert.equal(result.status, 0);
  const log = JSON.parse(result.stdout) as {
    version: string;
    runs: Array<{ tool: { driver: { rules: { id: string }[] } } }>;
  };
  assert.equal(log.version, '2.1.0');
  assert.ok(log.runs[0].tool.driver.rules.some((r) => r.id === 'podcidr-outside-network'));
});

test('--rule overrides a severity; bad usage exits 2', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-cli-'));
  try {
    fs.writeFileSync(path.join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: Web\n');
    assert.equal(run(['check', '.'], dir).status, 1);
    assert.equal(run(['check', '.', '--rule', 'name-invalid=warning'], dir).status, 0);
    assert.equal(run(['check', '--format', 'xml'], dir).status, 2);
    assert.equal(run(['frobnicate'], dir).status, 2);
    assert.equal(run(['check', 'missing-folder'], dir).status, 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('podnet path prints the hops; --format json has hops, encapsulation and mtu', () => {
  const text = run([
    'path',
    path.join(EXAMPLES, 'cluster-10.100'),
    '--from',
    'xiuxian-v1',
    '--to',
    'default/xiuxian-v2',
  ]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /Encapsulation: vxlan 10\.0\.0\.232 → 10\.0\.0\.233:8472 VNI 1, \+50 bytes/);
  assert.match(text.stdout, /Path MTU 1450, TTL at delivery 62/);
  const json = JSON.parse(
    run([
      'path',
      path.join(EXAMPLES, 'cluster-10.100'),
      '--from',
      'xiuxian-v1',
      '--to',
      'xiuxian-v2',
      '--format',
      'json',
    ]).stdout,
  ) as PacketPath;
  assert.equal(json.mtu, 1450);
  assert.deepEqual(json.encapsulation, {
    type: 'vxlan',
    outerSrc: '10.0.0.232',
    outerDst: '10.0.0.233',
    port: 8472,
    vni: 1,
    overhead: 50,
  });
  for (const hop of json.hops) for (const key of ['node', 'netns', 'device', 'action']) assert.ok(key in hop, key);
  assert.equal(json.hops[0].netns, 'default/xiuxian-v1');
  assert.ok(json.hops.some((h) => h.netns === 'host'));
});

test('podnet path --format traceroute prints what traceroute in the source pod would show, marked predicted', () => {
  const cluster = path.join(EXAMPLES, 'cluster-10.100');
  const trace = run(['path', cluster, '--from', 'xiuxian-v1', '--to', 'xiuxian-v2', '--format', 'traceroute']);
  assert.equal(trace.status, 0, trace.stderr);
  const lines = trace.stdout.split('\n');
  assert.match(lines[0], /^# predicted by podnet .*no times/);
  assert.deepEqual(lines.slice(1, 5), [
    'traceroute to 10.100.2.2 (10.100.2.2), 30 hops max, 60 byte packets',
    ' 1  10.100.1.1 (10.100.1.1)',
    ' 2  10.100.2.0 (10.100.2.0)',
    ' 3  10.100.2.2 (10.100.2.2)',
  ]);
  assert.ok(
    lines.slice(5).every((l) => l === '' || l.startsWith('# ')),
    'explanations are comments',
  );
  const none = run(['path', cluster, '--from', 'xiuxian-v1', '--to', 'ghost', '--format', 'traceroute']);
  assert.equal(none.status, 1);
  assert.match(none.stdout, /^No path .*no pod `ghost`/);
  assert.match(run(['--help']).stdout, /--format text\|json\|traceroute/);
});

test('podnet path exits 1 with the reason when no path exists, 2 when the pod is ambiguous', () => {
  const none = run(['path', path.join(EXAMPLES, 'cluster-10.100'), '--from', 'xiuxian-v1', '--to', 'ghost']);
  assert.equal(none.status, 1);
  assert.match(none.stdout, /No path .*no pod `ghost`/);
  const ambiguous = run(['path', EXAMPLES, '--from', 'mypod1', '--to', 'mypod2']);
  assert.equal(ambiguous.status, 2);
  assert.match(ambiguous.stderr, /several clusters .* --cluster/);
  // examples/ as a whole reads no .podnet.yaml below it: the seed cluster's CNI is named on the command line.
  const named = ['--cni', 'flannel', '--cluster', 'seed-multi-node', '--from', 'mypod1', '--to', 'mypod2'];
  assert.equal(run(['path', EXAMPLES, ...named]).status, 0);
});

test('podnet node prints predicted tool output; topology prints json, svg and html', () => {
  const node = run(['node', path.join(EXAMPLES, 'cluster-10.100'), '--node', 'master231', '--show', 'ip-neigh']);
  assert.equal(node.status, 0, node.stderr);
  assert.match(node.stdout, /^10\.100\.2\.0 lladdr <vtep mac of worker233> PERMANENT$/m);
  const json = JSON.parse(run(['topology', path.join(EXAMPLES, 'cluster-10.100')]).stdout) as Topology[];
  assert.deepEqual(
    json[0].nodes.map((n) => n.name),
    ['master231', 'worker232', 'worker233'],
  );
  const svg = run(['topology', path.join(EXAMPLES, 'cluster-10.100'), '--format', 'svg']).stdout;
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, />flannel\.1 · vxlan</);
  assert.equal(run(['topology', EXAMPLES, '--format', 'svg']).status, 2, 'svg of several clusters needs --cluster');
  const html = run(['topology', EXAMPLES, '--format', 'html']).stdout;
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /Content-Security-Policy/);
  assert.doesNotMatch(html, /<script/);
});

test('podnet check - reads helm template output and names findings after its # Source: comments', () => {
  const rendered = fs.readFileSync(path.join(FIXTURES, 'templates', 'rendered.yaml'), 'utf8');
  const result = spawnSync(process.execPath, [CLI, 'check', '-', '--format', 'json'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    input: rendered,
  });
  assert.equal(result.status, 1, result.stdout + result.stderr);
  const records = JSON.parse(result.stdout) as CheckRecord[];
  const found = records.map((r) => [r.file, r.line, r.code]);
  // Lines count within each source's documents, as `helm template --output-dir` writes them.
  assert.deepEqual(found, [
    ['<stdin>', 5, 'name-invalid'],
    ['mynet/templates/configmap.yaml', 13, 'json-syntax'],
    ['mynet/templates/daemonset.yaml', 19, 'flannel-pod-identity'],
  ]);
  const text = run(['check', '-']);
  assert.match(text.stdout, /^0 errors, 0 warnings, 0 notes in 0 files \(0 clusters\)$/m, text.stderr);
});

test('podnet check - with no input and with plain manifests: <stdin>, one cluster', () => {
  const input = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: Web\nspec:\n  containers: []\n';
  const result = spawnSync(process.execPath, [CLI, 'check', '-'], { cwd: REPO_ROOT, encoding: 'utf8', input });
  assert.equal(result.status, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /^<stdin>:4:9: error \[name-invalid\]/m);
  assert.match(result.stdout, /in 1 file \(1 cluster\)$/m);
});
