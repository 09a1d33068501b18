// Where the scheduling fields of a pod spec sit in the file: the nodeSelector keys, the required node
// affinity's expressions, the host ports. The facts hold values only (model/schedulingSpec.ts); these
// look the tokens up again in the spec's YAML when a finding or a hover needs them.
import { isScalar, type Node } from 'yaml';
import { type OffsetRange, rangeContains } from '../core/text';
import { get, itemsOf, pairOf, rangeOf } from '../core/yamlAccess';
import { type PodSpecFacts } from './objects';
import { type HostPort, type Requirement } from './schedulingSpec';

export const REQUIRED_AFFINITY = ['affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'];

/** The key of a nodeSelector entry. */
export function nodeSelectorKeyRange(spec: PodSpecFacts, key: string): OffsetRange | undefined {
  const pair = pairOf(get(spec.node, 'nodeSelector'), key);
  return pair ? rangeOf(pair.key) : undefined;
}

/** The `key` value of a requirement of the required node affinity (the requirement's item when it has none). */
export function requirementKeyRange(spec: PodSpecFacts, requirement: Requirement): OffsetRange | undefined {
  const terms = spec.scheduling.requiredTerms ?? [];
  const yamlTerms = itemsOf(get(spec.node, ...REQUIRED_AFFINITY, 'nodeSelectorTerms'));
  for (const [index, term] of terms.entries()) {
    for (const list of ['matchExpressions', 'matchFields'] as const) {
      const at = term[list].indexOf(requirement);
      if (at < 0) continue;
      const item = itemsOf(get(yamlTerms[index], list))[at];
      const key = get(item, 'key');
      return item ? rangeOf(isScalar(key) ? key : item) : undefined;
    }
  }
  return undefined;
}

/**
 * The token that gives the pod a host port: the `hostPort` value, or with hostNetwork (where an unset
 * hostPort is the containerPort) the `containerPort` value.
 */
export function hostPortRange(spec: PodSpecFacts, port: HostPort): OffsetRange | undefined {
  for (const container of itemsOf(get(spec.node, 'containers'))) {
    for (const entry of itemsOf(get(container, 'ports'))) {
      const hostPort = get(entry, 'hostPort');
      const containerPort = get(entry, 'containerPort');
      const token = hostPort ?? (spec.hostNetwork ? containerPort : undefined);
      if (!isScalar(token) || token.value !== port.port) continue;
      const protocol = scalarValue(get(entry, 'protocol')) || 'TCP';
      if (protocol === port.protocol) return rangeOf(token);
    }
  }
  return undefined;
}

const scalarValue = (node: Node | undefined): string =>
  isScalar(node) && node.value !== null ? String(node.value) : '';

/** What of the node selection the offset is on: a nodeSelector entry, an affinity requirement, a section key. */
export type SelectionToken =
  | { readonly kind: 'nodeSelector'; readonly range: OffsetRange; readonly key?: string }
  | {
      readonly kind: 'affinity';
      readonly range: OffsetRange;
      readonly requirement?: Requirement;
      readonly field?: boolean;
    };

export function selectionTokenAt(spec: PodSpecFacts, offset: number): SelectionToken | undefined {
  const map = spec.node;
  const selectorPair = pairOf(map, 'nodeSelector');
  if (selectorPair) {
    if (rangeContains(rangeOf(selectorPair.key), offset))
      return { kind: 'nodeSelector', range: rangeOf(selectorPair.key) };
    for (const [key] of spec.scheduling.nodeSelector) {
      const range = nodeSelectorKeyRange(spec, key);
      if (range && rangeContains(range, offset)) return { kind: 'nodeSelector', range, key };
    }
  }
  const nodeAffinity = pairOf(get(map, 'affinity'), 'nodeAffinity');
  if (nodeAffinity && rangeContains(rangeOf(nodeAffinity.key), offset))
    return { kind: 'affinity', range: rangeOf(nodeAffinity.key) };
  const required = pairOf(nodeAffinity?.value, REQUIRED_AFFINITY[2]);
  if (required && rangeContains(rangeOf(required.key), offset))
    return { kind: 'affinity', range: rangeOf(required.key) };
  for (const term of spec.scheduling.requiredTerms ?? [])
    for (const field of [false, true]) {
      for (const requirement of field ? term.matchFields : term.matchExpressions) {
        const range = requirementKeyRange(spec, requirement);
        if (range && rangeContains(range, offset)) return { kind: 'affinity', range, requirement, field };
      }
    }
  return undefined;
}
