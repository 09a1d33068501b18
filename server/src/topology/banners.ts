// The errors that stop the network, for the banners of the topology: the cluster's diagnostics whose
// rule, at error severity, means flanneld exits or the CNI config cannot be loaded. The list is kept
// here, once: a rule belongs in it only when its error really leaves pods without a network (see each
// rule's documentation in rules/registry.ts). User settings and suppression comments do not hide a
// banner: turning a diagnostic off does not make flanneld start.
import { findingsOf } from '../engine';
import { type RuleId, ruleMeta } from '../rules/registry';
import { type Finding } from '../rules/types';
import { type Cluster } from '../model/workspace';
import { type SourceRef, type TopologyBanner } from './types';

/** Rules whose errors stop the network: on every node (`cluster`) or on the node they point at (`node`). */
export const NETWORK_STOPPING: Readonly<Partial<Record<RuleId, 'cluster' | 'node'>>> = {
  // flanneld cannot read net-conf.json; the runtime cannot load cni-conf.json.
  'json-syntax': 'cluster',
  'json-type': 'cluster',
  'network-missing': 'cluster',
  'ipv6-network-missing': 'cluster',
  'no-address-family': 'cluster',
  'cidr-invalid': 'cluster',
  'network-too-small': 'cluster',
  'subnetlen-range': 'cluster',
  'subnet-range': 'cluster',
  'backend-type-unknown': 'cluster',
  'backend-option-invalid': 'cluster',
  // The CNI config is not loaded: pods stay in ContainerCreating.
  'cni-version': 'cluster',
  'cni-name': 'cluster',
  'cni-plugins': 'cluster',
  // kube-controller-manager hands out podCIDRs flanneld refuses; a node's own podCIDR outside Network.
  'cluster-cidr-mismatch': 'cluster',
  'podcidr-outside-network': 'node',
  // The flannel DaemonSet cannot start or cannot configure the node.
  'flannel-configmap-ref': 'cluster',
  'flannel-mount': 'cluster',
  'flannel-host-network': 'cluster',
  'flannel-privileges': 'cluster',
  'allocate-node-cidrs-off': 'cluster',
};

export function networkBanners(
  cluster: Cluster,
  locate: (uri: string, range: Finding['range']) => SourceRef | undefined,
): TopologyBanner[] {
  const kubeMode = cluster.network.kubeMode;
  const byRule = new Map<RuleId, Finding[]>();
  for (const finding of findingsOf(cluster)) {
    const scope = NETWORK_STOPPING[finding.code];
    if (!scope) continue;
    const meta = ruleMeta(finding.code);
    const severity = finding.severity ?? (kubeMode && meta.kubeModeSeverity ? meta.kubeModeSeverity : meta.severity);
    if (severity !== 'error') continue;
    const list = byRule.get(finding.code) ?? [];
    list.push(finding);
    byRule.set(finding.code, list);
  }
  const banners: TopologyBanner[] = [];
  for (const [rule, findings] of byRule) {
    findings.sort((a, b) => a.uri.localeCompare(b.uri) || a.range[0] - b.range[0]);
    const scope = NETWORK_STOPPING[rule] ?? 'cluster';
    const first = findings[0];
    banners.push({
      rule,
      message: first.message,
      source: locate(first.uri, first.range),
      scope,
      nodes: scope === 'node' ? nodesHit(cluster, findings) : [],
      more: findings.length - 1,
    });
  }
  // Cluster-wide errors first: they explain the node ones.
  banners.sort((a, b) => (a.scope === b.scope ? 0 : a.scope === 'cluster' ? -1 : 1));
  return banners;
}

/** The nodes whose podCIDR a finding points at. */
function nodesHit(cluster: Cluster, findings: Finding[]): string[] {
  const names: string[] = [];
  for (const node of cluster.network.nodes) {
    const facts = node.facts;
    if (!facts) continue;
    const hit = findings.some(
      (f) =>
        f.uri === facts.object.uri &&
        facts.podCIDRs.some((item) => item.range[0] <= f.range[0] && f.range[1] <= item.range[1]),
    );
    if (hit) names.push(node.name);
  }
  return names;
}
