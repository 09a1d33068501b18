// Offsets and line/character positions. Offsets are UTF-16 code units, like JavaScript strings and LSP.

export type OffsetRange = readonly [start: number, end: number];

/** Replaces `range` of the file at `uri` with `newText`. */
export interface TextEdit {
  uri: string;
  range: OffsetRange;
  newText: string;
}

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/**
 * What an edit left alone: the new text equals the old one in its first `prefix` and its last `suffix`
 * characters. Composes over several edits (the smaller prefix and suffix), and is exact enough for reuse.
 */
export interface TextChange {
  /** The text before the edit: the change holds for it only. */
  readonly before: string;
  readonly prefix: number;
  readonly suffix: number;
}

/** Two changes in a row as one: from the first one's `before` to the text after the second. */
export function composeChanges(first: TextChange, second: TextChange): TextChange {
  return {
    before: first.before,
    prefix: Math.min(first.prefix, second.prefix),
    suffix: Math.min(first.suffix, second.suffix),
  };
}

/** Line starts, ascending: an array, or a view of an older list with one edit applied. */
interface LineStarts {
  readonly length: number;
  /** Views stacked on the array at the bottom: a lookup costs one step per level. */
  readonly depth: number;
  at(index: number): number;
  /** Writes the starts from `from` up to `to`, plus `delta`, into `into` from `at` on (no lookup per start). */
  copy(into: number[], at: number, from: number, to: number, delta: number): void;
}

class ArrayStarts implements LineStarts {
  readonly depth = 0;
  constructor(private readonly starts: readonly number[]) {}
  get length(): number {
    return this.starts.length;
  }
  at(index: number): number {
    return this.starts[index];
  }
  copy(into: number[], at: number, from: number, to: number, delta: number): void {
    for (let i = from; i < to; i++) into[at++] = this.starts[i] + delta;
  }
}

/**
 * The starts after an edit, without copying the ones it left: the first `kept` of `base`, then the lines
 * the edit brought (`middle`), then `base` from `resumeAt` on, moved by `delta`.
 */
class EditedStarts implements LineStarts {
  readonly depth: number;
  readonly length: number;
  constructor(
    private readonly base: LineStarts,
    private readonly kept: number,
    private readonly middle: readonly number[],
    private readonly resumeAt: number,
    private readonly delta: number,
  ) {
    this.depth = base.depth + 1;
    this.length = kept + middle.length + base.length - resumeAt;
  }
  at(index: number): number {
    if (index < this.kept) return this.base.at(index);
    const inMiddle = index - this.kept;
    if (inMiddle < this.middle.length) return this.middle[inMiddle];
    return this.base.at(this.resumeAt + inMiddle - this.middle.length) + this.delta;
  }
  copy(into: number[], at: number, from: number, to: number, delta: number): void {
    const middleEnd = this.kept + this.middle.length;
    if (from < this.kept) {
      const end = Math.min(to, this.kept);
      this.base.copy(into, at, from, end, delta);
      at += end - from;
      from = end;
    }
    for (; from < Math.min(to, middleEnd); from++) into[at++] = this.middle[from - this.kept] + delta;
    if (from < to) {
      const shift = this.resumeAt - middleEnd;
      this.base.copy(into, at, from + shift, to + shift, delta + this.delta);
    }
  }
}

/** Past this many stacked edits the starts are copied into one array again (once per so many edits). */
const MAX_EDIT_DEPTH = 12;

/** Lookups in a view of edited starts before it is copied into one array: an index that is read a lot pays once. */
const LOOKUPS_BEFORE_COPY = 64;

export class LineIndex {
  private lineStarts: LineStarts;
  private lookups = 0;

  /**
   * The index of `text` after an edit, from the index of the text before it: lines before `head` and
   * from `tail` on are where they were (shifted by `delta` after the edit), only the lines in between
   * are looked for. `head` and `tail` are offsets in `text`; the text from `tail` on equals the old
   * text from `tail - delta` on, and the text before `head` the old text before it. Typing in a
   * 165,000-line file then costs a search of the edited lines, not a copy of every line start: the new
   * index is a view of the old one, copied only every few edits.
   */
  static patched(previous: LineIndex, text: string, head: number, tail: number, delta: number): LineIndex {
    const old = previous.lineStarts;
    const withCarriageReturns = previous.hasCarriageReturns || text.slice(head, tail).includes('\r');
    let kept: number;
    const middle: number[] = [];
    if (!withCarriageReturns) {
      // A line start at offset s belongs to the lines before the edit when s <= head (the break before it
      // is before head), to the lines after it when s - 1 >= tail (its break is in the unchanged tail).
      kept = upperBound(old, head);
      for (let at = text.indexOf('\n', head); at >= 0 && at < tail; at = text.indexOf('\n', at + 1))
        middle.push(at + 1);
    } else {
      // A lone \r ends a line too, and \r\n ends one line: whether s starts a line depends on the
      // characters at s - 1 and at s. Those before head are unchanged when s <= head - 1, those of the
      // tail when s - 1 >= tail; the starts from head to tail are looked for one character at a time.
      kept = head === 0 ? 0 : upperBound(old, head - 1);
      if (head === 0) middle.push(0);
      for (let at = Math.max(0, head - 1); at < tail; at++) {
        const ch = text.charCodeAt(at);
        if (ch === 10 || (ch === 13 && text.charCodeAt(at + 1) !== 10)) middle.push(at + 1);
      }
    }
    const resumeAt = Math.max(kept, upperBound(old, tail - delta));
    const starts =
      old.depth >= MAX_EDIT_DEPTH
        ? new ArrayStarts(materialized(new EditedStarts(old, kept, middle, resumeAt, delta)))
        : new EditedStarts(old, kept, middle, resumeAt, delta);
    return new LineIndex(text, starts, withCarriageReturns);
  }

  /** Whether the text has any \r: then line breaks are looked for one character at a time. */
  private readonly hasCarriageReturns: boolean;

  constructor(
    readonly text: string,
    lineStarts?: LineStarts,
    hasCarriageReturns?: boolean,
  ) {
    this.hasCarriageReturns = hasCarriageReturns ?? text.includes('\r');
    if (lineStarts) {
      this.lineStarts = lineStarts;
      return;
    }
    const starts = [0];
    this.lineStarts = new ArrayStarts(starts);
    if (!this.hasCarriageReturns) {
      // The common case, found by the engine's native search rather than a loop over every character.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (ch === 10 /* \n */) {
        starts.push(i + 1);
      }
    }
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    this.lookedUp();
    const line = upperBound(this.lineStarts, clamped) - 1;
    // An offset between the \r and \n of a CRLF (YAML errors can point there) is the end of its line:
    // LSP positions past the line's content are invalid.
    return { line, character: Math.min(clamped, this.lineEnd(line)) - this.lineStarts.at(line) };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    if (position.line < 0) return 0;
    this.lookedUp();
    const start = this.lineStarts.at(position.line);
    const end = this.lineEnd(position.line);
    return Math.min(start + Math.max(0, position.character), end);
  }

  lineStart(line: number): number {
    this.lookedUp();
    return this.lineStarts.at(Math.max(0, Math.min(line, this.lineStarts.length - 1)));
  }

  /** Offset of the end of the line's content, before its line break. */
  lineEnd(line: number): number {
    const start = this.lineStarts.at(line);
    const next = line + 1 < this.lineStarts.length ? this.lineStarts.at(line + 1) : this.text.length;
    let end = next;
    while (end > start && (this.text[end - 1] === '\n' || this.text[end - 1] === '\r')) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  /**
   * A view of edited starts serves the few lookups an edit's diagnostics make; a reader of many (a
   * topology places every pod) gets them copied into one array first, at the cost of one copy.
   */
  private lookedUp(): void {
    if (this.lineStarts.depth > 0 && ++this.lookups > LOOKUPS_BEFORE_COPY)
      this.lineStarts = new ArrayStarts(materialized(this.lineStarts));
  }

  rangeOf(range: OffsetRange): Range {
    return { start: this.positionAt(range[0]), end: this.positionAt(range[1]) };
  }
}

function materialized(starts: LineStarts): number[] {
  const copy = new Array<number>(starts.length);
  starts.copy(copy, 0, 0, starts.length, 0);
  return copy;
}

/** The first index whose value is above `value`, in an ascending array. */
function upperBound(values: LineStarts, value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values.at(mid) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

export const rangeContains = (range: OffsetRange, offset: number): boolean => offset >= range[0] && offset <= range[1];

/**
 * Orders strings by UTF-16 code units: deterministic, and many times cheaper than `localeCompare` over
 * thousands of paths.
 */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
