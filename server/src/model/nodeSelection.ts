// Which nodes a pod template may run on, as far as manifests tell: `nodeSelector` and the required node
// affinity, as model/schedulingSpec.ts reads them. Used to tell DaemonSets that split the nodes between them
// (flannel's per-architecture DaemonSets of v0.11–v0.12) from DaemonSets that run on the same nodes.
import { type Requirement, type SchedulingSpec } from './schedulingSpec';

/** Alternatives (any one suffices), each a list of requirements that must all hold. */
export type NodeSelection = ReadonlyArray<readonly Requirement[]>;

/**
 * The node selection of a pod spec: every term of the required node affinity (or one empty term without
 * affinity), each joined with the nodeSelector, as the scheduler and the DaemonSet controller apply them.
 * No term at all: no node matches. Operators other than `In`, `NotIn`, `Exists` and `DoesNotExist` are
 * kept but not reasoned about.
 */
export function nodeSelectionOf(scheduling: SchedulingSpec): NodeSelection {
  const selector: Requirement[] = scheduling.nodeSelector.map(([key, value]) => ({
    key,
    operator: 'In',
    values: [value],
  }));
  const written = scheduling.requiredTerms ?? [];
  if (written.length === 0) return [selector];
  return (
    written
      .map((term) => [
        ...withKeys(term.matchExpressions, ''),
        // Fields are told apart from labels of the same name.
        ...withKeys(term.matchFields, 'field:'),
      ])
      // A term that requires nothing matches no node.
      .filter((term) => term.length > 0)
      .map((term) => [...selector, ...term])
  );
}

/** The requirements that name a key, the key prefixed. */
const withKeys = (requirements: readonly Requirement[], prefix: string): Requirement[] =>
  requirements.filter((r) => r.key !== '').map((r) => ({ ...r, key: prefix + r.key }));

/** Whether the selection asks nothing of a node. */
export const selectsEveryNode = (selection: NodeSelection): boolean => selection.some((term) => term.length === 0);

/** Whether the two selections are written the same way (same requirements, in any order). */
export function sameSelection(a: NodeSelection, b: NodeSelection): boolean {
  const canonical = (selection: NodeSelection) =>
    JSON.stringify(
      selection
        .map((term) =>
          term
            .map((r) => `${r.key}\u0000${r.operator}\u0000${[...r.values].sort().join('\u0000')}`)
            .sort()
            .join('\u0001'),
        )
        .sort(),
    );
  return canonical(a) === canonical(b);
}

/** Whether no node can satisfy both selections: then two DaemonSets never run on the same node. */
export function selectionsDisjoint(a: NodeSelection, b: NodeSelection): boolean {
  return a.every((termA) => b.every((termB) => !satisfiable([...termA, ...termB])));
}

/**
 * kubelet sets the deprecated beta label with the same value as the current one, so an `In` on either
 * constrains both; NotIn, Exists and DoesNotExist are not merged (a node may lack the beta label).
 */
const ALIASES: Record<string, string> = {
  'beta.kubernetes.io/arch': 'kubernetes.io/arch',
  'beta.kubernetes.io/os': 'kubernetes.io/os',
};

/** Whether some set of node labels meets every requirement; true when unsure. */
function satisfiable(requirements: readonly Requirement[]): boolean {
  const allowed = new Map<string, Set<string>>();
  const narrow = (key: string, values: readonly string[]) => {
    const previous = allowed.get(key);
    allowed.set(key, new Set(previous ? values.filter((v) => previous.has(v)) : values));
  };
  for (const r of requirements) {
    if (r.operator !== 'In') continue;
    narrow(r.key, r.values);
    const canonical = ALIASES[r.key] ?? r.key;
    if (Object.values(ALIASES).includes(canonical)) narrow(`alias:${canonical}`, r.values);
  }
  for (const r of requirements) {
    const values = allowed.get(r.key);
    if (r.operator === 'NotIn' && values) for (const value of r.values) values.delete(value);
    if (
      r.operator === 'DoesNotExist' &&
      (values || requirements.some((o) => o.key === r.key && o.operator === 'Exists'))
    )
      return false;
  }
  return [...allowed.values()].every((values) => values.size > 0);
}
