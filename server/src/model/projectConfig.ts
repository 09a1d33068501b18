// `.podnet.yaml`, the project's own settings, committed beside the manifests and read by the CLI and the
// language server alike. Today it names clusters explicitly:
//
//   clusters:
//     - name: prod
//       include: [clusters/prod, scripts/install]   # folders, files or globs, relative to this file
//   cni: calico                                     # the CNI of the clusters below this file
//
// A problem in it is a value with its place in the file (reported as `podnet-config`), never an exception:
// entries that make sense still apply, and a file that is not YAML names no cluster at all.
import { isMap, isScalar, isSeq, type Node, type Pair, parseAllDocuments, type Scalar } from 'yaml';
import { compileGlob, type Glob } from '../core/glob';
import { closestMatch } from '../core/suggest';
import { type OffsetRange } from '../core/text';
import { type Located, rangeOf, scalarText } from '../core/yamlAccess';
import { type Severity } from '../rules/registry';
import { CNI_KINDS, type CniKind, isCniKind } from './cniDetection';

export const PROJECT_CONFIG_FILE = '.podnet.yaml';

export const isProjectConfigPath = (filePath: string): boolean =>
  filePath === PROJECT_CONFIG_FILE || filePath.endsWith('/' + PROJECT_CONFIG_FILE);

export interface ConfigProblem {
  range: OffsetRange;
  message: string;
  severity: Severity;
}

/** One `include` entry: a folder or file (everything at or below it), or a glob. */
export interface IncludePattern {
  /** As written, for messages. */
  readonly text: string;
  readonly range: OffsetRange;
  /** Normalised, relative to the config's folder, without `./` or a trailing `/`; '' is the folder itself. */
  readonly relative: string;
  /** The part before the first wildcard: the folder a glob cannot leave, or the whole path. */
  readonly literalPrefix: string;
  /** Set for globs: tested against a path relative to the config's folder. */
  readonly glob?: Glob;
}

export interface ConfigCluster {
  readonly name: string;
  /** The entry's `name` value, where `--explain-clusters` points. */
  readonly nameRange: OffsetRange;
  readonly include: readonly IncludePattern[];
}

export interface ProjectConfig {
  readonly clusters: readonly ConfigCluster[];
  /** The CNI of the clusters this file covers (`auto`: detected), as written; cniOf gives its meaning. */
  readonly cni?: Located<string>;
  readonly problems: readonly ConfigProblem[];
}

const TOP_LEVEL_KEYS = ['clusters', 'cni'];
const CLUSTER_KEYS = ['name', 'include'];

export function parseProjectConfig(text: string): ProjectConfig {
  const problems: ConfigProblem[] = [];
  const problem = (range: OffsetRange, severity: Severity, message: string) =>
    problems.push({ range, severity, message });
  const documents = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true });
  const docs = Array.isArray(documents) ? documents : [];
  const errors = docs.flatMap((doc) => doc.errors);
  if (errors.length > 0) {
    for (const error of errors)
      problem(
        clamp([error.pos[0], error.pos[1]], text.length),
        'error',
        `${PROJECT_CONFIG_FILE} is not valid YAML: ${error.message.split('\n')[0]}. Podnet ignores the whole ` +
          `file until it parses, and groups files into clusters by their folders.`,
      );
    return { clusters: [], problems };
  }
  for (const extra of docs.slice(1))
    problem(
      clamp(rangeOf(extra.contents ?? undefined), text.length),
      'warning',
      `${PROJECT_CONFIG_FILE} is read as one YAML document: this second document is ignored.`,
    );
  const root = docs[0]?.contents;
  if (root === undefined || root === null || (isScalar(root) && root.value === null)) return { clusters: [], problems };
  if (!isMap(root)) {
    problem(rangeOf(root), 'error', `${PROJECT_CONFIG_FILE} must be a mapping with the keys clusters and cni.`);
    return { clusters: [], problems };
  }
  let clusters: ConfigCluster[] = [];
  let cni: Located<string> | undefined;
  for (const pair of root.items as Array<Pair<Node, Node | null>>) {
    const key = keyOf(pair);
    if (key === 'clusters') clusters = readClusters(pair.value, problem);
    else if (key === 'cni') {
      cni = scalarText(pair.value);
      if (!cni || typeof (pair.value as Scalar).value !== 'string')
        problem(valueRange(pair), 'error', '`cni` takes the name of a CNI, such as `flannel`.');
      else if (cni.value !== 'auto' && !isCniKind(cni.value)) {
        const guess = closestMatch(cni.value, [...CNI_KINDS]);
        problem(
          cni.range,
          'error',
          `\`${cni.value}\` is not a CNI Podnet models${guess ? ` (did you mean \`${guess}\`?)` : ''}: \`cni\` ` +
            `takes ${CNI_KINDS.map((k) => `\`${k}\``).join(', ')} or \`auto\`. Podnet detects the CNI from the ` +
            `manifests until then.`,
        );
      }
    } else unknownKey(pair, TOP_LEVEL_KEYS, `${PROJECT_CONFIG_FILE}`, problem);
  }
  return { clusters, ...(cni ? { cni } : {}), problems };
}

/** The CNI a `.podnet.yaml` names for its clusters; undefined for `auto`, no `cni:` or a name Podnet does not model. */
export function cniOf(config: ProjectConfig): CniKind | undefined {
  const value = config.cni?.value;
  return value !== undefined && isCniKind(value) ? value : undefined;
}

type Report = (range: OffsetRange, severity: Severity, message: string) => void;

function readClusters(node: Node | null, problem: Report): ConfigCluster[] {
  if (node === null || (isScalar(node) && node.value === null)) return [];
  if (!isSeq(node)) {
    problem(rangeOf(node), 'error', '`clusters` takes a list of entries, each with a `name` and an `include` list.');
    return [];
  }
  const byName = new Map<string, ConfigCluster>();
  for (const item of node.items as Node[]) {
    const entry = readCluster(item, problem);
    if (!entry) continue;
    const earlier = byName.get(entry.name);
    if (earlier) {
      problem(
        entry.nameRange,
        'warning',
        `The cluster \`${entry.name}\` is named twice: the includes of both entries form one cluster. ` +
          `List them under one entry.`,
      );
      byName.set(entry.name, { ...earlier, include: [...earlier.include, ...entry.include] });
    } else byName.set(entry.name, entry);
  }
  return [...byName.values()];
}

function readCluster(item: Node, problem: Report): ConfigCluster | undefined {
  if (!isMap(item)) {
    problem(rangeOf(item), 'error', 'A cluster entry is a mapping with a `name` and an `include` list.');
    return undefined;
  }
  let name: Located<string> | undefined;
  let include: IncludePattern[] | undefined;
  for (const pair of item.items as Array<Pair<Node, Node | null>>) {
    const key = keyOf(pair);
    if (key === 'name') {
      name = scalarText(pair.value);
      if (!name || name.value.trim() === '') {
        problem(valueRange(pair), 'error', "A cluster's `name` is a non-empty string.");
        name = undefined;
      }
    } else if (key === 'include') include = readInclude(pair, problem);
    else unknownKey(pair, CLUSTER_KEYS, 'A cluster entry', problem);
  }
  if (!name) {
    if (!item.items.some((p) => keyOf(p as Pair<Node, Node | null>) === 'name'))
      problem(rangeOf(item), 'error', 'This cluster entry has no `name`: Podnet ignores it.');
    return undefined;
  }
  if (!include) {
    problem(name.range, 'error', `The cluster \`${name.value}\` has no \`include\` list: it holds no file.`);
    return undefined;
  }
  return { name: name.value, nameRange: name.range, include };
}

function readInclude(pair: Pair<Node, Node | null>, problem: Report): IncludePattern[] | undefined {
  const value = pair.value;
  // One folder may be written without the brackets of a list.
  const items = isSeq(value) ? (value.items as Node[]) : isScalar(value) && value.value !== null ? [value] : undefined;
  if (!items) {
    problem(valueRange(pair), 'error', '`include` takes a list of folders, files or globs, relative to this file.');
    return undefined;
  }
  const patterns: IncludePattern[] = [];
  for (const item of items) {
    const text = scalarText(item);
    if (!text || typeof (item as Scalar).value !== 'string' || text.value.trim() === '') {
      problem(rangeOf(item), 'error', 'An `include` item is a folder, file or glob, as a non-empty string.');
      continue;
    }
    const pattern = compileInclude(text.value, text.range);
    if (typeof pattern === 'string') problem(text.range, 'error', pattern);
    else patterns.push(pattern);
  }
  return patterns;
}

function unknownKey(pair: Pair<Node, Node | null>, known: string[], where: string, problem: Report): void {
  const key = keyOf(pair) ?? '';
  const guess = closestMatch(key, known);
  problem(
    rangeOf(pair.key),
    'warning',
    `${where} has no key \`${key}\`${guess ? ` (did you mean \`${guess}\`?)` : ''}: Podnet ignores it. It reads ` +
      `${known.map((k) => `\`${k}\``).join(' and ')}.`,
  );
}

const keyOf = (pair: Pair<Node, Node | null>): string | undefined =>
  isScalar(pair.key) ? String(pair.key.value) : undefined;

const valueRange = (pair: Pair<Node, Node | null>): OffsetRange =>
  pair.value ? rangeOf(pair.value) : rangeOf(pair.key);

function clamp(range: OffsetRange, length: number): OffsetRange {
  const start = Math.min(range[0], length);
  return [start, Math.max(start, Math.min(range[1], length))];
}

const WILDCARD = /[*?{}[\]]/;

/** An include pattern ready to match, or why it cannot be one. */
export function compileInclude(text: string, range: OffsetRange): IncludePattern | string {
  const trimmed = text.trim();
  if (trimmed.startsWith('/') || /^[A-Za-z]:[\\/]/.test(trimmed))
    return `\`${trimmed}\` is absolute: \`include\` takes paths relative to ${PROJECT_CONFIG_FILE}.`;
  const segments: string[] = [];
  for (const segment of trimmed.split(/[\\/]+/)) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0 || WILDCARD.test(segments[segments.length - 1]))
        return `\`${trimmed}\` leaves the folder of ${PROJECT_CONFIG_FILE}: Podnet only groups files below it.`;
      segments.pop();
    } else segments.push(segment);
  }
  const relative = segments.join('/');
  const firstWild = segments.findIndex((s) => WILDCARD.test(s));
  if (firstWild < 0) return { text: trimmed, range, relative, literalPrefix: relative };
  const glob = compileGlob(relative);
  if (typeof glob === 'string') return `\`${trimmed}\` is not a glob Podnet can read: ${glob}.`;
  return { text: trimmed, range, relative, literalPrefix: segments.slice(0, firstWild).join('/'), glob };
}

/**
 * Whether the pattern takes a file, given its path relative to the config's folder: a folder or file
 * takes everything at or below it; a glob takes a file it matches or that lies below a folder it matches.
 */
export function includes(pattern: IncludePattern, relativePath: string): boolean {
  if (!pattern.glob) {
    const prefix = pattern.relative;
    return prefix === '' || relativePath === prefix || relativePath.startsWith(prefix + '/');
  }
  if (pattern.literalPrefix && !relativePath.startsWith(pattern.literalPrefix + '/')) return false;
  return pattern.glob.matchesAtOrAbove(relativePath);
}
