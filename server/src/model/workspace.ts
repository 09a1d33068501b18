// All YAML files of the workspace, grouped into clusters (see grouping.ts: a file joins the nearest folder
// at or above its own that holds CNI configuration; explicit choices from the settings and `.podnet.yaml`
// win). Cross-file facts are merged per cluster, never across clusters.
import * as path from 'path';
import {
  DEFAULT_LIMITS,
  type ManifestFile,
  parseManifest,
  type ParseLimits,
  unreadableManifest,
} from '../core/manifest';
import { LineIndex, byCodeUnits, type TextChange } from '../core/text';
import { type ClusterBasis, groupFiles, type Grouping, groupingRole, type Membership } from './grouping';
import { emptyFacts, extractFacts, factsOfDocument, type FileFacts } from './objects';
import { buildClusterNetwork, type BuildOptions, type ClusterFacts, type ClusterNetwork, mergeFacts } from './network';
import {
  type ConfigProblem,
  isProjectConfigPath,
  parseProjectConfig,
  PROJECT_CONFIG_FILE,
  type ProjectConfig,
  cniOf,
} from './projectConfig';

/** One version of a file and its facts; a new object per change (see snapshots.ts). */
export interface WorkspaceFile {
  readonly file: ManifestFile;
  readonly facts: FileFacts;
}

/** An immutable snapshot: a change to any of its files gives the cluster a new object (see snapshots.ts). */
export interface Cluster {
  /** The cluster's folder (or the mapping's name). */
  readonly id: string;
  readonly name: string;
  readonly root: string;
  readonly files: readonly WorkspaceFile[];
  readonly facts: ClusterFacts;
  readonly network: ClusterNetwork;
}

export interface ClusterMapping {
  /** Folder, absolute or relative to a workspace root. */
  folder: string;
  name: string;
}

export interface WorkspaceOptions extends BuildOptions {
  roots: string[];
  clusterMappings?: ClusterMapping[];
  /** Folders whose `.podnet.yaml` names clusters: the roots when absent. */
  configFolders?: string[];
  limits?: ParseLimits;
}

/** The problems of one `.podnet.yaml`, reported as `podnet-config`. */
export interface ConfigReport {
  readonly entry: WorkspaceFile;
  readonly problems: readonly ConfigProblem[];
}

/** Why each cluster has its root and each file is in it, for `podnet check --explain-clusters`. */
export interface ClusterExplanation {
  readonly cluster: Cluster;
  readonly basis: ClusterBasis;
  readonly files: ReadonlyArray<{ readonly path: string; readonly membership: Membership }>;
}

export function uriToPath(uri: string): string {
  if (!uri.startsWith('file://')) return uri;
  try {
    return decodeURIComponent(new URL(uri).pathname).replace(/^\/([A-Za-z]:)/, '$1');
  } catch {
    // A malformed file URI (bad percent-encoding) still names one file: it is kept as its own key.
    return uri;
  }
}

export function pathToUri(filePath: string): string {
  const absolute = path.resolve(filePath).split(path.sep).join('/');
  return (
    'file://' + encodeURI(absolute.startsWith('/') ? absolute : '/' + absolute).replace(/[?#]/g, encodeURIComponent)
  );
}

/** Helm finds a chart by this file in the chart's folder. */
const CHART_FILE = '/Chart.yaml';
const isChartFile = (filePath: string) => filePath.endsWith(CHART_FILE);

/** The facts of a file that gives the model nothing (`.podnet.yaml`). */
const NO_FACTS: FileFacts = emptyFacts([]);

export class Workspace {
  private readonly files = new Map<string, WorkspaceFile>();
  /** Every `.podnet.yaml` of the workspace, parsed; only those in a config folder name clusters. */
  private readonly configs = new Map<string, ProjectConfig>();
  private clusterCache: readonly Cluster[] | undefined;
  private configReportCache: readonly ConfigReport[] | undefined;

  constructor(private options: WorkspaceOptions) {}

  setOptions(options: WorkspaceOptions): void {
    this.options = options;
    this.regroup();
  }

  /**
   * Files are keyed by path, so the same file reached through differently encoded URIs is one file.
   * `change` says what an editor's edit left alone (see TextChange), so that the unchanged documents are
   * found without comparing the texts.
   */
  setFile(uri: string, text: string, change?: TextChange): WorkspaceFile {
    const filePath = uriToPath(uri);
    if (isProjectConfigPath(filePath)) return this.setConfig(uri, filePath, text);
    const previous = this.files.get(filePath);
    const file = parseManifest(uri, filePath, text, {
      limits: this.options.limits ?? DEFAULT_LIMITS,
      previous: previous?.file,
      change,
      onParsed: factsOfDocument,
      chartRoot: this.chartRootOf(filePath),
    });
    const entry = this.put(previous, file);
    if (!previous && isChartFile(filePath)) this.chartChanged(filePath);
    return entry;
  }

  /** The folder of the nearest Chart.yaml at or above the file's folder, within its workspace root. */
  private chartRootOf(filePath: string): string | undefined {
    const roots = this.options.roots.map((r) => path.posix.normalize(r));
    let folder = path.posix.dirname(filePath);
    while (true) {
      if (this.files.has(folder + CHART_FILE)) return folder;
      const parent = path.posix.dirname(folder);
      if (parent === folder || roots.includes(folder)) return undefined;
      folder = parent;
    }
  }

  /** A Chart.yaml came or went: the files below it are parsed again, as chart sources or as manifests. */
  private chartChanged(chartFile: string): void {
    const folder = path.posix.dirname(chartFile) + '/';
    for (const entry of [...this.files.values()]) {
      const { file } = entry;
      if (!file.path.startsWith(folder) || isChartFile(file.path) || file.unreadable || file.skipped) continue;
      if (this.configs.has(file.path)) continue;
      const chartRoot = this.chartRootOf(file.path);
      if (chartRoot === file.template?.chartRoot) continue;
      const limits = this.options.limits ?? DEFAULT_LIMITS;
      this.put(entry, parseManifest(file.uri, file.path, file.text, { limits, onParsed: factsOfDocument, chartRoot }));
    }
    this.regroup();
  }

  /** A file that could not be read stays in the workspace, empty, so that `file-skipped` gives the reason. */
  setUnreadable(uri: string, reason: string): WorkspaceFile {
    const filePath = uriToPath(uri);
    if (isProjectConfigPath(filePath)) return this.setConfig(uri, filePath, '', reason);
    return this.put(this.files.get(filePath), unreadableManifest(uri, filePath, reason));
  }

  /**
   * A `.podnet.yaml` is no manifest: it joins no cluster, and any change to it regroups every file. Its
   * entry holds its text only, for positions; its problems are reported by configReports.
   */
  private setConfig(uri: string, filePath: string, text: string, unreadable?: string): WorkspaceFile {
    const limit = (this.options.limits ?? DEFAULT_LIMITS).maxFileLength;
    const lines = new LineIndex(text);
    const file: ManifestFile = { uri, path: filePath, text, lines, documents: [], objects: [], suppressions: [] };
    const entry = { file, facts: NO_FACTS };
    const refused =
      unreadable ??
      (text.length > limit ? `${PROJECT_CONFIG_FILE} has more characters than podnet.maxFileSize (${limit}).` : '');
    const config: ProjectConfig = refused
      ? {
          clusters: [],
          problems: [
            {
              range: [0, lines.lineEnd(0)],
              severity: 'error',
              message: `${refused} Podnet groups the files by folder until it can read ${PROJECT_CONFIG_FILE}.`,
            },
          ],
        }
      : parseProjectConfig(text);
    this.files.set(filePath, entry);
    this.configs.set(filePath, config);
    this.regroup();
    return entry;
  }

  /** Every file may change cluster: the clusters are built again when next asked for. */
  private regroup(): void {
    this.clusterCache = undefined;
    this.configReportCache = undefined;
  }

  private put(previous: WorkspaceFile | undefined, file: ManifestFile): WorkspaceFile {
    const entry = { file, facts: extractFacts(file, previous) };
    this.files.set(file.path, entry);
    this.updateClusters(previous, entry);
    return entry;
  }

  /**
   * An edit that leaves the file in the same cluster rebuilds that cluster only; the others keep
   * their objects, so whatever was computed from them (diagnostics, topology) stays cached.
   */
  private updateClusters(previous: WorkspaceFile | undefined, entry: WorkspaceFile): void {
    const clusters = this.clusterCache;
    if (!clusters || !previous || groupingRole(previous.facts) !== groupingRole(entry.facts)) {
      this.regroup();
      return;
    }
    const index = clusters.findIndex((c) => c.files.includes(previous));
    if (index < 0) {
      this.regroup();
      return;
    }
    const old = clusters[index];
    const files = old.files.map((f) => (f === previous ? entry : f));
    const facts = mergeFacts(files.map((f) => f.facts));
    const updated = [...clusters];
    updated[index] = { ...old, files, facts, network: buildClusterNetwork(facts, this.buildOptions(old.root)) };
    this.clusterCache = updated;
  }

  removeFile(uri: string): void {
    const filePath = uriToPath(uri);
    if (!this.files.delete(filePath)) return;
    this.configs.delete(filePath);
    this.regroup();
    if (isChartFile(filePath)) this.chartChanged(filePath);
  }

  getFile(uri: string): WorkspaceFile | undefined {
    return this.files.get(uriToPath(uri));
  }

  allFiles(): WorkspaceFile[] {
    return [...this.files.values()];
  }

  clusters(): readonly Cluster[] {
    this.clusterCache ??= this.buildClusters();
    return this.clusterCache;
  }

  clusterOf(uri: string): Cluster | undefined {
    const entry = this.getFile(uri);
    return entry && this.clusters().find((c) => c.files.includes(entry));
  }

  /** The problems of every `.podnet.yaml` in the workspace; the same objects until the files regroup. */
  configReports(): readonly ConfigReport[] {
    if (!this.configReportCache) this.clusters();
    return this.configReportCache ?? [];
  }

  /** Why each cluster is rooted where it is and why each of its files joined it; computed afresh. */
  explainClusters(): ClusterExplanation[] {
    const { placements } = this.group();
    return this.clusters().map((cluster) => {
      const files = cluster.files.map((f) => ({
        path: f.file.path,
        membership: placements.get(f.file.path)!.membership,
      }));
      return { cluster, basis: placements.get(cluster.files[0].file.path)!.basis, files };
    });
  }

  private configFolders(): string[] {
    return (this.options.configFolders ?? this.options.roots).map((r) => path.posix.normalize(r));
  }

  private group(): Grouping {
    const roots = this.options.roots.map((r) => path.posix.normalize(r));
    const mappings = (this.options.clusterMappings ?? []).flatMap((m) =>
      (path.posix.isAbsolute(m.folder) ? [m.folder] : roots.map((r) => path.posix.join(r, m.folder))).map((folder) => ({
        folder: path.posix.normalize(folder),
        name: m.name,
      })),
    );
    const configFolders = this.configFolders();
    const configs = [...this.configs]
      .filter(([file]) => configFolders.includes(path.posix.dirname(file)))
      .sort(([a], [b]) => byCodeUnits(a, b))
      .map(([file, config]) => ({ file, config }));
    const files = [...this.files.values()]
      .filter((entry) => !this.configs.has(entry.file.path))
      .map((entry) => ({ path: entry.file.path, facts: entry.facts }));
    const cniNamedFolders = [...this.configs]
      .filter(([, config]) => cniOf(config))
      .map(([file, config]) => ({ file, object: `${PROJECT_CONFIG_FILE} \`cni: ${cniOf(config)}\`` }));
    return groupFiles({ files, roots, mappings, configs, cniNamedFolders });
  }

  private buildClusters(): Cluster[] {
    const grouping = this.group();
    this.configReportCache = this.buildConfigReports(grouping);
    const groups = new Map<string, { name: string; root: string; files: WorkspaceFile[] }>();
    const sorted = [...this.files.values()]
      .filter((entry) => grouping.placements.has(entry.file.path))
      .sort((a, b) => byCodeUnits(a.file.path, b.file.path));
    for (const entry of sorted) {
      const { clusterId, name, root } = grouping.placements.get(entry.file.path)!;
      const group = groups.get(clusterId) ?? { name, root, files: [] };
      group.files.push(entry);
      groups.set(clusterId, group);
    }
    return [...groups.entries()].map(([id, group]) => {
      const facts = mergeFacts(group.files.map((f) => f.facts));
      return {
        id,
        name: group.name,
        root: group.root,
        files: group.files,
        facts,
        network: buildClusterNetwork(facts, this.buildOptions(group.root)),
      };
    });
  }

  /**
   * The options a cluster is built with: the CNI named by the deepest `.podnet.yaml` at or above its root
   * naming one. Unlike `clusters:`, `cni:` is read in any folder: an examples folder of several clusters,
   * opened as one workspace, still tells each cluster's CNI.
   */
  private buildOptions(root: string): BuildOptions {
    let best: { folder: string; config: ProjectConfig } | undefined;
    for (const [file, config] of this.configs) {
      const folder = path.posix.dirname(file);
      if (!cniOf(config) || !(root === folder || root.startsWith(folder + '/'))) continue;
      if (!best || folder.length > best.folder.length) best = { folder, config };
    }
    const projectCni = best && cniOf(best.config);
    return projectCni ? { ...this.options, projectCni } : this.options;
  }

  private buildConfigReports(grouping: Grouping): ConfigReport[] {
    const configFolders = this.configFolders();
    return [...this.configs]
      .sort(([a], [b]) => byCodeUnits(a, b))
      .map(([file, config]) => {
        const entry = this.files.get(file)!;
        const problems = [...config.problems];
        if (!configFolders.includes(path.posix.dirname(file)) && config.clusters.length > 0)
          problems.push({
            range: [0, entry.file.lines.lineEnd(0)],
            severity: 'information',
            message:
              `Podnet reads the \`clusters\` of ${PROJECT_CONFIG_FILE} at the root of a workspace folder (for ` +
              `\`podnet check\`, the nearest one at or above the checked paths): these are ignored.`,
          });
        for (const unused of grouping.unusedIncludes.filter((u) => u.file === file))
          problems.push({
            range: unused.range,
            severity: 'warning',
            message:
              `\`${unused.text}\` takes no YAML file of the workspace: it matches none, or each one it matches ` +
              `goes to a more specific include or to podnet.clusters. Paths are relative to ${PROJECT_CONFIG_FILE}.`,
          });
        problems.sort((a, b) => a.range[0] - b.range[0]);
        return { entry, problems };
      });
  }
}
