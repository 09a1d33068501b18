// Reads the files and folders named on the command line into a workspace, as the editor would.
import { promises as fs } from 'fs';
import * as path from 'path';
import { describeFsError, findYamlFiles, readText } from '../io/files';
import { pathToUri, Workspace } from '../model/workspace';

/**
 * The workspace of the given paths, and a note for each file or folder not analysed. A file that cannot
 * be read stays in the workspace as skipped, so that `file-skipped` reports it like a file too large.
 */
export async function loadWorkspace(paths: string[]): Promise<{ workspace: Workspace; skipped: string[] }> {
  const roots: string[] = [];
  const files: string[] = [];
  const skipped: string[] = [];
  const unlisted = (folder: string, reason: string) => skipped.push(`${folder}: ${reason}`);
  for (const target of paths.map((p) => path.resolve(p))) {
    const stat = await fs.stat(target).catch((error: unknown) => describeFsError(error));
    if (typeof stat === 'string') throw new UsageError(`${target}: ${stat}`);
    if (stat.isDirectory()) {
      roots.push(target);
      for await (const file of findYamlFiles(target, unlisted)) files.push(file);
    } else {
      roots.push(path.dirname(target));
      files.push(target);
    }
  }
  const workspace = new Workspace({ roots });
  for (const file of [...new Set(files)]) {
    const read = await readText(file);
    const uri = pathToUri(file);
    const entry = read.ok ? workspace.setFile(uri, read.text) : workspace.setUnreadable(uri, read.reason);
    if (entry.file.skipped) skipped.push(`${file}: ${entry.file.skipped}`);
  }
  return { workspace, skipped };
}

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {}
