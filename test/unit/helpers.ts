// Shared helpers for the engine's unit tests: build a workspace from in-memory files, run the rules,
// read back the exact text a diagnostic covers, and apply quick fixes.
import * as fs from 'fs';
import * as path from 'path';
import { Diagnostic, diagnoseWorkspace, EngineSettings, DEFAULT_SETTINGS } from '../../server/src/engine';
import { pathToUri, Workspace, WorkspaceOptions } from '../../server/src/model/workspace';
import { TextEdit } from '../../server/src/rules/types';

export const REPO_ROOT = process.cwd();
export const SHARED = process.env.PODNET_SHARED ?? path.resolve(REPO_ROOT, '..', 'shared');
export const EXAMPLES = path.join(SHARED, 'examples');

export type Files = Record<string, string>;

/** Files keyed by absolute posix path, e.g. `/ws/flannel.yaml`. */
export function workspaceOf(files: Files, options: Partial<WorkspaceOptions> = {}): Workspace {
  const workspace = new Workspace({ roots: ['/ws'], ...options });
  for (const [file, text] of Object.entries(files)) workspace.setFile(pathToUri(file), text);
  return workspace;
}

export function diagnose(files: Files, settings: EngineSettings = DEFAULT_SETTINGS, options: Partial<WorkspaceOptions> = {}): Diagnostic[] {
  return [...diagnoseWorkspace(workspaceOf(files, options), settings).values()].flat();
}

export function withCode(files: Files, code: string, options: Partial<WorkspaceOptions> = {}): Diagnostic[] {
  return diagnose(files, DEFAULT_SETTINGS, options).filter((d) => d.code === code);
}

const pathOfUri = (uri: string) => decodeURIComponent(new URL(uri).pathname);

/** The exact source text a diagnostic points at. */
export function coveredText(files: Files, diagnostic: Diagnostic): string {
  const text = files[pathOfUri(diagnostic.uri)];
  return text.slice(diagnostic.offsetRange[0], diagnostic.offsetRange[1]);
}

export function applyEdits(files: Files, edits: TextEdit[]): Files {
  const result = { ...files };
  const sorted = [...edits].sort((a, b) => b.range[0] - a.range[0]);
  for (const edit of sorted) {
    const file = pathOfUri(edit.uri);
    const text = result[file];
    result[file] = text.slice(0, edit.range[0]) + edit.newText + text.slice(edit.range[1]);
  }
  return result;
}

/** Reads an example cluster folder into memory under /ws/<folder>/. */
export function loadExample(folder: string): Files {
  const files: Files = {};
  const dir = path.join(EXAMPLES, folder);
  for (const name of fs.readdirSync(dir)) {
    if (/\.ya?ml$/.test(name)) files[`/ws/${folder}/${name}`] = fs.readFileSync(path.join(dir, name), 'utf8');
  }
  return files;
}

/** A ConfigMap named kube-flannel-cfg whose net-conf.json is `netConf` (indented as a literal block). */
export function flannelConfigMap(netConf: string, cniConf?: string): string {
  const block = (text: string) => text.split('\n').map((line) => (line ? '    ' + line : line)).join('\n');
  return [
    'kind: ConfigMap',
    'apiVersion: v1',
    'metadata:',
    '  name: kube-flannel-cfg',
    '  namespace: kube-flannel',
    'data:',
    ...(cniConf ? ['  cni-conf.json: |', block(cniConf)] : []),
    '  net-conf.json: |',
    block(netConf),
    '',
  ].join('\n');
}
