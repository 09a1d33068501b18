// Which cluster each file belongs to, and why. Repositories lay clusters out by folder: the CNI
// manifest sits at the top of a cluster's folder, and the rest (a kubeadm config in `scripts/install/`,
// Node dumps, Pods) anywhere below it. So a folder holding CNI configuration is a cluster's root, and a
// file joins the nearest such folder at or above its own, within its workspace root. Below no CNI
// configuration, the nearest folder with Node objects or a control-plane manifest is the root, else the
// workspace folder. Explicit choices win: `podnet.clusters` from the settings, then `.podnet.yaml`.
//
// One case keeps the folder-per-marker grouping although CNI configuration lies above: Node objects in
// two folders side by side (`clusters/prod/`, `clusters/staging/`) below one shared CNI manifest are two
// clusters using the same install, and merging them would compare one cluster's podCIDRs with the other's.
import * as path from 'path';
import { type K8sObject } from '../core/manifest';
import { isCanalConfigMap } from './canal';
import { type FileFacts, isFlannelConfigMap } from './objects';
import { type ConfigCluster, includes, type IncludePattern, type ProjectConfig } from './projectConfig';

/** The object that made a folder a cluster root, and the file it is in. */
export interface Evidence {
  readonly file: string;
  /** e.g. `ConfigMap kube-system/kube-flannel-cfg (net-conf.json)`. */
  readonly object: string;
}

/** Why a cluster's root is its root. */
export type ClusterBasis =
  | { readonly kind: 'cni'; readonly evidence: Evidence }
  | {
      readonly kind: 'marker';
      readonly evidence: Evidence;
      /** Set when CNI configuration lies above but is shared by folders of Node objects side by side. */
      readonly sharedCni?: { readonly folder: string; readonly nodeFolders: readonly [string, string] };
    }
  | { readonly kind: 'workspace' }
  | { readonly kind: 'setting'; readonly folder: string }
  | { readonly kind: 'config'; readonly file: string; readonly entry: ConfigCluster };

/** Why a file is in its cluster. */
export type Membership =
  | { readonly kind: 'root' }
  | { readonly kind: 'cni-above' }
  | { readonly kind: 'marker-above' }
  | { readonly kind: 'workspace' }
  | { readonly kind: 'setting'; readonly folder: string }
  | {
      readonly kind: 'config';
      readonly file: string;
      readonly pattern: string;
      readonly range: readonly [number, number];
    };

export interface Placement {
  readonly clusterId: string;
  readonly name: string;
  readonly root: string;
  readonly basis: ClusterBasis;
  readonly membership: Membership;
}

export interface GroupedFile {
  readonly path: string;
  readonly facts: FileFacts;
}

export interface ClusterMappingFolder {
  /** Absolute. */
  readonly folder: string;
  readonly name: string;
}

export interface ActiveConfig {
  /** The `.podnet.yaml` file's path. */
  readonly file: string;
  readonly config: ProjectConfig;
}

export interface GroupingInput {
  readonly files: readonly GroupedFile[];
  readonly roots: readonly string[];
  readonly mappings: readonly ClusterMappingFolder[];
  readonly configs: readonly ActiveConfig[];
}

export interface Grouping {
  /** Per file path. */
  readonly placements: ReadonlyMap<string, Placement>;
  /** Include patterns that took no file although their folder lies inside a workspace root. */
  readonly unusedIncludes: ReadonlyArray<{
    readonly file: string;
    readonly range: readonly [number, number];
    readonly text: string;
  }>;
}

const describe = (object: K8sObject, detail?: string) => {
  const name = object.name?.value ?? '(no name)';
  const namespaced = object.namespace ? `${object.namespace.value}/${name}` : name;
  return `${object.kind} ${namespaced}${detail ? ` (${detail})` : ''}`;
};

/** What makes a folder a cluster root: an object that configures the pod network. */
const CNI_CONFIGURATION: ReadonlyArray<(facts: FileFacts) => string | undefined> = [
  (facts) => {
    const map = facts.configMaps.find(isFlannelConfigMap);
    return map && describe(map.object, map.netConf ? 'net-conf.json' : 'cni-conf.json');
  },
  (facts) => {
    const map = facts.configMaps.find(isCanalConfigMap);
    return map && describe(map.object, "Canal's configuration");
  },
  (facts) => {
    const daemonSet = facts.daemonSets.find((d) => d.flannelContainer);
    return daemonSet && describe(daemonSet.object, 'runs flanneld');
  },
  (facts) => {
    const map = facts.configMaps.find((c) => c.calicoConfig && !isCanalConfigMap(c));
    return map && describe(map.object, "Calico's configuration");
  },
  (facts) => {
    const daemonSet = facts.daemonSets.find((d) => d.calicoNodeContainer);
    return daemonSet && describe(daemonSet.object, 'runs calico-node');
  },
  // Not IPPools: a `kubectl get ippools` dump sits beside Node dumps, below the install.
  (facts) => {
    const installation = facts.calico.find((c) => c.kind === 'Installation');
    return installation && describe(installation.object, 'Calico operator');
  },
];

export function cniConfigurationOf(facts: FileFacts): string | undefined {
  for (const recognise of CNI_CONFIGURATION) {
    const found = recognise(facts);
    if (found) return found;
  }
  return undefined;
}

/** Below no CNI configuration, these objects make a folder a cluster root. */
function controlPlaneOf(facts: FileFacts): string | undefined {
  const [node] = facts.nodes;
  if (node) return describe(node.object);
  const [kcm] = facts.controllerManagers;
  if (kcm) return describe(kcm.object, 'kube-controller-manager');
  const [config] = facts.clusterConfigurations;
  if (config) return describe(config.object, 'kubeadm');
  return undefined;
}

/**
 * What about a file can change its grouping: a file whose role is the same before and after an edit
 * stays in its cluster, and so does every other file.
 */
export const groupingRole = (facts: FileFacts): string =>
  `${cniConfigurationOf(facts) !== undefined}/${controlPlaneOf(facts) !== undefined}/${facts.nodes.length > 0}`;

const within = (filePath: string, folder: string) =>
  filePath === folder || filePath.startsWith(folder.endsWith('/') ? folder : folder + '/');

export function groupFiles(input: GroupingInput): Grouping {
  const explicit = explicitPlacer(input);
  const placements = new Map<string, Placement>();
  const automatic: GroupedFile[] = [];
  for (const file of input.files) {
    const placement = explicit.place(file.path);
    if (placement) placements.set(file.path, placement);
    else automatic.push(file);
  }
  const place = automaticPlacer(automatic, input.roots);
  for (const file of automatic) placements.set(file.path, place(file.path));
  return { placements: withConfigRoots(placements), unusedIncludes: explicit.unused() };
}

/** A `.podnet.yaml` cluster's root is the deepest folder holding all its files. */
function withConfigRoots(placements: Map<string, Placement>): Map<string, Placement> {
  const folders = new Map<string, string[]>();
  for (const [file, placement] of placements) {
    if (placement.basis.kind !== 'config') continue;
    const list = folders.get(placement.clusterId) ?? [];
    list.push(path.posix.dirname(file));
    folders.set(placement.clusterId, list);
  }
  const roots = new Map([...folders].map(([id, list]) => [id, commonFolder(list)]));
  for (const [file, placement] of placements) {
    const root = roots.get(placement.clusterId);
    if (root !== undefined && placement.basis.kind === 'config') placements.set(file, { ...placement, root });
  }
  return placements;
}

/**
 * Settings mappings (the deepest folder wins), then `.podnet.yaml` entries (the most specific include wins;
 * of two as specific, the earlier).
 */
function explicitPlacer(input: GroupingInput) {
  const mappings = [...input.mappings].sort((a, b) => b.folder.length - a.folder.length);
  const patterns = input.configs.flatMap(({ file, config }) => {
    const folder = path.posix.dirname(file);
    return config.clusters.flatMap((entry) =>
      entry.include.map((pattern) => ({ file, folder, entry, pattern, used: false })),
    );
  });
  return {
    place(filePath: string): Placement | undefined {
      const mapping = mappings.find((m) => within(filePath, m.folder));
      if (mapping)
        return {
          clusterId: `mapping:${mapping.name}`,
          name: mapping.name,
          root: mapping.folder,
          basis: { kind: 'setting', folder: mapping.folder },
          membership: { kind: 'setting', folder: mapping.folder },
        };
      let best: (typeof patterns)[number] | undefined;
      for (const candidate of patterns) {
        if (!within(filePath, candidate.folder)) continue;
        const relative = path.posix.relative(candidate.folder, filePath);
        if (!includes(candidate.pattern, relative)) continue;
        if (!best || specificity(candidate.pattern) > specificity(best.pattern)) best = candidate;
      }
      if (!best) return undefined;
      best.used = true;
      return {
        clusterId: `config:${best.file}#${best.entry.name}`,
        name: best.entry.name,
        root: best.folder,
        basis: { kind: 'config', file: best.file, entry: best.entry },
        membership: { kind: 'config', file: best.file, pattern: best.pattern.text, range: best.pattern.range },
      };
    },
    unused() {
      return patterns
        .filter(
          (p) =>
            !p.used && input.roots.some((root) => within(path.posix.join(p.folder, p.pattern.literalPrefix), root)),
        )
        .map((p) => ({ file: p.file, range: p.pattern.range, text: p.pattern.text }));
    },
  };
}

/** The longest fixed path wins; with the same fixed path, a glob (a part of it) over the folder (all of it). */
const specificity = (pattern: IncludePattern) => pattern.literalPrefix.length * 2 + (pattern.glob ? 1 : 0);

function commonFolder(folders: string[]): string {
  let common = folders[0];
  for (const folder of folders.slice(1)) while (!within(folder, common)) common = path.posix.dirname(common);
  return common;
}

function automaticPlacer(files: readonly GroupedFile[], roots: readonly string[]): (filePath: string) => Placement {
  const cniFolders = new Map<string, Evidence>();
  const markerFolders = new Map<string, Evidence>();
  const nodeFolders = new Set<string>();
  for (const { path: file, facts } of files) {
    const folder = path.posix.dirname(file);
    const cni = cniConfigurationOf(facts);
    if (cni && !cniFolders.has(folder)) cniFolders.set(folder, { file, object: cni });
    const marker = cni ?? controlPlaneOf(facts);
    if (marker && !markerFolders.has(folder)) markerFolders.set(folder, { file, object: marker });
    if (facts.nodes.length > 0) nodeFolders.add(folder);
  }
  const rootsDeepestFirst = [...roots].sort((a, b) => b.length - a.length);
  const workspaceRootOf = (folder: string) => rootsDeepestFirst.find((root) => within(folder, root));
  /** The nearest folder at or above `start`, within its workspace root, that is in `folders`. */
  const nearest = (start: string, folders: ReadonlyMap<string, unknown> | ReadonlySet<string>) => {
    const workspaceRoot = workspaceRootOf(start);
    let folder = start;
    while (true) {
      if (folders.has(folder)) return folder;
      const parent = path.posix.dirname(folder);
      if (folder === workspaceRoot || parent === folder) return undefined;
      folder = parent;
    }
  };
  const shared = sharedCniRoots(nodeFolders, (folder) => nearest(folder, cniFolders));
  const byFolder = new Map<string, Placement>();
  const placeFolder = (folder: string): Placement => {
    const cniRoot = nearest(folder, cniFolders);
    if (cniRoot !== undefined && !shared.has(cniRoot))
      return {
        clusterId: cniRoot,
        name: path.posix.basename(cniRoot) || cniRoot,
        root: cniRoot,
        basis: { kind: 'cni', evidence: cniFolders.get(cniRoot)! },
        membership: { kind: cniRoot === folder ? 'root' : 'cni-above' },
      };
    const markerRoot = nearest(folder, markerFolders);
    if (markerRoot !== undefined) {
      const sharedCni = cniRoot !== undefined ? { folder: cniRoot, nodeFolders: shared.get(cniRoot)! } : undefined;
      return {
        clusterId: markerRoot,
        name: path.posix.basename(markerRoot) || markerRoot,
        root: markerRoot,
        basis: { kind: 'marker', evidence: markerFolders.get(markerRoot)!, ...(sharedCni ? { sharedCni } : {}) },
        membership: { kind: markerRoot === folder ? 'root' : 'marker-above' },
      };
    }
    const root = workspaceRootOf(folder) ?? folder;
    return {
      clusterId: root,
      name: path.posix.basename(root) || root,
      root,
      basis: { kind: 'workspace' },
      membership: { kind: 'workspace' },
    };
  };
  // Files of one folder share their cluster: the walk up is done once per folder.
  return (filePath) => {
    const folder = path.posix.dirname(filePath);
    let placement = byFolder.get(folder);
    if (!placement) byFolder.set(folder, (placement = placeFolder(folder)));
    return placement;
  };
}

/**
 * The CNI roots below which Node objects sit in folders side by side (neither holding the other), each
 * with two such folders: those roots group their subtree folder by folder, as if they held no CNI.
 */
function sharedCniRoots(
  nodeFolders: ReadonlySet<string>,
  cniRootOf: (folder: string) => string | undefined,
): Map<string, readonly [string, string]> {
  const byCniRoot = new Map<string, string[]>();
  for (const folder of nodeFolders) {
    const cniRoot = cniRootOf(folder);
    if (cniRoot !== undefined) byCniRoot.set(cniRoot, [...(byCniRoot.get(cniRoot) ?? []), folder]);
  }
  const shared = new Map<string, readonly [string, string]>();
  for (const [cniRoot, folders] of byCniRoot) {
    folders.sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
    for (let i = 1; i < folders.length; i++) {
      if (within(folders[i], folders[i - 1])) continue;
      shared.set(cniRoot, [folders[i - 1], folders[i]]);
      break;
    }
  }
  return shared;
}
