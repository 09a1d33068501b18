// `podnet check --explain-clusters`: which file went into which cluster, and why.
import { type ClusterBasis, type Membership } from '../model/grouping';
import { type ClusterExplanation, type Workspace } from '../model/workspace';
import { displayName } from './load';
import { type CniDetection } from '../model/cniDetection';
import { uriToPath } from '../model/workspace';

export interface ExplainedCluster {
  name: string;
  root: string;
  basis: ClusterBasis['kind'];
  reason: string;
  /** The CNI modelled, how it was decided, and every object that tells one. */
  cni: {
    kind: CniDetection['kind'];
    from: CniDetection['from'];
    reason: string;
    evidence: Array<{ cni: string; what: string; file?: string; conflist?: string }>;
  };
  files: Array<{ file: string; membership: Membership['kind']; reason: string }>;
}

const shown = (filePath: string) => (filePath === process.cwd() ? '.' : displayName(filePath));

/** `file:line` of an offset in a `.podnet.yaml`. */
function at(workspace: Workspace, file: string, offset: number): string {
  const line = workspace.getFile(file)?.file.lines.positionAt(offset).line;
  return line === undefined ? shown(file) : `${shown(file)}:${line + 1}`;
}

function basisReason(workspace: Workspace, basis: ClusterBasis): string {
  switch (basis.kind) {
    case 'cni':
      return `holds CNI configuration: ${basis.evidence.object} in ${shown(basis.evidence.file)}`;
    case 'marker': {
      const holds = `holds ${basis.evidence.object} in ${shown(basis.evidence.file)}`;
      if (!basis.sharedCni) return `no CNI configuration at or above it; ${holds}`;
      const [a, b] = basis.sharedCni.nodeFolders;
      return (
        `${holds}; the CNI configuration in ${shown(basis.sharedCni.folder)} is not joined because Node objects ` +
        `sit side by side in ${shown(a)} and ${shown(b)} (name the clusters in .podnet.yaml)`
      );
    }
    case 'workspace':
      return 'no CNI configuration, Node objects or control-plane manifest at or above its files: the workspace folder';
    case 'setting':
      return `podnet.clusters maps ${shown(basis.folder)}`;
    case 'config':
      return `${at(workspace, basis.file, basis.entry.nameRange[0])} names the cluster`;
  }
}

function membershipReason(workspace: Workspace, membership: Membership): string {
  switch (membership.kind) {
    case 'root':
      return 'in the root folder';
    case 'cni-above':
      return 'nearest folder above with CNI configuration';
    case 'marker-above':
      return 'nearest folder above with Node objects or a control-plane manifest (no CNI configuration above)';
    case 'workspace':
      return 'no cluster root above: the workspace folder';
    case 'setting':
      return `podnet.clusters maps ${shown(membership.folder)}`;
    case 'config':
      return `${at(workspace, membership.file, membership.range[0])} includes ${membership.pattern}`;
  }
}

export function explainClusters(workspace: Workspace): ExplainedCluster[] {
  return workspace.explainClusters().map(({ cluster, basis, files }: ClusterExplanation) => ({
    name: cluster.name,
    root: shown(cluster.root),
    basis: basis.kind,
    reason: basisReason(workspace, basis),
    cni: explainCni(cluster.network.cni),
    files: files.map(({ path, membership }) => ({
      file: shown(path),
      membership: membership.kind,
      reason: membershipReason(workspace, membership),
    })),
  }));
}

function explainCni(cni: CniDetection): ExplainedCluster['cni'] {
  const evidence = cni.evidence.map((e) => ({
    cni: e.cni,
    what: e.what,
    ...(e.source ? { file: shown(uriToPath(e.source.uri)) } : {}),
    ...(e.conflist ? { conflist: e.conflist } : {}),
  }));
  const listed = evidence.map((e) => `${e.what}${e.file ? ` in ${e.file}` : ''}`).join('; ');
  const kinds = new Set(evidence.map((e) => e.cni));
  const chosen = evidence.find((e) => e.cni === cni.kind && e.conflist);
  const reason =
    cni.from === 'setting'
      ? `named by the podnet.cni setting or --cni${listed ? `; the manifests show: ${listed}` : ''}`
      : cni.from === 'project-config'
        ? `named by .podnet.yaml's cni${listed ? `; the manifests show: ${listed}` : ''}`
        : cni.kind === 'unknown'
          ? 'no CNI configuration in the manifests: Podnet assumes none'
          : kinds.size > 1
            ? `several CNIs are installed; the runtime loads ${chosen?.conflist ?? 'its config file'} first: ${listed}`
            : `from ${listed}`;
  return { kind: cni.kind, from: cni.from, reason, evidence };
}

export function formatExplanation(clusters: ExplainedCluster[]): string {
  const lines: string[] = [];
  for (const cluster of clusters) {
    lines.push(
      `cluster ${cluster.name} (root ${cluster.root})`,
      `  why: ${cluster.reason}`,
      `  cni: ${cluster.cni.kind}, ${cluster.cni.reason}`,
    );
    for (const file of cluster.files) lines.push(`  ${file.file}: ${file.reason}`);
    lines.push('');
  }
  return lines.map((line) => line + '\n').join('');
}
