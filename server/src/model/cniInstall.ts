// How a container installs a file: the `cp`/`mv`/`install` operations its command line performs, read
// from the exec form (command + args) or from a `sh -c "…"` script. Only what can be determined is
// returned: a word with a variable, a command substitution or a glob, a PowerShell script or an unknown
// installer binary gives no operation, so rules never guess a destination.
import { decodeScalar } from '../core/scalarOffsets';
import { type OffsetRange } from '../core/text';
import { type Located } from '../core/yamlAccess';

export interface CopyOperation {
  readonly command: 'cp' | 'mv' | 'install';
  readonly source: string;
  /** The destination as written (a file, or a directory). */
  readonly destination: string;
  /** The file that results: the destination, or the directory plus the source's basename. */
  readonly target: string;
  /** The destination word in the file: exact inside scripts when the scalar can be decoded, else the scalar. */
  readonly range: OffsetRange;
}

/** Scripts longer than this are not read: a diagnostic is not worth scanning megabytes. */
const MAX_SCRIPT = 100_000;
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash']);
/** Words that may precede a command in a script (`then cp …`, `do mv …`). */
const PREFIXES = new Set(['then', 'do', 'else', 'if', 'elif', 'while', 'until', '!', '{', '(', 'exec', 'command']);
/** Options that take a value, per command (GNU coreutils and busybox). */
const VALUE_OPTIONS: Record<CopyOperation['command'], string> = { cp: 'tS', mv: 'tS', install: 'tSmogC' };

interface Word {
  value: string;
  /** The word depends on the runtime (`$`, backquote, glob): its value is unknown. */
  dynamic: boolean;
  range: OffsetRange;
}

const basename = (path: string) => path.replace(/\/+$/, '').replace(/^.*\//, '');
const trimSlash = (path: string) => (path.length > 1 ? path.replace(/\/+$/, '') || '/' : path);

/**
 * The copy operations of a command line, in order. `fileText` is the text of the file the items come
 * from (for exact ranges inside scripts); `directories` are paths known to be directories (mount paths),
 * so that `cp x /etc/cni/net.d` is read as a copy into that directory.
 */
export function copyOperations(
  items: ReadonlyArray<Located<string>>,
  fileText: string,
  directories: readonly string[] = [],
): CopyOperation[] {
  const dirs = new Set(directories.map(trimSlash));
  return commandsOf(items, fileText).flatMap((words) => {
    const operation = operationOf(words, dirs);
    return operation ? [operation] : [];
  });
}

/** The simple commands of a command line: its exec form, or each command of a `sh -c` script. */
function commandsOf(items: ReadonlyArray<Located<string>>, fileText: string): Word[][] {
  let words = items.map((item): Word => ({ value: item.value, dynamic: false, range: item.textRange }));
  if (words[0] && basename(words[0].value) === 'busybox') words = words.slice(1); // `busybox cp …`
  if (words.length === 0 || !SHELLS.has(basename(words[0].value))) return [words];
  // `sh -c SCRIPT`, `sh -ec SCRIPT`, `busybox sh -c SCRIPT`: the script is the word after the flag.
  const flag = words.findIndex((w, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(w.value));
  const script = flag > 0 ? items[items.length - words.length + flag + 1] : undefined;
  if (!script || script.value.length > MAX_SCRIPT) return [];
  return splitScript(script.value, offsetsOf(script, fileText));
}

/** File offsets of each character of a scalar's value (and one past the end); coarse when not decodable. */
function offsetsOf(item: Located<string>, fileText: string): (index: number, end?: boolean) => number {
  const [start, end] = item.range;
  const style = (item.node.type ?? 'PLAIN') as Parameters<typeof decodeScalar>[3];
  const decoded = decodeScalar(fileText, start, end, style, item.value);
  if (!decoded || decoded.text !== item.value) return (_index, atEnd) => (atEnd ? end : start);
  return (index, atEnd) => (atEnd ? decoded.offsets[index - 1] + 1 : decoded.offsets[index]);
}

/**
 * Splits a POSIX shell script into simple commands of words: quotes, backslashes and comments are
 * honoured; `;`, `&&`, `||`, `|`, `&` and line breaks end a command. Anything it does not model
 * (expansions, globs) marks the word dynamic rather than failing; an unterminated quote ends the word.
 */
export function splitScript(script: string, offsetAt: (index: number, end?: boolean) => number): Word[][] {
  const commands: Word[][] = [];
  let words: Word[] = [];
  let value = '';
  let dynamic = false;
  let start = -1;
  let last = -1;
  const endWord = () => {
    if (start >= 0) words.push({ value, dynamic, range: [offsetAt(start), offsetAt(last + 1, true)] });
    value = '';
    dynamic = false;
    start = -1;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  const take = (ch: string, at: number) => {
    if (start < 0) start = at;
    value += ch;
    last = at;
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    if (ch === ' ' || ch === '\t') endWord();
    else if (ch === '\n' || ch === ';' || ch === '&' || ch === '|') endCommand();
    else if (ch === '#' && start < 0) while (i + 1 < script.length && script[i + 1] !== '\n') i++;
    else if (ch === '\\') {
      if (i + 1 < script.length && script[i + 1] !== '\n') take(script[++i], i);
      else i++;
    } else if (ch === "'") {
      if (start < 0) start = i;
      for (i++; i < script.length && script[i] !== "'"; i++) take(script[i], i);
      last = Math.min(i, script.length - 1);
    } else if (ch === '"') {
      if (start < 0) start = i;
      for (i++; i < script.length && script[i] !== '"'; i++) {
        if (script[i] === '\\' && '"\\$`'.includes(script[i + 1] ?? '')) i++;
        else if (script[i] === '$' || script[i] === '`') dynamic = true;
        take(script[i], i);
      }
      last = Math.min(i, script.length - 1);
    } else {
      if ('$`*?[(){}<>~'.includes(ch)) dynamic = true;
      take(ch, i);
    }
  }
  endCommand();
  return commands;
}

/** The operation of one simple command, when it is a determinable cp, mv or install. */
function operationOf(words: Word[], dirs: ReadonlySet<string>): CopyOperation | undefined {
  let at = 0;
  while (at < words.length && (PREFIXES.has(words[at].value) || /^[A-Za-z_]\w*=/.test(words[at].value))) at++;
  const name = words[at] ? basename(words[at].value) : '';
  if (name !== 'cp' && name !== 'mv' && name !== 'install') return undefined;
  const operands: Word[] = [];
  let targetDir: Word | undefined;
  let options = true;
  for (let i = at + 1; i < words.length; i++) {
    const word = words[i];
    if (/^\d*[<>]/.test(word.value)) {
      if (/^\d*[<>]+&?$/.test(word.value)) i++; // the redirection's target is the next word
    } else if (options && word.value === '--') options = false;
    else if (options && word.value.startsWith('--')) {
      if (word.value.startsWith('--target-directory=')) targetDir = { ...word, value: word.value.slice(19) };
      else if (/^--(directory|help|version)$/.test(word.value)) return undefined;
    } else if (options && word.value.startsWith('-') && word.value.length > 1) {
      if (name === 'install' && word.value.includes('d')) return undefined; // install -d creates directories
      const valued = [...word.value.slice(1)].find((c) => VALUE_OPTIONS[name].includes(c));
      if (valued && word.value.endsWith(valued)) {
        if (valued === 't') targetDir = words[i + 1];
        i++;
      }
    } else operands.push(word);
  }
  const destination = targetDir ?? operands.pop();
  const source = operands.length === 1 ? operands[0] : undefined; // several sources: which one is not ours to say
  if (!destination || !source || destination.dynamic || source.dynamic || !destination.value) return undefined;
  const isDir = targetDir !== undefined || destination.value.endsWith('/') || dirs.has(trimSlash(destination.value));
  const target = isDir ? `${trimSlash(destination.value)}/${basename(source.value)}` : destination.value;
  return { command: name, source: source.value, destination: destination.value, target, range: destination.range };
}
