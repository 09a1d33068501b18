// What flannel and the CNI plugins build on each node, and how a packet crosses it. These types are
// the data the server computes and the client, the webview and the CLI only render; they are plain JSON.

/** How sure a value is: from a manifest, derived by Podnet's rules, or a stand-in for an unknowable value. */
export type Certainty = 'known' | 'inferred' | 'placeholder';

export interface SourceRef {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export type DeviceKind =
  'loopback' | 'nic' | 'bridge' | 'veth-host' | 'veth-pod' | 'vxlan' | 'wireguard' | 'ipip' | 'tun';

export interface DeviceAddress {
  cidr: string;
  certainty: Certainty;
}

export interface Device {
  /** Unique within the topology, stable across edits; built and parsed by ids.ts only. */
  id: string;
  name: string;
  nameCertainty: Certainty;
  kind: DeviceKind;
  /** `host`, or the pod's `namespace/name`. */
  netns: string;
  addresses: DeviceAddress[];
  mtu: number;
  mtuCertainty: Certainty;
  /** The link-layer address, where one is known (flannel.1's VTEP MAC, from its Node's annotation). */
  mac?: string;
  /** Bridge the device is enslaved to (`cni0`). */
  master?: string;
  /** Device id of the other end of a veth pair. */
  peer?: string;
  /** One line each, for hovers and the tool outputs. */
  facts: string[];
  /** The manifest that declares the device; a pod's own devices (lo, eth0) leave it to the pod's. */
  source?: SourceRef;
}

export interface PodTopology {
  id: string;
  name: string;
  namespace: string;
  node: string;
  hostNetwork: boolean;
  /** The control-plane component, for a static pod kubelet runs from /etc/kubernetes/manifests. */
  staticPod?: string;
  containers: string[];
  /**
   * The pod's IP: known from a live pod's status.podIP (or the node's, for hostNetwork), otherwise
   * predicted in order of appearance ("first free", inferred).
   */
  address?: { ip: string; certainty: Certainty };
  devices: Device[];
  /** The controller that creates the pod: the manifest that predicts it, or a live pod's ownerReference. */
  owner?: PodOwner;
  /** A predicted pod's name as Kubernetes forms it, unknowable parts in angle brackets: `web-<hash>-<id>`. */
  generatedName?: string;
  /** Why the pod's node is a guess (the scheduler's choice among several), when it is. */
  placement?: string;
  /** Further facts, e.g. that a CronJob's pods exist only while a run is active. */
  notes?: string[];
  /** Where the pod comes from: a Pod's name, or the controller's that predicts it. */
  source?: SourceRef;
  /** The routes of the pod's network namespace, where the CNI sets its own (Calico's 169.254.1.1). */
  routes?: RouteEntry[];
}

export interface PodOwner {
  kind: string;
  name: string;
}

export interface RouteEntry {
  destination: string;
  via?: string;
  device: string;
  onlink?: boolean;
  protoKernel?: boolean;
  scopeLink?: boolean;
  src?: string;
  /** The routing protocol that installed it, other than the kernel: `bird` (BIRD), `80` (Calico's Felix). */
  proto?: string;
  /** Drops what matches: Calico's route for the node's own block (`device` is empty). */
  blackhole?: boolean;
  certainty: Certainty;
}

export interface NeighbourEntry {
  ip: string;
  ipCertainty: Certainty;
  /** The peer's VTEP MAC from its Node's `backend-data` annotation, else a placeholder. */
  lladdr: string;
  lladdrCertainty: Certainty;
  device: string;
  /** The peer node the entry reaches; this node itself for a local pod's entry (Calico). */
  node: string;
}

export interface FdbEntry {
  mac: string;
  macCertainty: Certainty;
  device: string;
  /** The peer's flannel public IP (`public-ip` annotation), else its node IP, else a placeholder. */
  dst: string;
  dstCertainty: Certainty;
  node: string;
}

export interface NodeTopology {
  id: string;
  name: string;
  podCidr?: string;
  /** Why the podCIDR is inferred, when it is. */
  podCidrNote?: string;
  internalIp?: string;
  /** Why the node IP is unknown, when it is. */
  internalIpNote?: string;
  /** The address flannel's peers send to, from its Node's `public-ip(-overwrite)` annotation (a live dump). */
  publicIp?: string;
  devices: Device[];
  pods: PodTopology[];
  routes: RouteEntry[];
  neighbours: NeighbourEntry[];
  fdb: FdbEntry[];
  /** Why parts of this node cannot be built (no podCIDR, outside Network…). */
  problems: string[];
  source?: SourceRef;
}

/** A Calico IP pool as the cluster header shows it. */
export interface PoolSummary {
  name: string;
  cidr: string;
  blockSize: number;
  /** `IPIP`, `IPIPCrossSubnet`, `VXLAN`, `VXLANCrossSubnet` or `None`, as the Installation spells it. */
  encapsulation: string;
  disabled: boolean;
}

export interface ClusterSummary {
  id: string;
  name: string;
  /** The CNI whose data plane is drawn; `unknown` when nothing tells it (no CNI devices are drawn). */
  cni: 'flannel' | 'calico' | 'canal' | 'unknown';
  /** flannel's backend type; for Calico the encapsulation between nodes (`ipip`, `vxlan`, `none`). */
  backend: string;
  /** Calico's pools and the calico/node release (undefined: not visible, taken as the newest). */
  calico?: { pools: PoolSummary[]; version?: string };
  network?: string;
  vni?: number;
  port?: number;
  directRouting: boolean;
  /** flannel's defaults were assumed: there is no net-conf.json in this cluster. */
  assumed: boolean;
  podMtu: number;
  underlayMtu: number;
  source?: SourceRef;
}

/** An error that stops the network (flanneld or the CNI config cannot start), from the cluster's diagnostics. */
export interface TopologyBanner {
  /** The rule id of the diagnostic. */
  rule: string;
  message: string;
  /** Where the diagnostic points: the panel reveals it. */
  source?: SourceRef;
  /** `cluster`: every node is affected; `node`: the nodes named in `nodes` (also marked on them). */
  scope: 'cluster' | 'node';
  nodes: string[];
  /** Further diagnostics of the same rule, not shown one by one. */
  more: number;
}

/** A pod that lands on no node, with the reason. */
export interface UnplacedPod {
  /** `namespace/name`. */
  pod: string;
  reason: string;
  /** The controller that would create it, for predicted pods. */
  owner?: PodOwner;
  /** A pod a controller would create, not a Pod object of the manifests. */
  predicted?: boolean;
  source?: SourceRef;
}

export interface Topology {
  cluster: ClusterSummary;
  nodes: NodeTopology[];
  /** Pods that land on no node, with the reason. */
  unplaced: UnplacedPod[];
  /** Errors that stop the network, most important first. */
  banners: TopologyBanner[];
  notes: string[];
}

/** The answer when no path can exist between two pods, with the reason (shared by engine, server and client). */
export function noPath(from: string, to: string, reason: string, backend = ''): PacketPath {
  return { from, to, ok: false, reason, backend, hops: [], encapsulation: null, mtu: 0, ttl: 0, notes: [] };
}

export type HopAction =
  | 'send'
  | 'loopback'
  | 'veth'
  | 'bridge'
  | 'route'
  | 'encapsulate'
  | 'wire'
  | 'receive'
  | 'decapsulate'
  | 'deliver'
  | 'userspace'
  | 'nat';

export interface Encapsulation {
  type: 'vxlan' | 'wireguard' | 'ipip' | 'udp' | 'ipsec';
  outerSrc: string;
  outerDst: string;
  /** UDP destination port, where the encapsulation is UDP. */
  port?: number;
  vni?: number;
  /** Bytes the encapsulation adds to each packet. */
  overhead: number;
  /**
   * VXLAN: the inner frame's MACs, the two nodes' VTEPs, when a live Node's annotation tells either (the
   * other is then `<vtep mac of …>`).
   */
  innerSrcMac?: string;
  innerDstMac?: string;
}

export interface Hop {
  node: string;
  netns: string;
  device: string;
  deviceId?: string;
  /** The device's name is assumed (the NIC `eth0` when flanneld is given no `--iface`). */
  deviceAssumed?: boolean;
  /** The device's own address where the packet arrives on a node's NIC (the node IP). */
  address?: string;
  action: HopAction;
  description: string;
  /** Inner (pod) addresses at this hop. */
  src?: string;
  dst?: string;
  /** The routing-table entry that matched, in `ip route` syntax. */
  route?: string;
  encapsulation: Encapsulation | null;
  /** IP TTL of the inner packet when it leaves this hop. */
  ttl: number;
  /** The MTU of the hop's device, when the device is drawn. */
  mtu?: number;
}

export interface PacketPath {
  from: string;
  to: string;
  ok: boolean;
  /** Why no path can be drawn, when ok is false. */
  reason?: string;
  backend: string;
  hops: Hop[];
  /** Encapsulation used on the wire, or null. */
  encapsulation: Encapsulation | null;
  /** Largest packet that crosses the whole path without fragmentation. */
  mtu: number;
  /** TTL at delivery of a packet sent with TTL 64. */
  ttl: number;
  notes: string[];
}
