// One YAML file: its documents, the Kubernetes objects in them (including `kind: List` items),
// YAML syntax errors and suppression comments. Objects are recognised by apiVersion/kind, never by file name.
import { Document, isMap, isPair, isScalar, parseAllDocuments, visit, YAMLMap } from 'yaml';
import { LineIndex, OffsetRange } from './text';
import { get, getText, itemsOf, Located, rangeOf } from './yamlAccess';

export interface K8sObject {
  /** Updated when a cached document is reused for a differently spelled URI of the same file. */
  uri: string;
  docIndex: number;
  apiVersion: string;
  kind: string;
  name?: Located<string>;
  namespace?: Located<string>;
  node: YAMLMap;
  range: OffsetRange;
}

export interface YamlIssue {
  message: string;
  range: OffsetRange;
}

/** A rule switched off by a comment: everywhere in `range`, or everywhere when `rules` is empty. */
export interface Suppression {
  rules: Set<string>;
  range: OffsetRange;
}

export interface ManifestDocument {
  index: number;
  range: OffsetRange;
  doc: Document.Parsed;
  objects: K8sObject[];
  errors: YamlIssue[];
  /** The document's source text, its key for reuse when the file is edited elsewhere. */
  source: string;
  /** Offset of `source` in the file. */
  start: number;
}

export interface ManifestFile {
  uri: string;
  /** File-system path (posix) for file URIs, otherwise the URI itself. */
  path: string;
  text: string;
  lines: LineIndex;
  documents: ManifestDocument[];
  objects: K8sObject[];
  suppressions: Suppression[];
  /** Set when the file was not analysed, with the reason. */
  skipped?: string;
}

export interface ParseLimits {
  /** Files longer than this many characters are not analysed. */
  maxFileLength: number;
}

export const DEFAULT_LIMITS: ParseLimits = { maxFileLength: 5_000_000 };

/**
 * Parses a file into documents. With `previous` (the same file before an edit), every YAML document
 * whose text did not change is reused, shifted to its new place, and only the edited ones are parsed
 * again: typing in one Pod of a 5,000-Pod file re-parses that Pod only.
 */
export function parseManifest(uri: string, path: string, text: string, limits: ParseLimits = DEFAULT_LIMITS, previous?: ManifestFile): ManifestFile {
  const lines = new LineIndex(text);
  const file: ManifestFile = { uri, path, text, lines, documents: [], objects: [], suppressions: [] };
  if (text.length > limits.maxFileLength) {
    file.skipped = `The file has ${text.length.toLocaleString('en-US')} characters, over podnet.maxFileSize (${limits.maxFileLength.toLocaleString('en-US')}); Podnet did not analyse it.`;
    return file;
  }
  const chunks = documentChunks(text);
  const reused = reusableDocuments(text, chunks, previous?.skipped ? [] : previous?.documents ?? []);
  chunks.forEach(([start, end], i) => {
    // On a first parse every document shares the file's own text; after an edit, re-parsed documents
    // get a detached copy so that they do not pin this version of the whole file.
    const source = text.slice(start, end);
    const docs = reused[i] ? [reused[i]!] : parseChunk(uri, previous ? detached(source) : source, start);
    for (const doc of docs) {
      if (doc.start !== start) shiftDocument(doc, start - doc.start);
      doc.index = file.documents.length;
      for (const object of doc.objects) {
        object.uri = uri;
        object.docIndex = doc.index;
      }
      file.documents.push(doc);
      file.objects.push(...doc.objects);
    }
  });
  file.suppressions = findSuppressions(file);
  return file;
}

/**
 * A copy of a slice that does not keep the whole file text alive. V8 slices point into their parent
 * string, and every value the YAML parser returns is a slice of its input: without this, each edit
 * would pin one more full copy of a large file in memory through the documents kept for reuse.
 */
function detached(slice: string): string {
  return JSON.parse(JSON.stringify(slice)) as string;
}

/**
 * Matches the new text's documents with the previous ones: an edit leaves the documents before it
 * and after it unchanged, so they are compared in place from the front and from the back (a native
 * string comparison, no hashing of the whole file). The documents in between are parsed again.
 */
function reusableDocuments(text: string, chunks: Array<[number, number]>, old: ManifestDocument[]): Array<ManifestDocument | undefined> {
  const result = new Array<ManifestDocument | undefined>(chunks.length);
  const same = (chunk: [number, number], doc: ManifestDocument) =>
    doc.source.length === chunk[1] - chunk[0] && text.startsWith(doc.source, chunk[0]);
  let front = 0;
  while (front < chunks.length && front < old.length && same(chunks[front], old[front])) {
    result[front] = old[front];
    front++;
  }
  let back = 0;
  while (back < chunks.length - front && back < old.length - front && same(chunks[chunks.length - 1 - back], old[old.length - 1 - back])) {
    result[chunks.length - 1 - back] = old[old.length - 1 - back];
    back++;
  }
  return result;
}

/** Where each YAML document starts: at offset 0 and at every `---` marker line. */
function documentChunks(text: string): Array<[number, number]> {
  const starts = [0];
  for (const match of text.matchAll(/^---(?=[ \t\r\n]|$)/gm)) if (match.index > 0) starts.push(match.index);
  // Directives and comments before the first marker belong to the document after it. (Every later
  // chunk starts with its own marker, so only the first can be such a preamble.)
  if (starts.length > 1 && !/^(?![ \t]*(#|%|\r?$))/m.test(text.slice(0, starts[1]))) starts.splice(1, 1);
  return starts.map((start, i) => [start, i + 1 < starts.length ? starts[i + 1] : text.length]);
}

/** Deeper nesting than this is refused: the YAML parser recurses per level and can exhaust the stack. */
export const MAX_NESTING = 512;

function parseChunk(uri: string, source: string, start: number): ManifestDocument[] {
  const tooDeep = nestingProblem(source);
  if (tooDeep) {
    const doc = { errors: [], contents: null, range: [0, source.length, source.length] } as unknown as Document.Parsed;
    const refused: ManifestDocument = { index: 0, range: [0, source.length], doc, objects: [], errors: [{ message: tooDeep, range: [0, Math.min(1, source.length)] }], source, start: 0 };
    shiftDocument(refused, start);
    return [refused];
  }
  // Duplicate keys are found below in one pass; the parser's own check compares every key with every
  // other one, which takes seconds on a map with tens of thousands of keys.
  const parsed = parseAllDocuments(source, { prettyErrors: false, strict: false, uniqueKeys: false });
  const docs = Array.isArray(parsed) ? parsed : [];
  const clamp = (offset: number) => Math.min(offset, source.length);
  const result = docs.map((doc): ManifestDocument => {
    const errors = doc.errors.map((error) => ({ message: cleanMessage(error.message), range: [clamp(error.pos[0]), clamp(Math.max(error.pos[1], error.pos[0] + 1))] as OffsetRange }));
    errors.push(...duplicateKeys(doc.contents));
    const objects = errors.length > 0 && !isMap(doc.contents) ? [] : objectsOf(uri, 0, doc.contents);
    return { index: 0, range: [doc.range[0], doc.range[2]], doc, objects, errors, source, start: 0 };
  });
  // A chunk that parses into several documents (an odd marker) is one unit of reuse: keep the source on the first only.
  result.slice(1).forEach((doc) => { doc.source = '\u0000'; });
  for (const doc of result) shiftDocument(doc, start);
  return result;
}

/** Why the text nests too deeply to parse safely (flow brackets, or block indentation and markers), if it does. */
function nestingProblem(source: string): string | undefined {
  let flow = 0;
  let quote = '';
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\n') {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart) {
      // Each indentation space or `- `/`? `/`: ` indicator can open one level of block nesting.
      const indicator = (ch === '-' || ch === '?' || ch === ':') && source[i + 1] === ' ';
      if (ch === ' ' || indicator) {
        if (++indent > MAX_NESTING) return `The YAML nests deeper than ${MAX_NESTING} levels; Podnet did not analyse this document.`;
        if (indicator) i++;
        continue;
      }
      lineStart = false;
    }
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (i === 0 || /\s/.test(source[i - 1]))) {
      const end = source.indexOf('\n', i);
      i = end < 0 ? source.length : end - 1;
    } else if (ch === '[' || ch === '{') {
      if (++flow > MAX_NESTING) return `The YAML nests deeper than ${MAX_NESTING} levels; Podnet did not analyse this document.`;
    } else if ((ch === ']' || ch === '}') && flow > 0) flow--;
  }
  return undefined;
}

/** "Map keys must be unique", at each repeated key, found with one set of keys per map. */
function duplicateKeys(root: unknown): YamlIssue[] {
  const issues: YamlIssue[] = [];
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key) && key.range) {
          const name = String(key.value);
          if (seen.has(name)) issues.push({ message: 'Map keys must be unique', range: [key.range[0], key.range[1]] });
          seen.add(name);
        }
        pending.push(pair.value);
      }
    } else if (node && typeof node === 'object' && 'items' in node && Array.isArray((node as { items: unknown[] }).items)) {
      pending.push(...(node as { items: unknown[] }).items);
    }
  }
  return issues;
}

interface ShiftableNode {
  range?: [number, number, number] | null;
  items?: Array<ShiftableNode & { key?: ShiftableNode | null; value?: ShiftableNode | null }>;
}

/** Moves a parsed document by `delta` characters: every node range, in place, and its errors. */
function shiftDocument(doc: ManifestDocument, delta: number): void {
  if (delta === 0) return;
  // The node tree has no cycles: an alias is its own node and does not contain its anchor.
  const shiftNode = (node: ShiftableNode | null | undefined): void => {
    if (!node) return;
    const range = node.range;
    if (range) {
      range[0] += delta;
      range[1] += delta;
      range[2] += delta;
    }
    const items = node.items;
    if (items) {
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        // Pairs carry no range of their own, only their key and value do.
        if (item && 'key' in item) {
          shiftNode(item.key);
          shiftNode(item.value);
        } else shiftNode(item);
      }
    }
  };
  shiftNode(doc.doc.contents as ShiftableNode | null);
  for (let i = 0; i < doc.doc.range.length; i++) doc.doc.range[i] += delta;
  doc.range = [doc.range[0] + delta, doc.range[1] + delta];
  if (doc.errors.length > 0) doc.errors = doc.errors.map((error) => ({ ...error, range: [error.range[0] + delta, error.range[1] + delta] }));
  doc.start += delta;
}

function cleanMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}

function objectsOf(uri: string, docIndex: number, contents: unknown): K8sObject[] {
  if (!isMap(contents)) return [];
  const kind = getText(contents, 'kind')?.value;
  const apiVersion = getText(contents, 'apiVersion')?.value;
  if (!kind || !apiVersion) return [];
  if (kind === 'List' || (kind.endsWith('List') && get(contents, 'items'))) {
    return itemsOf(get(contents, 'items')).flatMap((item) => objectsOf(uri, docIndex, item));
  }
  return [new ParsedObject(uri, docIndex, apiVersion, kind, contents)];
}

/** An object as parsed; its range is read from its node on every access, like Located's. */
class ParsedObject implements K8sObject {
  readonly name?: Located<string>;
  readonly namespace?: Located<string>;

  constructor(public uri: string, public docIndex: number, readonly apiVersion: string, readonly kind: string, readonly node: YAMLMap) {
    this.name = getText(node, 'metadata', 'name');
    this.namespace = getText(node, 'metadata', 'namespace');
  }

  get range(): OffsetRange {
    return rangeOf(this.node);
  }
}

const DISABLE_NEXT_LINE = /#\s*podnet-disable-next-line\b([^\n]*)/;
const DISABLE = /#\s*podnet-disable\b(?!-)([^\n]*)/;

function ruleList(text: string): Set<string> {
  return new Set(text.split(/[\s,]+/).map((id) => id.trim()).filter((id) => /^[a-z0-9-]+$/.test(id)));
}

/**
 * `# podnet-disable-next-line a, b` covers the next line and, when that line starts a key whose value
 * spans several lines (the ConfigMap key holding net-conf.json), that whole value.
 * `# podnet-disable a` covers the YAML document it stands in.
 */
function findSuppressions(file: ManifestFile): Suppression[] {
  const suppressions: Suppression[] = [];
  if (!file.text.includes('podnet-disable')) return suppressions;
  const pairEnds = pairEndsByLine(file);
  for (let line = 0; line < file.lines.lineCount; line++) {
    const text = file.lines.lineText(line);
    if (!text.includes('podnet-disable')) continue;
    const nextLine = DISABLE_NEXT_LINE.exec(text);
    if (nextLine) {
      const target = line + 1;
      const start = file.lines.lineStart(target);
      const end = Math.max(file.lines.lineEnd(target), pairEnds.get(target) ?? 0);
      suppressions.push({ rules: ruleList(nextLine[1]), range: [start, end] });
      continue;
    }
    const whole = DISABLE.exec(text);
    if (whole) {
      const offset = file.lines.lineStart(line);
      const doc = file.documents.find((d) => offset >= d.range[0] && offset <= d.range[1]);
      const range: OffsetRange = doc ? doc.range : [0, file.text.length];
      suppressions.push({ rules: ruleList(whole[1]), range });
    }
  }
  return suppressions;
}

function pairEndsByLine(file: ManifestFile): Map<number, number> {
  const ends = new Map<number, number>();
  for (const { doc } of file.documents) {
    if (!file.text.includes('podnet-disable')) break;
    visit(doc, {
      Pair(_, pair) {
        if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) return;
        const line = file.lines.positionAt(pair.key.range[0]).line;
        const end = (pair.value as { range?: number[] } | null)?.range?.[1] ?? pair.key.range[1];
        ends.set(line, Math.max(ends.get(line) ?? 0, end));
      },
    });
  }
  return ends;
}

export function isSuppressed(file: ManifestFile, rule: string, offset: number): boolean {
  return file.suppressions.some((s) => (s.rules.size === 0 || s.rules.has(rule)) && offset >= s.range[0] && offset < s.range[1]);
}
