// One interface for every CNI's data plane: what it builds on a node and how a packet crosses it. A data
// plane is two halves: how pods are plumbed into their node (flannel: cni0 and veth ports; Calico: routed
// cali veths) and how nodes reach each other's pods (flannel's tunnel or host-gw routes; Calico's block
// routes). Canal is flannel's interconnect with Calico's plumbing. Adding a CNI adds one module here.
import { type NodeNetwork } from '../../model/network';
import { type Cluster } from '../../model/workspace';
import { type Tracer } from '../tracer';
import {
  type Certainty,
  type ClusterSummary,
  type Device,
  type FdbEntry,
  type NeighbourEntry,
  type PodTopology,
  type RouteEntry,
} from '../types';

/** One node being built: its model and whether its CNI can work (no problem stops it). */
export interface NodeContext {
  readonly cluster: Cluster;
  readonly node: NodeNetwork;
  /** False when a problem keeps the CNI from working there: the node gets its NIC and pods only. */
  readonly working: boolean;
  /** The MTU of the node's pods and tunnel devices, and how sure it is. */
  readonly podMtu: { readonly mtu: number; readonly certainty: Certainty };
}

/** How pods are joined to their node's network: devices, local routes, and the hops between pod and host. */
export interface PodPlumbing {
  /** Why pods on the node get no working network (no podCIDR, no block…). */
  problems(cluster: Cluster, node: NodeNetwork): string[];
  /** The pod's own devices (lo, eth0), and the routes of its network namespace when the plumbing sets them. */
  podNetwork(ctx: NodeContext, pod: PodTopology): { devices: Device[]; routes?: RouteEntry[] };
  /** Host devices that join pods to the node: a bridge and its ports, or routed veths. */
  hostDevices(ctx: NodeContext, pods: readonly PodTopology[]): Device[];
  /** Routes to the node's own pods. */
  localRoutes(ctx: NodeContext, pods: readonly PodTopology[]): RouteEntry[];
  /** Permanent neighbour entries for the node's own pods, where the plumbing programs them (Felix does). */
  neighbours?(ctx: NodeContext, pods: readonly PodTopology[]): NeighbourEntry[];
  /** From the source pod's eth0 into the host's network namespace. */
  leavePod(t: Tracer): void;
  /** Both ends on one node, after leavePod when the source is a pod. */
  sameNode(t: Tracer): void;
  /** From the host's side of the source pod to the host's IP stack, before routing to another node. */
  upToHost(t: Tracer): void;
  /** On the destination node: the route to the pod (TTL −1) and into its namespace. */
  deliver(t: Tracer): void;
}

/** How nodes reach each other's pods: tunnel devices, routes, neighbour and FDB entries, the crossing. */
export interface Interconnect {
  problems(cluster: Cluster, node: NodeNetwork): string[];
  /** The pods' MTU on the node: the NIC's minus the encapsulation's overhead, or what is configured. */
  podMtu(cluster: Cluster, node: NodeNetwork): { mtu: number; certainty: Certainty };
  /** Tunnel devices, only where the configuration uses them. */
  devices(ctx: NodeContext): Device[];
  /** Routes to other nodes' pods (and the tunnel's own). */
  routes(ctx: NodeContext): RouteEntry[];
  neighbours(ctx: NodeContext): NeighbourEntry[];
  fdb(ctx: NodeContext): FdbEntry[];
  /** From the source host's IP stack to the destination host's, decapsulated; a reason when none exists. */
  cross(t: Tracer): string | undefined;
  /** The NAT applied to pod traffic leaving for a node's own address, when the CNI masquerades it. */
  masquerade(t: Tracer): string | undefined;
}

export interface NicChoice {
  readonly name: string;
  readonly assumed: boolean;
  /** The fact saying what chose the name, when it is not assumed. */
  readonly chosenBy: string;
  /** The prefix of the node's address on it, when the CNI tells it (Calico's IPv4Address annotation). */
  readonly prefix?: number;
}

/** Summary fields of the cluster the data plane fills (id and name are the cluster's). */
export type SummaryFields = Omit<ClusterSummary, 'id' | 'name'>;

export interface DataPlane {
  readonly kind: ClusterSummary['cni'];
  summary(cluster: Cluster): SummaryFields;
  /** Cluster-wide notes: what is assumed, predicted or observed. */
  notes(cluster: Cluster): string[];
  /** The node's NIC: its name, whether that is assumed, what chose it, and its prefix when known. */
  nic(cluster: Cluster, node: NodeNetwork): NicChoice;
  /** Whether pods get predicted addresses (the CNI's IPAM is known); observed ones are shown either way. */
  readonly predictsPodAddresses: boolean;
  /** Why no packet path can be traced between pods, when the data plane cannot tell (CNI unknown). */
  readonly untraceable?: string;
  readonly plumbing: PodPlumbing;
  readonly interconnect: Interconnect;
}
