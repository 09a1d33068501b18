// hostport-conflict (kubernetes-workloads.md §6): one pod per node can hold a host port (same port and
// protocol, on the same address or on all of them). When more pods ask for it than the nodes they can run
// on, the extra ones stay Pending (the scheduler's NodePorts filter) or are rejected by the kubelet (a pod
// pinned with nodeName). Only where the workspace knows the nodes, and only on what it proves: pods count
// on the nodes they may run on (model/schedulability.ts), a DaemonSet's pods only where it surely runs.
import { type K8sObject } from '../core/manifest';
import { getText } from '../core/yamlAccess';
import { type PodSpecFacts } from '../model/objects';
import { listNodes } from '../model/placement';
import { HOST_PORTS, podIndexOf } from '../model/podIndex';
import { checkedText, type KnownNode, knownNodesOf, verdictOn } from '../model/schedulability';
import { type HostPort } from '../model/schedulingSpec';
import { hostPortRange } from '../model/specTokens';
import { predictedCountsOf } from '../model/workloads';
import { type RuleContext } from './types';

/** Pods of one object that ask for host ports. */
interface Source {
  readonly object: K8sObject;
  readonly label: string;
  readonly spec: PodSpecFacts;
  /** Pinned by spec.nodeName: the kubelet rejects the extra pod; otherwise it stays Pending. */
  readonly pinned: boolean;
  /** A Pod of its own, not a controller's. */
  readonly bare: boolean;
  /** The nodes each pod may run on, one entry per pod. */
  readonly pods: ReadonlyArray<ReadonlySet<string>>;
}

export function checkHostPorts({ cluster, report }: RuleContext): void {
  const { network } = cluster;
  if (!network.nodesDeclared || network.nodes.length === 0) return;
  const nodes = knownNodesOf(cluster);
  const sources = sourcesOf(cluster.facts, network, nodes, predictedCountsOf(cluster));
  const checked = checkedText(nodes);
  for (const [key, group] of groupByPort(sources)) {
    for (const { source, port, excess, within, counts } of overbooked(group)) {
      const range = hostPortRange(source.spec, port);
      if (!range) continue;
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      const address = group.find((c) => c.port.hostIP !== '0.0.0.0')?.port.hostIP;
      const askers =
        counts.size === 1
          ? `${source.label}'s ${total} pods`
          : `${total} pods (${[...counts].map(([s, n]) => `${n} of ${s.label}`).join(', ')})`;
      // A Pod is one pod; a controller's extra pods are counted.
      const pods = source.bare ? source.label : `${excess === 1 ? 'one' : excess} of ${source.label}'s pods`;
      const outcome = source.pinned
        ? `the kubelet on ${listNodes([...within])} rejects ${pods}`
        : `${pods} ${excess === 1 ? 'stays' : 'stay'} Pending`;
      report({
        code: 'hostport-conflict',
        uri: source.object.uri,
        range,
        message:
          `${askers} ask${total === 1 ? 's' : ''} for host port ${key}${address ? ` on ${address}` : ''} and ` +
          `can run on ${listNodes([...within])} only. One pod per node can hold the port, so ${outcome}. ${checked}`,
      });
    }
  }
}

type Facts = RuleContext['cluster']['facts'];
type Network = RuleContext['cluster']['network'];

/** Every object whose pods take host ports, in the predictor's order: bound Pods, DaemonSets, the rest. */
function sourcesOf(
  facts: Facts,
  network: Network,
  nodes: readonly KnownNode[],
  predicted: ReadonlyMap<K8sObject, number>,
): Source[] {
  const sources: Source[] = [];
  const pinnedTo = (spec: PodSpecFacts): ReadonlySet<string> | undefined => {
    const node = nodes.find((n) => n.scheduling.name === spec.nodeName?.value);
    return node && verdictOn(spec, node, 'kubelet').fits === true ? new Set([node.scheduling.name]) : undefined;
  };
  const possible = (spec: PodSpecFacts): ReadonlySet<string> =>
    new Set(nodes.filter((n) => verdictOn(spec, n, 'scheduler').fits !== false).map((n) => n.scheduling.name));
  const add = (object: K8sObject, label: string, spec: PodSpecFacts, count: number) => {
    if (spec.scheduling.hostPorts.length === 0 || count === 0) return;
    const pinned = !!spec.nodeName?.value;
    const where = pinned ? pinnedTo(spec) : possible(spec);
    // A pinned pod the kubelet may not admit takes no port: it is left out.
    if (!where) return;
    const pods = Array.from({ length: count }, () => where);
    sources.push({ object, label, spec, pinned, bare: object.kind === 'Pod', pods });
  };
  const { flags } = podIndexOf(facts.pods);
  for (let i = 0; i < facts.pods.length; i++) {
    if ((flags[i] & HOST_PORTS) === 0) continue;
    const pod = facts.pods[i];
    if (network.staticPods.has(pod) || isDone(pod.object)) continue;
    add(pod.object, `Pod ${nameOf(pod.object)}`, pod.spec, 1);
  }
  for (const { object, spec } of facts.daemonSets) {
    if (spec.scheduling.hostPorts.length === 0 || !predicted.has(object)) continue;
    // The controller makes one pod per node it surely runs on, bound there.
    const pods = nodes
      .filter((n) => verdictOn(spec, n, 'daemonset').fits === true)
      .map((n) => new Set([n.scheduling.name]));
    if (pods.length > 0)
      sources.push({ object, label: `DaemonSet ${nameOf(object)}`, spec, pinned: false, bare: false, pods });
  }
  for (const { object, kind, spec } of facts.workloads)
    add(object, `${kind} ${nameOf(object)}`, spec, predicted.get(object) ?? 0);
  return sources;
}

const nameOf = (object: K8sObject) => object.name?.value ?? '<unnamed>';

/** A Pod from `kubectl get -o yaml` that has finished: it holds no port. */
function isDone(object: K8sObject): boolean {
  const phase = getText(object.node, 'status', 'phase')?.value;
  return phase === 'Succeeded' || phase === 'Failed';
}

interface Claim {
  readonly source: Source;
  readonly port: HostPort;
}

/**
 * The sources per `port/protocol`, with the port each asks for. Ports on all addresses and on one address
 * conflict pairwise; a group with two different addresses is left out (they may not conflict).
 */
function groupByPort(sources: readonly Source[]): Map<string, Claim[]> {
  const groups = new Map<string, Claim[]>();
  for (const source of sources) {
    const seen = new Set<string>();
    for (const port of source.spec.scheduling.hostPorts) {
      const key = `${port.port}/${port.protocol}`;
      if (seen.has(key)) continue;
      seen.add(key);
      groups.set(key, [...(groups.get(key) ?? []), { source, port }]);
    }
  }
  for (const [key, claims] of groups)
    if (new Set(claims.map((c) => c.port.hostIP).filter((ip) => ip !== '0.0.0.0')).size > 1) groups.delete(key);
  return groups;
}

interface Overbooking {
  readonly source: Source;
  readonly port: HostPort;
  readonly excess: number;
  /** The nodes all the pods counted can run on. */
  readonly within: ReadonlySet<string>;
  /** How many pods of each source are counted. */
  readonly counts: ReadonlyMap<Source, number>;
}

/**
 * Hall's condition on the pods of one port: when more pods can only run within a set of nodes than it
 * has nodes, the extra ones get none. Each set of nodes some pod is confined to is tried; the pods are
 * taken in the sources' order, and the sources whose pods come after the nodes are full are reported.
 */
function overbooked(claims: readonly Claim[]): Overbooking[] {
  const found = new Map<Source, Overbooking>();
  const sets = new Map<string, ReadonlySet<string>>();
  const all = new Set<string>();
  for (const { source } of claims)
    for (const where of source.pods) {
      if (where.size > 0) sets.set([...where].sort().join('\n'), where);
      for (const node of where) all.add(node);
    }
  // The widest sets first, all the nodes the pods can run on included: a source is reported once, with
  // everything that crowds it out (two DaemonSets clash on every node, not on one).
  sets.set('', all);
  for (const within of [...sets.values()].sort((a, b) => b.size - a.size)) {
    // A pod no node can take is pod-unschedulable's; it is not counted here.
    const inside = (where: ReadonlySet<string>) => where.size > 0 && [...where].every((node) => within.has(node));
    const confined = claims.flatMap((claim) => claim.source.pods.filter(inside).map(() => claim));
    if (confined.length <= within.size) continue;
    const counts = new Map<Source, number>();
    for (const { source } of confined) counts.set(source, (counts.get(source) ?? 0) + 1);
    for (const [index, claim] of confined.entries()) {
      if (index < within.size || found.has(claim.source)) continue;
      const excess = confined.slice(index).filter((c) => c.source === claim.source).length;
      found.set(claim.source, { source: claim.source, port: claim.port, excess, within, counts });
    }
  }
  return [...found.values()];
}
