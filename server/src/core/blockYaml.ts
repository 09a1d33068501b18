// A fast path for the plain block YAML that nearly every manifest is written in: block mappings and
// sequences, one-line plain and quoted scalars, literal block scalars, one-line flow collections of
// scalars, comments between entries. It builds the very tree `yaml` builds (same node classes, values,
// styles and ranges) without yaml's token and CST stages, which cost most of a parse and most of its
// garbage, and matter most on a cold start over thousands of files. Anything outside that subset
// (anchors, tags, folded or multi-line scalars, nested or multi-line flow collections, comments that
// yaml counts into a node's range, tabs, CRLF, repeated keys, anything yaml would report) is left to
// yaml: the fast path answers `undefined` and never guesses. Comments are not attached to nodes:
// Podnet reads none from the tree (suppression comments are read from the text).
// test/unit/blockYaml.test.ts checks the trees against yaml's on every example and on random and
// mutated documents.
import {
  Document,
  type DocumentOptions,
  isScalar,
  Pair,
  type ParseOptions,
  Scalar,
  type ScalarTag,
  type SchemaOptions,
  YAMLMap,
  YAMLSeq,
} from 'yaml';

type Options = ParseOptions & DocumentOptions & SchemaOptions;
type ParsedNode = Scalar | YAMLMap | YAMLSeq;

/** Thrown when the text leaves the subset; caught at the top. */
class Unsupported {}
const UNSUPPORTED = new Unsupported();
const unsupported = (): never => {
  throw UNSUPPORTED;
};

const SPACE = 32;
const NEWLINE = 10;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const PIPE = 124;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** Characters that cannot start a plain scalar here (or start one yaml reads differently). */
const NOT_PLAIN_START = new Set('[]{},#&*!|>\'"%@`'.split('').map((c) => c.charCodeAt(0)));
/** `-`, `?` and `:` start a plain scalar only when a non-space follows. */
const INDICATOR_START = new Set('-?:'.split('').map((c) => c.charCodeAt(0)));
/** The first characters of the core schema's nulls, booleans and numbers. */
const CORE_NON_STRING_START = new Set('~nNtTfF0123456789+-.'.split('').map((c) => c.charCodeAt(0)));
/** Deeper documents are left to yaml (after the manifest parser's own nesting check): each level recurses here. */
const MAX_DEPTH = 64;
/** Up to this many keys, a new key is compared with each; beyond, they are kept in a set. */
const FEW_KEYS = 16;
/** yaml refuses implicit keys longer than this. */
const MAX_KEY_LENGTH = 1000;

/**
 * The document yaml would build for `source` (parsed with `options`), or undefined when the text is
 * outside the subset this parser reads exactly.
 */
export function parseBlockYaml(source: string, options: Options): Document.Parsed | undefined {
  // Tabs, carriage returns and byte order marks each have rules of their own in yaml's lexer.
  if (source.includes('\t') || source.includes('\r') || source.includes('\ufeff')) return undefined;
  try {
    return new BlockParser(source, options).document();
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
}

class BlockParser {
  /** Start of the line being read. */
  private pos = 0;
  /** Whether the last node read is an empty (null) value: yaml then ends the document with it. */
  private endsEmpty = false;
  private depth = 0;
  /** The indentation of the deepest comment line between the last value read and `pos` (-1: none). */
  private commentIndent = -1;
  private readonly doc: Document.Parsed;
  private readonly coreSchema: boolean;

  constructor(
    private readonly src: string,
    options: Options,
  ) {
    this.doc = new Document(undefined, options) as Document.Parsed;
    this.coreSchema = this.doc.schema.name === 'core';
  }

  document(): Document.Parsed {
    const { src } = this;
    let start = -1;
    // Before the content: blank lines, comments at the margin, one `---` marker line.
    while (this.pos < src.length) {
      const end = this.lineEnd(this.pos);
      const indent = this.indentAt(this.pos);
      const first = src.charCodeAt(this.pos + indent);
      if (this.pos + indent === end) this.pos = end + 1;
      else if (first === HASH && indent === 0) this.pos = end + 1;
      else if (this.isMarker(this.pos, '---')) {
        if (start >= 0 || end !== this.pos + 3) unsupported();
        start = this.pos;
        this.doc.directives.docStart = true;
        this.pos = end + 1;
      } else break;
    }
    if (this.pos >= src.length) unsupported();
    if (start < 0) start = this.pos;
    const contents = this.block(this.indentAt(this.pos));
    this.skipBlankLines();
    if (this.pos < src.length) unsupported();
    this.doc.contents = contents as Document.Parsed['contents'];
    this.doc.range = [start, contents.range![2], this.endsEmpty ? contents.range![2] : src.length];
    return this.doc;
  }

  /** The collection whose first entry starts the current line, at `indent`. */
  private block(indent: number): YAMLMap | YAMLSeq {
    return this.isSequenceEntry(this.pos + indent) ? this.sequence(indent) : this.mapping(indent, this.pos + indent);
  }

  private mapping(indent: number, firstKey: number): YAMLMap {
    if (++this.depth > MAX_DEPTH) unsupported();
    const map = new YAMLMap(this.doc.schema);
    const keys = new DistinctKeys();
    let at = firstKey;
    while (true) {
      const entry = this.entry(indent, at);
      keys.add(entry.key);
      map.items.push(entry);
      this.skipBlankLines();
      if (this.pos >= this.src.length) break;
      const lineIndent = this.indentAt(this.pos);
      if (lineIndent < indent) {
        if (this.commentIndent >= indent) unsupported();
        break;
      }
      if (lineIndent > indent) unsupported();
      at = this.pos + lineIndent;
      if (this.isSequenceEntry(at)) unsupported();
    }
    const end = lastEnd(map.items[map.items.length - 1].value as ParsedNode);
    map.range = [firstKey, end, end];
    this.depth--;
    return map;
  }

  /** One `key: value` of a mapping at `indent`, the key at `at`; leaves `pos` after the value. */
  private entry(indent: number, at: number): Pair<Scalar, ParsedNode> {
    const key = this.key(at);
    const colon = key.range![1];
    return new Pair(key, this.value(indent, colon + 1, true));
  }

  private key(at: number): Scalar {
    const { src } = this;
    if (this.isMarker(at, '---') || this.isMarker(at, '...')) unsupported();
    const code = src.charCodeAt(at);
    if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
      const { value, end } = this.quoted(at);
      if (src.charCodeAt(end) !== COLON || !this.isSeparator(end + 1)) unsupported();
      return this.scalar(value, 'QUOTE', [at, end, end]);
    }
    if (!this.canStartPlain(at)) unsupported();
    const lineEnd = this.lineEnd(at);
    let colon = at;
    do {
      colon = this.find(COLON, colon + 1, lineEnd);
      if (colon === lineEnd) unsupported();
    } while (!this.isSeparator(colon + 1));
    const text = src.slice(at, colon);
    if (colon - at > MAX_KEY_LENGTH || text.includes(' #') || src.charCodeAt(colon - 1) === SPACE) unsupported();
    return this.plain(text, [at, colon, colon], true);
  }

  /**
   * The value that follows an indicator (`:` or `-`) ending before `after`, in a collection at
   * `indent`; leaves `pos` at the start of the next line to read.
   */
  private value(indent: number, after: number, inMapping: boolean): ParsedNode {
    const { src } = this;
    this.commentIndent = -1;
    const at = this.skipSpaces(after);
    const lineEnd = this.lineEnd(at);
    if (at === lineEnd) return this.valueOnNextLines(indent, at, inMapping);
    const code = src.charCodeAt(at);
    if (code === PIPE) return this.literal(indent, at, inMapping);
    let node: ParsedNode;
    if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
      const { value, end } = this.quoted(at);
      const rest = this.afterScalar(end, lineEnd);
      node = this.scalar(value, 'QUOTE', [at, end, rest]);
    } else if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      node = this.flowCollection(at, lineEnd);
    } else if (!inMapping && this.startsKey(at, lineEnd)) {
      // `- key: value`: a mapping inside the sequence entry, indented to its first key.
      this.pos = this.lineStart(at);
      return this.mapping(at - this.pos, at);
    } else {
      if (!this.canStartPlain(at)) unsupported();
      let end = this.find(HASH, at, lineEnd);
      while (end < lineEnd && src.charCodeAt(end - 1) !== SPACE) end = this.find(HASH, end + 1, lineEnd);
      while (src.charCodeAt(end - 1) === SPACE) end--;
      const text = src.slice(at, end);
      if (text.includes(': ') || text.endsWith(':')) unsupported();
      node = this.plain(text, [at, end, this.nextLine(lineEnd)], false);
    }
    this.pos = this.nextLine(lineEnd);
    this.expectDedent(indent);
    return node;
  }

  /**
   * A flow sequence or mapping of scalars on one line, `[a, "b"]` or `{type: InternalIP, address: x}`,
   * as `command`, `args` and addresses are often written.
   */
  private flowCollection(at: number, lineEnd: number): YAMLSeq | YAMLMap {
    const { src } = this;
    const isSequence = src.charCodeAt(at) === OPEN_BRACKET;
    const close = isSequence ? CLOSE_BRACKET : CLOSE_BRACE;
    const collection = isSequence ? new YAMLSeq(this.doc.schema) : new YAMLMap(this.doc.schema);
    const keys = new DistinctKeys();
    collection.flow = true;
    let i = this.skipSpaces(at + 1);
    while (src.charCodeAt(i) !== close) {
      if (isSequence) {
        const item = this.flowScalar(i, lineEnd, close, false);
        (collection as YAMLSeq).items.push(item);
        i = item.range![2];
      } else {
        const key = this.flowScalar(i, lineEnd, close, true);
        const colon = this.skipSpaces(key.range![2]);
        if (src.charCodeAt(colon) !== COLON || src.charCodeAt(colon + 1) !== SPACE) unsupported();
        const value = this.flowScalar(this.skipSpaces(colon + 1), lineEnd, close, false);
        keys.add(key);
        (collection as YAMLMap).items.push(new Pair(key, value));
        i = value.range![2];
      }
      const next = src.charCodeAt(i);
      if (next === COMMA) i = this.skipSpaces(i + 1);
      else if (next !== close) unsupported();
    }
    const end = i + 1;
    collection.range = [at, end, this.afterScalar(end, lineEnd)];
    this.endsEmpty = false;
    return collection;
  }

  /**
   * One scalar inside a one-line flow collection; a value's range ends after the spaces that follow it,
   * a key's does not.
   */
  private flowScalar(at: number, lineEnd: number, close: number, atKey: boolean): Scalar {
    const { src } = this;
    const code = src.charCodeAt(at);
    if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
      const { value, end } = this.quoted(at);
      return this.scalar(value, 'QUOTE', [at, end, atKey ? end : this.skipSpaces(end)]);
    }
    if (!this.canStartPlain(at) || (INDICATOR_START.has(code) && this.isFlowSeparator(at + 1))) unsupported();
    let end = at;
    while (end < lineEnd) {
      const c = src.charCodeAt(end);
      if (c === COMMA || c === close) break;
      if (c === OPEN_BRACKET || c === OPEN_BRACE || c === CLOSE_BRACKET || c === CLOSE_BRACE) unsupported();
      if (c === HASH && src.charCodeAt(end - 1) === SPACE) unsupported();
      // In a flow collection `:` is an indicator also before `,`, `]` and `}`.
      if (c === COLON && this.isFlowSeparator(end + 1)) {
        if (atKey) break;
        unsupported();
      }
      end++;
    }
    if (end === lineEnd) unsupported();
    const after = end;
    while (src.charCodeAt(end - 1) === SPACE) end--;
    if (end === at) unsupported();
    return this.plain(src.slice(at, end), [at, end, atKey ? end : after], atKey);
  }

  private skipSpaces(at: number): number {
    while (this.src.charCodeAt(at) === SPACE) at++;
    return at;
  }

  /** Nothing after the indicator: a nested collection on the next lines, or null. */
  private valueOnNextLines(indent: number, at: number, inMapping: boolean): ParsedNode {
    const { src } = this;
    if (src.charCodeAt(at) === HASH) unsupported();
    this.pos = this.nextLine(at);
    // A comment after an empty value belongs to it in yaml's tree, even at the margin.
    this.skipBlankLines(false);
    if (this.pos < src.length) {
      const lineIndent = this.indentAt(this.pos);
      if (lineIndent > indent) return this.block(lineIndent);
      // A sequence may sit at its key's own indentation.
      if (inMapping && lineIndent === indent && this.isSequenceEntry(this.pos + lineIndent))
        return this.sequence(indent);
    }
    const empty = this.plain('', [at, at, at], false);
    this.endsEmpty = true;
    return empty;
  }

  private sequence(indent: number): YAMLSeq {
    if (++this.depth > MAX_DEPTH) unsupported();
    const seq = new YAMLSeq(this.doc.schema);
    const first = this.pos + indent;
    while (true) {
      seq.items.push(this.value(indent, this.pos + indent + 1, false));
      this.skipBlankLines();
      if (this.pos >= this.src.length) break;
      const lineIndent = this.indentAt(this.pos);
      if (lineIndent !== indent || !this.isSequenceEntry(this.pos + indent)) {
        // Comments as far right as the sequence, before the line that ends it, are the sequence's in yaml's tree.
        if (lineIndent > indent || this.commentIndent >= indent) unsupported();
        break;
      }
      // An empty entry takes the comments before it into its range in yaml's tree.
      if (this.commentIndent >= 0 && this.skipSpaces(this.pos + indent + 1) === this.lineEnd(this.pos)) unsupported();
    }
    const end = lastEnd(seq.items[seq.items.length - 1] as ParsedNode);
    seq.range = [first, end, end];
    this.depth--;
    return seq;
  }

  /** A `|` or `|-` block scalar whose header is at `at`, in a collection at `indent`. */
  private literal(indent: number, at: number, inMapping: boolean): Scalar {
    const { src } = this;
    if (!inMapping) unsupported();
    let header = at + 1;
    const strip = src.charCodeAt(header) === DASH;
    if (strip) header++;
    if (src.charCodeAt(header) !== NEWLINE) unsupported();
    let line = header + 1;
    const contentIndent = this.indentAt(line);
    if (
      contentIndent <= indent ||
      src.charCodeAt(line + contentIndent) === NEWLINE ||
      line + contentIndent >= src.length
    )
      unsupported();
    let value = '';
    let blankLines = 0;
    let end = line;
    while (line < src.length) {
      const lineIndent = this.indentAt(line);
      const lineEnd = this.lineEnd(line);
      if (line + lineIndent === lineEnd) {
        // Only truly empty lines: spaces on a blank line change the value in ways not modelled here.
        if (lineIndent > 0) unsupported();
        if (lineEnd === src.length) break;
        blankLines++;
      } else {
        if (lineIndent < contentIndent) break;
        if (lineEnd === src.length) unsupported();
        value += '\n'.repeat(blankLines) + src.slice(line + contentIndent, lineEnd) + '\n';
        blankLines = 0;
        end = lineEnd + 1;
      }
      line = lineEnd + 1;
    }
    if (strip) value = value.slice(0, -1);
    const node = this.scalar(value, 'BLOCK_LITERAL', [at, end, end]);
    this.pos = end;
    this.expectDedent(indent);
    return node;
  }

  /** A one-line quoted scalar starting at `at`: its value and the offset after the closing quote. */
  private quoted(at: number): { value: string; end: number } {
    const { src } = this;
    const quote = src.charCodeAt(at);
    const lineEnd = this.lineEnd(at);
    let value = '';
    let from = at + 1;
    for (let i = at + 1; i < lineEnd; i++) {
      const code = src.charCodeAt(i);
      if (code === quote) {
        if (quote === SINGLE_QUOTE && src.charCodeAt(i + 1) === SINGLE_QUOTE) {
          value += src.slice(from, i + 1);
          from = ++i + 1;
          continue;
        }
        return { value: value + src.slice(from, i), end: i + 1 };
      }
      if (code === BACKSLASH && quote === DOUBLE_QUOTE) {
        value += src.slice(from, i) + this.escape(i);
        i += src.charCodeAt(i + 1) === 117 ? 5 : 1;
        from = i + 1;
      }
    }
    return unsupported();
  }

  /** The character a `\` escape at `at` stands for (the common ones only). */
  private escape(at: number): string {
    const next = this.src[at + 1];
    switch (next) {
      case '\\':
      case '"':
      case '/':
        return next;
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'u': {
        const hex = this.src.slice(at + 2, at + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) unsupported();
        return String.fromCodePoint(parseInt(hex, 16));
      }
      default:
        return unsupported();
    }
  }

  /** After a quoted scalar: only spaces and a comment may follow. Returns the node's end. */
  private afterScalar(end: number, lineEnd: number): number {
    const at = this.skipSpaces(end);
    if (at < lineEnd && (this.src.charCodeAt(at) !== HASH || at === end)) unsupported();
    return this.nextLine(lineEnd);
  }

  /** A plain scalar, resolved as yaml does with the core schema (null, booleans, numbers, strings). */
  private plain(text: string, range: [number, number, number], atKey: boolean): Scalar {
    const tag = this.surelyString(text)
      ? undefined
      : this.doc.schema.tags.find(
          (t): t is ScalarTag =>
            (t.default === true || (atKey && t.default === 'key')) && !t.collection && t.test?.test(text) === true,
        );
    let node: Scalar;
    if (!tag?.resolve) node = new Scalar(text);
    else {
      let failed = false;
      const resolved = tag.resolve(text, () => (failed = true), this.doc.options);
      if (failed) unsupported();
      node = isScalar(resolved) ? resolved : new Scalar(resolved);
      if (tag.format) node.format = tag.format;
    }
    node.range = range;
    node.source = text;
    node.type = 'PLAIN';
    this.endsEmpty = false;
    return node;
  }

  /** Whether the core schema can only read `text` as a string (every other core type starts with one of these). */
  private surelyString(text: string): boolean {
    return this.coreSchema && text.length > 0 && !CORE_NON_STRING_START.has(text.charCodeAt(0));
  }

  private scalar(value: string, style: 'QUOTE' | 'BLOCK_LITERAL', range: [number, number, number]): Scalar {
    const node = new Scalar(value);
    node.range = range;
    node.source = value;
    node.type =
      style === 'QUOTE' ? (this.src.charCodeAt(range[0]) === DOUBLE_QUOTE ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE') : style;
    this.endsEmpty = false;
    return node;
  }

  /** After a scalar, the next content must not be indented past its collection (a continuation). */
  private expectDedent(indent: number): void {
    this.skipBlankLines();
    if (this.pos < this.src.length && this.indentAt(this.pos) > indent) unsupported();
  }

  /**
   * Moves `pos` past blank lines and comment lines. yaml's ranges ignore comments that stand between
   * two entries of one collection, no further right than the entry that follows them; comments after
   * the last entry end the document when all of them are at the margin. Comments anywhere else belong
   * to the node before them in yaml's tree (its range grows) and are left to yaml.
   */
  private skipBlankLines(commentsAllowed = true): void {
    const { src } = this;
    let deepestComment = -1;
    while (this.pos < src.length) {
      const end = this.lineEnd(this.pos);
      const indent = this.indentAt(this.pos);
      const content = this.pos + indent;
      if (content !== end && src.charCodeAt(content) !== HASH) {
        if (indent < deepestComment) unsupported();
        this.commentIndent = Math.max(this.commentIndent, deepestComment);
        return;
      }
      if (content !== end) {
        if (!commentsAllowed) unsupported();
        deepestComment = Math.max(deepestComment, indent);
      }
      this.pos = end + 1;
    }
    if (deepestComment > 0) unsupported();
    this.pos = src.length;
  }

  /** Whether a plain `key:` starts at `at` (a mapping entry rather than a scalar). */
  private startsKey(at: number, lineEnd: number): boolean {
    const code = this.src.charCodeAt(at);
    if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
      const { end } = this.quoted(at);
      return this.src.charCodeAt(end) === COLON;
    }
    for (let colon = this.find(COLON, at, lineEnd); colon < lineEnd; colon = this.find(COLON, colon + 1, lineEnd)) {
      if (this.isSeparator(colon + 1)) return true;
    }
    return false;
  }

  private canStartPlain(at: number): boolean {
    const code = this.src.charCodeAt(at);
    if (INDICATOR_START.has(code)) return !this.isSeparator(at + 1);
    return !NOT_PLAIN_START.has(code);
  }

  private isSequenceEntry(at: number): boolean {
    return this.src.charCodeAt(at) === DASH && this.isSeparator(at + 1);
  }

  private isMarker(at: number, marker: '---' | '...'): boolean {
    return this.src.startsWith(marker, at) && at === this.lineStart(at) && this.isSeparator(at + 3);
  }

  /** A space, a line break or the end of the text. */
  private isSeparator(at: number): boolean {
    const code = this.src.charCodeAt(at);
    return code === SPACE || code === NEWLINE || at >= this.src.length;
  }

  /** The first `code` in [from, lineEnd), or lineEnd: searches never run past the line. */
  private find(code: number, from: number, lineEnd: number): number {
    for (let at = from; at < lineEnd; at++) if (this.src.charCodeAt(at) === code) return at;
    return lineEnd;
  }

  /** A separator, or one of the characters that end a scalar in a flow collection. */
  private isFlowSeparator(at: number): boolean {
    const code = this.src.charCodeAt(at);
    return (
      this.isSeparator(at) ||
      code === COMMA ||
      code === OPEN_BRACKET ||
      code === CLOSE_BRACKET ||
      code === OPEN_BRACE ||
      code === CLOSE_BRACE
    );
  }

  private indentAt(line: number): number {
    return this.skipSpaces(line) - line;
  }

  private lineEnd(at: number): number {
    const end = this.src.indexOf('\n', at);
    return end < 0 ? this.src.length : end;
  }

  private nextLine(lineEnd: number): number {
    return Math.min(lineEnd + 1, this.src.length);
  }

  private lineStart(at: number): number {
    return this.src.lastIndexOf('\n', at - 1) + 1;
  }
}

const lastEnd = (node: ParsedNode): number => node.range![2];

/**
 * The keys of one mapping: a repeated key (compared by its text, as the manifest parser compares them
 * when it reports them from yaml's tree) sends the document to yaml. Few keys are compared one by one;
 * beyond that they go into a set, so that a mapping with thousands of keys stays linear.
 */
class DistinctKeys {
  private readonly few: string[] = [];
  private many: Set<string> | undefined;

  add(key: Scalar): void {
    const name = String(key.value);
    if (this.many) {
      if (this.many.has(name)) unsupported();
      this.many.add(name);
      return;
    }
    if (this.few.includes(name)) unsupported();
    this.few.push(name);
    if (this.few.length > FEW_KEYS) this.many = new Set(this.few);
  }
}
