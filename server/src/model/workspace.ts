// All YAML files of the workspace, grouped into clusters. A file belongs to the cluster of the nearest
// folder, from its own upward, that holds a flannel ConfigMap, Node objects or a control-plane manifest;
// explicit folder mappings win. Cross-file facts are merged per cluster, never across clusters.
import * as path from 'path';
import {
  DEFAULT_LIMITS,
  type ManifestFile,
  parseManifest,
  type ParseLimits,
  unreadableManifest,
} from '../core/manifest';
import { byCodeUnits } from '../core/text';
import { extractFacts, factsOfDocument, type FileFacts, isFlannelConfigMap } from './objects';
import { buildClusterNetwork, type BuildOptions, type ClusterFacts, type ClusterNetwork, mergeFacts } from './network';

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
  limits?: ParseLimits;
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

const isMarker = (facts: FileFacts) =>
  facts.nodes.length > 0 ||
  facts.configMaps.some(isFlannelConfigMap) ||
  facts.controllerManagers.length > 0 ||
  facts.clusterConfigurations.length > 0;

export class Workspace {
  private readonly files = new Map<string, WorkspaceFile>();
  private clusterCache: readonly Cluster[] | undefined;

  constructor(private options: WorkspaceOptions) {}

  setOptions(options: WorkspaceOptions): void {
    this.options = options;
    this.clusterCache = undefined;
  }

  /** Files are keyed by path, so the same file reached through differently encoded URIs is one file. */
  setFile(uri: string, text: string): WorkspaceFile {
    const filePath = uriToPath(uri);
    const previous = this.files.get(filePath);
    const chartRoot = this.chartRootOf(filePath);
    const file = parseManifest(
      uri,
      filePath,
      text,
      this.options.limits ?? DEFAULT_LIMITS,
      previous?.file,
      factsOfDocument,
      chartRoot,
    );
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
      const chartRoot = this.chartRootOf(file.path);
      if (chartRoot === file.template?.chartRoot) continue;
      const limits = this.options.limits ?? DEFAULT_LIMITS;
      this.put(entry, parseManifest(file.uri, file.path, file.text, limits, undefined, factsOfDocument, chartRoot));
    }
    this.clusterCache = undefined;
  }

  /** A file that could not be read stays in the workspace, empty, so that `file-skipped` gives the reason. */
  setUnreadable(uri: string, reason: string): WorkspaceFile {
    const filePath = uriToPath(uri);
    return this.put(this.files.get(filePath), unreadableManifest(uri, filePath, reason));
  }

  private put(previous: WorkspaceFile | undefined, file: ManifestFile): WorkspaceFile {
    const entry = { file, facts: extractFacts(file) };
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
    if (!clusters || !previous || isMarker(previous.facts) !== isMarker(entry.facts)) {
      this.clusterCache = undefined;
      return;
    }
    const index = clusters.findIndex((c) => c.files.includes(previous));
    if (index < 0) {
      this.clusterCache = undefined;
      return;
    }
    const old = clusters[index];
    const files = old.files.map((f) => (f === previous ? entry : f));
    const facts = mergeFacts(files.map((f) => f.facts));
    const updated = [...clusters];
    updated[index] = { ...old, files, facts, network: buildClusterNetwork(facts, this.options) };
    this.clusterCache = updated;
  }

  removeFile(uri: string): void {
    const filePath = uriToPath(uri);
    if (!this.files.delete(filePath)) return;
    this.clusterCache = undefined;
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

  private buildClusters(): Cluster[] {
    const markerFolders = new Set<string>();
    for (const entry of this.files.values())
      if (isMarker(entry.facts)) markerFolders.add(path.posix.dirname(entry.file.path));
    const keyOf = this.clusterKeys(markerFolders);
    const groups = new Map<string, { name: string; root: string; files: WorkspaceFile[] }>();
    const sorted = [...this.files.values()].sort((a, b) => byCodeUnits(a.file.path, b.file.path));
    for (const entry of sorted) {
      const { id, name, root } = keyOf(entry.file.path);
      const group = groups.get(id) ?? { name, root, files: [] };
      group.files.push(entry);
      groups.set(id, group);
    }
    return [...groups.entries()].map(([id, group]) => {
      const facts = mergeFacts(group.files.map((f) => f.facts));
      return {
        id,
        name: group.name,
        root: group.root,
        files: group.files,
        facts,
        network: buildClusterNetwork(facts, this.options),
      };
    });
  }

  /** Gives each file's cluster; the roots and mapped folders are resolved once for all files. */
  private clusterKeys(markerFolders: Set<string>): (filePath: string) => { id: string; name: string; root: string } {
    const roots = this.options.roots.map((r) => path.posix.normalize(r));
    const mappings = (this.options.clusterMappings ?? [])
      .flatMap((m) =>
        (path.posix.isAbsolute(m.folder) ? [m.folder] : roots.map((r) => path.posix.join(r, m.folder))).map(
          (folder) => ({ folder: path.posix.normalize(folder), name: m.name }),
        ),
      )
      .sort((a, b) => b.folder.length - a.folder.length);
    const rootsDeepestFirst = [...roots].sort((a, b) => b.length - a.length);
    const within = (filePath: string, folder: string) =>
      filePath === folder || filePath.startsWith(folder.endsWith('/') ? folder : folder + '/');
    // Files of one folder share their cluster: the walk up to a marker folder is done once per folder.
    const byFolder = new Map<string, { id: string; name: string; root: string }>();
    const keyOfFolder = (start: string) => {
      const workspaceRoot = rootsDeepestFirst.find((root) => within(start + '/', root));
      let folder = start;
      while (true) {
        if (markerFolders.has(folder)) return { id: folder, name: path.posix.basename(folder) || folder, root: folder };
        const parent = path.posix.dirname(folder);
        if (folder === workspaceRoot || parent === folder) break;
        folder = parent;
      }
      const root = workspaceRoot ?? start;
      return { id: root, name: path.posix.basename(root) || root, root };
    };
    return (filePath) => {
      const mapping = mappings.find((m) => within(filePath, m.folder));
      if (mapping) return { id: `mapping:${mapping.name}`, name: mapping.name, root: mapping.folder };
      const folder = path.posix.dirname(filePath);
      let key = byFolder.get(folder);
      if (!key) byFolder.set(folder, (key = keyOfFolder(folder)));
      return key;
    };
  }
}
