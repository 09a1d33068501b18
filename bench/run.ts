// `npm run bench`: times the built Podnet language server (dist/server.js) from a client's point of
// view on generated manifests, beside the floor of parsing the same text with `yaml` alone and beside
// yaml-language-server. See bench/README.md for what is measured and the targets.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { parseAllDocuments } from 'yaml';
import { SERVER_NODE_OPTIONS } from '../server/src/lsp/launch';
import { PACKET_PATH_REQUEST, SERVER_STATUS_NOTIFICATION, TOPOLOGY_REQUEST } from '../server/src/protocol';
import { topologyFromWire } from '../server/src/topology/wire';
import { type ClusterFiles, generateCluster, generateWorkspace, type WorkspaceFiles } from './generate';
import { generateWorkloadCluster, type WorkloadClusterFiles } from './generateWorkloads';
import { killAllServers, type LspDiagnostic, LspServer, sleep, uriOf } from './lsp';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PODNET_SERVER = path.join(ROOT, 'dist', 'server.js');
const YAML_LS = path.join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
const RESULTS = path.join(ROOT, 'bench', 'results', 'latest.json');

// ---------------------------------------------------------------------------------------------------
// Options

interface Size {
  pods: number;
  nodes: number;
}

/** The parts of the benchmark: Pod files of several sizes, controllers' pods, workspace indexing. */
const CASES = ['sizes', 'workloads', 'workspace'] as const;
type Case = (typeof CASES)[number];

interface Options {
  quick: boolean;
  cases: Case[];
  sizes: Size[];
  runs: number;
  edits: number;
  hovers: number;
  files: number;
  yamlLs: boolean;
  yamlLsRuns: number;
  keep: boolean;
}

const USAGE = `Usage: npm run bench -- [--quick] [--case sizes,workloads,workspace] [--sizes 100x2,1000x50,5000x50]
                         [--runs N] [--edits N] [--hovers N] [--files N] [--yaml-ls-runs N] [--no-yaml-ls] [--keep]
  --quick        smoke run: sizes 100x2,1000x50, 2 runs (yaml-ls 1), 10 edits, 300 workspace files
  --case LIST    run only these parts: sizes (the Pod files), workloads (5,000 pods from DaemonSets and
                 Deployments on 50 nodes), workspace (indexing); default all three
  --sizes LIST   Pod files to generate, as PODSxNODES (or PODS alone: nodes = PODS/20, 2..50)
  --runs N       server starts per size and per workspace (medians are over these); default 5
  --edits N      incremental edits per run (rounded to pairs); default 50
  --hovers N     hover requests per run; default 40
  --files N      files in the indexing workspace; default 2000
  --yaml-ls-runs N  yaml-language-server starts per size (it is slow on big files); default 2
  --no-yaml-ls   skip yaml-language-server
  --keep         keep the generated manifests (their folder is printed)`;

function parseSize(text: string): Size {
  const match = /^(\d+)(?:x(\d+))?$/.exec(text.trim());
  if (!match) throw new Error(`bad size "${text}": expected PODS or PODSxNODES, e.g. 1000x50`);
  const pods = Number(match[1]);
  const nodes = match[2] ? Number(match[2]) : Math.min(50, Math.max(2, Math.round(pods / 20)));
  if (pods < 10 || nodes < 2 || nodes > 250) throw new Error(`bad size "${text}": at least 10 Pods, 2 to 250 nodes`);
  return { pods, nodes };
}

function parseCases(text: string): Case[] {
  const names = text.split(',').filter(Boolean);
  const unknown = names.filter((n) => !(CASES as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0)
    throw new Error(`bad --case "${text}": expected a list of ${CASES.join(', ')}`);
  return CASES.filter((c) => names.includes(c));
}

function parseOptions(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const options: Options = {
    quick,
    cases: [...CASES],
    sizes: quick
      ? [
          { pods: 100, nodes: 2 },
          { pods: 1000, nodes: 50 },
        ]
      : [
          { pods: 100, nodes: 2 },
          { pods: 1000, nodes: 50 },
          { pods: 5000, nodes: 50 },
        ],
    runs: quick ? 2 : 5,
    edits: quick ? 10 : 50,
    hovers: quick ? 20 : 40,
    files: quick ? 300 : 2000,
    yamlLs: true,
    yamlLsRuns: quick ? 1 : 2,
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const number = (min: number) => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < min) throw new Error(`${arg} needs an integer ≥ ${min}`);
      return n;
    };
    const name = arg.split('=')[0];
    if (name === '--quick') continue;
    else if (name === '--case' || name === '--cases') options.cases = parseCases(value());
    else if (name === '--sizes') options.sizes = value().split(',').filter(Boolean).map(parseSize);
    else if (name === '--runs') options.runs = number(1);
    else if (name === '--edits') options.edits = number(2);
    else if (name === '--hovers') options.hovers = number(1);
    else if (name === '--files') options.files = number(10);
    else if (name === '--no-yaml-ls') options.yamlLs = false;
    else if (name === '--yaml-ls-runs') options.yamlLsRuns = number(1);
    else if (name === '--keep') options.keep = true;
    else if (name === '--help' || name === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  options.edits -= options.edits % 2;
  return options;
}

// ---------------------------------------------------------------------------------------------------
// Statistics

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  max: number;
  min: number;
}

function packageVersion(folder: string): string {
  return (JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as { version: string }).version;
}

function quantile(sorted: number[], q: number): number {
  // Nearest rank: the smallest sample with at least q of the samples at or below it.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function stats(samples: number[]): Stats | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: median(sorted)!,
    p95: quantile(sorted, 0.95),
    max: sorted[sorted.length - 1],
    min: sorted[0],
  };
}

function median(samples: number[]): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (n: number | undefined, digits = 1) =>
  n === undefined ? undefined : Math.round(n * 10 ** digits) / 10 ** digits;

// ---------------------------------------------------------------------------------------------------
// The floor: `yaml` alone parsing the same text, in this process, in this run

/**
 * parseAllDocuments of the same texts: `reps` timed parses after one warm-up parse, then one more
 * before each server run (`sample()`), so that the floor sees the same load on the machine as the
 * runs do. `ms` is the median of all samples so far.
 */
class ParseFloor {
  readonly samples: number[] = [];
  readonly coldMs: number;

  constructor(
    private readonly texts: string[],
    reps: number,
  ) {
    this.coldMs = this.once();
    for (let i = 0; i < reps; i++) this.sample();
  }

  private once(): number {
    const start = performance.now();
    for (const text of this.texts) parseAllDocuments(text);
    return performance.now() - start;
  }

  sample(): void {
    this.samples.push(this.once());
  }

  get ms(): number {
    return median(this.samples)!;
  }
}

const parseFloor = (texts: string[], reps: number) => new ParseFloor(texts, reps);

function readAndParseFloor(files: string[], reps: number): number {
  const samples: number[] = [];
  for (let r = 0; r < reps + 1; r++) {
    const start = performance.now();
    for (const file of files) parseAllDocuments(fs.readFileSync(file, 'utf8'));
    samples.push(performance.now() - start);
  }
  return median(samples.slice(1))!;
}

// ---------------------------------------------------------------------------------------------------
// Servers

/** Runs `body` against a started server; whatever happens, records a failure and the peak RSS, and stops it. */
async function withServer<R extends { error?: string; peakRssMb?: number }>(
  server: LspServer,
  run: R,
  body: () => Promise<void>,
): Promise<R> {
  try {
    await body();
  } catch (error) {
    run.error = failureOf(error, server.stderr);
  } finally {
    run.peakRssMb = server.peakRssMb();
    await server.stop();
  }
  return run;
}

/**
 * The measured server starts with the Node options the extension gives it, and any extra ones for the
 * benchmark only, e.g. `PODNET_BENCH_NODE_ARGS=--cpu-prof` to profile it.
 */
const SERVER_NODE_ARGS = (process.env.PODNET_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

function startPodnet(): LspServer {
  return new LspServer({
    command: [process.execPath, ...SERVER_NODE_OPTIONS, ...SERVER_NODE_ARGS, PODNET_SERVER, '--stdio'],
    // Defaults for every section: what a fresh VS Code sends for `podnet`.
    configuration: () => ({}),
  });
}

const YAML_SETTINGS = {
  validate: true,
  hover: true,
  completion: true,
  format: { enable: false },
  schemas: {},
  // Offline: no JSON Schema Store catalog, no CRD store, no Kubernetes schema.
  schemaStore: { enable: false, url: '' },
  kubernetesCRDStore: { enable: false },
  disableSchemaDetection: ['**'],
  maxItemsComputed: 5000,
};

function startYamlLs(): LspServer {
  return new LspServer({
    command: [process.execPath, YAML_LS, '--stdio'],
    configuration: (section) => {
      if (section === 'yaml') return YAML_SETTINGS;
      if (section === 'http') return { proxy: '', proxyStrictSSL: false };
      if (section === '[yaml]') return { 'editor.tabSize': 2 };
      return {};
    },
  });
}

const hasCodeAt = (diagnostics: LspDiagnostic[], code: string, line: number) =>
  diagnostics.some((d) => d.code === code && d.range.start.line === line);
const countCode = (diagnostics: LspDiagnostic[], code: string) => diagnostics.filter((d) => d.code === code).length;
const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Why a run failed, with the end of the server's stderr when it said anything. */
const failureOf = (error: unknown, stderr: string) =>
  `${errorMessage(error)}${stderr ? `\n  server stderr: ${stderr.trim().slice(-500)}` : ''}`;

// ---------------------------------------------------------------------------------------------------
// The edit plan: pairs of edits that each change the diagnostics, verified by their content

type EditKind = 'nodeName' | 'network' | 'daemonSetName';

interface PlannedEdit {
  kind: EditKind;
  file: string;
  range: LspDiagnostic['range'];
  text: string;
  /** The file whose new diagnostics mark the edit as done, and what they must contain. */
  watchFile: string;
  expect: (diagnostics: LspDiagnostic[]) => boolean;
  what: string;
}

/** "10.244.0.0/16" → "10.245.0.0/16", where no Node's podCIDR is inside it any more, and back. */
function networkEdits(c: {
  flannelPath: string;
  nodesPath: string;
  nodes: number;
  networkAt: { line: number; character: number };
}): PlannedEdit[] {
  const at = { line: c.networkAt.line, character: c.networkAt.character + 5 };
  const range = { start: at, end: { line: at.line, character: at.character + 1 } };
  return [
    {
      kind: 'network',
      file: c.flannelPath,
      range,
      text: '5',
      watchFile: c.nodesPath,
      expect: (d) => countCode(d, 'podcidr-outside-network') >= c.nodes,
      what: `podcidr-outside-network on all ${c.nodes} Nodes after Network 10.245.0.0/16`,
    },
    {
      kind: 'network',
      file: c.flannelPath,
      range,
      text: '4',
      watchFile: c.nodesPath,
      expect: (d) => countCode(d, 'podcidr-outside-network') === 0,
      what: 'no podcidr-outside-network after Network back to 10.244.0.0/16',
    },
  ];
}

function editPlan(c: ClusterFiles, count: number): PlannedEdit[] {
  const pairs = count / 2;
  // In each group of five pairs, four typo a Pod's nodeName and one moves flannel's Network.
  const networkPairs = Math.max(1, Math.floor(pairs / 5));
  const nodeNamePairs = pairs - networkPairs;
  const baselineLines = c.baselineUnknown.map((i) => c.nodeNameAt[i].line);
  const baselineKept = (d: LspDiagnostic[]) => baselineLines.every((line) => hasCodeAt(d, 'nodename-unknown', line));
  const plan: PlannedEdit[] = [];
  let nodeNamePair = 0;
  for (let pair = 0; pair < pairs; pair++) {
    const isNetwork =
      (pair % 5 === 4 && plan.filter((e) => e.kind === 'network').length < networkPairs * 2) ||
      nodeNamePair >= nodeNamePairs;
    if (isNetwork) {
      plan.push(...networkEdits(c));
    } else {
      // Pods spread over the whole file, never the baseline one: "worker-07" → "vorker-07" and back.
      const pod = 1 + Math.floor((nodeNamePair * (c.pods - 1)) / nodeNamePairs);
      nodeNamePair++;
      const at = c.nodeNameAt[pod];
      const range = { start: at, end: { line: at.line, character: at.character + 1 } };
      plan.push({
        kind: 'nodeName',
        file: c.podsPath,
        range,
        text: 'v',
        watchFile: c.podsPath,
        expect: (d) => hasCodeAt(d, 'nodename-unknown', at.line) && baselineKept(d),
        what: `nodename-unknown on line ${at.line + 1} (Pod ${pod})`,
      });
      plan.push({
        kind: 'nodeName',
        file: c.podsPath,
        range,
        text: 'w',
        watchFile: c.podsPath,
        expect: (d) => !hasCodeAt(d, 'nodename-unknown', at.line) && baselineKept(d),
        what: `no nodename-unknown on line ${at.line + 1} (Pod ${pod}) after the fix`,
      });
    }
  }
  return plan;
}

// ---------------------------------------------------------------------------------------------------
// One Podnet run on a generated cluster

interface PodnetRun {
  initializeMs: number;
  indexMs?: number;
  openMs?: number;
  edits: Array<{ kind: EditKind; ms: number }>;
  hovers: Array<{ on: 'nodeName' | 'network'; ms: number; empty: boolean }>;
  topologyColdMs: number[];
  topologyWarmMs: number[];
  topologyBytes?: number;
  topologyCheck?: string;
  packetPathMs: number[];
  packetPathFailures: number;
  peakRssMb?: number;
  error?: string;
}

async function podnetRun(c: ClusterFiles, options: Options): Promise<PodnetRun> {
  // pods.yml is written only once the server is ready, so didOpen hands it a text it has never seen.
  fs.rmSync(c.podsPath, { force: true });
  const run: PodnetRun = {
    initializeMs: NaN,
    edits: [],
    hovers: [],
    topologyColdMs: [],
    topologyWarmMs: [],
    packetPathMs: [],
    packetPathFailures: 0,
  };
  const server = startPodnet();
  return withServer(server, run, async () => {
    const ready = server.expect(
      SERVER_STATUS_NOTIFICATION,
      (s) => s.state === 'ready' && s.files >= 2,
      'the server status ready',
    );
    const init = await server.initialize(c.dir);
    run.initializeMs = init.ms;
    server.initialized();
    run.indexMs = (await ready) - init.sentAt;
    await server.settle(300);
    fs.writeFileSync(c.podsPath, c.podsText);

    // didOpen of the N-Pod file → its first diagnostics (with the baseline warning in them).
    const baselineLines = c.baselineUnknown.map((i) => c.nodeNameAt[i].line);
    const podsUri = uriOf(c.podsPath);
    const opened = server.expectDiagnostics(
      podsUri,
      (d) => baselineLines.every((line) => hasCodeAt(d, 'nodename-unknown', line)),
      'first diagnostics of pods.yml',
    );
    const openSent = server.open(c.podsPath, c.podsText);
    run.openMs = (await opened) - openSent;

    server.open(c.flannelPath, c.flannelText);
    server.open(c.nodesPath, c.nodesText);
    await server.settle(400);

    // Incremental edits, one at a time: each waits for the diagnostics that show it.
    for (const edit of editPlan(c, options.edits)) {
      const done = server.expectDiagnostics(uriOf(edit.watchFile), edit.expect, edit.what, 60_000);
      const sent = server.change(edit.file, edit.range, edit.text);
      run.edits.push({ kind: edit.kind, ms: (await done) - sent });
    }
    await server.settle(300);

    // Hovers on nodeName values across the file, and on the Network value.
    for (let i = 0; i < options.hovers; i++) {
      const onNetwork = i % 4 === 3;
      const target = onNetwork
        ? { file: c.flannelPath, position: { line: c.networkAt.line, character: c.networkAt.character + 3 } }
        : (() => {
            const at = c.nodeNameAt[Math.floor((i * 7919) % c.pods)];
            return { file: c.podsPath, position: { line: at.line, character: at.character + 3 } };
          })();
      const { ms, result } = await server.timedRequest<{ contents?: { value?: string } } | null>('textDocument/hover', {
        textDocument: { uri: uriOf(target.file) },
        position: target.position,
      });
      run.hovers.push({ on: onNetwork ? 'network' : 'nodeName', ms, empty: !result?.contents?.value });
    }

    // Topology: the first request after a change builds it; repeats may be cached.
    const topology = async () => server.timedRequest(TOPOLOGY_REQUEST, { uri: podsUri });
    const first = await topology();
    run.topologyColdMs.push(first.ms);
    run.topologyBytes = JSON.stringify(first.result).length;
    const wire = first.result?.clusters?.[first.result.focus];
    const view = wire && topologyFromWire(wire);
    const placed = (view?.nodes ?? []).reduce((sum, n) => sum + n.pods.length, 0);
    run.topologyCheck = `${view?.nodes?.length ?? 0} nodes, ${placed} Pods placed`;
    for (let i = 0; i < 5; i++) run.topologyWarmMs.push((await topology()).ms);
    // Two more cold samples: a change (nodeName typo and its fix) before each.
    for (const edit of editPlan(c, 4)
      .filter((e) => e.kind === 'nodeName')
      .slice(0, 2)) {
      const done = server.expectDiagnostics(uriOf(edit.watchFile), edit.expect, edit.what, 60_000);
      server.change(edit.file, edit.range, edit.text);
      await done;
      run.topologyColdMs.push((await topology()).ms);
    }

    // Packet paths between Pods on different nodes.
    const clusterId: string | undefined = view?.cluster?.id;
    for (let i = 0; i < 10 && clusterId; i++) {
      const a = 1 + ((i * 37) % (c.pods - 2));
      let b = a + 1;
      while (b < c.pods && c.podNode[b] === c.podNode[a]) b++;
      if (b >= c.pods) continue;
      const from = `${podNamespace(c, a)}/${c.podNames[a]}`;
      const to = `${podNamespace(c, b)}/${c.podNames[b]}`;
      const { ms, result } = await server.timedRequest(PACKET_PATH_REQUEST, { clusterId, from, to });
      run.packetPathMs.push(ms);
      if (!result?.ok) run.packetPathFailures++;
    }
  });
}

function podNamespace(c: ClusterFiles, i: number): string {
  return /namespace: (\S+)/.exec(c.podsText.slice(c.podsText.indexOf(`name: ${c.podNames[i]}`)))![1];
}

// ---------------------------------------------------------------------------------------------------
// One yaml-language-server run on the same files: open and edits, whatever it publishes

interface YamlLsRun {
  initializeMs: number;
  openMs?: number;
  edits: Array<{ kind: EditKind; ms: number }>;
  peakRssMb?: number;
  error?: string;
}

async function yamlLsRun(c: ClusterFiles, options: Options): Promise<YamlLsRun> {
  const run: YamlLsRun = { initializeMs: NaN, edits: [] };
  const server = startYamlLs();
  return withServer(server, run, async () => {
    const init = await server.initialize(c.dir);
    run.initializeMs = init.ms;
    server.initialized();
    // Let it pull its configuration (schema store off) before any document arrives.
    const start = performance.now();
    while (!server.configurationSections.includes('yaml') && performance.now() - start < 5000) await sleep(10);
    await server.settle(300);

    const opened = server.expectDiagnostics(
      uriOf(c.podsPath),
      () => true,
      'yaml-language-server diagnostics of pods.yml',
    );
    const openSent = server.open(c.podsPath, c.podsText);
    run.openMs = (await opened) - openSent;
    server.open(c.flannelPath, c.flannelText);
    await server.settle(400);

    // The same edits. It knows nothing of nodes or Networks: its next publish for the file is the answer.
    for (const edit of editPlan(c, options.edits)) {
      const done = server.expectDiagnostics(
        uriOf(edit.file),
        () => true,
        `yaml-language-server diagnostics after an edit of ${path.basename(edit.file)}`,
        60_000,
      );
      const sent = server.change(edit.file, edit.range, edit.text);
      run.edits.push({ kind: edit.kind, ms: (await done) - sent });
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// The workload-heavy case: 5,000 pods that only controllers create (issue 13)

/**
 * Pairs of edits as in editPlan: four in five typo a DaemonSet's name (`kube-proxy` → `Kube-proxy`,
 * name-invalid; its pods are renamed on every node) and fix it, one in five moves flannel's Network.
 * Every edit rebuilds the cluster, so every one predicts and places all the pods again.
 */
function workloadEditPlan(w: WorkloadClusterFiles, count: number): PlannedEdit[] {
  const pairs = count / 2;
  const lines = w.workloadsText.split('\n');
  const baselineKept = (d: LspDiagnostic[]) => hasCodeAt(d, 'nodename-unknown', w.baselineLine);
  const plan: PlannedEdit[] = [];
  for (let pair = 0; pair < pairs; pair++) {
    if (pair % 5 === 4) {
      plan.push(...networkEdits(w));
      continue;
    }
    const at = w.daemonSetNameAt[pair % w.daemonSetNameAt.length];
    const first = lines[at.line][at.character];
    const range = { start: at, end: { line: at.line, character: at.character + 1 } };
    const name = lines[at.line].slice(at.character);
    plan.push({
      kind: 'daemonSetName',
      file: w.workloadsPath,
      range,
      text: first.toUpperCase(),
      watchFile: w.workloadsPath,
      expect: (d) => hasCodeAt(d, 'name-invalid', at.line) && baselineKept(d),
      what: `name-invalid on line ${at.line + 1} (DaemonSet ${name} capitalised)`,
    });
    plan.push({
      kind: 'daemonSetName',
      file: w.workloadsPath,
      range,
      text: first,
      watchFile: w.workloadsPath,
      expect: (d) => !hasCodeAt(d, 'name-invalid', at.line) && baselineKept(d),
      what: `no name-invalid on line ${at.line + 1} (DaemonSet ${name}) after the fix`,
    });
  }
  return plan;
}

interface WorkloadsRun {
  initializeMs: number;
  indexMs?: number;
  openMs?: number;
  edits: Array<{ kind: EditKind; ms: number }>;
  topologyColdMs: number[];
  topologyWarmMs: number[];
  topologyBytes?: number;
  placedPods?: number;
  unplacedPods?: number;
  packetPathMs: number[];
  packetPathFailures: number;
  peakRssMb?: number;
  error?: string;
}

/** The case holds only if the topology shows at least this many pods on nodes. */
const WORKLOAD_MIN_PODS = 5000;

async function workloadsRun(w: WorkloadClusterFiles, options: Options): Promise<WorkloadsRun> {
  // As for the sizes: workloads.yml is written once the server is ready, so didOpen brings new text.
  fs.rmSync(w.workloadsPath, { force: true });
  const run: WorkloadsRun = {
    initializeMs: NaN,
    edits: [],
    topologyColdMs: [],
    topologyWarmMs: [],
    packetPathMs: [],
    packetPathFailures: 0,
  };
  const server = startPodnet();
  return withServer(server, run, async () => {
    const ready = server.expect(
      SERVER_STATUS_NOTIFICATION,
      (s) => s.state === 'ready' && s.files >= 2,
      'the server status ready',
    );
    const init = await server.initialize(w.dir);
    run.initializeMs = init.ms;
    server.initialized();
    run.indexMs = (await ready) - init.sentAt;
    await server.settle(300);
    fs.writeFileSync(w.workloadsPath, w.workloadsText);

    const workloadsUri = uriOf(w.workloadsPath);
    const opened = server.expectDiagnostics(
      workloadsUri,
      (d) => hasCodeAt(d, 'nodename-unknown', w.baselineLine),
      'first diagnostics of workloads.yml',
    );
    const openSent = server.open(w.workloadsPath, w.workloadsText);
    run.openMs = (await opened) - openSent;
    server.open(w.flannelPath, w.flannelText);
    server.open(w.nodesPath, w.nodesText);
    await server.settle(400);

    const edit = async (planned: PlannedEdit) => {
      const done = server.expectDiagnostics(uriOf(planned.watchFile), planned.expect, planned.what, 60_000);
      const sent = server.change(planned.file, planned.range, planned.text);
      return (await done) - sent;
    };
    for (const planned of workloadEditPlan(w, options.edits))
      run.edits.push({ kind: planned.kind, ms: await edit(planned) });
    await server.settle(300);

    const topology = async () => server.timedRequest(TOPOLOGY_REQUEST, { uri: workloadsUri });
    const first = await topology();
    run.topologyColdMs.push(first.ms);
    run.topologyBytes = JSON.stringify(first.result).length;
    const wire = first.result?.clusters?.[first.result.focus];
    const view = wire && topologyFromWire(wire);
    const pods = (view?.nodes ?? []).flatMap((n) => n.pods);
    run.placedPods = pods.length;
    run.unplacedPods = view?.unplaced.length ?? 0;
    if (pods.length < WORKLOAD_MIN_PODS)
      throw new Error(`the topology shows ${pods.length} pods on nodes, not the ${w.pods} the controllers run`);
    for (let i = 0; i < 5; i++) run.topologyWarmMs.push((await topology()).ms);
    // Two more cold samples, each after a DaemonSet name typo and its fix.
    for (const planned of workloadEditPlan(w, 2)) {
      await edit(planned);
      run.topologyColdMs.push((await topology()).ms);
    }

    // Packet paths between predicted pods on the pod network, on different nodes, by their short names.
    const bridged = pods.filter((p) => !p.hostNetwork);
    const clusterId: string | undefined = view?.cluster?.id;
    for (let i = 0; i < 10 && clusterId && bridged.length > 1; i++) {
      const a = bridged[(i * 397) % bridged.length];
      const b = bridged.find((p, k) => k > (i * 397) % bridged.length && p.node !== a.node) ?? bridged[0];
      if (b.node === a.node) continue;
      const { ms, result } = await server.timedRequest(PACKET_PATH_REQUEST, {
        clusterId,
        from: `${a.namespace}/${a.name}`,
        to: `${b.namespace}/${b.name}`,
      });
      run.packetPathMs.push(ms);
      if (!result?.ok) run.packetPathFailures++;
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// Workspace indexing, and a file opened while it runs

interface IndexRun {
  initializeMs: number;
  /** `initialized` sent (the server starts to index) → ready. */
  indexMs?: number;
  /** `initialize` sent → ready: the same plus the server's start-up. */
  initializeToReadyMs?: number;
  /** spawn → diagnostics of a small file opened right after `initialized`. */
  coldFirstDiagnosticsMs?: number;
  /** didOpen → diagnostics of that file, sent while indexing runs. */
  openDuringIndexMs?: number;
  openedWhileIndexing?: boolean;
  /** didOpen → diagnostics of a similar small file once the server is ready. */
  openIdleMs?: number;
  peakRssMb?: number;
  error?: string;
}

async function indexRun(w: WorkspaceFiles): Promise<IndexRun> {
  const run: IndexRun = { initializeMs: NaN };
  const server = startPodnet();
  return withServer(server, run, async () => {
    let readyAt = 0;
    const ready = server
      .expect(
        SERVER_STATUS_NOTIFICATION,
        (s) => s.state === 'ready' && s.files >= w.files.length,
        `the server status ready with ${w.files.length} files`,
        300_000,
      )
      .then((at) => (readyAt = at));
    const init = await server.initialize(w.dir);
    run.initializeMs = init.ms;
    // As VS Code does: `initialized`, then at once the editors that are open.
    const [during, idle] = w.probes;
    const duringDone = server.expectDiagnostics(
      uriOf(during),
      (d) => d.some((x) => x.code === 'name-invalid'),
      'name-invalid in the file opened while indexing',
      300_000,
    );
    const initializedAt = performance.now();
    server.initialized();
    const openSent = server.open(during, fs.readFileSync(during, 'utf8'));
    const duringAt = await duringDone;
    run.openDuringIndexMs = duringAt - openSent;
    run.coldFirstDiagnosticsMs = duringAt - server.spawnedAt;
    await ready;
    run.openedWhileIndexing = readyAt === 0 || openSent < readyAt;
    run.indexMs = readyAt - initializedAt;
    run.initializeToReadyMs = readyAt - init.sentAt;
    await server.settle(300);

    const idleDone = server.expectDiagnostics(
      uriOf(idle),
      (d) => d.some((x) => x.code === 'name-invalid'),
      'name-invalid in the file opened when idle',
    );
    const idleSent = server.open(idle, fs.readFileSync(idle, 'utf8'));
    run.openIdleMs = (await idleDone) - idleSent;
  });
}

// ---------------------------------------------------------------------------------------------------
// Report

interface Row {
  metric: string;
  value?: number;
  unit: 'ms' | 'MB';
  floor?: number;
  yamlLs?: number;
  target?: string;
  met?: boolean;
  note?: string;
}

interface Target {
  id: string;
  description: string;
  value?: number;
  limit: number;
  unit: string;
  met?: boolean;
}

const fmt = (n: number | undefined, unit = 'ms') => {
  if (n === undefined || Number.isNaN(n)) return '—';
  if (unit === 'MB') return `${n.toFixed(0)} MB`;
  if (unit === '×') return `${n.toFixed(2)}×`;
  return n >= 100 ? `${n.toFixed(0)} ms` : Math.abs(n) < 1 ? `${n.toFixed(2)} ms` : `${n.toFixed(1)} ms`;
};

function table(rows: Row[]): string {
  const header = ['metric', 'podnet', 'floor (yaml)', 'ratio', 'yaml-ls', 'target', ''];
  const body = rows.map((r) =>
    [
      r.metric,
      fmt(r.value, r.unit),
      r.floor === undefined ? '' : fmt(r.floor),
      r.floor === undefined || r.value === undefined || r.unit !== 'ms' ? '' : fmt(r.value / r.floor, '×'),
      r.yamlLs === undefined ? '' : fmt(r.yamlLs),
      r.target ?? '',
      r.met === undefined ? (r.target ? 'not measured' : '') : r.met ? 'met' : 'MISSED',
    ].concat(r.note ? [r.note] : []),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : i < header.length ? cell.padStart(widths[i]) : cell))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!fs.existsSync(PODNET_SERVER)) throw new Error(`${PODNET_SERVER} is missing: run \`npm run build\` first`);
  const yamlLsInstalled = fs.existsSync(YAML_LS);
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
    yamlVersion: packageVersion(path.join(ROOT, 'node_modules', 'yaml')),
    yamlLanguageServer: yamlLsInstalled
      ? packageVersion(path.join(ROOT, 'node_modules', 'yaml-language-server'))
      : undefined,
  };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-bench-'));
  // Also on Ctrl-C (lsp.ts exits the process on SIGINT/SIGTERM after killing the servers).
  if (!options.keep) process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
  const startedAt = new Date();
  const out: string[] = [];
  const print = (text = '') => {
    out.push(text);
    console.log(text);
  };
  const progress = (text: string) => process.stderr.write(`  … ${text}\n`);

  print(
    `Podnet language-server benchmark${options.quick ? ' (--quick: smoke run, numbers are indicative)' : ''} ` +
      `— ${startedAt.toISOString()}`,
  );
  print(
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB; ` +
      `Node ${machine.node}; ${machine.os}; load average ${machine.loadAverageAtStart.join(' ')}`,
  );
  print(
    `Server: dist/server.js; floor: yaml ${machine.yamlVersion} parseAllDocuments in the benchmark process; ` +
      `yaml-language-server: ${machine.yamlLanguageServer ?? 'not installed'}`,
  );
  print(
    `Cases: ${options.cases.join(', ')}. Runs: ${options.runs} Podnet starts per size, for the workloads and ` +
      `for the workspace, ${options.yamlLsRuns} of yaml-language-server per size; ${options.edits} edits ` +
      `and ${options.hovers} hovers per run (no hovers on the workloads).`,
  );
  print(
    "Times are from the client's side, send → arrival, and include any debounce in the server. Floor: the " +
      'same text parsed by yaml alone (median, warm).',
  );
  if (!options.yamlLs) print('yaml-language-server: skipped (--no-yaml-ls).');
  else if (!yamlLsInstalled) print('yaml-language-server: not installed (npm install), so its column is empty.');
  print();

  const targets: Target[] = [];
  const target = (t: Omit<Target, 'met'>): Target => {
    const full = { ...t, met: t.value === undefined || Number.isNaN(t.value) ? undefined : t.value <= t.limit };
    targets.push(full);
    return full;
  };
  /** What results.json records; sizes and workspace are filled as each part of the run ends. */
  const results: {
    date: string;
    machine: typeof machine;
    options: typeof options;
    sizes: Record<string, unknown>[];
    workloads?: Record<string, unknown>;
    workspace?: Record<string, unknown>;
    targets: typeof targets;
    durationS?: number | undefined;
    loadAverageAtEnd?: (number | undefined)[];
    table?: string;
  } = {
    date: startedAt.toISOString(),
    machine,
    options,
    sizes: [],
    workloads: undefined,
    workspace: undefined,
    targets,
  };
  let failures = 0;

  try {
    for (const size of options.cases.includes('sizes') ? options.sizes : []) {
      const c = generateCluster(path.join(tmp, `pods-${size.pods}-nodes-${size.nodes}`), size.pods, size.nodes);
      const lines = c.podsText.split('\n').length - 1;
      progress(`${size.pods} Pods over ${size.nodes} nodes: floors`);
      const podsFloor = parseFloor([c.podsText], 5);
      const flannelFloor = parseFloor([c.flannelText], 20);
      const nodesFloor = parseFloor([c.nodesText], 20);

      const runs: PodnetRun[] = [];
      for (let r = 0; r < options.runs; r++) {
        progress(`${size.pods} Pods: podnet run ${r + 1}/${options.runs}`);
        for (const floor of [podsFloor, flannelFloor, nodesFloor]) floor.sample();
        runs.push(await podnetRun(c, options));
      }
      const yamlRuns: YamlLsRun[] = [];
      if (options.yamlLs && yamlLsInstalled) {
        for (let r = 0; r < options.yamlLsRuns; r++) {
          progress(`${size.pods} Pods: yaml-language-server run ${r + 1}/${options.yamlLsRuns}`);
          podsFloor.sample();
          yamlRuns.push(await yamlLsRun(c, options));
        }
      }
      const ok = runs.filter((r) => !r.error);
      const all = (pick: (r: PodnetRun) => number | undefined) =>
        runs.map(pick).filter((v): v is number => v !== undefined && !Number.isNaN(v));
      const open = median(all((r) => r.openMs));
      const editStats = stats(runs.flatMap((r) => r.edits.map((e) => e.ms)));
      const nodeEditStats = stats(runs.flatMap((r) => r.edits.filter((e) => e.kind === 'nodeName').map((e) => e.ms)));
      const networkEditStats = stats(runs.flatMap((r) => r.edits.filter((e) => e.kind === 'network').map((e) => e.ms)));
      const hoverStats = stats(runs.flatMap((r) => r.hovers.map((h) => h.ms)));
      const hoverNodeStats = stats(runs.flatMap((r) => r.hovers.filter((h) => h.on === 'nodeName').map((h) => h.ms)));
      const hoverNetworkStats = stats(runs.flatMap((r) => r.hovers.filter((h) => h.on === 'network').map((h) => h.ms)));
      const emptyHovers = runs.reduce((sum, r) => sum + r.hovers.filter((h) => h.empty).length, 0);
      const topologyCold = median(runs.flatMap((r) => r.topologyColdMs));
      const topologyWarm = median(runs.flatMap((r) => r.topologyWarmMs));
      const pathStats = stats(runs.flatMap((r) => r.packetPathMs));
      const pathFailures = runs.reduce((sum, r) => sum + r.packetPathFailures, 0);
      const rss = Math.max(...all((r) => r.peakRssMb), 0) || undefined;
      const yOpen = median(yamlRuns.map((r) => r.openMs).filter((v): v is number => v !== undefined));
      const yEdits = stats(yamlRuns.flatMap((r) => r.edits.map((e) => e.ms)));
      const yRss = Math.max(...yamlRuns.map((r) => r.peakRssMb ?? 0), 0) || undefined;

      const label = `${size.pods} Pods × ${size.nodes} nodes`;
      const editLimit = size.pods <= 1000 ? 20 : 50;
      const rows: Row[] = [];
      rows.push({
        metric: 'initialize (request → response)',
        value: median(all((r) => r.initializeMs)),
        unit: 'ms',
        yamlLs: median(yamlRuns.map((r) => r.initializeMs).filter((v) => !Number.isNaN(v))),
      });
      rows.push({ metric: 'initialize → ready (flannel + Nodes)', value: median(all((r) => r.indexMs)), unit: 'ms' });
      const tOpen = target({
        id: `open-${size.pods}x${size.nodes}`,
        description: `${label}: open → diagnostics ≤ 1.5 × parse floor`,
        value: open === undefined ? undefined : open / podsFloor.ms,
        limit: 1.5,
        unit: '× floor',
      });
      rows.push({
        metric: 'open → first diagnostics (median)',
        value: open,
        unit: 'ms',
        floor: podsFloor.ms,
        yamlLs: yOpen,
        target: '≤ 1.5× floor',
        met: tOpen.met,
      });
      const tEdit = target({
        id: `edit-p95-${size.pods}x${size.nodes}`,
        description: `${label}: edit → diagnostics p95 ≤ ${editLimit} ms`,
        value: editStats?.p95,
        limit: editLimit,
        unit: 'ms',
      });
      rows.push({
        metric: `edit → diagnostics p50 (${editStats?.n ?? 0} edits)`,
        value: editStats?.p50,
        unit: 'ms',
        floor: podsFloor.ms,
        yamlLs: yEdits?.p50,
      });
      rows.push({
        metric: 'edit → diagnostics p95',
        value: editStats?.p95,
        unit: 'ms',
        floor: podsFloor.ms,
        yamlLs: yEdits?.p95,
        target: `p95 ≤ ${editLimit} ms`,
        met: tEdit.met,
      });
      rows.push({
        metric: 'edit → diagnostics max',
        value: editStats?.max,
        unit: 'ms',
        floor: podsFloor.ms,
        yamlLs: yEdits?.max,
      });
      rows.push({
        metric: '  nodeName typo/fix p50 / p95',
        value: nodeEditStats?.p50,
        unit: 'ms',
        floor: podsFloor.ms,
        note: `p95 ${fmt(nodeEditStats?.p95)}`,
      });
      rows.push({
        metric: '  Network change p50 / p95',
        value: networkEditStats?.p50,
        unit: 'ms',
        floor: flannelFloor.ms,
        note: `p95 ${fmt(networkEditStats?.p95)}`,
      });
      const tHover = target({
        id: `hover-p95-${size.pods}x${size.nodes}`,
        description: `${label}: hover p95 ≤ 10 ms`,
        value: hoverStats?.p95,
        limit: 10,
        unit: 'ms',
      });
      rows.push({
        metric: `hover p50 (${hoverStats?.n ?? 0} hovers)`,
        value: hoverStats?.p50,
        unit: 'ms',
        floor: podsFloor.ms,
      });
      rows.push({
        metric: 'hover p95',
        value: hoverStats?.p95,
        unit: 'ms',
        floor: podsFloor.ms,
        target: 'p95 ≤ 10 ms',
        met: tHover.met,
        note: emptyHovers ? `${emptyHovers} hovers were empty` : undefined,
      });
      rows.push({
        metric: '  on nodeName p95 / on Network p95',
        value: hoverNodeStats?.p95,
        unit: 'ms',
        note: `Network ${fmt(hoverNetworkStats?.p95)}`,
      });
      const is50x1000 = size.nodes === 50 && size.pods === 1000;
      const tTopo = is50x1000
        ? target({
            id: 'topology-50x1000',
            description: 'topology of 50 nodes × 1,000 Pods ≤ 100 ms',
            value: topologyCold,
            limit: 100,
            unit: 'ms',
          })
        : undefined;
      rows.push({
        metric: 'topology, first after a change (median)',
        value: topologyCold,
        unit: 'ms',
        floor: podsFloor.ms,
        target: is50x1000 ? '≤ 100 ms' : undefined,
        met: tTopo?.met,
        note: `${ok[0]?.topologyCheck ?? ''}; ${((ok[0]?.topologyBytes ?? 0) / 1024).toFixed(0)} KB JSON`,
      });
      rows.push({ metric: 'topology, repeated (median)', value: topologyWarm, unit: 'ms', floor: podsFloor.ms });
      rows.push({
        metric: `packet path p50 (${pathStats?.n ?? 0} requests)`,
        value: pathStats?.p50,
        unit: 'ms',
        floor: podsFloor.ms,
        note: `p95 ${fmt(pathStats?.p95)}${pathFailures ? `; ${pathFailures} not ok` : ''}`,
      });
      const tRss =
        size.pods >= 5000
          ? target({
              id: `rss-${size.pods}x${size.nodes}`,
              description: `${label}: peak RSS ≤ 250 MB`,
              value: rss,
              limit: 250,
              unit: 'MB',
            })
          : undefined;
      rows.push({
        metric: 'peak RSS of the server',
        value: rss,
        unit: 'MB',
        target: size.pods >= 5000 ? '≤ 250 MB' : undefined,
        met: tRss?.met,
        note: yRss ? `yaml-ls ${fmt(yRss, 'MB')}` : undefined,
      });

      print(
        `## ${label}: pods.yml ${lines.toLocaleString('en-US')} ` +
          `lines, ${(Buffer.byteLength(c.podsText) / 1024).toFixed(0)} KB (floor: pods.yml ` +
          `parse ${fmt(podsFloor.ms)}, first parse ${fmt(podsFloor.coldMs)}; ` +
          `kube-flannel.yml ${fmt(flannelFloor.ms)})`,
      );
      print(table(rows));
      for (const [i, r] of runs.entries()) if (r.error) print(`  podnet run ${i + 1} failed: ${r.error}`);
      for (const [i, r] of yamlRuns.entries())
        if (r.error) print(`  yaml-language-server run ${i + 1} failed: ${r.error}`);
      failures += runs.filter((r) => r.error).length;
      print();
      results.sizes.push({
        pods: size.pods,
        nodes: size.nodes,
        lines,
        bytes: Buffer.byteLength(c.podsText),
        floors: {
          podsMs: podsFloor.ms,
          podsFirstParseMs: podsFloor.coldMs,
          flannelMs: flannelFloor.ms,
          nodesMs: nodesFloor.ms,
          podsSamples: podsFloor.samples,
        },
        podnet: {
          initializeMs: median(all((r) => r.initializeMs)),
          readyMs: median(all((r) => r.indexMs)),
          openMs: open,
          openRatio: open === undefined ? undefined : open / podsFloor.ms,
          edits: editStats,
          nodeNameEdits: nodeEditStats,
          networkEdits: networkEditStats,
          hovers: hoverStats,
          nodeNameHovers: hoverNodeStats,
          networkHovers: hoverNetworkStats,
          emptyHovers,
          topologyFirstMs: topologyCold,
          topologyRepeatMs: topologyWarm,
          packetPath: pathStats,
          packetPathFailures: pathFailures,
          peakRssMb: rss,
          runs,
        },
        yamlLanguageServer: yamlRuns.length
          ? { openMs: yOpen, edits: yEdits, peakRssMb: yRss, runs: yamlRuns }
          : undefined,
      });
    }

    // Controllers' pods: 5,000 of them, from DaemonSets and Deployments on 50 nodes.
    if (options.cases.includes('workloads')) {
      progress('workloads: generating and floors');
      const w = generateWorkloadCluster(path.join(tmp, 'workloads'), WORKLOAD_MIN_PODS);
      const workloadsFloor = parseFloor([w.workloadsText], 20);
      const runs: WorkloadsRun[] = [];
      for (let r = 0; r < options.runs; r++) {
        progress(`workloads: podnet run ${r + 1}/${options.runs}`);
        workloadsFloor.sample();
        runs.push(await workloadsRun(w, options));
      }
      const all = (pick: (r: WorkloadsRun) => number | undefined) =>
        runs.map(pick).filter((v): v is number => v !== undefined && !Number.isNaN(v));
      const editsOf = (kind?: EditKind) =>
        stats(runs.flatMap((r) => r.edits.filter((e) => !kind || e.kind === kind).map((e) => e.ms)));
      const editStats = editsOf();
      const nameEditStats = editsOf('daemonSetName');
      const networkEditStats = editsOf('network');
      const topologyCold = median(runs.flatMap((r) => r.topologyColdMs));
      const pathStats = stats(runs.flatMap((r) => r.packetPathMs));
      const pathFailures = runs.reduce((sum, r) => sum + r.packetPathFailures, 0);
      const rss = Math.max(...all((r) => r.peakRssMb), 0) || undefined;
      const ok = runs.find((r) => !r.error && r.placedPods !== undefined);
      const label =
        `${w.pods.toLocaleString('en-US')} pods of ${w.daemonSets} DaemonSets and ${w.deployments} ` +
        `Deployments × ${w.nodes} nodes`;
      const tEdit = target({
        id: 'workloads-edit-p95',
        description: `${label}: edit → diagnostics p95 ≤ 50 ms`,
        value: editStats?.p95,
        limit: 50,
        unit: 'ms',
      });
      const tTopo = target({
        id: 'workloads-topology',
        description: `${label}: topology ≤ 250 ms`,
        value: topologyCold,
        limit: 250,
        unit: 'ms',
      });
      const rows: Row[] = [
        { metric: 'initialize → ready (flannel + Nodes)', value: median(all((r) => r.indexMs)), unit: 'ms' },
        {
          metric: 'open → first diagnostics (median)',
          value: median(all((r) => r.openMs)),
          unit: 'ms',
          floor: workloadsFloor.ms,
        },
        {
          metric: `edit → diagnostics p50 (${editStats?.n ?? 0} edits)`,
          value: editStats?.p50,
          unit: 'ms',
          floor: workloadsFloor.ms,
        },
        {
          metric: 'edit → diagnostics p95',
          value: editStats?.p95,
          unit: 'ms',
          floor: workloadsFloor.ms,
          target: 'p95 ≤ 50 ms',
          met: tEdit.met,
        },
        { metric: 'edit → diagnostics max', value: editStats?.max, unit: 'ms', floor: workloadsFloor.ms },
        {
          metric: '  DaemonSet name typo/fix p50 / p95',
          value: nameEditStats?.p50,
          unit: 'ms',
          note: `p95 ${fmt(nameEditStats?.p95)}`,
        },
        {
          metric: '  Network change p50 / p95',
          value: networkEditStats?.p50,
          unit: 'ms',
          note: `p95 ${fmt(networkEditStats?.p95)}`,
        },
        {
          metric: 'topology, first after a change (median)',
          value: topologyCold,
          unit: 'ms',
          target: '≤ 250 ms',
          met: tTopo.met,
          note: ok
            ? `${ok.placedPods} pods on nodes, ${ok.unplacedPods} unplaced; ` +
              `${((ok.topologyBytes ?? 0) / 1024).toFixed(0)} KB JSON`
            : undefined,
        },
        { metric: 'topology, repeated (median)', value: median(runs.flatMap((r) => r.topologyWarmMs)), unit: 'ms' },
        {
          metric: `packet path p50 (${pathStats?.n ?? 0} requests)`,
          value: pathStats?.p50,
          unit: 'ms',
          note: `p95 ${fmt(pathStats?.p95)}${pathFailures ? `; ${pathFailures} not ok` : ''}`,
        },
        { metric: 'peak RSS of the server', value: rss, unit: 'MB' },
      ];
      print(
        `## Workloads: ${label}; workloads.yml ${w.workloadsText.split('\n').length - 1} lines ` +
          `(floor: parse ${fmt(workloadsFloor.ms)})`,
      );
      print(table(rows));
      for (const [i, r] of runs.entries()) if (r.error) print(`  workloads run ${i + 1} failed: ${r.error}`);
      failures += runs.filter((r) => r.error).length;
      print();
      results.workloads = {
        nodes: w.nodes,
        pods: w.pods,
        daemonSets: w.daemonSets,
        deployments: w.deployments,
        floors: { workloadsMs: workloadsFloor.ms, workloadsSamples: workloadsFloor.samples },
        podnet: {
          readyMs: median(all((r) => r.indexMs)),
          openMs: median(all((r) => r.openMs)),
          edits: editStats,
          daemonSetNameEdits: nameEditStats,
          networkEdits: networkEditStats,
          topologyFirstMs: topologyCold,
          topologyRepeatMs: median(runs.flatMap((r) => r.topologyWarmMs)),
          packetPath: pathStats,
          packetPathFailures: pathFailures,
          peakRssMb: rss,
          runs,
        },
      };
    }

    // Workspace indexing.
    if (options.cases.includes('workspace')) {
      progress(`workspace of ${options.files} files: generating and floors`);
      const w = generateWorkspace(path.join(tmp, `workspace-${options.files}`), options.files);
      const texts = w.files.map((f) => fs.readFileSync(f, 'utf8'));
      const wsFloor = parseFloor(texts, 3);
      const wsReadFloor = readAndParseFloor(w.files, 3);
      const probeFloor = parseFloor([fs.readFileSync(w.probes[0], 'utf8')], 20);
      const indexRuns: IndexRun[] = [];
      for (let r = 0; r < options.runs; r++) {
        progress(`workspace: podnet run ${r + 1}/${options.runs}`);
        wsFloor.sample();
        indexRuns.push(await indexRun(w));
      }
      const pick = (f: (r: IndexRun) => number | undefined) =>
        indexRuns.map(f).filter((v): v is number => v !== undefined && !Number.isNaN(v));
      const indexMs = median(pick((r) => r.indexMs));
      const during = median(pick((r) => r.openDuringIndexMs));
      const idle = median(pick((r) => r.openIdleMs));
      const cold = median(pick((r) => r.coldFirstDiagnosticsMs));
      const delay = during === undefined || idle === undefined ? undefined : during - idle;
      const whileIndexing = indexRuns.filter((r) => r.openedWhileIndexing).length;
      const wsRss = Math.max(...pick((r) => r.peakRssMb), 0) || undefined;
      const tIndex = target({
        id: `index-${options.files}`,
        description: `${options.files} files indexed ≤ 1.5 × parse floor`,
        value: indexMs === undefined ? undefined : indexMs / wsFloor.ms,
        limit: 1.5,
        unit: '× floor',
      });
      const tDelay = target({
        id: 'open-while-indexing-delay',
        description: 'a file opened while indexing: diagnostics delayed ≤ 50 ms',
        value: delay,
        limit: 50,
        unit: 'ms',
      });
      const tCold = target({
        id: 'first-diagnostics-small-file',
        description: 'first diagnostics of a small file (from server start) ≤ 1 s',
        value: cold,
        limit: 1000,
        unit: 'ms',
      });
      const wsRows: Row[] = [
        { metric: 'initialize (request → response)', value: median(pick((r) => r.initializeMs)), unit: 'ms' },
        {
          metric: 'indexing: initialized → ready',
          value: indexMs,
          unit: 'ms',
          floor: wsFloor.ms,
          target: '≤ 1.5× floor',
          met: tIndex.met,
          note: `read + parse floor ${fmt(wsReadFloor)}`,
        },
        {
          metric: 'initialize → ready (start-up + indexing)',
          value: median(pick((r) => r.initializeToReadyMs)),
          unit: 'ms',
          floor: wsFloor.ms,
        },
        {
          metric: 'open while indexing → diagnostics',
          value: during,
          unit: 'ms',
          floor: probeFloor.ms,
          note: `opened before ready in ${whileIndexing}/${indexRuns.length} runs`,
        },
        { metric: 'open when idle → diagnostics', value: idle, unit: 'ms', floor: probeFloor.ms },
        { metric: 'delay caused by indexing', value: delay, unit: 'ms', target: '≤ 50 ms', met: tDelay.met },
        {
          metric: 'server start → small file diagnostics',
          value: cold,
          unit: 'ms',
          target: '≤ 1000 ms',
          met: tCold.met,
        },
        { metric: 'peak RSS of the server', value: wsRss, unit: 'MB' },
      ];
      print(
        `## Workspace: ${w.files.length.toLocaleString('en-US')} small YAML files ` +
          `in ${new Set(w.files.map((f) => path.dirname(f))).size} ` +
          `folders, ${(texts.reduce((s, t) => s + t.length, 0) / 1024).toFixed(0)} KB (floor: parse ` +
          `all ${fmt(wsFloor.ms)}, first pass ${fmt(wsFloor.coldMs)})`,
      );
      print(table(wsRows));
      for (const [i, r] of indexRuns.entries()) if (r.error) print(`  workspace run ${i + 1} failed: ${r.error}`);
      failures += indexRuns.filter((r) => r.error).length;
      print();
      results.workspace = {
        files: w.files.length,
        floors: {
          parseMs: wsFloor.ms,
          firstParseMs: wsFloor.coldMs,
          readAndParseMs: wsReadFloor,
          probeFileMs: probeFloor.ms,
          parseSamples: wsFloor.samples,
        },
        initializeMs: median(pick((r) => r.initializeMs)),
        indexMs,
        indexRatio: indexMs === undefined ? undefined : indexMs / wsFloor.ms,
        openDuringIndexMs: during,
        openIdleMs: idle,
        delayMs: delay,
        coldFirstDiagnosticsMs: cold,
        peakRssMb: wsRss,
        runs: indexRuns,
      };
    }

    // Targets.
    print('## Targets (issues 5 and 13)');
    const met = targets.filter((t) => t.met === true).length;
    for (const t of targets) {
      const value =
        t.value === undefined
          ? 'not measured'
          : t.unit === '× floor'
            ? `${t.value.toFixed(3)}× floor`
            : `${round(t.value)} ${t.unit}`;
      print(`  ${t.met === undefined ? '?     ' : t.met ? 'met   ' : 'MISSED'}  ${t.description}: ${value}`);
    }
    if (options.cases.includes('sizes') && !options.sizes.some((s) => s.pods === 1000 && s.nodes === 50))
      print('  ?       topology of 50 nodes × 1,000 Pods: not measured (add 1000x50 to --sizes)');
    print(`  ${met} of ${targets.length} targets met.`);
  } finally {
    killAllServers();
    results.durationS = round((Date.now() - startedAt.getTime()) / 1000);
    const loadAverageAtEnd = os.loadavg().map((l) => round(l, 2));
    results.loadAverageAtEnd = loadAverageAtEnd;
    results.table = out.join('\n');
    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    fs.writeFileSync(
      RESULTS,
      JSON.stringify(results, (_, v: unknown) => (typeof v === 'number' ? round(v, 3) : v), 2) + '\n',
    );
    console.log(
      `\nLoad average at the end: ${loadAverageAtEnd.join(' ')} (other work on the machine skews the times).`,
    );
    console.log(`Results: ${path.relative(process.cwd(), RESULTS)} (${results.durationS} s)`);
    if (options.keep) console.log(`Manifests kept in ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (failures > 0) process.exitCode = 1;
}

main().catch((error) => {
  killAllServers();
  console.error(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
