// The pods controllers create, predicted from their manifests (kubernetes-workloads.md §1, §2, §4):
// how many (replicas, Job parallelism, one per eligible node for a DaemonSet), what Kubernetes calls
// them (`web-0`, `storefront-<hash>-<id>`) with a short name used everywhere (`storefront-1`,
// `kube-flannel-ds@node-1`), and the node each lands on (model/placement.ts).
//
// Placement order, stable and documented: DaemonSet pods first (the controller binds them per node, and
// the node agents they run are there before anyone applies a Pod), then bare Pods without a nodeName in
// workspace order (a Pod is bound the moment it is applied; a controller's pods follow its rollout),
// then the other controllers in workspace order. Where the scheduler has a choice, each pod goes to the
// eligible node with the fewest pods so far (pods with a nodeName count), ties broken by node name in
// natural order (`node-2` before `node-10`): replicas spread evenly, as the default spreading does, and
// the pod is marked inferred with the nodes the scheduler picks from.
import { type K8sObject } from '../core/manifest';
import {
  type DaemonSetFacts,
  type NodeFacts,
  type OwnerRef,
  type PodFacts,
  type PodSpecFacts,
  type WorkloadFacts,
} from './objects';
import {
  assumedLabelsRead,
  type Decider,
  listNodes,
  noNodeReason,
  schedulingNodeOf,
  type SchedulingNode,
  selects,
  whyNotOn,
} from './placement';
import { hasFinished } from './liveState';
import { OWNED, podIndexOf, podOwnNameOf } from './podIndex';
import { type HostPort, stringPairs } from './schedulingSpec';
import { get } from '../core/yamlAccess';
import { cachedPerCluster } from './snapshots';

/** A pod a controller creates, placed on a node (or on none, with the reason). */
export interface PredictedPod extends PodFacts {
  /** The controller; `object` and `spec` are its object and its pod template's spec. */
  readonly owner: OwnerRef;
  /** The short name used everywhere (CLI, panel, paths): `web-0`, `storefront-1`, `kube-flannel-ds@node-1`. */
  readonly name: string;
  /** The name Kubernetes gives it, with what manifests cannot tell in angle brackets: `storefront-<hash>-<id>`. */
  readonly generatedName: string;
  /** The node it lands on; undefined when it lands on none (then `unplacedReason`). */
  readonly node?: string;
  /** Why the node is a guess, when it is: the scheduler's choice among several, or unknown node facts. */
  readonly placementNote?: string;
  readonly unplacedReason?: string;
  /** What else a reader should know (a CronJob's pods exist only while a run is active). */
  readonly note?: string;
}

/** Where a pod the scheduler places lands: a node (with why it is a guess, if it is), or none with the reason. */
export type Where = { node: string; placementNote?: string } | { unplacedReason: string };

/** Predicted pods all have one shape (thousands of them are made per edit). */
class Predicted implements PredictedPod {
  readonly node: string | undefined;
  readonly placementNote: string | undefined;
  readonly unplacedReason: string | undefined;

  constructor(
    readonly object: K8sObject,
    readonly spec: PodSpecFacts,
    readonly owner: OwnerRef,
    readonly name: string,
    readonly generatedName: string,
    where: Where,
    readonly note: string | undefined,
  ) {
    const placed = 'node' in where;
    this.node = placed ? where.node : undefined;
    this.placementNote = placed ? where.placementNote : undefined;
    this.unplacedReason = placed ? undefined : where.unplacedReason;
  }
}

export const isPredicted = (pod: PodFacts): pod is PredictedPod => 'generatedName' in pod;

/**
 * How many pods the model predicts for each controller it expands (placed or not), per cluster snapshot:
 * the rules that ask which controllers are expanded share one pass over the cluster's pods.
 */
export const predictedCountsOf = cachedPerCluster((cluster): ReadonlyMap<K8sObject, number> => {
  const counts = new Map<K8sObject, number>();
  const count = (pods: readonly PodFacts[]) => {
    for (const pod of pods) if (isPredicted(pod)) counts.set(pod.object, (counts.get(pod.object) ?? 0) + 1);
  };
  for (const node of cluster.network.nodes) count(node.pods);
  count(cluster.network.unplacedPods);
  return counts;
});

/** The name a pod is shown and found by: its own, or a predicted pod's short name. */
export const podNameOf = (pod: PodFacts): string => (isPredicted(pod) ? pod.name : podOwnNameOf(pod));

const namespaceOf = (object: K8sObject): string => object.namespace?.value ?? 'default';

/** Pods predicted per controller, and per cluster, at most: a typo of `replicas: 1000000` must not hang. */
export const MAX_PREDICTED_PODS = 20_000;

// ---------------------------------------------------------------------------------------------------
// Counts and names

/** How many pods the controller runs once settled (§2). */
export function podCountOf(workload: WorkloadFacts): number {
  if (workload.invalidCount) return 0;
  if (workload.kind !== 'Job' && workload.kind !== 'CronJob') return workload.replicas ?? 1;
  // Indexed Jobs need completions (the API server refuses them without); suspended Jobs start none.
  if (workload.suspend || (workload.indexed && workload.completions === undefined)) return 0;
  const parallelism = workload.parallelism ?? 1;
  return workload.completions === undefined ? parallelism : Math.min(parallelism, workload.completions);
}

/** generateName bases longer than 58 characters are cut there; 5 random characters follow (§1.1). */
const MAX_GENERATE_BASE = 58;
const RANDOM = '<id>';

const generated = (base: string): string => base.slice(0, MAX_GENERATE_BASE) + RANDOM;

/** The name Kubernetes gives the controller's pod number `index` (from 0), unknowable parts in brackets. */
export function generatedNameOf(workload: WorkloadFacts, index: number): string {
  const name = workload.object.name?.value ?? '<unnamed>';
  switch (workload.kind) {
    case 'StatefulSet':
      return `${name}-${(workload.ordinalsStart ?? 0) + index}`;
    case 'Deployment':
      // The ReplicaSet is `<deployment>-<pod-template-hash>` (up to 10 characters); the cut may eat the hash.
      if (name.length + 12 <= MAX_GENERATE_BASE) return `${name}-<hash>-${RANDOM}`;
      return name.length + 1 >= MAX_GENERATE_BASE ? generated(`${name}-`) : `${name}-<hash, cut>${RANDOM}`;
    case 'Job':
      return workload.indexed ? indexedName(name, index) : generated(`${name}-`);
    case 'CronJob':
      // Each run is a Job `<cronjob>-<scheduled time in minutes since the epoch>`.
      return workload.indexed ? indexedName(`${name}-<minutes>`, index) : `${name}-<minutes>-${RANDOM}`;
    default:
      return generated(`${name}-`);
  }
}

/** Indexed Job pods keep their index visible: the job name is cut, not the index (podGenerateNameWithIndex). */
function indexedName(job: string, index: number): string {
  const suffix = `-${index}-`;
  const base = job + suffix;
  return (base.length > MAX_GENERATE_BASE ? job.slice(0, MAX_GENERATE_BASE - suffix.length) + suffix : base) + RANDOM;
}

/** The short name: a StatefulSet pod's real name, otherwise `<controller>-<n>` counting from 1. */
export function shortNameOf(workload: WorkloadFacts, index: number): string {
  const name = workload.object.name?.value ?? '<unnamed>';
  return workload.kind === 'StatefulSet' ? generatedNameOf(workload, index) : `${name}-${index + 1}`;
}

export const daemonPodName = (daemonSet: string, node: string): string => `${daemonSet}@${node}`;

// ---------------------------------------------------------------------------------------------------
// Which controllers to expand

export interface WorkloadSources {
  readonly pods: readonly PodFacts[];
  readonly daemonSets: readonly DaemonSetFacts[];
  readonly workloads: readonly WorkloadFacts[];
}

type Controller = ({ kind: 'DaemonSet'; facts: DaemonSetFacts } | { kind: 'Workload'; facts: WorkloadFacts }) & {
  /** The controller's live pods in the workspace (`kubectl get -o yaml`): each takes a predicted pod's place. */
  live: LivePods;
};

/** Live pods of one controller: how many, the nodes they are bound to, their names. */
interface LivePods {
  count: number;
  readonly nodes: Set<string>;
  readonly names: Set<string>;
}

const keyOf = (kind: string, namespace: string, name: string) => `${kind}/${namespace}/${name}`;
const objectKey = (kind: string, object: K8sObject) => keyOf(kind, namespaceOf(object), object.name?.value ?? '');

/**
 * The controllers whose pods are predicted, in workspace order, each with its live pods. Left out: a
 * second copy of the same object (the API server keeps one), one owned by another controller in the
 * workspace (a Deployment's ReplicaSet, a CronJob's Job: the owner is expanded), and one whose template
 * has no container. A live pod (one with an ownerReference, from `kubectl get -o yaml`) counts for its
 * owner and for the controller above it, found as an object of the workspace or by the owner's name.
 */
function controllersToExpand(sources: WorkloadSources): Controller[] {
  const all = [
    ...sources.daemonSets.map((facts) => ({ kind: 'DaemonSet' as const, facts })),
    ...sources.workloads.map((facts) => ({ kind: 'Workload' as const, facts })),
  ];
  const keyOfController = (c: (typeof all)[number]) =>
    objectKey(c.kind === 'DaemonSet' ? 'DaemonSet' : c.facts.kind, c.facts.object);
  const present = new Set(all.map(keyOfController));
  const ownerOfKey = new Map<string, string>();
  for (const w of sources.workloads)
    if (w.owner) ownerOfKey.set(objectKey(w.kind, w.object), keyOf(w.owner.kind, namespaceOf(w.object), w.owner.name));
  const live = new Map<string, LivePods>();
  const count = (key: string, pod: PodFacts) => {
    let entry = live.get(key);
    if (!entry) live.set(key, (entry = { count: 0, nodes: new Set(), names: new Set() }));
    entry.count++;
    if (pod.spec.nodeName) entry.nodes.add(pod.spec.nodeName.value);
    if (pod.object.name) entry.names.add(pod.object.name.value);
  };
  const { flags } = podIndexOf(sources.pods);
  for (let i = 0; i < sources.pods.length; i++) {
    if ((flags[i] & OWNED) === 0) continue;
    const pod = sources.pods[i];
    // A finished pod (a Job's completed one, an evicted one) no longer stands for a running replica.
    if (!pod.owner || hasFinished(pod.status)) continue;
    const namespace = namespaceOf(pod.object);
    const key = keyOf(pod.owner.kind, namespace, pod.owner.name);
    count(key, pod);
    const above = ownerOfKey.get(key) ?? ownerByName(pod.owner, namespace);
    if (above) count(above, pod);
  }
  const none: LivePods = { count: 0, nodes: new Set(), names: new Set() };
  const seen = new Set<string>();
  return all.flatMap((c) => {
    // The API server refuses a pod template without containers (the same goes while one is being typed).
    if (c.facts.spec.containers.length === 0) return [];
    const key = keyOfController(c);
    if (seen.has(key)) return [];
    seen.add(key);
    const owner = ownerOfKey.get(key);
    if (owner && present.has(owner)) return [];
    return [{ ...c, live: live.get(key) ?? none }];
  });
}

/**
 * The controller above a pod's owner, from the name Kubernetes gave the owner: a Deployment's
 * ReplicaSet is `<deployment>-<pod-template-hash>`, a CronJob's Job `<cronjob>-<minutes>`.
 */
function ownerByName(owner: OwnerRef, namespace: string): string | undefined {
  const deployment = owner.kind === 'ReplicaSet' ? /^(.+)-[4-9bcdf]{1,10}$/.exec(owner.name) : null;
  if (deployment) return keyOf('Deployment', namespace, deployment[1]);
  const cronJob = owner.kind === 'Job' ? /^(.+)-\d+$/.exec(owner.name) : null;
  return cronJob ? keyOf('CronJob', namespace, cronJob[1]) : undefined;
}

/** Node names that controllers' templates pin with nodeName: nodes that exist when no Node object is given. */
export function templateNodeNames(sources: WorkloadSources): string[] {
  return [...sources.daemonSets, ...sources.workloads].flatMap((c) => (c.spec.nodeName ? [c.spec.nodeName.value] : []));
}

// ---------------------------------------------------------------------------------------------------
// Placement

/** A node with the pods already on it (NodeNetwork fits). */
export interface PlacementTarget {
  readonly name: string;
  readonly facts?: NodeFacts;
  readonly pods: readonly PodFacts[];
}

interface Slot {
  readonly node: SchedulingNode;
  load: number;
  /** The node with the pods already on it; their host ports are gathered when first asked (portsOf). */
  readonly target: PlacementTarget;
  ports?: Array<{ port: HostPort; pod: string }>;
}

const portsOf = (slot: Slot) => (slot.ports ??= portsHeld(slot.target.pods));

/**
 * Slots by load, then by their order in the list given (node-name order): the node the scheduler's
 * spreading picks next is `first`. Only the first slot's load may change, and `grew` is called after.
 */
class LeastLoaded {
  private readonly heap: Array<{ readonly slot: Slot; readonly rank: number }>;

  constructor(slots: readonly Slot[]) {
    this.heap = slots.map((slot, rank) => ({ slot, rank }));
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  get first(): Slot {
    return this.heap[0].slot;
  }

  grew(): void {
    this.down(0);
  }

  private before(i: number, j: number): boolean {
    const a = this.heap[i];
    const b = this.heap[j];
    return a.slot.load < b.slot.load || (a.slot.load === b.slot.load && a.rank < b.rank);
  }

  private down(i: number): void {
    const size = this.heap.length;
    for (;;) {
      const left = 2 * i + 1;
      let smallest = i;
      if (left < size && this.before(left, smallest)) smallest = left;
      if (left + 1 < size && this.before(left + 1, smallest)) smallest = left + 1;
      if (smallest === i) return;
      const swapped = this.heap[i];
      this.heap[i] = this.heap[smallest];
      this.heap[smallest] = swapped;
      i = smallest;
    }
  }
}

const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;

/** Host ports conflict on the same protocol and port when either binds every address (HostPortInfo.CheckConflict). */
const conflicts = (a: HostPort, b: HostPort): boolean =>
  a.port === b.port &&
  a.protocol === b.protocol &&
  (a.hostIP === b.hostIP || a.hostIP === '0.0.0.0' || b.hostIP === '0.0.0.0');

/** The host ports the pods hold, with the pod holding each (a loop: few of thousands of pods hold any). */
function portsHeld(pods: readonly PodFacts[]): Array<{ port: HostPort; pod: string }> {
  const held: Array<{ port: HostPort; pod: string }> = [];
  for (const pod of pods) for (const port of pod.spec.scheduling.hostPorts) held.push({ port, pod: podNameOf(pod) });
  return held;
}

const formatPort = (port: HostPort): string => `${port.port}/${port.protocol}`;

/** The entry standing for the pods past MAX_PREDICTED_PODS; `rest` says how many (`1,000`, `up to 40`). */
const tooMany = (rest: string, kind: string, name: string): string =>
  `and ${rest} more pods of ${kind} ${name} that Podnet does not draw (it predicts at most ` +
  `${MAX_PREDICTED_PODS.toLocaleString('en-US')} pods per cluster)`;

/** The pods every controller of the cluster creates, each placed on a node of `targets` or on none. */
export function predictPods(sources: WorkloadSources, targets: readonly PlacementTarget[]): PredictedPod[] {
  return new Predictor(sources, targets).run().predicted;
}

/**
 * The bare Pods without a nodeName, scheduled as a controller's pod is (`unscheduled`, in workspace
 * order), and the pods every controller creates, placed after the DaemonSets' and before the others'.
 */
export function schedulePods(
  sources: WorkloadSources,
  targets: readonly PlacementTarget[],
  unscheduled: readonly PodFacts[],
): { predicted: PredictedPod[]; scheduled: Map<PodFacts, Where> } {
  return new Predictor(sources, targets).run(unscheduled);
}

class Predictor {
  private readonly slots: Slot[];
  private readonly slotByName = new Map<string, Slot>();
  /** The names predicted pods took, per namespace, beside those of the Pods (podIndexOf). */
  private readonly claimed = new Map<string, Set<string>>();
  private readonly pods: PredictedPod[] = [];
  private readonly controllers: Controller[];

  constructor(
    private readonly sources: WorkloadSources,
    targets: readonly PlacementTarget[],
  ) {
    this.slots = [...targets]
      .sort((a, b) => naturalOrder(a.name, b.name))
      .map((target) => ({ node: schedulingNodeOf(target.name, target.facts), load: target.pods.length, target }));
    for (const slot of this.slots) this.slotByName.set(slot.node.name, slot);
    this.controllers = controllersToExpand(sources);
    // StatefulSet pods have real names: they keep them, and short names that would clash give way.
    for (const c of this.controllers) {
      if (c.kind !== 'Workload' || c.facts.kind !== 'StatefulSet') continue;
      const names = this.claimedIn(namespaceOf(c.facts.object));
      const count = Math.min(podCountOf(c.facts), MAX_PREDICTED_PODS);
      for (let i = 0; i < count; i++) names.add(generatedNameOf(c.facts, i));
    }
  }

  run(unscheduled: readonly PodFacts[] = []): { predicted: PredictedPod[]; scheduled: Map<PodFacts, Where> } {
    for (const c of this.controllers) if (c.kind === 'DaemonSet') this.placeDaemonSet(c.facts, c.live);
    const scheduled = this.placeBarePods(unscheduled);
    for (const c of this.controllers) if (c.kind === 'Workload') this.placeWorkload(c.facts, c.live);
    return { predicted: this.pods, scheduled };
  }

  /** Each bare Pod goes where the scheduler would put one pod of a controller with its spec and labels. */
  private placeBarePods(pods: readonly PodFacts[]): Map<PodFacts, Where> {
    const placed = new Map<PodFacts, Where>();
    const alone: LivePods = { count: 0, nodes: new Set(), names: new Set() };
    for (const pod of pods) {
      const labels = stringPairs(get(pod.object.node, 'metadata', 'labels'));
      const choice = this.chooser(pod.spec, labels, alone)(podNameOf(pod));
      placed.set(pod, typeof choice === 'string' ? { unplacedReason: choice } : choice);
    }
    return placed;
  }

  private claimedIn(namespace: string): Set<string> {
    let names = this.claimed.get(namespace);
    if (!names) this.claimed.set(namespace, (names = new Set()));
    return names;
  }

  /** A short name no other pod of the namespace has: on a clash, the kind goes in front (`deployment:web-1`). */
  private claim(object: K8sObject, kind: string, short: string, real: boolean): string {
    const namespace = namespaceOf(object);
    const claimed = this.claimedIn(namespace);
    const pods = podIndexOf(this.sources.pods).namesByNamespace().get(namespace);
    const taken = (name: string) => claimed.has(name) || pods?.has(name) === true;
    let name = short;
    if (!real) {
      for (let n = 2; taken(name); n++) name = `${kind.toLowerCase()}:${short}${n > 2 ? `~${n - 1}` : ''}`;
      claimed.add(name);
    }
    return name;
  }

  private get budgetLeft(): number {
    return MAX_PREDICTED_PODS - this.pods.length;
  }

  /** One pod per node the DaemonSet can run on, but for the nodes where a live pod of it already runs. */
  private placeDaemonSet(daemonSet: DaemonSetFacts, live: LivePods): void {
    const { object, spec } = daemonSet;
    const dsName = object.name?.value ?? '<unnamed>';
    const owner = { kind: 'DaemonSet', name: dsName };
    const generatedName = generated(`${dsName}-`);
    const pod = (name: string, where: Where) =>
      this.pods.push(new Predicted(object, spec, owner, name, generatedName, where, undefined));
    const refusals: Array<{ node: string; reason: string }> = [];
    let created = 0;
    for (const [index, slot] of this.slots.entries()) {
      if (this.budgetLeft <= 0) {
        const rest = `up to ${this.slots.length - index}`;
        pod(daemonPodName(dsName, '…'), { unplacedReason: tooMany(rest, 'DaemonSet', dsName) });
        return;
      }
      if (live.nodes.has(slot.node.name)) {
        created++;
        continue;
      }
      const reason = whyNotOn(spec, slot.node, 'daemonset');
      if (reason) {
        refusals.push({ node: slot.node.name, reason });
        continue;
      }
      created++;
      const name = this.claim(object, 'DaemonSet', daemonPodName(dsName, slot.node.name), false);
      const clash = this.portClash(spec, slot);
      if (clash) {
        // The controller creates the pod for the node; the scheduler cannot bind it there: it stays Pending.
        pod(name, { unplacedReason: `${clash} on ${slot.node.name}: the pod stays Pending` });
        continue;
      }
      this.bind(spec, slot, name);
      const note = this.noteFor(spec, [slot.node], 'daemonset');
      pod(name, { node: slot.node.name, placementNote: note });
    }
    if (created === 0) {
      const name = this.claim(object, 'DaemonSet', daemonPodName(dsName, '*'), false);
      pod(name, { unplacedReason: `the DaemonSet runs no pod: ${noNodeReason(refusals)}` });
    }
  }

  /** The controller's pods, less those its live pods stand for (a StatefulSet's by name, others by count). */
  private placeWorkload(workload: WorkloadFacts, live: LivePods): void {
    const { object, spec, kind } = workload;
    const owner = { kind, name: object.name?.value ?? '<unnamed>' };
    const { count, indexes } = this.missing(workload, live, this.budgetLeft);
    const drawn = Math.min(count, this.budgetLeft);
    const note =
      kind === 'CronJob'
        ? 'exists only while a run of the CronJob is active' +
          (workload.schedule ? ` (schedule \`${workload.schedule}\`)` : '')
        : undefined;
    const choose = this.chooser(spec, workload.templateLabels, live);
    // Only a StatefulSet's and an indexed Job's pod names hold the index: the others share one.
    const sharedName = kind === 'StatefulSet' || workload.indexed ? undefined : generatedNameOf(workload, 0);
    const pod = (index: number, rest?: number) => {
      const name = this.claim(object, kind, shortNameOf(workload, index), kind === 'StatefulSet');
      const choice = rest ? tooMany(rest.toLocaleString('en-US'), kind, owner.name) : choose(name);
      const where = typeof choice === 'string' ? { unplacedReason: choice } : choice;
      const generatedName = sharedName ?? generatedNameOf(workload, index);
      this.pods.push(new Predicted(object, spec, owner, name, generatedName, where, note));
    };
    for (let i = 0; i < drawn; i++) pod(indexes[i]);
    if (drawn < count) pod(indexes[drawn], count - drawn);
  }

  /**
   * How many of the controller's pods no live pod stands for, and the indexes (from 0) of the first
   * `limit + 1` of them: a StatefulSet's live pods stand for their ordinals, the others' for the first ones.
   */
  private missing(workload: WorkloadFacts, live: LivePods, limit: number): { count: number; indexes: number[] } {
    const total = podCountOf(workload);
    const indexes: number[] = [];
    if (workload.kind !== 'StatefulSet') {
      const start = Math.min(live.count, total);
      for (let i = start; i < total && indexes.length <= limit; i++) indexes.push(i);
      return { count: total - start, indexes };
    }
    let standing = 0;
    let visited = 0;
    for (; visited < total && indexes.length <= limit; visited++)
      if (live.names.has(generatedNameOf(workload, visited))) standing++;
      else indexes.push(visited);
    // Live pods past the ordinals visited still stand for theirs.
    const first = workload.ordinalsStart ?? 0;
    const prefix = `${workload.object.name?.value ?? ''}-`;
    for (const name of live.names) {
      const ordinal = name.startsWith(prefix) ? name.slice(prefix.length) : '';
      const index = /^(0|[1-9]\d*)$/.test(ordinal) ? Number(ordinal) - first : -1;
      if (index >= visited && index < total) standing++;
    }
    return { count: total - standing, indexes };
  }

  /** A function giving each next pod of a controller (pods with this spec and labels) its node, or why none. */
  private chooser(
    spec: PodSpecFacts,
    podLabels: ReadonlyArray<readonly [string, string]>,
    live: LivePods,
  ): (pod: string) => Where | string {
    if (this.slots.length === 0) return () => noNodeReason([]);
    const pinned = spec.nodeName?.value;
    if (pinned !== undefined) {
      const slot = this.slotByName.get(pinned);
      if (!slot) return () => `spec.nodeName \`${pinned}\` names no known node`;
      const refused = whyNotOn(spec, slot.node, 'kubelet');
      if (refused) return () => `the kubelet on ${pinned} refuses it: ${refused}`;
      const note = this.noteFor(spec, [slot.node], 'kubelet');
      return (pod) => {
        const clash = this.portClash(spec, slot);
        if (clash) return `the kubelet on ${pinned} refuses it: ${clash}`;
        this.bind(spec, slot, pod);
        return { node: pinned, placementNote: note };
      };
    }
    const refusals: Array<{ node: string; reason: string }> = [];
    const eligible = this.slots.filter((slot) => {
      const reason = whyNotOn(spec, slot.node, 'scheduler');
      if (reason) refusals.push({ node: slot.node.name, reason });
      return !reason;
    });
    if (eligible.length === 0) {
      const reason = noNodeReason(refusals);
      return () => reason;
    }
    const labels = new Map(podLabels);
    const oncePerNode = spec.scheduling.hostnameAntiAffinity.some((selector) => selects(selector, labels));
    // The controller's live pods already hold their nodes (for its anti-affinity to itself).
    const mine = new Map<Slot, number>(
      eligible.filter((slot) => live.nodes.has(slot.node.name)).map((slot): [Slot, number] => [slot, 1]),
    );
    const note = this.noteFor(
      spec,
      eligible.map((s) => s.node),
      'scheduler',
      spec.scheduling.hostnameAntiAffinity.some((selector) => !selects(selector, labels)),
    );
    // Without host ports or anti-affinity the choice is the least-loaded node: a heap finds it in log
    // time, where a scan costs thousands of replicas times dozens of nodes on every edit.
    if (!oncePerNode && spec.scheduling.hostPorts.length === 0) {
      const leastLoaded = new LeastLoaded(eligible);
      return (pod) => {
        const best = leastLoaded.first;
        this.bind(spec, best, pod);
        leastLoaded.grew();
        return { node: best.node.name, placementNote: note };
      };
    }
    return (pod) => {
      let best: Slot | undefined;
      let portBlocked = 0;
      for (const slot of eligible) {
        if (oncePerNode && mine.has(slot)) continue;
        if (spec.scheduling.hostPorts.length > 0 && this.portClash(spec, slot)) {
          portBlocked++;
          continue;
        }
        if (!best || slot.load < best.load) best = slot;
      }
      if (!best) {
        const names = listNodes(eligible.map((s) => s.node.name));
        return portBlocked > 0
          ? `its host ports (${spec.scheduling.hostPorts.map(formatPort).join(', ')}) are taken on every node ` +
              `it can run on (${names}): it stays Pending`
          : `its podAntiAffinity allows one such pod per node, and every node it can run on (${names}) has one: ` +
              'it stays Pending';
      }
      mine.set(best, (mine.get(best) ?? 0) + 1);
      this.bind(spec, best, pod);
      return { node: best.node.name, placementNote: note };
    };
  }

  private bind(spec: PodSpecFacts, slot: Slot, pod: string): void {
    slot.load++;
    for (const port of spec.scheduling.hostPorts) portsOf(slot).push({ port, pod });
  }

  /** Which of the pod's host ports another pod on the node already takes, if any. */
  private portClash(spec: PodSpecFacts, slot: Slot): string | undefined {
    for (const port of spec.scheduling.hostPorts) {
      const other = portsOf(slot).find((p) => conflicts(p.port, port));
      if (other) return `host port ${formatPort(port)} is already taken by ${other.pod}`;
    }
    return undefined;
  }

  /** Why the placement is a guess: a choice among several nodes, nodes without Node objects, rules not evaluated. */
  private noteFor(
    spec: PodSpecFacts,
    candidates: readonly SchedulingNode[],
    decider: Decider,
    otherAntiAffinity = false,
  ): string | undefined {
    const parts: string[] = [];
    if (decider === 'scheduler' && candidates.length > 1)
      parts.push(
        `the scheduler picks one of ${listNodes(
          candidates.map((n) => n.name),
          5,
        )}; ` + 'shown spread over them, fewest pods first',
      );
    const unknown = candidates.filter((n) => !n.declared).map((n) => n.name);
    if (unknown.length > 0)
      parts.push(`no Node object for ${listNodes(unknown)}: only the labels every kubelet sets are assumed, no taints`);
    const assumed = new Map<string, string[]>();
    for (const node of candidates) {
      if (!node.declared) continue;
      for (const key of assumedLabelsRead(spec.scheduling, node)) {
        const label = `${key}=${node.labels.get(key)}`;
        assumed.set(label, [...(assumed.get(label) ?? []), node.name]);
      }
    }
    for (const [label, nodes] of assumed)
      parts.push(`${label} assumed on ${listNodes(nodes)} (the kubelet sets it; the Node object does not say)`);
    const unevaluated = [...spec.scheduling.unevaluated, ...(otherAntiAffinity ? ['required podAntiAffinity'] : [])];
    if (unevaluated.length > 0) parts.push(`${[...new Set(unevaluated)].join(', ')} not evaluated`);
    return parts.length > 0 ? `inferred: ${parts.join('; ')}` : undefined;
  }
}
