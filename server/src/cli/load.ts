// Reads the files and folders named on the command line into a workspace, as the editor would.
import { promises as fs } from 'fs';
import * as path from 'path';
import { findYamlFiles, readTextFile } from '../io/files';
import { pathToUri, Workspace } from '../model/workspace';

export async function loadWorkspace(paths: string[]): Promise<{ workspace: Workspace; skipped: string[] }> {
  const roots: string[] = [];
  const files: string[] = [];
  for (const target of paths.map((p) => path.resolve(p))) {
    const stat = await fs.stat(target).catch(() => undefined);
    if (!stat) throw new UsageError(`${target}: no such file or folder`);
    if (stat.isDirectory()) {
      roots.push(target);
      for await (const file of findYamlFiles(target)) files.push(file);
    } else {
      roots.push(path.dirname(target));
      files.push(target);
    }
  }
  const workspace = new Workspace({ roots });
  const skipped: string[] = [];
  for (const file of [...new Set(files)]) {
    const text = await readTextFile(file);
    if (text === undefined) continue;
    const entry = workspace.setFile(pathToUri(file), text);
    if (entry.file.skipped) skipped.push(`${file}: ${entry.file.skipped}`);
  }
  return { workspace, skipped };
}

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {}
