// Maps every character of a YAML scalar's value back to its offset in the file, for each scalar style.
// This is what lets a diagnostic inside net-conf.json point at the exact token in the YAML file.
// Each decoder rebuilds the value from the source; if the result differs from what the YAML parser
// produced (an exotic construct we do not model), the caller falls back to a coarse mapping.

export interface DecodedScalar {
  text: string;
  /** offsets[i] is the file offset of text[i]; offsets[text.length] is the offset just after the value. */
  offsets: number[];
}

type ScalarStyle = 'BLOCK_LITERAL' | 'BLOCK_FOLDED' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | 'PLAIN';

interface Line {
  /** Offset of the first character of the line in the file. */
  start: number;
  /** The line's characters without its line break. */
  content: string;
}

function splitLines(source: string, from: number, to: number): Line[] {
  const lines: Line[] = [];
  let start = from;
  for (let i = from; i <= to; i++) {
    if (i === to || source[i] === '\n') {
      let end = i;
      if (end > start && source[end - 1] === '\r') end--;
      lines.push({ start, content: source.slice(start, end) });
      start = i + 1;
    }
  }
  return lines;
}

class Builder {
  text = '';
  offsets: number[] = [];
  push(ch: string, offset: number): void {
    this.text += ch;
    this.offsets.push(offset);
  }
  pushSpan(content: string, offset: number): void {
    for (let i = 0; i < content.length; i++) this.push(content[i], offset + i);
  }
  finish(endOffset: number): DecodedScalar {
    return { text: this.text, offsets: [...this.offsets, endOffset] };
  }
}

/**
 * Decodes the scalar that spans source[start, end) in the given style. `expected` is the value the YAML
 * parser produced; the result is returned only when it reproduces that value.
 */
export function decodeScalar(
  source: string,
  start: number,
  end: number,
  style: ScalarStyle,
  expected: string,
): DecodedScalar | undefined {
  const candidates = decodeCandidates(source, start, end, style);
  for (const decoded of candidates) {
    if (sameContent(decoded.text, expected)) return trimTo(decoded, expected);
  }
  return undefined;
}

/** Chomping and trailing blank lines only change the value's tail, which JSON ignores. */
function sameContent(decoded: string, expected: string): boolean {
  return decoded.replace(/\s+$/, '') === expected.replace(/\s+$/, '');
}

function trimTo(decoded: DecodedScalar, expected: string): DecodedScalar {
  if (decoded.text.length <= expected.length) return decoded;
  const length = expected.length;
  return {
    text: decoded.text.slice(0, length),
    offsets: [...decoded.offsets.slice(0, length), decoded.offsets[length]],
  };
}

function decodeCandidates(source: string, start: number, end: number, style: ScalarStyle): DecodedScalar[] {
  switch (style) {
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
      return decodeBlock(source, start, end, style === 'BLOCK_FOLDED');
    case 'QUOTE_DOUBLE':
      return [decodeQuoted(source, start, end, true)];
    case 'QUOTE_SINGLE':
      return [decodeQuoted(source, start, end, false)];
    default:
      return [decodeFlow(splitLines(source, start, end), end)];
  }
}

function decodeBlock(source: string, start: number, end: number, folded: boolean): DecodedScalar[] {
  const headerEnd = source.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= end) return [new Builder().finish(end)];
  const header = source.slice(start, headerEnd);
  const explicit = /^[|>][+-]?([1-9])/.exec(header) ?? /^[|>]([1-9])/.exec(header);
  const lines = splitLines(source, headerEnd + 1, end);
  const firstContent = lines.find((line) => line.content.trim() !== '');
  const autoIndent = firstContent ? firstContent.content.length - firstContent.content.trimStart().length : 0;
  // With an explicit indentation indicator the indent is relative to the parent, which we do not know
  // here: try each plausible indent and keep the one that reproduces the parser's value.
  const indents = explicit ? Array.from({ length: autoIndent + 1 }, (_, i) => autoIndent - i) : [autoIndent];
  return indents.map((indent) => (folded ? foldBlock(lines, indent, end) : literalBlock(lines, indent, end)));
}

function literalBlock(lines: Line[], indent: number, end: number): DecodedScalar {
  const out = new Builder();
  lines.forEach((line, index) => {
    if (line.content.length > indent) out.pushSpan(line.content.slice(indent), line.start + indent);
    if (index < lines.length - 1) out.push('\n', line.start + line.content.length);
  });
  return out.finish(end);
}

function foldBlock(lines: Line[], indent: number, end: number): DecodedScalar {
  const out = new Builder();
  let previous: 'none' | 'normal' | 'spaced' = 'none';
  let pendingBreaks: number[] = [];
  let breakAfterPrevious = 0;
  for (const line of lines) {
    const body = line.content.length > indent ? line.content.slice(indent) : '';
    if (body.trim() === '' && !(body.length > 0 && previous === 'spaced')) {
      if (previous !== 'none') pendingBreaks.push(line.start + line.content.length);
      continue;
    }
    const kind = body.startsWith(' ') || body.startsWith('\t') ? 'spaced' : 'normal';
    if (previous !== 'none') {
      if (pendingBreaks.length === 0) {
        out.push(previous === 'normal' && kind === 'normal' ? ' ' : '\n', breakAfterPrevious);
      } else {
        if (previous === 'spaced' || kind === 'spaced') out.push('\n', breakAfterPrevious);
        for (const offset of pendingBreaks) out.push('\n', offset);
      }
    }
    out.pushSpan(body, line.start + indent);
    breakAfterPrevious = line.start + line.content.length;
    pendingBreaks = [];
    previous = kind;
  }
  return out.finish(end);
}

/** Plain scalars: lines are folded, leading and trailing white space of each line dropped. */
function decodeFlow(lines: Line[], end: number): DecodedScalar {
  const out = new Builder();
  let emptyRun: number[] = [];
  let started = false;
  lines.forEach((line, index) => {
    const leading = index === 0 ? 0 : line.content.length - line.content.trimStart().length;
    const body = index === 0 ? line.content.trimEnd() : line.content.trim();
    if (body === '' && index > 0 && index < lines.length - 1) {
      emptyRun.push(line.start);
      return;
    }
    if (started) {
      if (emptyRun.length === 0) out.push(' ', line.start - 1);
      for (const offset of emptyRun) out.push('\n', offset);
    }
    out.pushSpan(body, line.start + leading);
    started = true;
    emptyRun = [];
  });
  return out.finish(end);
}

const DOUBLE_QUOTE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

const HEX_ESCAPE_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

function decodeQuoted(source: string, start: number, end: number, double: boolean): DecodedScalar {
  const out = new Builder();
  const quote = double ? '"' : "'";
  let i = start + 1;
  const close = end - 1;
  while (i < close) {
    const ch = source[i];
    if (ch === '\n' || ch === '\r' || ((ch === ' ' || ch === '\t') && /^[ \t]*\r?\n/.test(source.slice(i, close)))) {
      i = foldQuotedBreak(source, i, close, out);
      continue;
    }
    if (!double && ch === quote && source[i + 1] === quote) {
      out.push(quote, i);
      i += 2;
      continue;
    }
    if (double && ch === '\\') {
      const next = source[i + 1];
      if (next === '\n' || next === '\r') {
        i += next === '\r' && source[i + 2] === '\n' ? 3 : 2;
        while (i < close && (source[i] === ' ' || source[i] === '\t')) i++;
        continue;
      }
      const hexLength = HEX_ESCAPE_LENGTH[next];
      if (hexLength) {
        out.push(String.fromCodePoint(parseInt(source.slice(i + 2, i + 2 + hexLength), 16) || 0), i);
        i += 2 + hexLength;
        continue;
      }
      out.push(DOUBLE_QUOTE_ESCAPES[next] ?? next, i);
      i += 2;
      continue;
    }
    out.push(ch, i);
    i++;
  }
  return out.finish(end);
}

/** Folds a line break inside a quoted scalar: one break becomes a space, each further empty line a newline. */
function foldQuotedBreak(source: string, at: number, close: number, out: Builder): number {
  let i = at;
  while (i < close && (source[i] === ' ' || source[i] === '\t')) i++;
  const breakOffset = i;
  let breaks = 0;
  while (i < close && (source[i] === '\n' || source[i] === '\r' || source[i] === ' ' || source[i] === '\t')) {
    if (source[i] === '\n') breaks++;
    i++;
  }
  if (breaks <= 1) out.push(' ', breakOffset);
  else for (let k = 1; k < breaks; k++) out.push('\n', breakOffset);
  return i;
}
