// What the topology request costs on the wire for the workloads case (5,000 pods), without a server
// process: the server's part (encoding into the wire form, JSON.stringify, Buffer.from, as vscode-jsonrpc
// does) and the client's (Buffer to string, JSON.parse, expanding the wire form), against the same for
// the full TopologyResult as it was sent before. Both are measured in turn in one process, on a fresh
// model each run (as after an edit), so a busy machine slows both alike. Medians over the runs.
//   npx tsc -p bench/tsconfig.json && node out/bench/bench/topologyPayload.js [runs]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { topologyOf, topologyResponseOf } from '../server/src/features/topologyService';
import { pathToUri, Workspace } from '../server/src/model/workspace';
import { topologyResultFromWire } from '../server/src/topology/wire';
import { generateWorkloadCluster } from './generateWorkloads';

const runs = Number(process.argv[2] ?? 9);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-payload-'));
generateWorkloadCluster(dir);
const files = fs
  .readdirSync(dir)
  .map((name) => [pathToUri(path.join(dir, name)), fs.readFileSync(path.join(dir, name), 'utf8')]);
const uri = pathToUri(path.join(dir, 'workloads.yml'));

type Row = Record<'encode' | 'stringify' | 'buffer' | 'parse' | 'expand' | 'total', number>;
const samples: Record<'full' | 'wire', Row[]> = { full: [], wire: [] };
let bytes = { full: 0, wire: 0 };

function freshWorkspace(): Workspace {
  const workspace = new Workspace({ roots: [dir] });
  for (const [file, text] of files) workspace.setFile(file, text);
  topologyOf(workspace); // builds the model: not measured, the same for both
  return workspace;
}

function measure(respond: () => unknown, expand: (result: unknown) => unknown): { row: Row; size: number } {
  const t0 = performance.now();
  const result = respond();
  const t1 = performance.now();
  const text = JSON.stringify({ jsonrpc: '2.0', id: 1, result });
  const t2 = performance.now();
  const buffer = Buffer.from(text, 'utf8');
  const t3 = performance.now();
  const parsed = (JSON.parse(buffer.toString('utf8')) as { result: unknown }).result;
  const t4 = performance.now();
  expand(parsed);
  const t5 = performance.now();
  const row = { encode: t1 - t0, stringify: t2 - t1, buffer: t3 - t2, parse: t4 - t3, expand: t5 - t4, total: t5 - t0 };
  return { row, size: buffer.length };
}

for (let i = 0; i < runs; i++) {
  const before = freshWorkspace();
  const full = measure(
    () => topologyOf(before, uri),
    (result) => result,
  );
  const after = freshWorkspace();
  const wire = measure(
    () => topologyResponseOf(after, uri),
    (result) => topologyResultFromWire(result as Parameters<typeof topologyResultFromWire>[0]),
  );
  samples.full.push(full.row);
  samples.wire.push(wire.row);
  bytes = { full: full.size, wire: wire.size };
}
fs.rmSync(dir, { recursive: true, force: true });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(
  `${os.cpus()[0]?.model ?? ''}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}; ${runs} runs`,
);
console.log(`bytes: full ${bytes.full}, wire ${bytes.wire} (${((100 * bytes.wire) / bytes.full).toFixed(0)}%)`);
console.log('median ms   encode  stringify  buffer  parse  expand  total');
for (const form of ['full', 'wire'] as const) {
  const cells = (['encode', 'stringify', 'buffer', 'parse', 'expand', 'total'] as const).map((k) =>
    median(samples[form].map((row) => row[k])).toFixed(1),
  );
  console.log(`${form.padEnd(10)} ${cells.map((c, i) => c.padStart([7, 10, 7, 6, 7, 6][i])).join(' ')}`);
}
