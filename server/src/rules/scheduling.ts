// pod-unschedulable and daemonset-no-node (kubernetes-workloads.md §3, §4): pods whose nodeSelector,
// required node affinity or untolerated taints keep them off every node the workspace knows. Only where
// the workspace knows the nodes (Node objects or podnet.knownNodes), and only on what it proves
// (model/schedulability.ts): a label no Node object lists is never taken as missing.
import { type K8sObject } from '../core/manifest';
import { type OffsetRange } from '../core/text';
import { getText, rangeOf } from '../core/yamlAccess';
import { type PodFacts, type PodSpecFacts } from '../model/objects';
import { type Decider, formatRequirement, listNodes, noNodeReason } from '../model/placement';
import {
  checkedText,
  holds,
  type KnownNode,
  knownNodesOf,
  type NodeVerdict,
  type RefusalCause,
  verdictOn,
} from '../model/schedulability';
import { CONSTRAINED, podIndexOf } from '../model/podIndex';
import { type Requirement } from '../model/schedulingSpec';
import { nodeSelectorKeyRange, requirementKeyRange } from '../model/specTokens';
import { predictedCountsOf } from '../model/workloads';
import { type Finding, type RuleContext } from './types';

type Refused = Extract<NodeVerdict, { fits: false }>;

/** Labels a per-architecture or per-OS DaemonSet selects on: no such node yet is normal for it. */
const PLATFORM_LABELS = new Set([
  'kubernetes.io/arch',
  'kubernetes.io/os',
  'beta.kubernetes.io/arch',
  'beta.kubernetes.io/os',
]);

export function checkScheduling({ cluster, report }: RuleContext): void {
  const { network } = cluster;
  if (!network.nodesDeclared || network.nodes.length === 0) return;
  const nodes = knownNodesOf(cluster);
  const checked = checkedText(nodes);
  // The controllers the model expands: not those whose live pods stand for them, nor owned or empty ones.
  const expanded = predictedCountsOf(cluster);

  const byName = new Map(nodes.map((n) => [n.scheduling.name, n]));
  // Most Pods are pinned to a node whose kubelet surely admits them, or to no known node (a Pod without a
  // nodeSelector, a required node affinity or a node's NoExecute taint against it): passed over unread.
  const mayReject = new Map(nodes.map((n) => [n.scheduling.name, hasNoExecuteTaint(n)]));
  const { pods } = cluster.facts;
  const { nodeNames, flags } = podIndexOf(pods);
  for (let i = 0; i < pods.length; i++) {
    const pinned = nodeNames[i];
    if (pinned && (flags[i] & CONSTRAINED) === 0 && mayReject.get(pinned) !== true) continue;
    const pod = pods[i];
    if (network.staticPods.has(pod) || pod.owner) continue;
    const finding = unschedulable(pod.object, 'Pod', pod.spec, nodes, byName, checked);
    if (finding && !isLive(pod)) report(finding);
  }
  for (const { object, kind, spec } of cluster.facts.workloads) {
    const finding = expanded.has(object) ? unschedulable(object, kind, spec, nodes, byName, checked) : undefined;
    if (finding) report(finding);
  }
  for (const { object, spec } of cluster.facts.daemonSets) {
    const finding = expanded.has(object) ? runsNowhere(object, spec, nodes, checked) : undefined;
    if (finding) report(finding);
  }
}

/** A Pod from `kubectl get -o yaml` that runs or ran: it was placed before the labels it asks for changed. */
function isLive(pod: PodFacts): boolean {
  const phase = getText(pod.object.node, 'status', 'phase')?.value;
  return phase !== undefined && phase !== 'Pending';
}

const nameOf = (object: K8sObject) => object.name?.value ?? '<unnamed>';

/** `Pod web` or `the pods of Deployment web`: built only for a finding (thousands of Pods fit). */
function subjectOf(object: K8sObject, kind: string): { bare: boolean; subject: string } {
  const bare = kind === 'Pod';
  return { bare, subject: bare ? `Pod ${nameOf(object)}` : `the pods of ${kind} ${nameOf(object)}` };
}

function unschedulable(
  object: K8sObject,
  kind: string,
  spec: PodSpecFacts,
  nodes: readonly KnownNode[],
  byName: ReadonlyMap<string, KnownNode>,
  checked: string,
): Finding | undefined {
  const pinned = spec.nodeName?.value;
  if (pinned) {
    // A nodeName bypasses the scheduler; the kubelet admits or rejects the pod (nodename-unknown covers a
    // node that does not exist).
    const node = byName.get(pinned);
    if (!node || !kubeletMayReject(spec, node)) return undefined;
    const verdict = verdictOn(spec, node, 'kubelet');
    if (verdict.fits !== false) return undefined;
    const { bare, subject } = subjectOf(object, kind);
    const again = bare ? '' : ` (the ${kind} creates them again)`;
    return findingAt(object, spec, verdict.cause, 'pod-unschedulable', [
      `spec.nodeName pins ${subject} to ${pinned}, whose kubelet rejects ${bare ? 'it' : 'them'}: ` +
        `${verdict.reason}${again}.`,
    ]);
  }
  const refused = allRefused(spec, nodes, 'scheduler');
  if (!refused) return undefined;
  const { bare, subject } = subjectOf(object, kind);
  const pending = `${subject} ${bare ? 'stays' : 'stay'} Pending`;
  const missing = missingEverywhere(spec, nodes);
  if (missing)
    return findingAt(object, spec, missing.cause, 'pod-unschedulable', [
      `${missing.text}, so ${pending}.${missing.seen}`,
      checked,
    ]);
  return findingAt(object, spec, sharedCause(refused), 'pod-unschedulable', [
    `${upper(pending)}: ${noNodeReason(refused)}.`,
    checked,
  ]);
}

/**
 * Whether verdictOn may find that the node's kubelet rejects the pinned pod: only for a nodeSelector, a
 * required node affinity or a known NoExecute taint. Most of thousands of pinned Pods have none.
 */
function kubeletMayReject(spec: PodSpecFacts, node: KnownNode): boolean {
  const { nodeSelector, requiredTerms } = spec.scheduling;
  return nodeSelector.length > 0 || requiredTerms !== undefined || hasNoExecuteTaint(node);
}

const hasNoExecuteTaint = (node: KnownNode): boolean =>
  node.taintsKnown && node.scheduling.taints.some((taint) => taint.effect === 'NoExecute');

function runsNowhere(
  object: K8sObject,
  spec: PodSpecFacts,
  nodes: readonly KnownNode[],
  checked: string,
): Finding | undefined {
  const refused = allRefused(spec, nodes, 'daemonset');
  if (!refused) return undefined;
  const missing = missingEverywhere(spec, nodes);
  const subject = `DaemonSet ${nameOf(object)} runs no pod`;
  const lines = missing
    ? [`${missing.text}, so ${subject}.${missing.seen}`, checked]
    : [`${subject}: ${noNodeReason(refused)}.`, checked];
  // flannel's v0.11–v0.12 manifests ship one DaemonSet per architecture: those without such nodes are idle.
  const platform = missing ? isPlatform(missing.cause) : refused.every((r) => isPlatform(r.cause));
  if (platform)
    lines.push(
      'A DaemonSet per architecture or operating system is normal in multi-platform manifests: it runs once ' +
        'such a node joins.',
    );
  const finding = findingAt(object, spec, missing?.cause ?? sharedCause(refused), 'daemonset-no-node', lines);
  return platform ? { ...finding, severity: 'information' } : finding;
}

/** `disktype=ssd`; an empty value shows as `""`. */
const label = (key: string, value: string) => `${key}=${value === '' ? '""' : value}`;

const upper = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The verdicts when every node certainly refuses the pod, else undefined. */
function allRefused(spec: PodSpecFacts, nodes: readonly KnownNode[], decider: Decider): Refused[] | undefined {
  const refused: Refused[] = [];
  // Most pods fit the first node or two: thousands of Pods cost a verdict or two each.
  for (const node of nodes) {
    const verdict = verdictOn(spec, node, decider);
    if (verdict.fits !== false) return undefined;
    refused.push(verdict);
  }
  return refused;
}

function isPlatform(cause: RefusalCause): boolean {
  if (cause.kind === 'nodeSelector') return PLATFORM_LABELS.has(cause.key);
  return cause.kind === 'affinity' && !cause.field && PLATFORM_LABELS.has(cause.requirement.key);
}

/**
 * A nodeSelector entry, or an expression of the only term of the required node affinity, that holds on
 * no node: the label no node has, with the values the nodes do have.
 */
function missingEverywhere(
  spec: PodSpecFacts,
  nodes: readonly KnownNode[],
): { cause: RefusalCause; text: string; seen: string } | undefined {
  const { nodeSelector, requiredTerms } = spec.scheduling;
  const candidates: Array<{ cause: RefusalCause; requirement: Requirement; text: string }> = nodeSelector.map(
    ([key, value]) => ({
      cause: { kind: 'nodeSelector', key },
      requirement: { key, operator: 'In', values: [value] },
      text: `No node has the label ${label(key, value)}`,
    }),
  );
  if (requiredTerms?.length === 1)
    for (const requirement of requiredTerms[0].matchExpressions)
      candidates.push({
        cause: { kind: 'affinity', requirement, field: false },
        requirement,
        text: `The required node affinity's ${formatRequirement(requirement)} holds on no node`,
      });
  const candidate = candidates.find((c) => nodes.every((node) => holds(c.requirement, node, false) === false));
  if (!candidate) return undefined;
  const key = candidate.requirement.key;
  const byValue = new Map<string, string[]>();
  for (const { scheduling } of nodes) {
    const value = scheduling.labels.get(key);
    if (value !== undefined) byValue.set(value, [...(byValue.get(value) ?? []), scheduling.name]);
  }
  const values = [...byValue].map(([value, on]) => `${label(key, value)} (${listNodes(on)})`);
  const seen = values.length > 0 ? ` The nodes have ${listNodes(values)}.` : '';
  return { cause: candidate.cause, text: candidate.text, seen };
}

/** The cause every node shares (the same selector key, the same requirement), if any. */
function sharedCause(refused: readonly Refused[]): RefusalCause | undefined {
  const [first] = refused;
  if (!first) return undefined;
  const same = (a: RefusalCause, b: RefusalCause): boolean => {
    if (a.kind === 'nodeSelector' && b.kind === 'nodeSelector') return a.key === b.key;
    if (a.kind === 'affinity' && b.kind === 'affinity') return a.requirement === b.requirement;
    return a.kind === b.kind;
  };
  return refused.every((r) => same(r.cause, first.cause)) ? first.cause : undefined;
}

/** The finding at the cause's token: the selector key, the requirement's key, else the object's name. */
function findingAt(
  object: K8sObject,
  spec: PodSpecFacts,
  cause: RefusalCause | undefined,
  code: 'pod-unschedulable' | 'daemonset-no-node',
  lines: string[],
): Finding {
  let range: OffsetRange | undefined;
  if (cause?.kind === 'nodeSelector') range = nodeSelectorKeyRange(spec, cause.key);
  else if (cause?.kind === 'affinity') range = requirementKeyRange(spec, cause.requirement);
  range ??= object.name ? object.name.range : rangeOf(object.node);
  return { code, uri: object.uri, range, message: lines.join(' ') };
}
