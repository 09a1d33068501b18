// Reads the files and folders named on the command line into a workspace, as the editor would.
import { promises as fs } from 'fs';
import * as path from 'path';
import { describeFsError, findYamlFiles, readText } from '../io/files';
import { PROJECT_CONFIG_FILE } from '../model/projectConfig';
import { type ClusterMapping, pathToUri, Workspace, type WorkspaceOptions } from '../model/workspace';
import { readStdin, splitRendered } from './stdin';

/**
 * Where the documents read from standard input are kept: a root no real file has, so that their names
 * (Helm's `# Source:` paths) cannot collide with files on disk, mapped to one cluster of their own.
 */
const STDIN_ROOT = '/<stdin>';

/** The name a file is shown with: its `# Source:` path for standard input, otherwise relative to the cwd. */
export function displayName(filePath: string): string {
  if (filePath.startsWith(STDIN_ROOT + '/')) return filePath.slice(STDIN_ROOT.length + 1);
  return path.relative(process.cwd(), filePath) || filePath;
}

/**
 * The workspace of the given paths, and a note for each file or folder not analysed. A file that cannot
 * be read stays in the workspace as skipped, so that `file-skipped` reports it like a file too large.
 */
export async function loadWorkspace(
  paths: string[],
  options: Pick<WorkspaceOptions, 'cni'> = {},
): Promise<{ workspace: Workspace; skipped: string[] }> {
  const roots: string[] = [];
  const files: string[] = [];
  const skipped: string[] = [];
  const unlisted = (folder: string, reason: string) => skipped.push(`${folder}: ${reason}`);
  const stdin = paths.includes('-') ? splitRendered(await readStdin()) : undefined;
  const clusterMappings: ClusterMapping[] = [];
  const configs = new Set<string>();
  if (stdin) {
    roots.push(STDIN_ROOT);
    clusterMappings.push({ folder: STDIN_ROOT, name: 'stdin' });
  }
  for (const target of paths.filter((p) => p !== '-').map((p) => path.resolve(p))) {
    const stat = await fs.stat(target).catch((error: unknown) => describeFsError(error));
    if (typeof stat === 'string') throw new UsageError(`${target}: ${stat}`);
    const folder = stat.isDirectory() ? target : path.dirname(target);
    roots.push(folder);
    if (stat.isDirectory()) for await (const file of findYamlFiles(target, unlisted)) files.push(file);
    else files.push(target);
    const config = await projectConfigAbove(folder);
    if (config) configs.add(config);
  }
  files.push(...configs);
  const configFolders = [...configs].map((config) => path.dirname(config));
  const workspace = new Workspace({ roots, clusterMappings, configFolders, ...options });
  // Not URIs: the path itself stands for the file, and nothing reads it from disk.
  for (const { name, text } of stdin ?? []) workspace.setFile(`${STDIN_ROOT}/${name}`, text);
  for (const file of [...new Set(files)]) {
    const read = await readText(file);
    const uri = pathToUri(file);
    const entry = read.ok ? workspace.setFile(uri, read.text) : workspace.setUnreadable(uri, read.reason);
    if (entry.file.skipped) skipped.push(`${file}: ${entry.file.skipped}`);
  }
  return { workspace, skipped };
}

/**
 * The `.podnet.yaml` that applies to a folder: the nearest one at or above it, looking no higher than the
 * repository's root (the folder holding `.git`).
 */
async function projectConfigAbove(start: string): Promise<string | undefined> {
  const exists = (file: string) =>
    fs.stat(file).then(
      () => true,
      () => false,
    );
  let folder = start;
  while (true) {
    const candidate = path.join(folder, PROJECT_CONFIG_FILE);
    if (await exists(candidate)) return candidate;
    const parent = path.dirname(folder);
    if (parent === folder || (await exists(path.join(folder, '.git')))) return undefined;
    folder = parent;
  }
}

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {}
