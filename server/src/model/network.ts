// The network model of one cluster: flannel's configuration and, for each node, what flannel and the
// CNI plugins give it (flannel.md §5): podCIDR, cni0 gateway, pod address range, tunnel device, MTU.
import {
  type Cidr,
  formatCidr,
  formatIp,
  type IpAddress,
  lastAddressOf,
  networkOf,
  parseCidr,
  parseIp,
  podSubnetOf,
} from '../core/cidr';
import {
  type ConfigMapFacts,
  type ControllerManagerFacts,
  type DaemonSetFacts,
  type FileFacts,
  flagsOf,
  isFlagOn,
  isGoTrue,
  type NodeFacts,
  type PodFacts,
  type WorkloadFacts,
} from './objects';
import { flanneldIface, flanneldMasquerades, flanneldSetting } from './flanneld';
import { assumedNetConf, backendInfo, interpretNetConf, type NetConf } from './netconf';
import { DEFAULT_UNDERLAY_MTU } from './backends';
import { type FlannelVersion, parseFlannelImage } from './flannelVersion';
import { type K8sObject } from '../core/manifest';
import { type Draft } from './snapshots';
import { controlPlaneNodes, staticPodNode, type StaticPodHome } from './staticPods';
import { podIndexOf } from './podIndex';
import { schedulePods, templateNodeNames, type Where } from './workloads';
import {
  annotationKeyPrefix,
  DEFAULT_ANNOTATION_PREFIX,
  type FlannelNodeState,
  flannelNodeStateOf,
  hasFinished,
} from './liveState';
import { type AddressedNode, type PodAddress, podAddressesOf } from './podAddresses';
import { type CalicoNetwork, type CalicoNodeNetwork } from './calico/model';
import { type CniChoice, type CniDetection, type CniKind, detectCni } from './cniDetection';
import { installationOf, readCalicoNetwork } from './calico/network';
import { calicoNodesOf, podRangeOf } from './calico/nodes';

export interface NodeNetwork {
  readonly name: string;
  readonly facts?: NodeFacts;
  readonly podCidr?: Cidr;
  /** Why the podCIDR is a guess, when it does not come from the Node object. */
  readonly podCidrInferred?: string;
  readonly gateway?: IpAddress;
  readonly firstPodAddress?: IpAddress;
  readonly lastPodAddress?: IpAddress;
  readonly podAddressCount?: bigint;
  readonly tunnel?: { readonly device: string; readonly address?: string };
  readonly underlayMtu: number;
  readonly underlayMtuAssumed: boolean;
  readonly podMtu: number;
  readonly internalIp?: IpAddress;
  /** Where internalIp comes from when no Node object gives it: a live pod's status.hostIP. */
  readonly internalIpFrom?: string;
  /** What flanneld on the node wrote in its Node annotations (a live dump): backend, VTEP MAC, public IP. */
  readonly flannel?: FlannelNodeState;
  /** The NIC flannel uses: `--iface` when the DaemonSet sets it, otherwise assumed `eth0`. */
  readonly iface: string;
  /** The NIC's name is a guess (`eth0`): flanneld is given no `--iface`, so it takes the default route's. */
  readonly ifaceAssumed: boolean;
  /**
   * Bare Pods on the node, then the pods controllers are predicted to put there (model/workloads.ts).
   * Field read-only; the list becomes ReadonlyArray once features/hover.ts's podsLine takes one.
   */
  readonly pods: PodFacts[];
  /** Each pod's address: observed in its status, the node's (hostNetwork), or predicted (podAddresses.ts). */
  readonly podAddresses: ReadonlyMap<PodFacts, PodAddress>;
  /** Calico's blocks, tunnel addresses and node address, when the cluster runs Calico (or Canal). */
  readonly calico?: CalicoNodeNetwork;
}

export interface ClusterFacts {
  readonly pods: readonly PodFacts[];
  readonly daemonSets: readonly DaemonSetFacts[];
  readonly workloads: readonly WorkloadFacts[];
  readonly nodes: readonly NodeFacts[];
  readonly configMaps: readonly ConfigMapFacts[];
  readonly controllerManagers: readonly ControllerManagerFacts[];
  readonly clusterConfigurations: FileFacts['clusterConfigurations'];
  readonly namespaces: FileFacts['namespaces'];
  readonly calico: FileFacts['calico'];
}

export interface ClusterNetwork {
  /** The CNI the cluster runs (model/cniDetection.ts); its data plane builds the topology. */
  readonly cni: CniDetection;
  /** Calico's pools and settings, when the cluster runs Calico or Canal. */
  readonly calico?: CalicoNetwork;
  readonly netConf: NetConf;
  /** The ConfigMap net-conf.json comes from, if any. */
  readonly configMap?: ConfigMapFacts;
  readonly flannelDaemonSet?: DaemonSetFacts;
  /** The flannel release the DaemonSet's flanneld image deploys; undefined: not told, taken as the newest. */
  readonly flannelVersion?: FlannelVersion;
  /** flanneld runs with --kube-subnet-mgr (assumed when no DaemonSet is visible). */
  readonly kubeMode: boolean;
  /** flanneld masquerades traffic leaving the pod network (--ip-masq; assumed when no DaemonSet is visible). */
  readonly ipMasq: boolean;
  /** The range kube-controller-manager allocates podCIDRs from, when visible. */
  readonly clusterCidr?: { readonly cidr: Cidr; readonly source: string };
  readonly nodeMaskSize: number;
  readonly nodes: readonly NodeNetwork[];
  /** Whether nodes come from Node objects or settings (true), or only from the pods' nodeNames (false). */
  readonly nodesDeclared: boolean;
  /** Pods whose nodeName names no known node, or that have none; predicted pods no node takes, with the reason. */
  readonly unplacedPods: readonly PodFacts[];
  /** The control-plane static pods (no nodeName) and where kubelet runs them, or why that cannot be told. */
  readonly staticPods: ReadonlyMap<PodFacts, StaticPodHome>;
  /** Bare Pods without nodeName (not static, not live) placed as the scheduler would, or why on none. */
  readonly scheduledPods: ReadonlyMap<PodFacts, Where>;
}

export interface BuildOptions {
  /** Node names the user declared in settings, known even without Node objects. */
  knownNodes?: string[];
  /** The CNI the user names (`podnet.cni`, `--cni`): wins over detection and `.podnet.yaml`. */
  cni?: CniKind;
  /** The CNI the cluster's `.podnet.yaml` names (`cni:`). */
  projectCni?: CniKind;
}

export function mergeFacts(all: readonly FileFacts[]): ClusterFacts {
  return {
    pods: merged(all, (f) => f.pods),
    daemonSets: merged(all, (f) => f.daemonSets),
    workloads: merged(all, (f) => f.workloads),
    nodes: merged(all, (f) => f.nodes),
    configMaps: merged(all, (f) => f.configMaps),
    controllerManagers: merged(all, (f) => f.controllerManagers),
    clusterConfigurations: merged(all, (f) => f.clusterConfigurations),
    namespaces: merged(all, (f) => f.namespaces),
    calico: merged(all, (f) => f.calico),
  };
}

/**
 * The files' lists of one kind, joined. The lists are read-only, so the one file holding any (a file of
 * thousands of Pods beside the Node objects' file) gives its own list, not a copy.
 */
function merged<T>(all: readonly FileFacts[], list: (facts: FileFacts) => readonly T[]): readonly T[] {
  let only: readonly T[] | undefined;
  let holders = 0;
  for (const facts of all) {
    if (list(facts).length === 0) continue;
    only = list(facts);
    holders++;
  }
  if (holders === 0) return [];
  if (holders === 1) return only!;
  return all.flatMap(list);
}

/**
 * The ConfigMap flanneld reads: the one the flannel DaemonSet mounts (from the DaemonSet's own file when
 * several define it), else the first with net-conf.json by file path. The duplicate-config rule names it.
 */
export function flannelConfigMapOf(
  facts: ClusterFacts,
  daemonSet: DaemonSetFacts | undefined,
): ConfigMapFacts | undefined {
  const withNetConf = facts.configMaps.filter((c) => c.netConf);
  if (daemonSet) {
    const namespace = daemonSet.object.namespace?.value ?? 'default';
    const names = daemonSet.spec.volumes.map((v) => v.configMapName?.value).filter(Boolean);
    const referenced = withNetConf.filter(
      (c) => names.includes(c.object.name?.value) && (c.object.namespace?.value ?? 'default') === namespace,
    );
    // Several manifests of one folder may define it: the DaemonSet's own file wins, as in its rules.
    const chosen = referenced.find((c) => c.object.uri === daemonSet.object.uri) ?? referenced[0];
    if (chosen) return chosen;
  }
  return withNetConf[0];
}

export function isKubeMode(daemonSet: DaemonSetFacts | undefined): boolean {
  const container = daemonSet?.flannelContainer;
  if (!container) return true;
  const flag = flagsOf([...container.command, ...container.args]).find((f) => f.name === 'kube-subnet-mgr');
  if (flag) return isFlagOn(flag);
  return container.env.some((e) => e.name.value === 'FLANNELD_KUBE_SUBNET_MGR' && isGoTrue(e.value?.value));
}

/**
 * The range node podCIDRs come from: the first kube-controller-manager's --cluster-cidr (what runs), else
 * the first ClusterConfiguration's podSubnet, in file path order. `object` is the manifest it was read from.
 */
export function clusterCidrOf(facts: ClusterFacts): { cidr: Cidr; source: string; object: K8sObject } | undefined {
  for (const kcm of facts.controllerManagers) {
    const flag = kcm.flags.find((f) => f.name === 'cluster-cidr');
    const cidr = parseCidr(flag?.value?.split(',')[0] ?? '');
    if (cidr) return { cidr: networkOf(cidr), source: 'kube-controller-manager --cluster-cidr', object: kcm.object };
  }
  for (const config of facts.clusterConfigurations) {
    const cidr = parseCidr(config.podSubnet?.value.split(',')[0] ?? '');
    if (cidr) return { cidr: networkOf(cidr), source: 'kubeadm networking.podSubnet', object: config.object };
  }
  return undefined;
}

function nodeMaskSizeOf(facts: ClusterFacts): number {
  for (const kcm of facts.controllerManagers) {
    const flag = kcm.flags.find((f) => f.name === 'node-cidr-mask-size-ipv4' || f.name === 'node-cidr-mask-size');
    const size = Number(flag?.value);
    if (Number.isInteger(size) && size > 0 && size <= 32) return size;
  }
  return 24;
}

export function buildClusterNetwork(facts: ClusterFacts, options: BuildOptions = {}): ClusterNetwork {
  const cni = detectCni(facts, cniChoiceOf(options));
  const calico =
    cni.kind === 'calico' || cni.kind === 'canal'
      ? readCalicoNetwork(facts, cni.kind === 'canal' ? 'canal' : installationOf(facts) ? 'operator' : 'manifest')
      : undefined;
  /** Calico's own IPAM gives the addresses; Canal's host-local takes the podCIDR as flannel's does. */
  const calicoIpam = calico && calico.install !== 'canal' ? calico : undefined;
  const flannelDaemonSet = facts.daemonSets.find((d) => d.flannelContainer);
  const configMap = flannelConfigMapOf(facts, flannelDaemonSet);
  const netConf = configMap?.netConf ? interpretNetConf(configMap.netConf.json.root) : assumedNetConf();
  const clusterCidr = clusterCidrOf(facts);
  const nodeMaskSize = nodeMaskSizeOf(facts);
  const { iface, ifaceAssumed } = ifaceOf(flannelDaemonSet, facts.configMaps);
  const flannelVersion = parseFlannelImage(flannelDaemonSet?.flannelContainer?.image?.value ?? '');

  // Nodes are drafts while they are filled in; the cluster hands them out read-only.
  const nodeByName = new Map<string, Draft<NodeNetwork>>();
  const addNode = (name: string, nodeFacts?: NodeFacts) => {
    if (nodeByName.has(name)) return;
    nodeByName.set(name, {
      name,
      facts: nodeFacts,
      underlayMtu: DEFAULT_UNDERLAY_MTU,
      underlayMtuAssumed: true,
      podMtu: DEFAULT_UNDERLAY_MTU,
      iface,
      ifaceAssumed,
      pods: [],
      podAddresses: new Map(),
    });
  };
  for (const node of facts.nodes) if (node.object.name) addNode(node.object.name.value, node);
  // Without any Node object (or declared node), the nodes are the ones pods name.
  const nodesDeclared = facts.nodes.length > 0 || (options.knownNodes?.length ?? 0) > 0;
  for (const name of options.knownNodes ?? []) addNode(name);
  const unplacedPods: PodFacts[] = [];
  const unpinned: PodFacts[] = [];
  const { nodeNames } = podIndexOf(facts.pods);
  for (let i = 0; i < facts.pods.length; i++) {
    const pod = facts.pods[i];
    const nodeName = nodeNames[i];
    if (!nodeName) unpinned.push(pod);
    if (nodeName && !nodesDeclared) addNode(nodeName);
    const node = nodeName ? nodeByName.get(nodeName) : undefined;
    if (node) node.pods.push(pod);
    else unplacedPods.push(pod);
  }
  // Without Node objects, a controller template's nodeName names a node too.
  if (!nodesDeclared) for (const name of templateNodeNames(facts)) addNode(name);

  const nodes = [...nodeByName.values()];
  const staticPods = placeStaticPods(unpinned, nodes, nodesDeclared, unplacedPods);
  // Bare Pods the scheduler binds, and the pods controllers create, after the Pods already bound to nodes
  // (model/workloads.ts).
  const unscheduled = unpinned.filter((pod) => !staticPods.has(pod) && isLeftToScheduler(pod));
  const { predicted, scheduled } = schedulePods(facts, nodes, unscheduled);
  const bound = new Set<PodFacts>();
  for (const [pod, where] of scheduled) {
    const node = 'node' in where ? nodeByName.get(where.node) : undefined;
    node?.pods.push(pod);
    if (node) bound.add(pod);
  }
  const unplaced = bound.size > 0 ? unplacedPods.filter((pod) => !bound.has(pod)) : unplacedPods;
  for (const pod of predicted) {
    const node = pod.node === undefined ? undefined : nodeByName.get(pod.node);
    if (node) node.pods.push(pod);
    else unplaced.push(pod);
  }
  assignPodCidrs(
    nodes,
    nodesDeclared,
    // Calico IPAM ignores podCIDRs: only the Node objects' are kept, none predicted.
    calicoIpam ? undefined : (clusterCidr?.cidr ?? netConf.network),
    nodeMaskSize,
    clusterCidr ? clusterCidr.source : netConf.assumed ? "flannel's default Network (assumed)" : "flannel's Network",
  );
  const keyPrefix = annotationKeyPrefixOf(flannelDaemonSet, facts.configMaps);
  const calicoNodes = calico && calicoNodesOf(nodes, calico, facts);
  for (const node of nodes) {
    const calicoNode = calicoNodes?.get(node.name);
    if (calicoNode) node.calico = calicoNode;
    if (calicoIpam && calicoNode) fillCalicoAddressing(node, calicoIpam, calicoNode);
    else fillAddressing(node, netConf);
    fillLiveState(node, keyPrefix);
    // A pod's observed address is compared with its block, not with a podCIDR Calico does not use.
    lazyPodAddresses(node, calicoIpam ? { ...node, podCidr: undefined } : node);
  }
  return {
    cni,
    ...(calico ? { calico } : {}),
    netConf,
    configMap,
    flannelDaemonSet,
    ...(flannelVersion ? { flannelVersion } : {}),
    kubeMode: isKubeMode(flannelDaemonSet),
    ipMasq: flanneldMasquerades(flannelDaemonSet, facts.configMaps),
    clusterCidr,
    nodeMaskSize,
    nodes,
    nodesDeclared,
    unplacedPods: unplaced,
    staticPods,
    scheduledPods: scheduled,
  };
}

/**
 * The node's pod addresses (from `addressed`, the node as addressing sees it), worked out when first read
 * (topology, hovers): the rules never read them, and an edit rebuilds the network of thousands of pods.
 * The node is complete when this is called.
 */
function lazyPodAddresses(node: Draft<NodeNetwork>, addressed: AddressedNode): void {
  let addresses: Map<PodFacts, PodAddress> | undefined;
  Object.defineProperty(node, 'podAddresses', {
    get: () => (addresses ??= podAddressesOf(addressed)),
    set: (value: Map<PodFacts, PodAddress>) => (addresses = value),
    enumerable: true,
  });
}

/** The user's setting wins over `.podnet.yaml`, which wins over the manifests. */
function cniChoiceOf(options: BuildOptions): CniChoice | undefined {
  if (options.cni) return { kind: options.cni, from: 'setting' };
  if (options.projectCni) return { kind: options.projectCni, from: 'project-config' };
  return undefined;
}

/** Calico IPAM: pods take addresses from the node's first block, after the tunnel device's; no bridge, no gateway. */
function fillCalicoAddressing(node: Draft<NodeNetwork>, calico: CalicoNetwork, calicoNode: CalicoNodeNetwork): void {
  const pools = calico.pools.filter((p) => !p.disabled.value);
  const overhead = pools.some((p) => p.vxlanMode.value !== 'Never')
    ? 50
    : pools.some((p) => p.ipipMode.value !== 'Never')
      ? 20
      : 0;
  node.underlayMtu = DEFAULT_UNDERLAY_MTU;
  node.underlayMtuAssumed = true;
  node.podMtu = calico.mtu && calico.mtu.value > 0 ? calico.mtu.value : DEFAULT_UNDERLAY_MTU - overhead;
  const range = podRangeOf(calicoNode);
  if (!range) return;
  node.firstPodAddress = range.first;
  node.lastPodAddress = range.last;
  node.podAddressCount = range.count;
}

/**
 * Whether the scheduler binds this Pod without nodeName. Not: a live one (the scheduler has not bound it
 * yet, or cannot), one without containers (the API server refuses it), nor a host-network Pod of
 * kube-system, most likely a static pod (kube-vip, haproxy) that the kubelet of an unknown node runs.
 */
const isLeftToScheduler = (pod: PodFacts): boolean =>
  !pod.status &&
  pod.spec.containers.length > 0 &&
  !(pod.spec.hostNetwork && pod.object.namespace?.value === 'kube-system');

/** Puts the control-plane static pods on the control-plane node and takes them out of `unplaced`. */
function placeStaticPods(
  unpinned: readonly PodFacts[],
  nodes: ReadonlyArray<Draft<NodeNetwork>>,
  nodesDeclared: boolean,
  unplaced: PodFacts[],
): Map<PodFacts, StaticPodHome> {
  const homes = new Map<PodFacts, StaticPodHome>();
  for (const pod of unpinned) {
    const home = staticPodNode(pod, nodes, nodesDeclared);
    if (!home) continue;
    homes.set(pod, home);
    const node = 'name' in home ? nodes.find((n) => n.name === home.name) : undefined;
    if (!node) continue;
    node.pods.push(pod);
    unplaced.splice(unplaced.indexOf(pod), 1);
  }
  return homes;
}

/** The start of flanneld's Node annotation keys: its --kube-annotation-prefix, else the default. */
function annotationKeyPrefixOf(daemonSet: DaemonSetFacts | undefined, configMaps: readonly ConfigMapFacts[]): string {
  const given = daemonSet && flanneldSetting(daemonSet, 'kube-annotation-prefix', configMaps)?.value;
  return annotationKeyPrefix(given ?? DEFAULT_ANNOTATION_PREFIX) ?? `${DEFAULT_ANNOTATION_PREFIX}/`;
}

/**
 * What a live cluster says of the node: flanneld's annotations on its Node, and, when no Node object gives
 * its IP, the status.hostIP its running pods report.
 */
function fillLiveState(node: Draft<NodeNetwork>, keyPrefix: string): void {
  const flannel = node.facts ? flannelNodeStateOf(node.facts, keyPrefix) : undefined;
  if (flannel) node.flannel = flannel;
  if (node.internalIp) return;
  for (const pod of node.pods) {
    const hostIP = hasFinished(pod.status) ? undefined : parseIp(pod.status?.hostIP ?? '');
    if (hostIP?.family !== 4) continue;
    node.internalIp = hostIP;
    node.internalIpFrom = `status.hostIP of pod ${pod.object.namespace?.value ?? 'default'}/${pod.object.name?.value}`;
    return;
  }
}

function ifaceOf(
  daemonSet: DaemonSetFacts | undefined,
  configMaps: readonly ConfigMapFacts[],
): { iface: string; ifaceAssumed: boolean } {
  const iface = flanneldIface(daemonSet, configMaps);
  return iface && /^[A-Za-z0-9_.:@-]{1,15}$/.test(iface)
    ? { iface, ifaceAssumed: false }
    : { iface: 'eth0', ifaceAssumed: true };
}

/**
 * Nodes with a podCIDR keep it. The others get a predicted one: kube-controller-manager hands out
 * subnets from the start of the cluster CIDR in registration order, which manifests cannot tell; the
 * control plane registers first (`kubeadm init` before any join), so it gets the first subnet (minikube's
 * one node: 10.244.0.0/24), and when no known node is the control plane the first subnet is left to it.
 */
function assignPodCidrs(
  nodes: Array<Draft<NodeNetwork>>,
  nodesDeclared: boolean,
  pool: Cidr | undefined,
  maskSize: number,
  poolSource: string,
): void {
  const taken: Cidr[] = [];
  for (const node of nodes) {
    const declared = node.facts?.podCIDRs.map((c) => parseCidr(c.value)).find((c) => c?.family === 4);
    if (declared) {
      node.podCidr = networkOf(declared);
      taken.push(node.podCidr);
    }
    const ip = node.facts?.internalIP ? parseIp(node.facts.internalIP.value) : undefined;
    if (ip) node.internalIp = ip;
  }
  const waiting = nodes.filter((n) => !n.podCidr);
  if (!pool || pool.family !== 4 || maskSize < pool.prefix || waiting.length === 0) return;
  const controlPlanes = new Set(controlPlaneNodes(nodes, nodesDeclared));
  const ordered = [...waiting].sort((a, b) => Number(controlPlanes.has(b)) - Number(controlPlanes.has(a)));
  const reserveFirst = controlPlanes.size === 0;
  const step = 1n << BigInt(32 - maskSize);
  const count = 1n << BigInt(maskSize - pool.prefix);
  let index = reserveFirst ? 1n : 0n;
  for (const node of ordered) {
    while (index < count) {
      const candidate: Cidr = { family: 4, address: pool.address + index * step, prefix: maskSize };
      index++;
      const overlapping = taken.find(
        (t) => t.address <= lastAddressOf(candidate) && candidate.address <= lastAddressOf(t),
      );
      if (overlapping) {
        // Skip past the whole taken range at once: a node declaring a huge podCIDR (say 0.0.0.0/0) would
        // otherwise make this loop visit millions of candidates.
        const past = lastAddressOf(overlapping) + 1n - pool.address;
        if (past > index * step) index = (past + step - 1n) / step;
        continue;
      }
      node.podCidr = candidate;
      node.podCidrInferred = node.facts
        ? `inferred: the Node object has no spec.podCIDR; this is the next free /${maskSize} ` +
          `of ${formatCidr(pool)} (${poolSource})`
        : `inferred: no Node object in the workspace; predicted as the next free /${maskSize} ` +
          `of ${formatCidr(pool)} (${poolSource}); the real one is assigned when the node registers`;
      taken.push(candidate);
      break;
    }
  }
}

function fillAddressing(node: Draft<NodeNetwork>, conf: NetConf): void {
  const backend = backendInfo(conf);
  node.underlayMtu = conf.mtu ?? DEFAULT_UNDERLAY_MTU;
  node.underlayMtuAssumed = conf.mtu === undefined;
  node.podMtu = node.underlayMtu - (backend?.overhead ?? 0);
  const cidr = node.podCidr;
  if (!cidr) return;
  const subnet = podSubnetOf(cidr);
  if (subnet.podCount > 0n) {
    node.gateway = subnet.gateway;
    node.firstPodAddress = subnet.firstPod;
    node.lastPodAddress = subnet.lastPod;
    node.podAddressCount = subnet.podCount;
  }
  if (backend?.device) {
    const prefix = conf.backendType === 'udp' || conf.backendType === 'wireguard' ? (conf.network?.prefix ?? 32) : 32;
    node.tunnel = { device: backend.device(conf.vni), address: `${formatIp(4, subnet.network.address)}/${prefix}` };
  }
}
