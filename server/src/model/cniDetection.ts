// Which CNI a cluster runs, told by its manifests or named by the user (setting `podnet.cni`, `.podnet.yaml`
// `cni:`). With no evidence the CNI is unknown and Podnet assumes nothing (issue 15): no flannel defaults.
import { type K8sObject } from '../core/manifest';
import { byCodeUnits } from '../core/text';
import { type ValueSource } from './calico/model';
import { isCanalConfigMap, runsCanal } from './canal';
import { type ClusterFacts } from './network';
import { CNI_CONF_KEY, type DaemonSetFacts, isFlannelConfigMap, NET_CONF_KEY } from './objects';

export const CNI_KINDS = ['flannel', 'calico', 'canal'] as const;

/** A CNI Podnet models: each has one data plane module in topology/dataplanes/. */
export type CniKind = (typeof CNI_KINDS)[number];

/** One object that tells a CNI is installed. */
export interface CniEvidence {
  readonly cni: CniKind;
  /** What it is, e.g. "DaemonSet kube-system/kube-flannel runs flanneld". */
  readonly what: string;
  readonly source?: ValueSource;
  /** The CNI config file the installer writes to /etc/cni/net.d (`10-flannel.conflist`), when known. */
  readonly conflist?: string;
}

export interface CniDetection {
  /** The CNI modelled; `unknown` when nothing tells it. */
  readonly kind: CniKind | 'unknown';
  /** How it was decided. */
  readonly from: 'manifests' | 'setting' | 'project-config' | 'none';
  /** Everything that tells a CNI, for hovers, `--explain-clusters` and the two-CNIs diagnostic. */
  readonly evidence: readonly CniEvidence[];
}

/** Runtimes load the lexically first file in /etc/cni/net.d (calico.md §5). */
const DEFAULT_CONFLIST: Record<CniKind, string> = {
  calico: '10-calico.conflist',
  canal: '10-canal.conflist',
  flannel: '10-flannel.conflist',
};

export const isCniKind = (text: string): text is CniKind => (CNI_KINDS as readonly string[]).includes(text);

/** Who named the CNI, when the user did: the `podnet.cni` setting (or `--cni`), or `.podnet.yaml`'s `cni:`. */
export interface CniChoice {
  readonly kind: CniKind;
  readonly from: 'setting' | 'project-config';
}

/**
 * The cluster's CNI: the user's choice when given, else the one its manifests install. With several, the one
 * whose CNI config file sorts first, which is the one the container runtime loads; the evidence keeps all.
 */
export function detectCni(facts: ClusterFacts, choice?: CniChoice): CniDetection {
  const evidence = cniEvidenceOf(facts);
  if (choice) return { kind: choice.kind, from: choice.from, evidence };
  if (evidence.length === 0) return { kind: 'unknown', from: 'none', evidence };
  const first = [...evidence].sort((a, b) => byCodeUnits(a.conflist ?? '\uffff', b.conflist ?? '\uffff'))[0];
  return { kind: first.cni, from: 'manifests', evidence };
}

/** Every object that tells a CNI is installed; Canal's DaemonSet and ConfigMap count as Canal only. */
export function cniEvidenceOf(facts: ClusterFacts): CniEvidence[] {
  const evidence: CniEvidence[] = [];
  const add = (cni: CniKind, object: K8sObject, what: string, conflist?: string) =>
    evidence.push({
      cni,
      what: `${describe(object)} ${what}`,
      source: objectSource(object),
      ...(conflist ? { conflist } : {}),
    });
  // The file name is the installer's (its DaemonSet's CNI_CONF_NAME): a ConfigMap of the same CNI takes it.
  const installed = new Map<CniKind, string>();
  for (const daemonSet of facts.daemonSets) {
    const kind = daemonSetCni(daemonSet);
    if (!kind) continue;
    const name = conflistNameOf(daemonSet) ?? DEFAULT_CONFLIST[kind];
    if (!installed.has(kind)) installed.set(kind, name);
    add(kind, daemonSet.object, DAEMONSET_WHAT[kind], name);
  }
  const conflist = (kind: CniKind) => installed.get(kind) ?? DEFAULT_CONFLIST[kind];
  for (const configMap of facts.configMaps) {
    if (isCanalConfigMap(configMap)) add('canal', configMap.object, "is Canal's configuration", conflist('canal'));
    else if (isFlannelConfigMap(configMap))
      add('flannel', configMap.object, `has ${configMap.netConf ? NET_CONF_KEY : CNI_CONF_KEY}`, conflist('flannel'));
    else if (configMap.calicoConfig) add('calico', configMap.object, "is Calico's configuration", conflist('calico'));
  }
  for (const object of facts.calico) {
    if (object.kind === 'Installation')
      add('calico', object.object, 'installs Calico through the operator', conflist('calico'));
    else if (object.kind === 'IPPool') add('calico', object.object, 'is a Calico pool');
  }
  return evidence;
}

const DAEMONSET_WHAT: Record<CniKind, string> = {
  canal: 'runs Canal (calico-node and flanneld)',
  calico: 'runs calico-node',
  flannel: 'runs flanneld',
};

function daemonSetCni(daemonSet: DaemonSetFacts): CniKind | undefined {
  if (runsCanal(daemonSet)) return 'canal';
  if (daemonSet.calicoNodeContainer) return 'calico';
  return daemonSet.flannelContainer ? 'flannel' : undefined;
}

/** The CNI_CONF_NAME an install-cni container is given (Calico's and Canal's installers read it). */
function conflistNameOf(daemonSet: DaemonSetFacts): string | undefined {
  for (const container of [...daemonSet.spec.initContainers, ...daemonSet.spec.containers]) {
    const name = container.env.find((e) => e.name.value === 'CNI_CONF_NAME')?.value?.value.trim();
    if (name) return name;
  }
  return undefined;
}

function describe(object: K8sObject): string {
  const name = object.name?.value ?? '(no name)';
  return `${object.kind} ${object.namespace ? `${object.namespace.value}/${name}` : name}`;
}

const objectSource = (object: K8sObject): ValueSource => ({ uri: object.uri, range: object.range });
