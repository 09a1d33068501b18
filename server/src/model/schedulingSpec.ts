// What decides where a pod may run, read from a pod spec and from Node objects as plain values:
// nodeSelector, required node affinity, tolerations, host ports, and the node's labels and taints
// (kubernetes-workloads.md §3). Judging them is model/placement.ts's job.
import { isMap, isScalar } from 'yaml';
import { get, getText, itemsOf, scalarText, textItems } from '../core/yamlAccess';

export interface Taint {
  readonly key: string;
  readonly value: string;
  readonly effect: string;
}

export interface Toleration {
  /** Empty: every key (with operator Exists). */
  readonly key: string;
  /** `Equal` (the default when unset), `Exists`; anything else tolerates nothing. */
  readonly operator: string;
  readonly value: string;
  /** Empty: every effect. */
  readonly effect: string;
}

/** One requirement of a node selector term or a label selector: `key In [a, b]`. */
export interface Requirement {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
}

export interface NodeSelectorTerm {
  readonly matchExpressions: readonly Requirement[];
  readonly matchFields: readonly Requirement[];
}

export interface LabelSelector {
  readonly matchLabels: ReadonlyArray<readonly [string, string]>;
  readonly matchExpressions: readonly Requirement[];
}

/** A port the pod takes on its node: `hostPort`, or every containerPort of a hostNetwork pod. */
export interface HostPort {
  readonly port: number;
  /** `TCP` when unset. */
  readonly protocol: string;
  /** `0.0.0.0` when unset: every address of the node. */
  readonly hostIP: string;
}

export interface SchedulingSpec {
  readonly nodeSelector: ReadonlyArray<readonly [string, string]>;
  /** The terms of requiredDuringSchedulingIgnoredDuringExecution; undefined when the pod has none. */
  readonly requiredTerms?: readonly NodeSelectorTerm[];
  readonly tolerations: readonly Toleration[];
  readonly hostPorts: readonly HostPort[];
  /** Required podAntiAffinity terms over `kubernetes.io/hostname` in the pod's own namespace. */
  readonly hostnameAntiAffinity: readonly LabelSelector[];
  /** Hard constraints Podnet does not evaluate (pod affinity, other anti-affinity, spread constraints). */
  readonly unevaluated: readonly string[];
}

/** Shared by every pod spec that constrains nothing: most bare Pods. */
const UNCONSTRAINED: SchedulingSpec = Object.freeze({
  nodeSelector: [],
  tolerations: [],
  hostPorts: [],
  hostnameAntiAffinity: [],
  unevaluated: [],
});

export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** Scalars as Kubernetes' string fields hold them (`"true"`, `"3"`), or undefined for anything else. */
const text = (node: unknown): string | undefined => scalarText(node)?.value;

/** The string pairs of a map such as `nodeSelector` or `metadata.labels`. */
export function stringPairs(node: unknown): Array<[string, string]> {
  if (!isMap(node)) return [];
  const pairs: Array<[string, string]> = [];
  for (const item of node.items) {
    const key = isScalar(item.key) ? text(item.key) : undefined;
    const value = item.value === null ? '' : text(item.value);
    if (key !== undefined && value !== undefined) pairs.push([key, value]);
  }
  return pairs;
}

const requirementsOf = (node: unknown): Requirement[] =>
  itemsOf(node).map((item) => ({
    key: getText(item, 'key')?.value ?? '',
    operator: getText(item, 'operator')?.value ?? '',
    values: textItems(get(item, 'values')).map((v) => v.value),
  }));

const labelSelectorOf = (node: unknown): LabelSelector => ({
  matchLabels: stringPairs(get(node, 'matchLabels')),
  matchExpressions: requirementsOf(get(node, 'matchExpressions')),
});

export function taintsOf(node: unknown): Taint[] {
  return itemsOf(node).map((item) => ({
    key: getText(item, 'key')?.value ?? '',
    value: getText(item, 'value')?.value ?? '',
    effect: getText(item, 'effect')?.value ?? '',
  }));
}

function tolerationsOf(node: unknown): Toleration[] {
  return itemsOf(node).map((item) => ({
    key: getText(item, 'key')?.value ?? '',
    operator: getText(item, 'operator')?.value || 'Equal',
    value: getText(item, 'value')?.value ?? '',
    effect: getText(item, 'effect')?.value ?? '',
  }));
}

/**
 * Host ports of the regular containers, as the scheduler's NodePorts filter counts them: only
 * `hostPort > 0`; with hostNetwork an unset hostPort is defaulted to the containerPort.
 */
function hostPortsOf(spec: unknown, hostNetwork: boolean): HostPort[] {
  const ports: HostPort[] = [];
  for (const container of itemsOf(get(spec, 'containers'))) {
    for (const port of itemsOf(get(container, 'ports'))) {
      const declared = integerAt(port, 'hostPort');
      const value = declared ?? (hostNetwork ? integerAt(port, 'containerPort') : undefined);
      if (value === undefined || value <= 0) continue;
      ports.push({
        port: value,
        protocol: getText(port, 'protocol')?.value || 'TCP',
        hostIP: getText(port, 'hostIP')?.value || '0.0.0.0',
      });
    }
  }
  return ports;
}

function integerAt(node: unknown, key: string): number | undefined {
  const value = get(node, key);
  return isScalar(value) && typeof value.value === 'number' && Number.isInteger(value.value) ? value.value : undefined;
}

/** Reads the scheduling constraints of a pod spec map (a Pod's `spec` or a template's). */
export function schedulingOf(spec: unknown, hostNetwork: boolean): SchedulingSpec {
  const nodeSelector = get(spec, 'nodeSelector');
  const affinity = get(spec, 'affinity');
  const tolerations = get(spec, 'tolerations');
  const spread = get(spec, 'topologySpreadConstraints');
  const hostPorts = hostPortsOf(spec, hostNetwork);
  if (!nodeSelector && !affinity && !tolerations && !spread && hostPorts.length === 0) return UNCONSTRAINED;
  const unevaluated: string[] = [];
  const hostnameAntiAffinity: LabelSelector[] = [];
  const required = 'requiredDuringSchedulingIgnoredDuringExecution';
  if (itemsOf(get(affinity, 'podAffinity', required)).length > 0) unevaluated.push('required podAffinity');
  for (const term of itemsOf(get(affinity, 'podAntiAffinity', required))) {
    const ownNamespace = !get(term, 'namespaces') && !get(term, 'namespaceSelector');
    if (getText(term, 'topologyKey')?.value === HOSTNAME_LABEL && ownNamespace && get(term, 'labelSelector'))
      hostnameAntiAffinity.push(labelSelectorOf(get(term, 'labelSelector')));
    else unevaluated.push('required podAntiAffinity');
  }
  if (itemsOf(spread).some((c) => (getText(c, 'whenUnsatisfiable')?.value ?? 'DoNotSchedule') === 'DoNotSchedule'))
    unevaluated.push('topologySpreadConstraints');
  const nodeAffinity = get(affinity, 'nodeAffinity', required);
  return {
    nodeSelector: stringPairs(nodeSelector),
    requiredTerms: nodeAffinity
      ? itemsOf(get(nodeAffinity, 'nodeSelectorTerms')).map((term) => ({
          matchExpressions: requirementsOf(get(term, 'matchExpressions')),
          matchFields: requirementsOf(get(term, 'matchFields')),
        }))
      : undefined,
    tolerations: tolerationsOf(tolerations),
    hostPorts,
    hostnameAntiAffinity,
    unevaluated: [...new Set(unevaluated)],
  };
}
