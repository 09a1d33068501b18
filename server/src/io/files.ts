// Reading the workspace from disk: YAML files below a folder, skipping folders that never hold
// manifests (dependencies, VCS data, build output) and anything that is not a regular file.
import { promises as fs, readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { byCodeUnits } from '../core/text';

const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.vscode-test', '.cache']);

/** Folders listed between two turns of the event loop. */
const FOLDERS_PER_TURN = 64;

/**
 * The YAML files below `root`. Folders are listed synchronously (microseconds each, where an
 * asynchronous listing costs a round trip to the thread pool), with a turn of the event loop after
 * every few dozen so that a large tree does not hold up requests.
 */
export async function* findYamlFiles(root: string): AsyncGenerator<string> {
  const pending = [root];
  let listed = 0;
  while (pending.length > 0) {
    const folder = pending.pop() as string;
    if (++listed % FOLDERS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => byCodeUnits(a.name, b.name));
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) pending.push(full);
      } else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) {
        yield full;
      }
    }
  }
}

/** The file's text, or undefined when it cannot be read. A UTF-8 BOM is dropped, as kubectl does. */
export async function readTextFile(filePath: string): Promise<string | undefined> {
  try {
    return withoutBom(await fs.readFile(filePath, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The same, synchronously: for indexing, where many small files are read in a batch. */
export function readTextFileSync(filePath: string): string | undefined {
  try {
    return withoutBom(readFileSync(filePath, 'utf8'));
  } catch {
    return undefined;
  }
}

const withoutBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
