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

export class LineIndex {
  private readonly lineStarts: number[] = [0];

  /**
   * The index of `text` after an edit, from the index of the text before it: lines before `head` and
   * from `tail` on are where they were (shifted by `delta` after the edit), only the lines in between
   * are looked for. `head` and `tail` are line starts in `text`; the text from `tail` on equals the
   * old text from `tail - delta` on. Typing in a 165,000-line file then costs a copy of the line starts,
   * not a scan of the text.
   */
  static patched(previous: LineIndex, text: string, head: number, tail: number, delta: number): LineIndex {
    if (previous.hasCarriageReturns || text.slice(head, tail).includes('\r')) return new LineIndex(text);
    const old = previous.lineStarts;
    const prefix = upperBound(old, head);
    const middle: number[] = [];
    for (let at = text.indexOf('\n', head); at >= 0 && at < tail; at = text.indexOf('\n', at + 1)) middle.push(at + 1);
    const suffix = Math.max(prefix, upperBound(old, tail - delta));
    // Filled in place: growing an array of 165,000 numbers by push costs more than the rest together.
    const starts = new Array<number>(prefix + middle.length + old.length - suffix);
    let n = 0;
    for (let i = 0; i < prefix; i++) starts[n++] = old[i];
    for (let i = 0; i < middle.length; i++) starts[n++] = middle[i];
    for (let i = suffix; i < old.length; i++) starts[n++] = old[i] + delta;
    return new LineIndex(text, starts, false);
  }

  /** Whether the text has any \r: then line breaks are looked for one character at a time. */
  private readonly hasCarriageReturns: boolean;

  constructor(
    readonly text: string,
    lineStarts?: number[],
    hasCarriageReturns?: boolean,
  ) {
    this.hasCarriageReturns = hasCarriageReturns ?? text.includes('\r');
    if (lineStarts) {
      this.lineStarts = lineStarts;
      return;
    }
    if (!this.hasCarriageReturns) {
      // The common case, found by the engine's native search rather than a loop over every character.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      } else if (ch === 10 /* \n */) {
        this.lineStarts.push(i + 1);
      }
    }
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    // An offset between the \r and \n of a CRLF (YAML errors can point there) is the end of its line:
    // LSP positions past the line's content are invalid.
    return { line: low, character: Math.min(clamped, this.lineEnd(low)) - this.lineStarts[low] };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    if (position.line < 0) return 0;
    const start = this.lineStarts[position.line];
    const end = this.lineEnd(position.line);
    return Math.min(start + Math.max(0, position.character), end);
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }

  /** Offset of the end of the line's content, before its line break. */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    let end = next;
    while (end > this.lineStarts[line] && (this.text[end - 1] === '\n' || this.text[end - 1] === '\r')) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  rangeOf(range: OffsetRange): Range {
    return { start: this.positionAt(range[0]), end: this.positionAt(range[1]) };
  }
}

/** The first index whose value is above `value`, in an ascending array. */
function upperBound(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values[mid] <= value) low = mid + 1;
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
