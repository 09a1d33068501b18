// Recognises the objects Podnet understands and extracts their network facts with source ranges.
import { isScalar, type Node, type Scalar, type YAMLMap } from 'yaml';
import { type EmbeddedJson, parseEmbeddedJson } from '../core/embeddedJson';
import { type K8sObject, type ManifestFile } from '../core/manifest';
import { type ManifestDocument, releaseTree } from '../core/manifestDocument';
import { type PodStatusFacts, podStatusOf } from './liveState';
import { PodSpec } from './podSpec';
import { cachedPerDocument, type Draft } from './snapshots';
import { type SchedulingSpec, stringPairs, type Taint, taintsOf } from './schedulingSpec';
import { get, getBool, getText, itemsOf, type Located, pairOf, scalarText, textItems } from '../core/yamlAccess';
import {
  type CalicoConfigFacts,
  calicoConfigOf,
  type CalicoObjectFacts,
  calicoObjectOf,
  isCalicoNodeContainer,
} from './calico/objects';

export interface ContainerFacts {
  readonly name?: Located<string>;
  readonly image?: Located<string>;
  readonly command: ReadonlyArray<Located<string>>;
  readonly args: ReadonlyArray<Located<string>>;
  readonly env: readonly EnvFacts[];
  readonly volumeMounts: readonly VolumeMountFacts[];
  readonly privileged?: boolean;
  /** securityContext.capabilities.add, upper case without `CAP_`. */
  readonly capabilities: readonly string[];
  /** securityContext.capabilities.drop, likewise. */
  readonly droppedCapabilities: readonly string[];
  readonly node: YAMLMap;
}

export interface VolumeMountFacts {
  readonly name?: Located<string>;
  readonly mountPath?: Located<string>;
  readonly node: Node;
}

export interface EnvFacts {
  readonly name: Located<string>;
  readonly value?: Located<string>;
  readonly fieldPath?: string;
  /** valueFrom.configMapKeyRef, e.g. Canal's FLANNELD_IFACE from canal-config's canal_iface. */
  readonly configMapKeyRef?: { readonly name: string; readonly key: string };
}

export interface VolumeFacts {
  readonly name?: Located<string>;
  readonly configMapName?: Located<string>;
  readonly hostPath?: Located<string>;
  readonly items: ReadonlyArray<{ key?: string; path?: string }>;
  readonly node: Node;
}

export interface PodSpecFacts {
  readonly nodeName?: Located<string>;
  readonly hostNetwork: boolean;
  readonly hostNetworkNode?: Node;
  readonly serviceAccountName?: string;
  readonly containers: readonly ContainerFacts[];
  readonly initContainers: readonly ContainerFacts[];
  readonly volumes: readonly VolumeFacts[];
  /** nodeSelector, affinity, tolerations, host ports: where the pod may run (model/placement.ts). */
  readonly scheduling: SchedulingSpec;
  readonly node: YAMLMap | undefined;
}

/** The controller of an object: its ownerReference with `controller: true`. */
export interface OwnerRef {
  readonly kind: string;
  readonly name: string;
}

export interface PodFacts {
  readonly object: K8sObject;
  readonly spec: PodSpecFacts;
  /** The controller that created the pod, as live objects (`kubectl get -o yaml`) record it. */
  readonly owner?: OwnerRef;
  /** What the API server reports of a live pod (model/liveState.ts): its addresses and phase. */
  readonly status?: PodStatusFacts;
}

/** Controllers that create pods from a template; DaemonSets are DaemonSetFacts. */
export type WorkloadKind = 'Deployment' | 'ReplicaSet' | 'ReplicationController' | 'StatefulSet' | 'Job' | 'CronJob';

/** A controller with its pod template and the fields that say how many pods it runs (model/workloads.ts). */
export interface WorkloadFacts {
  readonly object: K8sObject;
  readonly kind: WorkloadKind;
  /** The pod template's spec (a CronJob's: its job template's). */
  readonly spec: PodSpecFacts;
  readonly templateLabels: ReadonlyArray<readonly [string, string]>;
  readonly owner?: OwnerRef;
  /** spec.replicas (unset: undefined). */
  readonly replicas?: number;
  /** StatefulSet spec.ordinals.start. */
  readonly ordinalsStart?: number;
  /** Job (and a CronJob's job template) spec.parallelism, spec.completions. */
  readonly parallelism?: number;
  readonly completions?: number;
  /** Job completionMode Indexed. */
  readonly indexed: boolean;
  /** Job or CronJob suspended: no pods. */
  readonly suspend: boolean;
  /** CronJob spec.schedule. */
  readonly schedule?: string;
  /** A count that is not a non-negative integer: the API server refuses the object, so it runs nothing. */
  readonly invalidCount?: string;
}

export interface DaemonSetFacts {
  readonly object: K8sObject;
  readonly spec: PodSpecFacts;
  /** The container that runs flanneld, when this is flannel's DaemonSet. */
  readonly flannelContainer?: ContainerFacts;
  /** The container that runs calico-node (calico.yaml's calico-node DaemonSet, Canal's, the operator's). */
  readonly calicoNodeContainer?: ContainerFacts;
}

export interface NodeFacts {
  readonly object: K8sObject;
  readonly podCIDRs: ReadonlyArray<Located<string>>;
  readonly internalIP?: Located<string>;
  readonly labels: ReadonlyArray<readonly [string, string]>;
  readonly taints: readonly Taint[];
  /** spec.unschedulable: cordoned. */
  readonly unschedulable: boolean;
}

export interface ConfigMapFacts {
  readonly object: K8sObject;
  readonly netConf?: EmbeddedConfig;
  readonly cniConf?: EmbeddedConfig;
  /** calico-config's (or canal-config's) calico_backend, veth_mtu and cni_network_config. */
  readonly calicoConfig?: CalicoConfigFacts;
}

export interface EmbeddedConfig {
  /** The data key, e.g. `net-conf.json`. */
  readonly key: Scalar;
  readonly json: EmbeddedJson;
}

/** A command-line flag of a control-plane component, from `command` or `args`. */
export interface FlagFacts {
  readonly name: string;
  readonly value?: string;
  readonly item: Located<string>;
  /** Range of the value inside the list item (or of the item for a bare flag). */
  readonly valueRange: readonly [number, number];
}

export interface ControllerManagerFacts {
  readonly object: K8sObject;
  readonly flags: readonly FlagFacts[];
}

export interface ClusterConfigurationFacts {
  readonly object: K8sObject;
  readonly podSubnet?: Located<string>;
  readonly serviceSubnet?: Located<string>;
}

export interface NamespaceFacts {
  readonly object: K8sObject;
}

export interface FileFacts {
  readonly pods: readonly PodFacts[];
  readonly daemonSets: readonly DaemonSetFacts[];
  readonly workloads: readonly WorkloadFacts[];
  readonly nodes: readonly NodeFacts[];
  readonly configMaps: readonly ConfigMapFacts[];
  readonly namespaces: readonly NamespaceFacts[];
  readonly controllerManagers: readonly ControllerManagerFacts[];
  readonly clusterConfigurations: readonly ClusterConfigurationFacts[];
  /** Calico's objects: Installation, IPPool, BlockAffinity, BGPConfiguration, FelixConfiguration. */
  readonly calico: readonly CalicoObjectFacts[];
  /** Objects of every kind, for the outline and names. */
  readonly objects: readonly K8sObject[];
}

export const emptyFacts = (objects: K8sObject[]): Draft<FileFacts> => ({
  pods: [],
  daemonSets: [],
  workloads: [],
  nodes: [],
  configMaps: [],
  namespaces: [],
  controllerManagers: [],
  clusterConfigurations: [],
  calico: [],
  objects,
});

/**
 * The facts of the file's documents, in document order. `before` is the file's previous version and its
 * facts: when the edit replaced a few documents by ones holding as many facts of each kind, its lists are
 * copied with those facts swapped (a file of thousands of Pods is not gathered again on each keystroke).
 */
export function extractFacts(file: ManifestFile, before?: { file: ManifestFile; facts: FileFacts }): FileFacts {
  // Most files hold one document: its facts are the file's (the lists are only read from then on).
  if (file.documents.length === 1) return { ...factsOfDocument(file, file.documents[0]), objects: file.objects };
  const updated = before && patchedFacts(file, before.file, before.facts);
  if (updated) return updated;
  const facts = emptyFacts(file.objects);
  for (const doc of file.documents) appendFacts(facts, factsOfDocument(file, doc));
  return facts;
}

const FACT_KINDS = [
  'pods',
  'daemonSets',
  'workloads',
  'nodes',
  'configMaps',
  'namespaces',
  'controllerManagers',
  'clusterConfigurations',
  'calico',
] as const satisfies ReadonlyArray<keyof CollectedFacts>;

/** Past this many replaced documents, gathering the facts again is as quick. */
const MAX_PATCHED_DOCUMENTS = 8;

/**
 * `facts` (of `previous`) with the facts of the documents `file` replaced swapped for the new ones', or
 * undefined when documents were added, removed or replaced by ones with other counts of some kind.
 */
function patchedFacts(file: ManifestFile, previous: ManifestFile, facts: FileFacts): FileFacts | undefined {
  const docs = file.documents;
  const old = previous.documents;
  if (docs.length !== old.length || docs.length < 2) return undefined;
  const changed: number[] = [];
  for (let i = 0; i < docs.length; i++) {
    if (docs[i] === old[i]) continue;
    if (changed.length === MAX_PATCHED_DOCUMENTS) return undefined;
    changed.push(i);
  }
  const patched: Draft<FileFacts> = { ...facts, objects: file.objects } as Draft<FileFacts>;
  for (const i of changed) {
    const from = factsOfDocument(previous, old[i]);
    const to = factsOfDocument(file, docs[i]);
    for (const kind of FACT_KINDS) {
      const removed: readonly unknown[] = from[kind];
      const added: readonly unknown[] = to[kind];
      if (removed.length !== added.length) return undefined;
      if (added.length === 0) continue;
      // The first time a kind changes, the list is copied: the previous version's stays as it was.
      let list: unknown[] = patched[kind];
      if (list === facts[kind]) patched[kind] = list = [...list] as never;
      const at = list.indexOf(removed[0]);
      if (at < 0) return undefined;
      for (let k = 0; k < added.length; k++) list[at + k] = added[k];
    }
  }
  return patched;
}

/**
 * The facts of one document, taken once (a document reused after an edit elsewhere in its file keeps
 * them); then the document gives up its tree if the facts are all it needs.
 */
export const factsOfDocument = cachedPerDocument((file: ManifestFile, doc: ManifestDocument): FileFacts => {
  const facts = documentFacts(file, doc.objects);
  if (holdsOnlyValues(facts)) releaseTree(doc, facts);
  return facts;
});

/**
 * Whether the rules need nothing of the document beyond its facts: Pods and objects of kinds Podnet
 * does not model. The few DaemonSets, Nodes, ConfigMaps and control-plane objects keep their trees
 * for the rules and quick fixes that look further into them.
 */
const holdsOnlyValues = (facts: FileFacts): boolean =>
  facts.daemonSets.length === 0 &&
  facts.nodes.length === 0 &&
  facts.configMaps.length === 0 &&
  facts.controllerManagers.length === 0 &&
  facts.clusterConfigurations.length === 0 &&
  facts.calico.length === 0;

/** The kinds of facts a file or a cluster collects, without the list of all objects. */
export type CollectedFacts = Omit<FileFacts, 'objects'>;

/** Adds every fact of `from` to `into`: documents into a file, files into a cluster. */
export function appendFacts(into: Draft<CollectedFacts>, from: CollectedFacts): void {
  append(into.pods, from.pods);
  append(into.daemonSets, from.daemonSets);
  append(into.workloads, from.workloads);
  append(into.nodes, from.nodes);
  append(into.configMaps, from.configMaps);
  append(into.namespaces, from.namespaces);
  append(into.controllerManagers, from.controllerManagers);
  append(into.clusterConfigurations, from.clusterConfigurations);
  append(into.calico, from.calico);
}

/**
 * `into.push(...from)` without the call for an empty list (most lists of most documents) and without
 * spreading a long one (a file of thousands of Pods) onto the stack.
 */
function append<T>(into: T[], from: readonly T[]): void {
  if (from.length === 1) into.push(from[0]);
  else for (const item of from) into.push(item);
}

function documentFacts(file: ManifestFile, objects: K8sObject[]): FileFacts {
  const facts = emptyFacts(objects);
  for (const object of objects) {
    switch (object.kind) {
      case 'Pod': {
        const spec = new PodSpec(object, ['spec']);
        const owner = ownerOf(object);
        const status = podStatusOf(object);
        facts.pods.push({ object, spec, ...(owner ? { owner } : {}), ...(status ? { status } : {}) });
        if (isControllerManager(spec)) facts.controllerManagers.push({ object, flags: controlPlaneFlags(spec) });
        break;
      }
      case 'DaemonSet': {
        const spec = new PodSpec(object, ['spec', 'template', 'spec']);
        const calicoNodeContainer = spec.containers.find(isCalicoNodeContainer);
        facts.daemonSets.push({
          object,
          spec,
          flannelContainer: spec.containers.find(runsFlanneld),
          ...(calicoNodeContainer ? { calicoNodeContainer } : {}),
        });
        break;
      }
      case 'Node':
        facts.nodes.push(nodeFactsOf(object));
        break;
      case 'Deployment':
      case 'ReplicaSet':
      case 'ReplicationController':
      case 'StatefulSet':
      case 'Job':
      case 'CronJob': {
        const workload = workloadFactsOf(object, object.kind);
        if (workload) facts.workloads.push(workload);
        break;
      }
      case 'Namespace':
        facts.namespaces.push({ object });
        break;
      case 'ConfigMap':
        facts.configMaps.push(configMapFactsOf(file, object));
        break;
      case 'ClusterConfiguration':
        if (object.apiVersion.startsWith('kubeadm.k8s.io/')) {
          facts.clusterConfigurations.push({
            object,
            podSubnet: getText(object.node, 'networking', 'podSubnet'),
            serviceSubnet: getText(object.node, 'networking', 'serviceSubnet'),
          });
        }
        break;
      default: {
        const calico = calicoObjectOf(object);
        if (calico) facts.calico.push(calico);
      }
    }
  }
  return facts;
}

const baseName = (path: string) => path.split('/').pop() ?? path;

/** flannel's DaemonSet is recognised by what it runs, not by its name. */
export function runsFlanneld(container: ContainerFacts): boolean {
  const first = container.command[0] ?? container.args[0];
  if (first && baseName(first.value) === 'flanneld') return true;
  // Images whose entrypoint is flanneld, with only flags given.
  return (
    container.command.length === 0 &&
    isFlanneldImage(container.image?.value ?? '') &&
    container.args.some((a) => a.value.startsWith('--'))
  );
}

/**
 * flanneld's own images: `flannel/flannel`, `quay.io/coreos/flannel`, `ghcr.io/flannel-io/flannel` and
 * Rancher's mirror `rancher/mirrored-flannelcni-flannel`; not the CNI plugin's (`…flannel-cni-plugin`).
 */
function isFlanneldImage(image: string): boolean {
  const repository = image.split('@')[0].replace(/:[^/]*$/, '');
  return /^(?:mirrored-flannelcni-)?flannel$/.test(repository.slice(repository.lastIndexOf('/') + 1));
}

function isControllerManager(spec: PodSpecFacts): boolean {
  return spec.containers.some((c) => {
    const first = c.command[0];
    return (
      (first && baseName(first.value) === 'kube-controller-manager') ||
      /kube-controller-manager/.test(c.image?.value ?? '')
    );
  });
}

function controlPlaneFlags(spec: PodSpecFacts): FlagFacts[] {
  const container = spec.containers.find(
    (c) =>
      baseName(c.command[0]?.value ?? '') === 'kube-controller-manager' ||
      /kube-controller-manager/.test(c.image?.value ?? ''),
  );
  if (!container) return [];
  return flagsOf([...container.command, ...container.args]);
}

/** Go's strconv.ParseBool true values, as flag parsing and flannel's env variables accept them. */
export const isGoTrue = (value: string | undefined): boolean => /^(1|t|T|TRUE|true|True)$/.test(value ?? '');

/** A boolean flag that is on: given bare (`--name`) or with a true value. */
export const isFlagOn = (flag: FlagFacts | undefined): boolean =>
  flag !== undefined && (flag.item.value.replace(/^--?/, '') === flag.name || isGoTrue(flag.value));

/** Parses `--name=value` and `--name value` items, keeping where each value sits in the file. */
export function flagsOf(items: Array<Located<string>>): FlagFacts[] {
  const flags: FlagFacts[] = [];
  items.forEach((item, index) => {
    const match = /^--?([A-Za-z0-9][A-Za-z0-9-]*)(=(.*))?$/s.exec(item.value);
    if (!match) return;
    const name = match[1];
    if (match[2] !== undefined) {
      const prefix = name.length + (item.value.startsWith('--') ? 3 : 2);
      // A getter, like Located's ranges: it stays right when the document moves within its file.
      flags.push({
        name,
        value: match[3],
        item,
        get valueRange() {
          const exact = item.textRange[1] - item.textRange[0] === item.value.length;
          return exact ? ([item.textRange[0] + prefix, item.textRange[1]] as const) : item.range;
        },
      });
      return;
    }
    const next = items[index + 1];
    const source = next && !next.value.startsWith('-') ? next : item;
    flags.push({
      name,
      value: source === item ? undefined : source.value,
      item,
      get valueRange() {
        return source.textRange;
      },
    });
  });
  return flags;
}

function nodeFactsOf(object: K8sObject): NodeFacts {
  const podCIDRs = textItems(get(object.node, 'spec', 'podCIDRs'));
  const single = getText(object.node, 'spec', 'podCIDR');
  const addresses = itemsOf(get(object.node, 'status', 'addresses'));
  const internal = addresses.find((a) => getText(a, 'type')?.value === 'InternalIP');
  return {
    object,
    podCIDRs: podCIDRs.length > 0 ? podCIDRs : single ? [single] : [],
    internalIP: internal ? getText(internal, 'address') : undefined,
    labels: stringPairs(get(object.node, 'metadata', 'labels')),
    taints: taintsOf(get(object.node, 'spec', 'taints')),
    unschedulable: getBool(object.node, 'spec', 'unschedulable') === true,
  };
}

export const NET_CONF_KEY = 'net-conf.json';
export const CNI_CONF_KEY = 'cni-conf.json';

function configMapFactsOf(file: ManifestFile, object: K8sObject): ConfigMapFacts {
  const data = get(object.node, 'data');
  const embedded = (key: string): EmbeddedConfig | undefined => {
    const pair = pairOf(data, key);
    if (!pair || !isScalar(pair.value) || !scalarText(pair.value)) return undefined;
    return { key: pair.key, json: parseEmbeddedJson(file.text, pair.value) };
  };
  const calicoConfig = calicoConfigOf(data);
  return {
    object,
    netConf: embedded(NET_CONF_KEY),
    cniConf: embedded(CNI_CONF_KEY),
    ...(calicoConfig ? { calicoConfig } : {}),
  };
}

export const isFlannelConfigMap = (configMap: ConfigMapFacts): boolean =>
  configMap.netConf !== undefined || configMap.cniConf !== undefined;

function ownerOf(object: K8sObject): OwnerRef | undefined {
  const refs = get(object.node, 'metadata', 'ownerReferences');
  if (!refs) return undefined;
  const owner = itemsOf(refs).find((ref) => getBool(ref, 'controller') === true);
  const kind = getText(owner, 'kind')?.value;
  const name = getText(owner, 'name')?.value;
  return kind && name ? { kind, name } : undefined;
}

/** The API groups each controller kind is served from, old ones included (`kubectl get -o yaml` of old clusters). */
const WORKLOAD_API: Record<WorkloadKind, RegExp> = {
  Deployment: /^(apps|extensions)\//,
  ReplicaSet: /^(apps|extensions)\//,
  ReplicationController: /^v1$/,
  StatefulSet: /^apps\//,
  Job: /^batch\//,
  CronJob: /^batch\//,
};

function workloadFactsOf(object: K8sObject, kind: WorkloadKind): WorkloadFacts | undefined {
  if (!WORKLOAD_API[kind].test(object.apiVersion)) return undefined;
  const jobSpec = kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec'] : ['spec'];
  const template = [...jobSpec, 'template'];
  const invalid: string[] = [];
  /** A count field: unset, or a non-negative integer (anything else makes the API server refuse the object). */
  const count = (...path: string[]): number | undefined => {
    const node = get(object.node, ...path);
    if (node === undefined) return undefined;
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
    if (!(isScalar(node) && value === null)) invalid.push(path.join('.'));
    return undefined;
  };
  const isJob = kind === 'Job' || kind === 'CronJob';
  const jobField = (key: string) => (isJob ? count(...jobSpec, key) : undefined);
  const owner = ownerOf(object);
  const facts: WorkloadFacts = {
    object,
    kind,
    spec: new PodSpec(object, [...template, 'spec']),
    templateLabels: stringPairs(get(object.node, ...template, 'metadata', 'labels')),
    ...(owner ? { owner } : {}),
    replicas: isJob ? undefined : count('spec', 'replicas'),
    ordinalsStart: kind === 'StatefulSet' ? count('spec', 'ordinals', 'start') : undefined,
    parallelism: jobField('parallelism'),
    completions: jobField('completions'),
    indexed: getText(object.node, ...jobSpec, 'completionMode')?.value === 'Indexed',
    suspend:
      isJob &&
      (getBool(object.node, ...jobSpec, 'suspend') === true || getBool(object.node, 'spec', 'suspend') === true),
    schedule: kind === 'CronJob' ? getText(object.node, 'spec', 'schedule')?.value : undefined,
  };
  return invalid.length > 0 ? { ...facts, invalidCount: invalid.join(', ') } : facts;
}
