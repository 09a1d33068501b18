// Reading the workspace from disk: YAML files below a folder, skipping folders that never hold
// manifests (dependencies, VCS data, build output). A file or folder that cannot be read is an expected
// failure: it comes back as a value with the reason, never as an exception and never silently dropped.
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
export async function* findYamlFiles(
  root: string,
  onUnreadable?: (folder: string, reason: string) => void,
): AsyncGenerator<string> {
  const pending = [root];
  let listed = 0;
  while (pending.length > 0) {
    const folder = pending.pop() as string;
    if (++listed % FOLDERS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    const entries = attempt(() => readdirSync(folder, { withFileTypes: true }));
    if (!entries.ok) {
      onUnreadable?.(folder, `Podnet could not list the folder: ${entries.reason}.`);
      continue;
    }
    entries.value.sort((a, b) => byCodeUnits(a.name, b.name));
    for (const entry of entries.value) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) pending.push(full);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && /\.ya?ml$/i.test(entry.name)) {
        // A linked manifest is read like kubectl reads it; a link that leads nowhere is reported when read.
        // Linked folders are not followed: they could loop.
        yield full;
      }
    }
  }
}

/** On failure, `code` is the system's (ENOENT: the file is gone, which a watcher may treat as a deletion). */
export type ReadResult = { ok: true; text: string } | { ok: false; reason: string; code: string };

/** The file's text, or why it cannot be read. A UTF-8 BOM is dropped, as kubectl does. */
export async function readText(filePath: string): Promise<ReadResult> {
  const read = await fs.readFile(filePath, 'utf8').then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => failure(error),
  );
  return textOf(read);
}

/** The same, synchronously: for indexing, where many small files are read in a batch. */
export function readTextSync(filePath: string): ReadResult {
  return textOf(attempt(() => readFileSync(filePath, 'utf8')));
}

type Failure = { ok: false; reason: string; code: string };
type Attempt<T> = { ok: true; value: T } | Failure;

const textOf = (read: Attempt<string>): ReadResult =>
  read.ok
    ? { ok: true, text: withoutBom(read.value) }
    : { ...read, reason: `Podnet could not read the file: ${read.reason}.` };

/** Runs a file-system call; what the operating system refuses comes back as a reason, anything else is a bug. */
function attempt<T>(call: () => T): Attempt<T> {
  try {
    return { ok: true, value: call() };
  } catch (error) {
    return failure(error);
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of its path is not a folder',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  ERR_STRING_TOO_LONG: 'it is too large to hold in memory',
  ERR_FS_FILE_TOO_LARGE: 'it is too large to hold in memory',
};

function failure(error: unknown): Failure {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string') throw error;
  return { ok: false, reason: `${REASONS[code] ?? (error as Error).message} (${code})`, code };
}

/** Why a file-system call failed, in words, for messages outside this module. */
export function describeFsError(error: unknown): string {
  return failure(error).reason;
}

const withoutBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
