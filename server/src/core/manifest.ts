// One YAML file: its documents, the Kubernetes objects in them (including `kind: List` items),
// YAML syntax errors and suppression comments. Objects are recognised by apiVersion/kind, never by file name.
import { Document, isMap, isPair, isScalar, LineCounter, parseAllDocuments, visit, YAMLMap } from 'yaml';
import { LineIndex, OffsetRange } from './text';
import { get, getText, itemsOf, Located, rangeOf } from './yamlAccess';

export interface K8sObject {
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

export function parseManifest(uri: string, path: string, text: string, limits: ParseLimits = DEFAULT_LIMITS): ManifestFile {
  const lines = new LineIndex(text);
  const file: ManifestFile = { uri, path, text, lines, documents: [], objects: [], suppressions: [] };
  if (text.length > limits.maxFileLength) {
    file.skipped = `The file has ${text.length.toLocaleString('en-US')} characters, over podnet.maxFileSize (${limits.maxFileLength.toLocaleString('en-US')}); Podnet did not analyse it.`;
    return file;
  }
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, strict: false });
  const docs = Array.isArray(parsed) ? parsed : [];
  docs.forEach((doc, index) => {
    const range: OffsetRange = [doc.range[0], doc.range[2]];
    const errors = doc.errors.map((error) => ({ message: cleanMessage(error.message), range: [error.pos[0], Math.max(error.pos[1], error.pos[0] + 1)] as OffsetRange }));
    const objects = errors.length > 0 && !isMap(doc.contents) ? [] : objectsOf(uri, index, doc.contents);
    file.documents.push({ index, range, doc, objects, errors });
    file.objects.push(...objects);
  });
  file.suppressions = findSuppressions(file);
  return file;
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
  return [{
    uri,
    docIndex,
    apiVersion,
    kind,
    name: getText(contents, 'metadata', 'name'),
    namespace: getText(contents, 'metadata', 'namespace'),
    node: contents,
    range: rangeOf(contents),
  }];
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
