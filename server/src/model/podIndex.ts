// What the passes run on every edit read of each Pod of a list (model/listIndex.ts): the network build
// its nodeName, the rules whether it is owned, constrained or takes host ports, the predictor the names.
import { Interner, listIndex } from './listIndex';
import { type PodFacts } from './objects';

/** The Pod has a controller (ownerReferences). */
export const OWNED = 1;
/** The Pod has a nodeSelector or a required node affinity. */
export const CONSTRAINED = 2;
/** The Pod asks for host ports. */
export const HOST_PORTS = 4;

export interface PodIndex {
  /** `pods[i].spec.nodeName?.value` (an equal string). */
  readonly nodeNames: ReadonlyArray<string | undefined>;
  /** OWNED, CONSTRAINED and HOST_PORTS of `pods[i]`. */
  readonly flags: Uint8Array;
  /** The names of the Pods per namespace (`default` when none is given), as the predictor takes them. */
  namesByNamespace(): ReadonlyMap<string, ReadonlySet<string>>;
}

export const podNamespaceOf = (pod: PodFacts): string => pod.object.namespace?.value ?? 'default';
export const podOwnNameOf = (pod: PodFacts): string => pod.object.name?.value ?? '<unnamed>';

class Index implements PodIndex {
  readonly nodeNames: Array<string | undefined>;
  readonly flags: Uint8Array;
  readonly interner: Interner;
  names: Map<string, Set<string>> | undefined;

  constructor(
    private readonly pods: readonly PodFacts[],
    before?: Index,
  ) {
    this.nodeNames = before ? before.nodeNames.slice() : new Array<string | undefined>(pods.length);
    this.flags = before ? before.flags.slice() : new Uint8Array(pods.length);
    this.interner = before?.interner ?? new Interner();
  }

  namesByNamespace(): ReadonlyMap<string, ReadonlySet<string>> {
    if (this.names) return this.names;
    const names = new Map<string, Set<string>>();
    for (const pod of this.pods) {
      const namespace = podNamespaceOf(pod);
      let set = names.get(namespace);
      if (!set) names.set(namespace, (set = new Set()));
      set.add(podOwnNameOf(pod));
    }
    return (this.names = names);
  }
}

const indexOf = listIndex<PodFacts, Index>({
  create: (pods, before) => new Index(pods, before),
  fill(index, at, pod) {
    const { nodeSelector, requiredTerms, hostPorts } = pod.spec.scheduling;
    index.nodeNames[at] = index.interner.of(pod.spec.nodeName?.value);
    index.flags[at] =
      (pod.owner ? OWNED : 0) |
      (nodeSelector.length > 0 || requiredTerms !== undefined ? CONSTRAINED : 0) |
      (hostPorts.length > 0 ? HOST_PORTS : 0);
  },
  carry(index, before, pods, beforePods, changed) {
    // The names stay when every replaced Pod keeps its name and namespace (an edit of its spec).
    const same = (i: number) =>
      podOwnNameOf(pods[i]) === podOwnNameOf(beforePods[i]) &&
      podNamespaceOf(pods[i]) === podNamespaceOf(beforePods[i]);
    if (changed.every(same)) index.names = before.names;
  },
});

/** The index of a list of Pods, built once per list object (the lists of facts are read-only). */
export const podIndexOf: (pods: readonly PodFacts[]) => PodIndex = indexOf;
