// JSON embedded in a YAML scalar (net-conf.json, cni-conf.json): strict syntax checking as Go's
// encoding/json would do it, a position-preserving tree, and the mapping of JSON offsets to the file.
import { type Scalar } from 'yaml';
import { type Node as JsonNode, type ParseError, ParseErrorCode, parseTree } from 'jsonc-parser';
import { type OffsetRange } from './text';
import { decodeScalar } from './scalarOffsets';

export type { JsonNode };

export type JsonSyntaxKind =
  'comment' | 'trailing-comma' | 'single-quote' | 'unquoted' | 'empty' | 'truncated' | 'other';

export interface JsonSyntaxIssue {
  kind: JsonSyntaxKind;
  message: string;
  /** Range in the JSON text. */
  range: OffsetRange;
}

export interface EmbeddedJson {
  /** The JSON text, as the application reads it from the ConfigMap. */
  text: string;
  /** Whether every JSON offset maps to its exact character in the file (false for exotic scalar styles). */
  exact: boolean;
  root: JsonNode | undefined;
  issues: JsonSyntaxIssue[];
  /** The YAML scalar that holds the JSON. */
  scalar: Scalar;
  toFileOffset(jsonOffset: number): number;
  toFileRange(range: OffsetRange): OffsetRange;
  /** The inverse mapping, for hovers and completion: undefined when the file offset is not inside the JSON. */
  toJsonOffset(fileOffset: number): number | undefined;
  /**
   * Whether a character in `range` comes from a line break that the scalar folds (into a space, in a
   * `>` block or a multi-line plain or quoted scalar): no edit of that range can keep the lines as they are.
   */
  foldsLineBreak(range: OffsetRange): boolean;
}

export function parseEmbeddedJson(fileText: string, scalar: Scalar): EmbeddedJson {
  const [start, valueEnd] = scalar.range ?? [0, 0];
  const value = typeof scalar.value === 'string' ? scalar.value : fileText.slice(start, valueEnd);
  const decoded = decodeScalar(fileText, start, valueEnd, (scalar.type ?? 'PLAIN') as never, value);
  const absolute = decoded?.offsets ?? coarseOffsets(value.length, start, valueEnd);
  // Offsets are kept relative to the scalar, whose node is shifted in place when its YAML document
  // moves within the file: the mapping then stays right without re-parsing.
  const relative = absolute.map((offset) => offset - start);
  const widths = new Map<number, number>();
  if (decoded) {
    relative.forEach((offset, index) => {
      const width = sourceLength(fileText, offset + start, scalar.type);
      if (width !== 1) widths.set(index, width);
    });
  }
  const text = decoded?.text ?? value;
  /** The scalar's own source (not the whole file, which a reused document would otherwise keep alive). */
  const source = fileText.slice(start, valueEnd);
  const { root, issues } = parseStrictJson(text);
  const base = () => scalar.range?.[0] ?? 0;
  const clamp = (jsonOffset: number) => Math.max(0, Math.min(jsonOffset, relative.length - 1));
  const toFileOffset = (jsonOffset: number): number => base() + relative[clamp(jsonOffset)];
  return {
    text,
    exact: decoded !== undefined,
    root,
    issues,
    scalar,
    toFileOffset,
    toFileRange: ([from, to]) => {
      if (to <= from) return [toFileOffset(from), toFileOffset(from)];
      return [toFileOffset(from), toFileOffset(to - 1) + (widths.get(clamp(to - 1)) ?? 1)];
    },
    foldsLineBreak: ([from, to]) => {
      for (let i = Math.max(0, from); i < Math.min(to, text.length); i++) {
        const original = source[relative[i]];
        if ((original === '\n' || original === '\r') && text[i] !== '\n') return true;
      }
      return false;
    },
    toJsonOffset: (fileOffset) => {
      if (decoded === undefined) return undefined;
      const wanted = fileOffset - base();
      for (let i = 0; i < relative.length; i++)
        if (relative[i] >= wanted) return relative[i] === wanted ? i : undefined;
      return undefined;
    },
  };
}

const HEX_ESCAPE_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/** File characters that one value character takes: an escape in a quoted scalar (`\"`, `\x41`, `''`) takes several. */
function sourceLength(fileText: string, at: number, style: Scalar['type']): number {
  if (style === 'QUOTE_DOUBLE' && fileText[at] === '\\') return 2 + (HEX_ESCAPE_LENGTH[fileText[at + 1]] ?? 0);
  if (style === 'QUOTE_SINGLE' && fileText[at] === "'") return 2;
  return 1;
}

/** When the style cannot be mapped character by character, everything points at the whole scalar. */
function coarseOffsets(length: number, start: number, end: number): number[] {
  const offsets = new Array<number>(length + 1).fill(start);
  offsets[length] = end;
  return offsets;
}

/**
 * Parses JSON strictly. Comments and trailing commas are reported one by one (each can be fixed on its
 * own), then blanked out so that the tree still has exact offsets; the first remaining error is reported
 * as Go's decoder would stop there.
 */
export function parseStrictJson(text: string): { root: JsonNode | undefined; issues: JsonSyntaxIssue[] } {
  if (text.trim() === '') {
    return {
      root: undefined,
      issues: [
        {
          kind: 'empty',
          message: 'is empty: flannel and libcni fail with "unexpected end of JSON input"',
          range: [0, text.length],
        },
      ],
    };
  }
  const { cleaned, issues } = blankCommentsAndTrailingCommas(text);
  const errors: ParseError[] = [];
  const root = parseTree(cleaned, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  const first = errors[0];
  if (first) issues.push(describeParseError(cleaned, first));
  return { root, issues: issues.sort((a, b) => a.range[0] - b.range[0]) };
}

function blankCommentsAndTrailingCommas(text: string): { cleaned: string; issues: JsonSyntaxIssue[] } {
  const chars = text.split('');
  const issues: JsonSyntaxIssue[] = [];
  let lastComma = -1;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (chars[k] !== '\n' && chars[k] !== '\r') chars[k] = ' ';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      i = skipString(text, i);
      lastComma = -1;
      continue;
    }
    const comment = commentAt(text, i);
    if (comment) {
      issues.push({
        kind: 'comment',
        message:
          `contains a comment (${comment.marker}): JSON has no comments, so flannel and the CNI runtime reject ` +
          `the whole file`,
        range: [i, comment.end],
      });
      blank(i, comment.end);
      i = comment.end - 1;
      continue;
    }
    if (ch === ',') {
      lastComma = i;
    } else if ((ch === '}' || ch === ']') && lastComma >= 0) {
      issues.push({
        kind: 'trailing-comma',
        message: `has a trailing comma before "${ch}": strict JSON does not allow it`,
        range: [lastComma, lastComma + 1],
      });
      chars[lastComma] = ' ';
      lastComma = -1;
    } else if (!/\s/.test(ch)) {
      lastComma = -1;
    }
  }
  return { cleaned: chars.join(''), issues };
}

function skipString(text: string, openQuote: number): number {
  for (let i = openQuote + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"' || text[i] === '\n') return i;
  }
  return text.length - 1;
}

function commentAt(text: string, i: number): { marker: string; end: number } | undefined {
  const lineEnd = (from: number) => {
    const newline = text.indexOf('\n', from);
    let end = newline < 0 ? text.length : newline;
    while (end > from && /\s/.test(text[end - 1])) end--;
    return end;
  };
  if (text[i] === '#') return { marker: '#', end: lineEnd(i) };
  if (text.startsWith('//', i)) return { marker: '//', end: lineEnd(i) };
  if (text.startsWith('/*', i)) {
    const close = text.indexOf('*/', i + 2);
    return { marker: '/* */', end: close < 0 ? text.length : close + 2 };
  }
  return undefined;
}

function describeParseError(text: string, error: ParseError): JsonSyntaxIssue {
  const at = Math.min(error.offset, text.length);
  const token = text.slice(at, at + Math.max(error.length, 1));
  const range: OffsetRange = [at, at + Math.max(error.length, at < text.length ? 1 : 0)];
  if (error.error === ParseErrorCode.InvalidSymbol && token.startsWith("'")) {
    const close = text.indexOf("'", at + 1);
    return {
      kind: 'single-quote',
      message: 'uses single quotes: JSON strings need double quotes',
      range: [at, close > at ? close + 1 : at + 1],
    };
  }
  // A bare value that starts like a number and goes on (an unquoted CIDR or IP, `10.244.0.0/16`): the parser
  // stops in its middle, but the whole word is what needs quotes.
  let wordStart = at;
  while (wordStart > 0 && !/[\s,:{}[\]"]/.test(text[wordStart - 1])) wordStart--;
  if (error.error === ParseErrorCode.InvalidSymbol && wordStart < at && /[-0-9]/.test(text[wordStart])) {
    const word = /^[^\s,:{}[\]"]+/.exec(text.slice(wordStart))?.[0] ?? token;
    return {
      kind: 'unquoted',
      message:
        `has the bare word \`${word}\`: a JSON string needs double quotes (only numbers, true, false and null ` +
        `are bare)`,
      range: [wordStart, wordStart + word.length],
    };
  }
  if (error.error === ParseErrorCode.InvalidSymbol && /[A-Za-z_]/.test(token)) {
    const word = /^[^\s,:{}[\]"]+/.exec(text.slice(at))?.[0] ?? token;
    return {
      kind: 'unquoted',
      message: `has the bare word \`${word}\`: a JSON string needs double quotes (only true, false and null are bare)`,
      range: [at, at + word.length],
    };
  }
  if (
    at >= text.trimEnd().length &&
    [
      ParseErrorCode.CloseBraceExpected,
      ParseErrorCode.CloseBracketExpected,
      ParseErrorCode.ValueExpected,
      ParseErrorCode.UnexpectedEndOfString,
      ParseErrorCode.ColonExpected,
    ].includes(error.error)
  ) {
    const end = text.trimEnd().length;
    return {
      kind: 'truncated',
      message: 'ends too early (a closing bracket, brace or quote is missing): "unexpected end of JSON input"',
      range: [Math.max(0, end - 1), end],
    };
  }
  return { kind: 'other', message: `is not valid JSON: ${PARSE_ERROR_TEXT[error.error] ?? 'syntax error'}`, range };
}

const PARSE_ERROR_TEXT: Partial<Record<ParseErrorCode, string>> = {
  [ParseErrorCode.InvalidSymbol]: 'unexpected character',
  [ParseErrorCode.InvalidNumberFormat]: 'malformed number',
  [ParseErrorCode.PropertyNameExpected]: 'a quoted property name is expected here',
  [ParseErrorCode.ValueExpected]: 'a value is expected here',
  [ParseErrorCode.ColonExpected]: 'a colon is expected here',
  [ParseErrorCode.CommaExpected]: 'a comma is expected here',
  [ParseErrorCode.CloseBraceExpected]: 'a closing brace is expected here',
  [ParseErrorCode.CloseBracketExpected]: 'a closing bracket is expected here',
  [ParseErrorCode.EndOfFileExpected]: 'unexpected text after the end of the JSON value',
  [ParseErrorCode.InvalidCharacter]: 'invalid character in a string',
  [ParseErrorCode.InvalidEscapeCharacter]: 'invalid escape sequence',
  [ParseErrorCode.InvalidUnicode]: 'invalid unicode escape',
  [ParseErrorCode.UnexpectedEndOfString]: 'unterminated string',
};

/** Object properties of a JSON object node, in order, with flannel's case-insensitive key matching. */
export interface JsonProperty {
  key: string;
  keyNode: JsonNode;
  valueNode: JsonNode | undefined;
}

export function jsonProperties(node: JsonNode | undefined): JsonProperty[] {
  if (!node || node.type !== 'object' || !node.children) return [];
  const properties: JsonProperty[] = [];
  for (const child of node.children) {
    const [keyNode, valueNode] = child.children ?? [];
    if (keyNode && typeof keyNode.value === 'string') properties.push({ key: keyNode.value, keyNode, valueNode });
  }
  return properties;
}

/** Go's encoding/json: keys match case-insensitively and the last occurrence wins. */
export function jsonLookup(node: JsonNode | undefined, key: string): JsonProperty | undefined {
  const wanted = key.toLowerCase();
  const matches = jsonProperties(node).filter((p) => p.key.toLowerCase() === wanted);
  return matches[matches.length - 1];
}

/**
 * The occurrence Go's encoding/json ends with for a plain (non-pointer) bool, number or string field: null
 * leaves such a field as it was, so the last occurrence that is not null counts.
 */
export function jsonLookupNonNull(node: JsonNode | undefined, key: string): JsonProperty | undefined {
  const wanted = key.toLowerCase();
  const matches = jsonProperties(node).filter((p) => p.key.toLowerCase() === wanted && p.valueNode?.type !== 'null');
  return matches[matches.length - 1];
}

/** Whether a string token is written with escapes (`\/`, `\u0031`): each makes the value shorter than the token. */
export const hasJsonEscape = (node: JsonNode): boolean =>
  node.type === 'string' && node.length !== String(node.value).length + 2;

export const jsonNodeRange = (node: JsonNode): OffsetRange => [node.offset, node.offset + node.length];

export const jsonTypeOf = (node: JsonNode | undefined): string =>
  !node ? 'missing' : node.type === 'number' && !Number.isInteger(node.value) ? 'fractional number' : node.type;
