// One YAML file: its documents, the Kubernetes objects in them (including `kind: List` items),
// YAML syntax errors and suppression comments. Objects are recognised by apiVersion/kind, never by file name.
// Documents are parsed one by one and reused across edits where their text did not change.
import { type Document, isMap, isScalar, type YAMLMap } from 'yaml';
import { parseBlockYaml } from './blockYaml';
import { ManifestDocument, objectsOf, PARSE_OPTIONS, parseWithYaml } from './manifestDocument';
import { findSuppressions } from './suppressions';
import { type TemplateSource, templateSourceOf } from './template';
import { LineIndex, type OffsetRange, type TextChange } from './text';
import { type Located } from './yamlAccess';

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
  /** Set with `skipped` when the file could not be read at all (its text is then empty). */
  unreadable?: true;
  /** Set when the file is a template (a Helm chart's, Jinja, Liquid): it is not parsed as a manifest. */
  template?: TemplateSource;
}

export interface ParseLimits {
  /** Files longer than this many characters are not analysed. */
  maxFileLength: number;
}

export const DEFAULT_LIMITS: ParseLimits = { maxFileLength: 5_000_000 };

/** A file that could not be read: no text, only the reason, for `file-skipped`. */
export function unreadableManifest(uri: string, path: string, reason: string): ManifestFile {
  const empty = { text: '', lines: new LineIndex(''), documents: [], objects: [], suppressions: [] };
  return { uri, path, ...empty, skipped: reason, unreadable: true };
}

export interface ParseOptions {
  limits?: ParseLimits;
  /** The same file before an edit: its unchanged documents are reused. */
  previous?: ManifestFile;
  /** What the edit left alone, when the editor told (see TextChange): no comparison of texts is needed then. */
  change?: TextChange;
  /** Sees each newly parsed document at once (see below). */
  onParsed?: (file: ManifestFile, doc: ManifestDocument) => void;
  /** The folder of the Helm chart the file is in, if any. */
  chartRoot?: string;
}

/**
 * Parses a file into documents. With `previous` (the same file before an edit), every YAML document
 * whose text did not change is reused, shifted to its new place, and only the edited ones are parsed
 * again: typing in one Pod of a 5,000-Pod file re-parses that Pod only. `onParsed` sees each newly
 * parsed document at once, so that it can take what it needs and let the tree go (see releaseTree)
 * before the next one is parsed: the trees of a whole large file are never all in memory together.
 */
export function parseManifest(uri: string, path: string, text: string, options: ParseOptions = {}): ManifestFile {
  const { limits = DEFAULT_LIMITS, previous, onParsed } = options;
  if (text.length > limits.maxFileLength) {
    const skipped =
      `The file has ${text.length.toLocaleString('en-US')} characters, over podnet.maxFileSize ` +
      `(${limits.maxFileLength.toLocaleString('en-US')}); Podnet did not analyse it.`;
    return { uri, path, text, lines: new LineIndex(text), documents: [], objects: [], suppressions: [], skipped };
  }
  // A template's YAML errors are the template language's syntax, and its objects are not what Kubernetes
  // gets: it has no documents and no objects, only `template-source` says what it is.
  const template = templateSourceOf(path, text, options.chartRoot);
  if (template)
    return { uri, path, text, lines: new LineIndex(text), documents: [], objects: [], suppressions: [], template };
  const before = previous?.skipped || previous?.template ? undefined : previous;
  const { starts, reused, head, tail, tailBefore } =
    (before && options.change && reuseAroundChange(text, before, options.change)) ??
    compareDocuments(text, before?.documents ?? []);
  const lines = before
    ? LineIndex.patched(before.lines, text, head, tail, tail - (tailBefore ?? before.text.length))
    : new LineIndex(text);
  const file: ManifestFile = { uri, path, text, lines, documents: [], objects: [], suppressions: [] };
  /** The chunks with suppression comments, so that only their lines are read for them. */
  const commented: Array<[number, number]> = [];
  // On a first parse every document shares the file's own text; after an edit, re-parsed documents
  // get a detached copy so that they do not pin this version of the whole file.
  const sourceOf = (start: number, end: number) =>
    previous ? detached(text.slice(start, end)) : text.slice(start, end);
  const place = (doc: ManifestDocument, start: number) => {
    if (doc.start !== start) doc.shift(start - doc.start);
    doc.index = file.documents.length;
    for (const object of doc.objects) {
      // Written only when changed: thousands of reused objects are left untouched.
      if (object.uri !== uri) object.uri = uri;
      if (object.docIndex !== doc.index) object.docIndex = doc.index;
      file.objects.push(object);
    }
    file.documents.push(doc);
  };
  starts.forEach((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    const kept = reused[i];
    if (kept) {
      if (kept.mentionsSuppressions) commented.push([start, end]);
      place(kept, start);
      return;
    }
    const docs = parseChunk(uri, sourceOf(start, end), start);
    if (docs[0]?.mentionsSuppressions) commented.push([start, end]);
    for (const doc of docs) {
      place(doc, start);
      onParsed?.(file, doc);
    }
  });
  file.suppressions = findSuppressions(file, commented);
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

interface Reuse {
  /** Where the new text's documents start; each ends where the next starts (the last at the text's end). */
  starts: number[];
  /** Per chunk of the new text, the previous document with the same text, if any. */
  reused: Array<ManifestDocument | undefined>;
  /**
   * The new text equals the old one before `head`, and from `tail` on it equals the old text from
   * `tailBefore` on (undefined: from the old text's end).
   */
  head: number;
  tail: number;
  tailBefore: number | undefined;
}

/**
 * Matches the new text's documents with the previous ones: an edit leaves the documents before it
 * and after it unchanged, so they are compared in place from the front and from the back (the
 * engine's native string comparison, no hashing of the whole file). The documents in between are
 * parsed again. Only a document that was alone in its chunk can stand for that chunk.
 */
function compareDocuments(text: string, old: ManifestDocument[]): Reuse {
  const starts = documentStarts(text);
  const count = starts.length;
  const reused = new Array<ManifestDocument | undefined>(count);
  const same = (i: number, doc: ManifestDocument) => {
    const end = i + 1 < count ? starts[i + 1] : text.length;
    return doc.ownsSource && doc.source.length === end - starts[i] && text.slice(starts[i], end) === doc.source;
  };
  let front = 0;
  while (front < count && front < old.length && same(front, old[front])) {
    reused[front] = old[front];
    front++;
  }
  let back = 0;
  while (back < count - front && back < old.length - front && same(count - 1 - back, old[old.length - 1 - back])) {
    reused[count - 1 - back] = old[old.length - 1 - back];
    back++;
  }
  return {
    starts,
    reused,
    head: front < count ? starts[front] : text.length,
    tail: back > 0 ? starts[count - back] : text.length,
    tailBefore: back > 0 ? old[old.length - back].start : undefined,
  };
}

/**
 * The same matching when the editor told what the edit left alone: the documents wholly inside the
 * unchanged head and tail are reused without reading their text, and only the text between them is
 * searched for document markers. Undefined when the change does not describe `previous` or the edit
 * touches the first document (whose leading comments may join the next one): then the texts are compared.
 */
function reuseAroundChange(text: string, previous: ManifestFile, change: TextChange): Reuse | undefined {
  const old = previous.documents;
  const oldLength = previous.text.length;
  if (change.before !== previous.text) return undefined;
  const prefix = Math.min(change.prefix, oldLength, text.length);
  const suffix = Math.min(change.suffix, oldLength - prefix, text.length - prefix);
  const delta = text.length - oldLength;
  // A document alone in its chunk spans its source; chunks without a document break the run.
  const endOf = (doc: ManifestDocument) => doc.start + doc.source.length;
  // A document before the edit stays one when the marker ending it (and the character after) is untouched.
  let front = 0;
  for (let i = 0; i < old.length; i++, front++) {
    const contiguous = old[i].start === (i === 0 ? 0 : endOf(old[i - 1]));
    if (!old[i].ownsSource || !contiguous || endOf(old[i]) + 4 > prefix) break;
  }
  if (front === 0) return undefined;
  // A document after it, when the line break before its marker is untouched.
  const tailStart = oldLength - suffix;
  let back = 0;
  for (let i = old.length - 1; i >= front; i--, back++) {
    const contiguous = endOf(old[i]) === (i + 1 < old.length ? old[i + 1].start : oldLength);
    if (!old[i].ownsSource || !contiguous || old[i].start - 1 < tailStart) break;
  }
  const middleStart = endOf(old[front - 1]);
  const middleEnd = back > 0 ? old[old.length - back].start + delta : text.length;
  const starts: number[] = [];
  const reused: Array<ManifestDocument | undefined> = [];
  for (let i = 0; i < front; i++) {
    starts.push(old[i].start);
    reused.push(old[i]);
  }
  // The documents between start at the end of the last one before and at each marker found.
  if (middleStart < middleEnd) {
    starts.push(middleStart);
    reused.push(undefined);
  }
  for (const marker of markersBetween(text, middleStart + 1, middleEnd)) {
    starts.push(marker);
    reused.push(undefined);
  }
  for (let i = old.length - back; i < old.length; i++) {
    starts.push(old[i].start + delta);
    reused.push(old[i]);
  }
  return { starts, reused, head: prefix, tail: text.length - suffix, tailBefore: tailStart };
}

/** Where each YAML document starts: at offset 0 and at every `---` marker line. */
function documentStarts(text: string): number[] {
  const starts = markersBetween(text, 1, text.length);
  starts.unshift(0);
  // Directives and comments before the first marker belong to the document after it. (Every later
  // chunk starts with its own marker, so only the first can be such a preamble.)
  if (starts.length > 1 && !/^(?![ \t]*(#|%|\r?$))/m.test(text.slice(0, starts[1]))) starts.splice(1, 1);
  return starts;
}

/** The `---` marker lines starting in [from, to): `^---(?=[ \t\r\n]|$)` in multiline mode, without match objects. */
function markersBetween(text: string, from: number, to: number): number[] {
  const markers: number[] = [];
  for (let at = text.indexOf('---', from); at >= 0 && at < to; at = text.indexOf('---', at + 1)) {
    if (!isLineBreak(text.charCodeAt(at - 1))) continue;
    const after = text.charCodeAt(at + 3);
    if (Number.isNaN(after) || after === 32 || after === 9 || isLineBreak(after)) markers.push(at);
  }
  return markers;
}

/** What ends a line for `^` and `$` of a multiline RegExp: \n, \r, U+2028, U+2029. */
const isLineBreak = (code: number) => code === 10 || code === 13 || code === 0x2028 || code === 0x2029;

/** Deeper nesting than this is refused: the YAML parser recurses per level and can exhaust the stack. */
export const MAX_NESTING = 512;

function parseChunk(uri: string, source: string, start: number): ManifestDocument[] {
  // Plain block YAML (most manifests) takes the fast path, which leaves deep nesting and repeated keys to the slow one.
  const fast = parseBlockYaml(source, PARSE_OPTIONS);
  const tooDeep = fast ? undefined : nestingProblem(source);
  if (tooDeep) {
    const tree = { errors: [], contents: null, range: [0, source.length, source.length] } as unknown as Document.Parsed;
    const refused = new ManifestDocument(tree, source, false);
    refused.errors = [{ message: tooDeep, range: [0, Math.min(1, source.length)] }];
    refused.shift(start);
    return [refused];
  }
  // Duplicate keys are found below in one pass; yaml's own check compares every key with every
  // other one, which takes seconds on a map with tens of thousands of keys.
  const trees = fast ? [fast] : parseWithYaml(source);
  const clamp = (offset: number) => Math.min(offset, source.length);
  // A chunk that parses into several documents (an odd marker) is one unit of reuse: keep the source on the first only.
  const result = trees.map((tree, i) => {
    const doc = new ManifestDocument(tree, i === 0 ? source : '\u0000', trees.length === 1);
    doc.errors = tree.errors.map((error) => ({
      message: cleanMessage(error.message),
      range: [clamp(error.pos[0]), clamp(Math.max(error.pos[1], error.pos[0] + 1))] as OffsetRange,
    }));
    if (!fast) doc.errors.push(...duplicateKeys(tree.contents));
    // A document that did not parse contributes nothing but its yaml-syntax findings: Kubernetes rejects
    // it whole, and rules on a half-read tree only add false alarms (and false facts to the cluster).
    doc.objects = doc.errors.length > 0 ? [] : objectsOf(uri, doc, tree.contents);
    return doc;
  });
  const mentionsSuppressions = source.includes('podnet-disable');
  for (const doc of result) {
    doc.mentionsSuppressions = mentionsSuppressions;
    doc.shift(start);
  }
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
        if (++indent > MAX_NESTING)
          return `The YAML nests deeper than ${MAX_NESTING} levels; Podnet did not analyse this document.`;
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
      if (++flow > MAX_NESTING)
        return `The YAML nests deeper than ${MAX_NESTING} levels; Podnet did not analyse this document.`;
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
    } else if (
      node &&
      typeof node === 'object' &&
      'items' in node &&
      Array.isArray((node as { items: unknown[] }).items)
    ) {
      pending.push(...(node as { items: unknown[] }).items);
    }
  }
  return issues;
}

function cleanMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}
