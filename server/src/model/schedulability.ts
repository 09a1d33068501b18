// What the workspace proves about where a pod can run, as opposed to what placement.ts guesses. A
// verdict rests only on facts: the labels of a Node object that lists its labels (a `kubectl get -o yaml`
// dump always does), `kubernetes.io/hostname`, which every kubelet sets to its node's name (unless
// --hostname-override says otherwise), and the taints of a Node object. A node known only by name
// (`podnet.knownNodes`, a Node object without labels) has unknown labels and taints: a selector on them
// is neither met nor refused there. Rules warn only on certain refusals.
import { type NodeFacts } from './objects';
import {
  daemonSetTolerations,
  type Decider,
  formatRequirement,
  formatTaint,
  labelMatches,
  listNodes,
  type PlacedSpec,
  schedulingNodeOf,
  type SchedulingNode,
  tolerates,
} from './placement';
import { HOSTNAME_LABEL, type Requirement, type Taint } from './schedulingSpec';
import { cachedPerCluster } from './snapshots';

/** A node with what the workspace knows of it. */
export interface KnownNode {
  readonly scheduling: SchedulingNode;
  /** A Node object lists the node's labels: a label it lacks is absent (the kubelet's own are assumed). */
  readonly labelsKnown: boolean;
  /** A Node object describes the node: its taints are the node's taints. */
  readonly taintsKnown: boolean;
}

export function knownNodeOf(name: string, facts?: NodeFacts): KnownNode {
  return {
    scheduling: schedulingNodeOf(name, facts),
    labelsKnown: (facts?.labels.length ?? 0) > 0,
    taintsKnown: facts !== undefined,
  };
}

/** The cluster's nodes as knownNodeOf gives them, built once per cluster snapshot for all the rules. */
export const knownNodesOf = cachedPerCluster((cluster): readonly KnownNode[] =>
  cluster.network.nodes.map((n) => knownNodeOf(n.name, n.facts)),
);

/** `Podnet checked the 4 nodes it knows (cp-1, node-1, …).`: findings say which nodes they rest on. */
export function checkedText(nodes: readonly KnownNode[]): string {
  const names = nodes.map((n) => n.scheduling.name);
  return `Podnet checked the ${names.length} node${names.length === 1 ? '' : 's'} it knows (${listNodes(names, 5)}).`;
}

/** What keeps the pod off the node: the token a finding points at. */
export type RefusalCause =
  | { readonly kind: 'nodeName' }
  | { readonly kind: 'nodeSelector'; readonly key: string }
  /** A requirement of the only term of the required node affinity (`field`: of its matchFields). */
  | { readonly kind: 'affinity'; readonly requirement: Requirement; readonly field: boolean }
  /** Several terms, none of which holds. */
  | { readonly kind: 'affinityTerms' }
  | { readonly kind: 'taint'; readonly taint: Taint };

export type NodeVerdict =
  | { readonly node: string; readonly fits: true }
  | { readonly node: string; readonly fits: false; readonly cause: RefusalCause; readonly reason: string }
  /** Not known: `reason` says what the workspace does not tell. */
  | { readonly node: string; readonly fits: 'unknown'; readonly reason: string };

const UNKNOWN_LABELS = 'its labels are unknown (no Node object lists them)';

/** Whether the requirement holds on the node: undefined when the node's labels do not tell. */
export function holds(requirement: Requirement, node: KnownNode, field: boolean): boolean | undefined {
  const { scheduling } = node;
  if (field) {
    // matchFields knows one field, `metadata.name`, with In or NotIn and one value.
    const [value] = requirement.values;
    if (requirement.key !== 'metadata.name' || requirement.values.length !== 1) return false;
    if (requirement.operator === 'In') return value === scheduling.name;
    if (requirement.operator === 'NotIn') return value !== scheduling.name;
    return false;
  }
  const known =
    requirement.key === HOSTNAME_LABEL || (node.labelsKnown && !scheduling.assumedLabels.has(requirement.key));
  return known ? labelMatches(requirement, scheduling.labels) : undefined;
}

/** holds() for a nodeSelector entry, an In of one value, without building a requirement per pod and node. */
function selectorEntryHolds(key: string, value: string, node: KnownNode): boolean | undefined {
  const { scheduling } = node;
  const known = key === HOSTNAME_LABEL || (node.labelsKnown && !scheduling.assumedLabels.has(key));
  return known ? scheduling.labels.get(key) === value : undefined;
}

/** `the node has no label disktype` / `the node has disktype=hdd`. */
function labelText(node: KnownNode, key: string): string {
  const value = node.scheduling.labels.get(key);
  return value === undefined ? `the node has no label ${key}` : `the node has ${key}=${value}`;
}

type Part = { refused: RefusalCause; reason: string } | { unknown: string } | undefined;

function selectorPart(spec: PlacedSpec, node: KnownNode): Part {
  let unknown: string | undefined;
  for (const [key, value] of spec.scheduling.nodeSelector) {
    const verdict = selectorEntryHolds(key, value, node);
    if (verdict === false)
      return {
        refused: { kind: 'nodeSelector', key },
        reason: `nodeSelector ${key}=${value}: ${labelText(node, key)}`,
      };
    if (verdict === undefined) unknown ??= `nodeSelector ${key}=${value}: ${UNKNOWN_LABELS}`;
  }
  const terms = spec.scheduling.requiredTerms;
  if (terms) {
    const results = terms.map((term) => termVerdict(term.matchExpressions, term.matchFields, node));
    if (results.some((r) => r.holds === true)) return unknown ? { unknown } : undefined;
    if (results.every((r) => r.holds === false)) {
      if (terms.length !== 1)
        return {
          refused: { kind: 'affinityTerms' },
          reason: `required node affinity: none of its ${terms.length} terms holds`,
        };
      const failing = results[0].failing;
      if (!failing)
        return {
          refused: { kind: 'affinityTerms' },
          reason: 'required node affinity: its term is empty, and an empty term matches no node',
        };
      const has = failing.field ? '' : ` (${labelText(node, failing.requirement.key)})`;
      return {
        refused: { kind: 'affinity', ...failing },
        reason: `required node affinity: ${formatRequirement(failing.requirement)} does not hold${has}`,
      };
    }
    unknown ??= `required node affinity: ${UNKNOWN_LABELS}`;
  }
  return unknown ? { unknown } : undefined;
}

/** Requirements of one term are ANDed; a term without any matches no node. */
function termVerdict(
  expressions: readonly Requirement[],
  fields: readonly Requirement[],
  node: KnownNode,
): { holds: boolean | undefined; failing?: { requirement: Requirement; field: boolean } } {
  if (expressions.length === 0 && fields.length === 0) return { holds: false };
  let all: boolean | undefined = true;
  const each = [...expressions.map((r) => [r, false] as const), ...fields.map((r) => [r, true] as const)];
  for (const [requirement, field] of each) {
    const verdict = holds(requirement, node, field);
    if (verdict === false) return { holds: false, failing: { requirement, field } };
    if (verdict === undefined) all = undefined;
  }
  return { holds: all };
}

/**
 * Taints that keep the pod off: NoSchedule and NoExecute for the scheduler and the DaemonSet controller,
 * NoExecute alone for a pod whose nodeName bypasses the scheduler. Unknown taints (no Node object) leave a
 * scheduled pod's fit unknown unless it tolerates every taint; a pinned pod is taken to fit, since only
 * NoExecute taints (node conditions such as not-ready) could evict it.
 */
function taintPart(spec: PlacedSpec, node: KnownNode, decider: Decider): Part {
  const tolerations =
    decider === 'daemonset'
      ? [...spec.scheduling.tolerations, ...daemonSetTolerations(spec.hostNetwork)]
      : spec.scheduling.tolerations;
  const blocks = (effect: string) => effect === 'NoExecute' || (effect === 'NoSchedule' && decider !== 'kubelet');
  if (!node.taintsKnown) {
    if (decider === 'kubelet') return undefined;
    const any = (effect: string): Taint => ({ key: '', value: '', effect });
    const toleratesAll = ['NoSchedule', 'NoExecute'].every((effect) =>
      tolerations.some((t) => t.key === '' && t.operator === 'Exists' && tolerates(t, any(effect))),
    );
    return toleratesAll ? undefined : { unknown: 'no Node object: its taints are unknown' };
  }
  for (const taint of node.scheduling.taints) {
    if (!blocks(taint.effect) || tolerations.some((t) => tolerates(t, taint))) continue;
    const daemonNote =
      decider === 'daemonset' ? ' (a DaemonSet tolerates only the node-condition taints by itself)' : '';
    return { refused: { kind: 'taint', taint }, reason: `taint ${formatTaint(taint)} not tolerated${daemonNote}` };
  }
  return undefined;
}

/** Whether the pod can run on the node, as far as the workspace proves it; the first certain refusal wins. */
export function verdictOn(spec: PlacedSpec, node: KnownNode, decider: Decider): NodeVerdict {
  const name = node.scheduling.name;
  const nodeName = spec.nodeName?.value;
  if (decider === 'daemonset' && nodeName && nodeName !== name)
    return { node: name, fits: false, cause: { kind: 'nodeName' }, reason: `spec.nodeName is \`${nodeName}\`` };
  return verdictOf(name, [selectorPart(spec, node), taintPart(spec, node, decider)]);
}

/** Whether the node's labels meet the pod's nodeSelector and required node affinity, taints aside. */
export const selectionVerdictOn = (spec: PlacedSpec, node: KnownNode): NodeVerdict =>
  verdictOf(node.scheduling.name, [selectorPart(spec, node)]);

/** Whether the node's taints let the pod on, labels aside. */
export const taintVerdictOn = (spec: PlacedSpec, node: KnownNode, decider: Decider): NodeVerdict =>
  verdictOf(node.scheduling.name, [taintPart(spec, node, decider)]);

function verdictOf(node: string, parts: readonly Part[]): NodeVerdict {
  let unknown: string | undefined;
  for (const part of parts) {
    if (!part) continue;
    if ('refused' in part) return { node, fits: false, cause: part.refused, reason: part.reason };
    unknown ??= part.unknown;
  }
  return unknown ? { node, fits: 'unknown', reason: unknown } : { node, fits: true };
}
