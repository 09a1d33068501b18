// Hovers on controllers and node selections: a controller's name shows the pods it creates, with their
// nodes and addresses (predicted, and said so); a nodeSelector or node affinity shows which nodes it
// matches, which it does not and why, and where the workspace cannot tell (model/schedulability.ts).
import { type K8sObject } from '../core/manifest';
import { code, escapeMarkdown as esc, truncate } from '../core/markdown';
import { type OffsetRange, rangeContains } from '../core/text';
import { type ClusterNetwork } from '../model/network';
import { type FileFacts, type PodSpecFacts } from '../model/objects';
import { type Decider, formatRequirement, listNodes } from '../model/placement';
import { holds, knownNodeOf, type NodeVerdict, selectionVerdictOn, taintVerdictOn } from '../model/schedulability';
import { selectionTokenAt } from '../model/specTokens';
import { isPredicted, type PredictedPod } from '../model/workloads';
import { type Cluster } from '../model/workspace';
import { podId } from '../topology/ids';
import { type PodTopology } from '../topology/types';
import { topologyOfCluster } from './topologyService';

export interface WorkloadHoverResult {
  markdown: string;
  range: OffsetRange;
}

const MAX_PODS = 10;

/** A pod spec in the file, with what owns it and who places its pods. */
interface Holder {
  readonly object: K8sObject;
  readonly kind: string;
  readonly spec: PodSpecFacts;
}

function holdersOf(facts: FileFacts): Holder[] {
  return [
    ...facts.pods.map((p) => ({ object: p.object, kind: 'Pod', spec: p.spec })),
    ...facts.daemonSets.map((d) => ({ object: d.object, kind: 'DaemonSet', spec: d.spec })),
    ...facts.workloads.map((w) => ({ object: w.object, kind: w.kind, spec: w.spec })),
  ];
}

export function workloadHover(facts: FileFacts, cluster: Cluster, offset: number): WorkloadHoverResult | undefined {
  // Only the object under the cursor: looking into the others would parse their released trees again.
  const holder = holdersOf(facts).find((h) => rangeContains(h.object.range, offset));
  if (!holder) return undefined;
  const name = holder.object.name;
  if (holder.kind !== 'Pod' && name && rangeContains(name.range, offset))
    return { markdown: controllerMarkdown(holder, cluster), range: name.range };
  const token = selectionTokenAt(holder.spec, offset);
  if (!token) return undefined;
  return { markdown: selectionMarkdown(holder, cluster.network, token), range: token.range };
}

// ---------------------------------------------------------------------------------------------------
// A controller's pods

function controllerMarkdown(holder: Holder, cluster: Cluster): string {
  const { network } = cluster;
  const title = `**${holder.kind} ${esc(holder.object.name?.value ?? '<unnamed>')}**`;
  const pods = [...network.nodes.flatMap((n) => n.pods), ...network.unplacedPods].filter(
    (p): p is PredictedPod => isPredicted(p) && p.object === holder.object,
  );
  if (pods.length === 0)
    return [
      title,
      '',
      '- Podnet predicts no pod for it: it runs none (replicas 0, suspended, a template without containers), ' +
        'its live pods in the workspace stand for it, or the controller that owns it is shown instead.',
    ].join('\n');
  pods.sort((a, b) => naturalOrder(a.name, b.name));
  const addresses = addressesOf(cluster);
  const lines = [`${pods.length} pod${pods.length === 1 ? '' : 's'}, predicted from the manifest:`];
  lines.push(...pods.slice(0, MAX_PODS).map((pod) => `  - ${podLine(pod, addresses)}`));
  if (pods.length > MAX_PODS) lines.push(`  - and ${pods.length - MAX_PODS} more`);
  // Placement notes are shared by a controller's pods: each is said once.
  for (const note of [...new Set(pods.flatMap((p) => (p.placementNote ? [p.placementNote] : [])))].slice(0, 3))
    lines.push(`- placement ${esc(note)}`);
  if (pods[0].note) lines.push(`- ${esc(pods[0].note)}`);
  if (pods.some((p) => p.node !== undefined && !p.spec.hostNetwork))
    lines.push("- pod addresses are predicted: host-local hands out the first free address of the node's podCIDR");
  lines[0] = `- ${lines[0]}`;
  return [title, '', ...lines].join('\n');
}

const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;

/** The topology's pods by id: where pod addresses are worked out. */
function addressesOf(cluster: Cluster): Map<string, PodTopology> {
  const byId = new Map<string, PodTopology>();
  for (const node of topologyOfCluster(cluster).nodes) for (const pod of node.pods) byId.set(pod.id, pod);
  return byId;
}

function podLine(pod: PredictedPod, addresses: ReadonlyMap<string, PodTopology>): string {
  const names =
    pod.generatedName === pod.name ? code(pod.name) : `${code(pod.name)} (${code(truncate(pod.generatedName))})`;
  if (pod.node === undefined) return `${names} on no node: ${esc(pod.unplacedReason ?? 'no node known')}`;
  const namespace = pod.object.namespace?.value ?? 'default';
  const drawn = addresses.get(podId(pod.node, { namespace, name: pod.name }));
  const address = drawn?.address
    ? pod.spec.hostNetwork
      ? `${code(drawn.address.ip)} (the node's IP: hostNetwork)`
      : `${code(drawn.address.ip)} (predicted)`
    : pod.spec.hostNetwork
      ? "the node's IP (hostNetwork)"
      : 'address unknown (the node has no podCIDR)';
  return `${names} on ${esc(pod.node)}${pod.placementNote ? ' (inferred)' : ''}, ${address}`;
}

// ---------------------------------------------------------------------------------------------------
// Which nodes a selection matches

function selectionMarkdown(
  holder: Holder,
  network: ClusterNetwork,
  token: NonNullable<ReturnType<typeof selectionTokenAt>>,
): string {
  const title =
    token.kind === 'nodeSelector'
      ? `**nodeSelector** of ${holder.kind} ${esc(holder.object.name?.value ?? '<unnamed>')}`
      : `**required node affinity** of ${holder.kind} ${esc(holder.object.name?.value ?? '<unnamed>')}`;
  if (!network.nodesDeclared || network.nodes.length === 0)
    return `${title}\n\n- The workspace knows no node: add Node objects, or name the nodes in \`podnet.knownNodes\`.`;
  const nodes = network.nodes.map((n) => knownNodeOf(n.name, n.facts));
  const lines: string[] = [];
  const requirement =
    token.kind === 'nodeSelector' && token.key !== undefined
      ? { key: token.key, operator: 'In', values: [valueOf(holder.spec, token.key)] }
      : token.kind === 'affinity'
        ? token.requirement
        : undefined;
  if (requirement) {
    const field = token.kind === 'affinity' && token.field === true;
    const by = groupBy(nodes, (n) => holds(requirement, n, field));
    const label =
      token.kind === 'nodeSelector' ? `${requirement.key}=${requirement.values[0]}` : formatRequirement(requirement);
    lines.push(
      `${code(label)}: ${[
        by.get(true) && `holds on ${names(by.get(true)!)}`,
        by.get(false) && `not on ${names(by.get(false)!)}`,
        by.get(undefined) && `unknown on ${names(by.get(undefined)!)} (no Node object lists their labels)`,
      ]
        .filter(Boolean)
        .join('; ')}`,
    );
  }
  const verdicts = nodes.map((node) => selectionVerdictOn(holder.spec, node));
  lines.push(...verdictLines('the whole selection matches', verdicts));
  const decider: Decider =
    holder.kind === 'DaemonSet' ? 'daemonset' : holder.spec.nodeName?.value ? 'kubelet' : 'scheduler';
  const matching = nodes.filter((_, i) => verdicts[i].fits === true);
  const tainted = matching
    .map((node) => taintVerdictOn(holder.spec, node, decider))
    .filter((v): v is Extract<NodeVerdict, { fits: false }> => v.fits === false);
  if (tainted.length > 0)
    lines.push(
      `of these, taints keep the pods off ${tainted.map((v) => `${esc(v.node)} (${esc(v.reason)})`).join(', ')}`,
    );
  return [title, '', ...lines.map((l) => `- ${l}`)].join('\n');
}

const valueOf = (spec: PodSpecFacts, key: string): string =>
  spec.scheduling.nodeSelector.find(([k]) => k === key)?.[1] ?? '';

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

const names = (nodes: ReadonlyArray<{ scheduling: { name: string } }>): string =>
  esc(
    listNodes(
      nodes.map((n) => n.scheduling.name),
      8,
    ),
  );

function verdictLines(what: string, verdicts: readonly NodeVerdict[]): string[] {
  const fits = verdicts.filter((v) => v.fits === true).map((v) => v.node);
  const refused = verdicts.filter((v) => v.fits === false);
  const unknown = verdicts.filter((v) => v.fits === 'unknown');
  const lines = [`${what}: ${fits.length > 0 ? esc(listNodes(fits, 8)) : '**no node**'}`];
  if (refused.length > 0)
    lines.push(
      `not: ${refused
        .slice(0, MAX_PODS)
        .map((v) => `${esc(v.node)} (${esc('reason' in v ? v.reason : '')})`)
        .join(', ')}${refused.length > MAX_PODS ? ', …' : ''}`,
    );
  if (unknown.length > 0)
    lines.push(
      `cannot tell: ${esc(
        listNodes(
          unknown.map((v) => v.node),
          8,
        ),
      )} (no Node object lists their labels)`,
    );
  return lines;
}
