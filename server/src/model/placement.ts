// Which nodes a pod may run on, as the scheduler, the kubelet and the DaemonSet controller decide it
// from manifests (kubernetes-workloads.md §3, §4): nodeName, nodeSelector, required node affinity,
// taints and tolerations. Pure functions over plain values; each answer says why a node is refused.
import { type NodeFacts } from './objects';
import {
  HOSTNAME_LABEL,
  type LabelSelector,
  type NodeSelectorTerm,
  type Requirement,
  type SchedulingSpec,
  type Taint,
  type Toleration,
} from './schedulingSpec';

/** A node as placement sees it, built once per cluster. */
export interface SchedulingNode {
  readonly name: string;
  readonly labels: ReadonlyMap<string, string>;
  /** Label keys taken as the kubelet sets them because no Node object says: `kubernetes.io/os`… */
  readonly assumedLabels: ReadonlySet<string>;
  /** Including `node.kubernetes.io/unschedulable:NoSchedule` for a cordoned node. */
  readonly taints: readonly Taint[];
  /** Whether a Node object describes the node; without one only its name is known. */
  readonly declared: boolean;
}

/** Who decides: the scheduler (no nodeName), the kubelet alone (nodeName set), the DaemonSet controller. */
export type Decider = 'scheduler' | 'kubelet' | 'daemonset';

/** What placement reads of a pod spec. */
export interface PlacedSpec {
  readonly nodeName?: { readonly value: string };
  readonly hostNetwork: boolean;
  readonly scheduling: SchedulingSpec;
}

export const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

/**
 * The labels every kubelet registers its node with (pkg/kubelet `initialNode`), with the values a
 * Linux amd64 node gets. Podnet assumes them where the Node object (if any) does not set them.
 */
function kubeletLabels(name: string, labels: ReadonlyMap<string, string>): Array<[string, string]> {
  const os = labels.get('kubernetes.io/os') ?? labels.get('beta.kubernetes.io/os') ?? 'linux';
  const arch = labels.get('kubernetes.io/arch') ?? labels.get('beta.kubernetes.io/arch') ?? 'amd64';
  return [
    [HOSTNAME_LABEL, name],
    ['kubernetes.io/os', os],
    ['kubernetes.io/arch', arch],
    ['beta.kubernetes.io/os', os],
    ['beta.kubernetes.io/arch', arch],
  ];
}

export function schedulingNodeOf(name: string, facts?: NodeFacts): SchedulingNode {
  const labels = new Map(facts?.labels ?? []);
  const assumedLabels = new Set<string>();
  for (const [key, value] of kubeletLabels(name, labels)) {
    if (labels.has(key)) continue;
    labels.set(key, value);
    assumedLabels.add(key);
  }
  const taints = [...(facts?.taints ?? [])];
  // A cordoned node carries this taint (the node lifecycle controller adds it); the scheduler's
  // NodeUnschedulable filter lets through only pods that tolerate it.
  if (facts?.unschedulable && !taints.some((t) => t.key === UNSCHEDULABLE_TAINT && t.effect === 'NoSchedule'))
    taints.push({ key: UNSCHEDULABLE_TAINT, value: '', effect: 'NoSchedule' });
  return { name, labels, assumedLabels, taints, declared: facts !== undefined };
}

/**
 * The tolerations the DaemonSet controller adds to every daemon pod (AddOrUpdateDaemonPodTolerations).
 * Not the control-plane taint: a DaemonSet runs on kubeadm's control-plane nodes only if it tolerates it.
 */
export function daemonSetTolerations(hostNetwork: boolean): Toleration[] {
  const exists = (key: string, effect: string): Toleration => ({ key, operator: 'Exists', value: '', effect });
  const added = [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists(UNSCHEDULABLE_TAINT, 'NoSchedule'),
  ];
  if (hostNetwork) added.push(exists('node.kubernetes.io/network-unavailable', 'NoSchedule'));
  return added;
}

/** core/v1 `Toleration.ToleratesTaint`. Lt/Gt need a feature gate and are taken as tolerating nothing. */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (toleration.operator === 'Exists') return true;
  return toleration.operator === 'Equal' && toleration.value === taint.value;
}

export const formatTaint = (taint: Taint): string =>
  `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;

/** Why the pod cannot run on the node, or undefined when it can. */
export function whyNotOn(spec: PlacedSpec, node: SchedulingNode, decider: Decider): string | undefined {
  const nodeName = spec.nodeName?.value;
  if (decider === 'daemonset' && nodeName && nodeName !== node.name) return `spec.nodeName is \`${nodeName}\``;
  return selectorMismatch(spec.scheduling, node) ?? untoleratedTaint(spec, node, decider);
}

/** nodeSelector and required node affinity must both hold (the scheduler and kubelet admission alike). */
function selectorMismatch(scheduling: SchedulingSpec, node: SchedulingNode): string | undefined {
  for (const [key, value] of scheduling.nodeSelector) {
    const actual = node.labels.get(key);
    if (actual === value) continue;
    const has = actual === undefined ? `the node has no label ${key}` : `the node has ${key}=${actual}`;
    return `nodeSelector ${key}=${value}: ${has}${assumption(node, key)}`;
  }
  const terms = scheduling.requiredTerms;
  if (!terms) return undefined;
  if (terms.some((term) => termMatches(term, node))) return undefined;
  if (terms.length !== 1) return `required node affinity: none of its ${terms.length} terms matches`;
  const failing = [...terms[0].matchExpressions, ...terms[0].matchFields].find(
    (r) => !(terms[0].matchFields.includes(r) ? fieldMatches(r, node) : labelMatches(r, node.labels)),
  );
  return failing
    ? `required node affinity: ${formatRequirement(failing)} does not hold${assumption(node, failing.key)}`
    : 'required node affinity: its term is empty, and an empty term matches no node';
}

const assumption = (node: SchedulingNode, key: string): string =>
  !node.assumedLabels.has(key)
    ? ''
    : node.declared
      ? ` (the Node object does not set ${key}; the kubelet's value is assumed)`
      : ' (no Node object: only the labels every kubelet sets are known, with assumed values)';

/** Terms are ORed, requirements within one ANDed; a term with no requirement matches nothing. */
function termMatches(term: NodeSelectorTerm, node: SchedulingNode): boolean {
  if (term.matchExpressions.length === 0 && term.matchFields.length === 0) return false;
  return (
    term.matchExpressions.every((r) => labelMatches(r, node.labels)) &&
    term.matchFields.every((r) => fieldMatches(r, node))
  );
}

/** apimachinery `Requirement.Matches`: NotIn and DoesNotExist hold when the label is absent. */
export function labelMatches(requirement: Requirement, labels: ReadonlyMap<string, string>): boolean {
  const value = labels.get(requirement.key);
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && requirement.values.includes(value);
    case 'NotIn':
      return value === undefined || !requirement.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (requirement.values.length !== 1 || value === undefined) return false;
      const [label, bound] = [integer(value), integer(requirement.values[0])];
      if (label === undefined || bound === undefined) return false;
      return requirement.operator === 'Gt' ? label > bound : label < bound;
    }
    default:
      return false;
  }
}

/** Go's strconv.ParseInt(s, 10, 64). */
function integer(text: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value >= -(2n ** 63n) && value < 2n ** 63n ? value : undefined;
}

/** matchFields knows one field, `metadata.name`, with In or NotIn and exactly one value. */
function fieldMatches(requirement: Requirement, node: SchedulingNode): boolean {
  if (requirement.key !== 'metadata.name' || requirement.values.length !== 1) return false;
  if (requirement.operator === 'In') return requirement.values[0] === node.name;
  if (requirement.operator === 'NotIn') return requirement.values[0] !== node.name;
  return false;
}

export const formatRequirement = (r: Requirement): string =>
  r.operator === 'Exists' || r.operator === 'DoesNotExist'
    ? `${r.key} ${r.operator}`
    : `${r.key} ${r.operator} [${r.values.join(', ')}]`;

/**
 * The first taint the pod does not tolerate among those that keep it off the node: NoSchedule and
 * NoExecute for the scheduler and the DaemonSet controller; only NoExecute for a pod whose nodeName
 * bypasses the scheduler (the kubelet evicts it). PreferNoSchedule only lowers a node's score.
 */
function untoleratedTaint(spec: PlacedSpec, node: SchedulingNode, decider: Decider): string | undefined {
  const tolerations =
    decider === 'daemonset'
      ? [...spec.scheduling.tolerations, ...daemonSetTolerations(spec.hostNetwork)]
      : spec.scheduling.tolerations;
  for (const taint of node.taints) {
    const blocks = taint.effect === 'NoExecute' || (taint.effect === 'NoSchedule' && decider !== 'kubelet');
    if (!blocks || tolerations.some((t) => tolerates(t, taint))) continue;
    const daemonNote =
      decider === 'daemonset' ? ' (a DaemonSet tolerates only the node-condition taints by itself)' : '';
    return `taint ${formatTaint(taint)} not tolerated${daemonNote}`;
  }
  return undefined;
}

/** The labels a verdict rests on that no Node object sets (assumed as the kubelet sets them): `kubernetes.io/os`… */
export function assumedLabelsRead(scheduling: SchedulingSpec, node: SchedulingNode): string[] {
  if (node.assumedLabels.size === 0) return [];
  const keys = new Set(scheduling.nodeSelector.map(([key]) => key));
  for (const term of scheduling.requiredTerms ?? []) for (const r of term.matchExpressions) keys.add(r.key);
  return [...keys].filter((key) => node.assumedLabels.has(key));
}

/** Whether a label selector (of a podAntiAffinity term) selects a pod with these labels. */
export function selects(selector: LabelSelector, labels: ReadonlyMap<string, string>): boolean {
  return (
    selector.matchLabels.every(([key, value]) => labels.get(key) === value) &&
    selector.matchExpressions.every((r) => labelMatches(r, labels))
  );
}

/**
 * One sentence for a pod that fits no node: the reasons grouped, each with the nodes it applies to
 * (a few named, the rest counted), so that 50 identical refusals read as one.
 */
export function noNodeReason(refusals: ReadonlyArray<{ node: string; reason: string }>): string {
  if (refusals.length === 0) return 'no nodes known: add Node objects, or name the nodes in podnet.knownNodes';
  const byReason = new Map<string, string[]>();
  for (const { node, reason } of refusals) {
    const nodes = byReason.get(reason);
    if (nodes) nodes.push(node);
    else byReason.set(reason, [node]);
  }
  const parts = [...byReason].map(([reason, nodes]) => `${reason} (${listNodes(nodes)})`);
  return `no node it can run on: ${parts.join('; ')}`;
}

/** `node-1, node-2, node-3 and 47 more`. */
export function listNodes(nodes: readonly string[], shown = 3): string {
  if (nodes.length <= shown + 1) return nodes.join(', ');
  return `${nodes.slice(0, shown).join(', ')} and ${nodes.length - shown} more`;
}
