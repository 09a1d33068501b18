// Where the cursor is in half-typed block YAML, read from the text alone: the keys above it (by
// indentation, `-` for a sequence item), and whether it is on a key, a key's value or a sequence item.
// Completion needs this while the document does not parse (a key typed without its colon yet); nested
// flow collections, block scalars and multi-line plain scalars are not followed.
import { type OffsetRange } from './text';

export interface YamlCursor {
  /** From the document's top down: keys, and `-` for each sequence item entered. */
  readonly path: readonly string[];
  /**
   * `key`: a key being typed in the map at `path`; `value`: the value of `key` there; `item`: an item of
   * the sequence at `path`.
   */
  readonly position: 'key' | 'value' | 'item';
  readonly key?: string;
  /** The token under the cursor, to be replaced (inside its quotes when quoted). */
  readonly range: OffsetRange;
  /** The token's text, without quotes. */
  readonly current: string;
  /** The token is quoted: the quotes stay, the insertion goes between them. */
  readonly quoted: boolean;
  /** A `:` follows the key being typed. */
  readonly colonFollows: boolean;
  /** The scalar entries of the map the cursor's entry, or its sequence's key, belongs to (`key: disktype`). */
  readonly siblings: ReadonlyMap<string, string>;
}

interface Line {
  readonly start: number;
  readonly text: string;
  /** Columns of the `- ` markers at the start of the line. */
  readonly dashes: readonly number[];
  /** Column where the content after indentation and dashes starts. */
  readonly content: number;
}

function lineAt(text: string, start: number): Line {
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  const line = text.slice(start, end).replace(/\r$/, '');
  const dashes: number[] = [];
  let column = 0;
  while (column < line.length) {
    if (line[column] === ' ') column++;
    else if (line[column] === '-' && (line[column + 1] === ' ' || column + 1 === line.length)) {
      dashes.push(column);
      column++;
    } else break;
  }
  return { start, text: line, dashes, content: column };
}

/** `key:` at the start of the content, with what follows; quotes around the key removed. */
function keyOf(line: Line): { key: string; rest: string; restColumn: number } | undefined {
  const body = line.text.slice(line.content);
  const match = /^("[^"]*"|'[^']*'|[^\s#"'{[\]},][^:#]*?)[ \t]*:(?:[ \t]+|$)/.exec(body);
  if (!match) return undefined;
  const key = match[1].replace(/^(["'])(.*)\1$/, '$2');
  return { key, rest: body.slice(match[0].length), restColumn: line.content + match[0].length };
}

const WORD = /[^\s:,[\]{}#]/;

/**
 * The start of the line before the one starting at `start` (> 0). lastIndexOf clamps a negative index to
 * 0, so the second line's predecessor is asked for explicitly.
 */
const previousLineStart = (text: string, start: number): number =>
  start < 2 ? 0 : text.lastIndexOf('\n', start - 2) + 1;

export function yamlCursorAt(text: string, offset: number): YamlCursor | undefined {
  const lineStart = offset > 0 ? text.lastIndexOf('\n', offset - 1) + 1 : 0;
  const line = lineAt(text, lineStart);
  const column = offset - lineStart;
  if (column < line.content || line.text.slice(0, column).includes('#')) return undefined;
  const entry = keyOf(line);
  let position: YamlCursor['position'];
  let key: string | undefined;
  let tokenFrom: number;
  if (entry && column >= entry.restColumn) {
    const flow = entry.rest.lastIndexOf('[', column - entry.restColumn);
    if (entry.rest.startsWith('[') && flow >= 0) {
      // `values: [a, b|]`: an item of a flow sequence.
      position = 'item';
      key = entry.key;
      const before = line.text.slice(entry.restColumn, column);
      tokenFrom = entry.restColumn + Math.max(before.lastIndexOf('['), before.lastIndexOf(',')) + 1;
    } else {
      position = 'value';
      key = entry.key;
      tokenFrom = entry.restColumn;
    }
  } else if (entry) {
    // On a key already followed by its colon.
    if (column > line.content + line.text.slice(line.content).indexOf(':')) return undefined;
    position = 'key';
    tokenFrom = line.content;
  } else {
    position = line.dashes.length > 0 ? 'item' : 'key';
    tokenFrom = line.content;
  }
  // The token: from its start (after spaces) to the end of the word around the cursor.
  while (tokenFrom < column && /[ \t]/.test(line.text[tokenFrom])) tokenFrom++;
  const quote = line.text[tokenFrom] === '"' || line.text[tokenFrom] === "'" ? line.text[tokenFrom] : undefined;
  let tokenTo = column;
  if (quote) {
    // Inside quotes: the text between them is replaced, the quotes stay.
    tokenFrom++;
    const close = line.text.indexOf(quote, tokenFrom);
    tokenTo = close >= column ? close : column;
  } else {
    if (!/^[^\s:,[\]{}#]*$/.test(line.text.slice(tokenFrom, column))) return undefined;
    while (tokenTo < line.text.length && WORD.test(line.text[tokenTo])) tokenTo++;
  }
  const current = line.text.slice(tokenFrom, tokenTo);
  const colonFollows = /^[ \t]*:/.test(line.text.slice(tokenTo + (quote ? 1 : 0)));

  const above = pathAbove(text, line, position === 'key' || position === 'value' ? 'entry' : 'item');
  if (!above) return undefined;
  // A key's value sits in the map at `path`; a flow item in the sequence at `path`+key.
  const fullPath = position === 'item' && key ? [...above.path, key] : above.path;
  // The map around: the line's own, or for a block sequence item the map holding the sequence's key.
  const mapLine = position === 'item' && !key ? above.parent : line;
  return {
    path: fullPath,
    position,
    ...(key !== undefined ? { key } : {}),
    range: [lineStart + tokenFrom, lineStart + tokenTo],
    current,
    quoted: quote !== undefined,
    colonFollows,
    siblings: mapLine ? entriesOfMap(text, mapLine.start, mapLine.content) : new Map(),
  };
}

/**
 * The keys above the cursor's line. `what` is what the line holds at its content: a map entry (its map
 * is inside the line's dashes, if any) or a sequence item (the line's last dash).
 */
function pathAbove(text: string, line: Line, what: 'entry' | 'item'): { path: string[]; parent?: Line } | undefined {
  const path: string[] = [];
  let parentLine: Line | undefined;
  // The line's own dashes: for an entry, every dash opens an item; for an item, all but the last.
  const dashes = what === 'entry' ? line.dashes : line.dashes.slice(0, -1);
  for (let i = 0; i < dashes.length; i++) path.unshift('-');
  let looking: { kind: 'entry' | 'item'; column: number } =
    line.dashes.length > 0 ? { kind: 'item', column: line.dashes[0] } : { kind: 'entry', column: line.content };
  let start = line.start;
  while (start > 0) {
    start = previousLineStart(text, start);
    const above = lineAt(text, start);
    const body = above.text.slice(above.content);
    if (/^---|^\.\.\./.test(above.text)) break;
    if (body === '' || body.startsWith('#')) continue;
    if (looking.kind === 'entry' && above.dashes.length > 0 && above.content === looking.column) {
      // `- key: x` opens the sequence item whose map holds the entry.
      for (let i = 0; i < above.dashes.length; i++) path.unshift('-');
      looking = { kind: 'item', column: above.dashes[0] };
      continue;
    }
    const parent = looking.kind === 'entry' ? above.content < looking.column : above.content <= looking.column;
    if (!parent) continue;
    const entry = keyOf(above);
    // The parent of an entry or item must be a key opening a block (nothing after its colon).
    if (!entry || (entry.rest.trim() !== '' && !entry.rest.trim().startsWith('#'))) return undefined;
    path.unshift(entry.key);
    parentLine ??= above;
    for (let i = 0; i < above.dashes.length; i++) path.unshift('-');
    looking =
      above.dashes.length > 0 ? { kind: 'item', column: above.dashes[0] } : { kind: 'entry', column: above.content };
    if (looking.kind === 'entry' && looking.column === 0) break;
  }
  return { path, ...(parentLine ? { parent: parentLine } : {}) };
}

/**
 * The `key: value` entries with scalar values of the map whose entries start at `column`, around the
 * line at `start`: up to the line that opens it, down to the line that leaves it.
 */
function entriesOfMap(text: string, start: number, column: number): Map<string, string> {
  const entries = new Map<string, string>();
  const take = (line: Line) => {
    const entry = line.content === column ? keyOf(line) : undefined;
    const value = entry?.rest.replace(/\s+#.*$/, '').trim();
    if (entry && value && !/^[[{|>&*!]/.test(value)) entries.set(entry.key, value.replace(/^(["'])(.*)\1$/, '$2'));
  };
  for (let at = start; ;) {
    const line = lineAt(text, at);
    const body = line.text.slice(line.content);
    if (
      at !== start &&
      (/^---|^\.\.\./.test(line.text) || (body !== '' && !body.startsWith('#') && line.content < column))
    )
      break;
    take(line);
    if (at !== start && line.dashes.length > 0 && line.content === column) break;
    if (at === 0) break;
    at = previousLineStart(text, at);
  }
  for (let at = text.indexOf('\n', start) + 1; at > 0 && at < text.length; at = text.indexOf('\n', at) + 1) {
    const line = lineAt(text, at);
    const body = line.text.slice(line.content);
    if (body === '' || body.startsWith('#')) continue;
    if (/^---|^\.\.\./.test(line.text) || line.content < column || (line.dashes.length > 0 && line.content === column))
      break;
    take(line);
  }
  return entries;
}
