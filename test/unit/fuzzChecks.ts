// The properties the fuzz tests check on every input: the engine and every feature finish in time and
// never throw, diagnostics lie inside their document, and each quick fix removes the problem it fixes.
import * as assert from 'node:assert/strict';
import { type Diagnostic, diagnoseWorkspace } from '../../server/src/engine';
import { codeLensesOf } from '../../server/src/features/codeLens';
import { completionsAt } from '../../server/src/features/completion';
import { definitionAt } from '../../server/src/features/definition';
import { hoverAt } from '../../server/src/features/hover';
import { documentSymbols } from '../../server/src/features/symbols';
import { pathToUri, type Workspace } from '../../server/src/model/workspace';
import { buildTopology } from '../../server/src/topology/build';
import { packetPath } from '../../server/src/topology/path';
import { buildScene } from '../../server/src/topology/scene';
import { type TextEdit } from '../../server/src/rules/types';
import { applyEdits, type Files, workspaceOf } from './helpers';

/**
 * A guard against hangs and blow-ups (an input that makes some step quadratic or worse), not a speed target:
 * the benchmark owns speed. A whole example cluster takes a few milliseconds, a 1 MB file well under a
 * second, so only a runaway step comes near this even on a loaded machine.
 */
export const TIME_LIMIT_MS = 20_000;

function timed<T>(what: string, run: () => T): T {
  const start = performance.now();
  const result = run();
  const elapsed = performance.now() - start;
  assert.ok(elapsed < TIME_LIMIT_MS, `${what} took ${Math.round(elapsed)} ms`);
  return result;
}

/** Every diagnostic's offsets and positions lie inside its own document. */
export function assertRangesInside(workspace: Workspace, diagnostics: Diagnostic[]): void {
  for (const d of diagnostics) {
    const file = workspace.getFile(d.uri)?.file;
    assert.ok(file, `diagnostic for a file not in the workspace: ${d.uri}`);
    const [start, end] = d.offsetRange;
    assert.ok(
      Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= file.text.length,
      `${d.code} at [${start}, ${end}] outside 0..${file.text.length}`,
    );
    for (const p of [d.range.start, d.range.end]) {
      assert.ok(p.line >= 0 && p.line < file.lines.lineCount, `${d.code}: line ${p.line} of ${file.lines.lineCount}`);
      assert.ok(
        p.character >= 0 && file.lines.lineStart(p.line) + p.character <= file.lines.lineEnd(p.line),
        `${d.code}: character ${p.character} past the end of line ${p.line}`,
      );
    }
  }
}

/** Where `offset` ends up after `edits` (an offset inside a replaced range moves to its start). */
function mapOffset(offset: number, uri: string, edits: TextEdit[]): number {
  let shift = 0;
  for (const edit of edits) {
    if (edit.uri !== uri || edit.range[0] > offset) continue;
    if (edit.range[1] > offset) return edit.range[0] + shift;
    shift += edit.newText.length - (edit.range[1] - edit.range[0]);
  }
  return offset + shift;
}

const FEATURE_OFFSETS = (length: number, seed: number) => [
  0,
  1,
  length >> 1,
  length - 1,
  length,
  length + 5,
  (seed * 7919) % (length + 1),
];

/** Hover, completion, definition, symbols and code lenses at a few offsets of every file. */
function exerciseFeatures(workspace: Workspace, files: Files): void {
  for (const [file, text] of Object.entries(files)) {
    const uri = pathToUri(file);
    for (const offset of FEATURE_OFFSETS(text.length, text.length)) {
      hoverAt(workspace, uri, offset);
      completionsAt(workspace, uri, offset);
      definitionAt(workspace, uri, offset);
    }
    documentSymbols(workspace, uri);
    codeLensesOf(workspace, uri);
  }
  hoverAt(workspace, 'file:///not/in/the/workspace.yaml', 3);
}

/** Topology, scene, and packet paths between the first and last pod and to pods that do not exist. */
function exerciseTopology(workspace: Workspace): void {
  for (const cluster of workspace.clusters()) {
    const topology = buildTopology(cluster);
    buildScene(topology);
    const pods = topology.nodes.flatMap((n) => n.pods).map((p) => `${p.namespace}/${p.name}`);
    const first = pods[0] ?? 'default/none';
    const last = pods[pods.length - 1] ?? '';
    for (const [from, to] of [
      [first, last],
      [last, first],
      [first, 'nope'],
      ['', ''],
    ])
      packetPath(cluster, topology, from, to);
  }
}

/**
 * After each of (at most `limit`) quick fixes, no diagnostic with the fixed one's code sits where it was.
 * A problem that was already there elsewhere and only moved there with the edit is not the fixed one.
 */
function checkQuickFixes(files: Files, diagnostics: Diagnostic[], limit: number): number {
  let checked = 0;
  for (const d of diagnostics) {
    for (const fix of d.fixes) {
      if (checked++ >= limit) return checked;
      const fixed = applyEdits(files, fix.edits);
      const after = [...diagnoseWorkspace(workspaceOf(fixed)).values()].flat();
      const edits = [...fix.edits].sort((a, b) => a.range[0] - b.range[0]);
      const at = mapOffset(d.offsetRange[0], d.uri, edits);
      const moved = diagnostics.some(
        (o) => o !== d && o.uri === d.uri && o.code === d.code && mapOffset(o.offsetRange[0], o.uri, edits) === at,
      );
      const same = moved
        ? undefined
        : after.find((a) => a.uri === d.uri && a.code === d.code && a.offsetRange[0] === at);
      assert.equal(
        same,
        undefined,
        `fix "${fix.title}" for ${d.code} ("${d.message}") left ${same?.code} ("${same?.message}") in place`,
      );
    }
  }
  return checked;
}

/** Runs every check on one input; returns the number of quick fixes tried. */
export function checkInput(files: Files, fixLimit = 4): number {
  const workspace = timed('loading the files', () => workspaceOf(files));
  const diagnostics = timed('diagnosing', () => [...diagnoseWorkspace(workspace).values()].flat());
  assertRangesInside(workspace, diagnostics);
  timed('the editor features', () => exerciseFeatures(workspace, files));
  timed('the topology', () => exerciseTopology(workspace));
  return checkQuickFixes(files, diagnostics, fixLimit);
}
