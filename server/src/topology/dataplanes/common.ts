// What every data plane builds the same way: a manifest position as a source, the node's loopback and
// NIC, a pod's identity and address, the routes every node has, and the order `ip route` lists them in.
import { formatAddress, formatCidr, formatIp, type IpAddress, networkOf, parseCidr } from '../../core/cidr';
import { type OffsetRange } from '../../core/text';
import { type NodeNetwork } from '../../model/network';
import { type PodFacts } from '../../model/objects';
import { isPredicted, podNameOf } from '../../model/workloads';
import { type Cluster } from '../../model/workspace';
import { hostDeviceId, podDeviceId, podId, podKey } from '../ids';
import {
  type Certainty,
  type Device,
  type DeviceAddress,
  type PodTopology,
  type RouteEntry,
  type SourceRef,
} from '../types';
import { nicChoice } from './nicNotes';

export const LOOPBACK_MTU = 65536;

export function sourceOf(cluster: Cluster, uri: string, range: OffsetRange | undefined): SourceRef | undefined {
  const file = cluster.files.find((f) => f.file.uri === uri)?.file;
  return file && range ? { uri, range: file.lines.rangeOf(range) } : undefined;
}

/** A pod's namespace and name as the topology shows them: Kubernetes' default namespace, a stand-in name. */
export const podNames = (pod: PodFacts) => ({
  namespace: pod.object.namespace?.value ?? 'default',
  name: podNameOf(pod),
});

/** Owner, generated name, placement note and notes of a pod, for the topology JSON, hovers and the panel. */
function workloadFields(cluster: Cluster, pod: PodFacts): Partial<PodTopology> {
  if (!isPredicted(pod)) {
    const where = cluster.network.scheduledPods.get(pod);
    const placement = where && 'node' in where ? where.placementNote : undefined;
    return { ...(pod.owner ? { owner: { ...pod.owner } } : {}), ...(placement ? { placement } : {}) };
  }
  return {
    owner: { ...pod.owner },
    generatedName: pod.generatedName,
    ...(pod.placementNote ? { placement: pod.placementNote } : {}),
    ...(pod.note ? { notes: [pod.note] } : {}),
  };
}

export function unplacedReason(cluster: Cluster, pod: PodFacts): string {
  if (isPredicted(pod)) return pod.unplacedReason ?? 'no node known';
  if (pod.spec.nodeName) return `spec.nodeName \`${pod.spec.nodeName.value}\` names no known node`;
  const home = cluster.network.staticPods.get(pod);
  if (home && 'why' in home)
    return (
      `a static pod of the control plane (${home.component}), run by kubelet on the control-plane node: ` + home.why
    );
  const where = cluster.network.scheduledPods.get(pod);
  if (where && 'unplacedReason' in where) return where.unplacedReason;
  return 'no spec.nodeName: the scheduler picks its node at runtime';
}

/** Why a node's IP is unknown, when it is. */
export const unknownNodeIpReason = (node: NodeNetwork): string =>
  node.facts
    ? 'the Node object has no InternalIP in status.addresses'
    : 'no Node object in the workspace; its address is unknown';

/**
 * A pod with its identity, owner and address, without devices: the data plane adds them. `working`: the
 * node's CNI can work, so a predicted address is shown (a live pod's address is a fact either way).
 */
export function podBase(
  cluster: Cluster,
  node: NodeNetwork,
  pod: PodFacts,
  working: boolean,
  source: SourceRef | undefined,
): PodTopology {
  const ref = podNames(pod);
  const base: PodTopology = {
    id: podId(node.name, ref),
    name: ref.name,
    namespace: ref.namespace,
    node: node.name,
    hostNetwork: pod.spec.hostNetwork,
    containers: pod.spec.containers.map((c) => c.name?.value ?? '<unnamed>'),
    devices: [],
    ...workloadFields(cluster, pod),
    source,
  };
  const home = cluster.network.staticPods.get(pod);
  if (home) base.staticPod = home.component;
  const address = node.podAddresses.get(pod);
  const observed = address?.from === 'status';
  if (address?.note) base.notes = [...(base.notes ?? []), address.note];
  if (address && (observed || pod.spec.hostNetwork || working))
    base.address = { ip: formatAddress(address.ip), certainty: address.from === 'predicted' ? 'inferred' : 'known' };
  return base;
}

/** What every loopback has; shared by the thousands of pod loopbacks of a topology, which is only read. */
const LOOPBACK_ADDRESSES: DeviceAddress[] = [{ cidr: '127.0.0.1/8', certainty: 'known' }];
const POD_LOOPBACK_FACTS = ['Loopback shared by all containers of the pod: they talk over localhost.'];

/** The loopback of a network namespace: the node's, or a pod's shared by its containers. */
export function loopback(id: string, netns: string, fact: string | string[]): Device {
  return {
    id,
    name: 'lo',
    nameCertainty: 'known',
    kind: 'loopback',
    netns,
    addresses: LOOPBACK_ADDRESSES,
    mtu: LOOPBACK_MTU,
    mtuCertainty: 'known',
    facts: typeof fact === 'string' ? [fact] : fact,
  };
}

/** A pod's loopback, shared by its containers. */
export const podLoopback = (node: NodeNetwork, pod: PodTopology): Device =>
  loopback(podDeviceId(node.name, pod, 'lo'), podKey(pod), POD_LOOPBACK_FACTS);

/**
 * The pod end of its veth pair (`eth0` in the pod's namespace): the pod's address with `prefix`, the node's pod
 * MTU, `how` it reaches the rest, and who gave the address. Its `source` is left to the pod's (about 15 % of the
 * JSON of 5,000 pods); whoever looks a device up falls back to it.
 */
export function podEth0(
  node: NodeNetwork,
  pod: PodTopology,
  link: { prefix: number; hostEnd: string; mtu: { mtu: number; certainty: Certainty }; how: string; allocator: string },
): Device {
  const address = pod.address;
  return {
    id: podDeviceId(node.name, pod, 'eth0'),
    name: 'eth0',
    nameCertainty: 'known',
    kind: 'veth-pod',
    netns: podKey(pod),
    addresses: address ? [{ cidr: `${address.ip}/${link.prefix}`, certainty: address.certainty }] : [],
    mtu: link.mtu.mtu,
    mtuCertainty: link.mtu.certainty,
    peer: hostDeviceId(node.name, link.hostEnd),
    facts: [
      link.how,
      address?.certainty === 'known'
        ? "Address observed: the pod's status.podIP."
        : `Address predicted: ${link.allocator} hands out the first free one.`,
    ],
  };
}

/** The node's NIC: its name (given, or assumed as the CNI would pick it), address and MTU. */
export function nicDevice(
  cluster: Cluster,
  node: NodeNetwork,
  nic: { name: string; assumed: boolean; chosenBy: string; cni: string; prefix?: number },
): Device {
  const nodeSource = sourceOf(cluster, node.facts?.object.uri ?? '', node.facts?.object.name?.range);
  const ip = node.internalIp ? formatAddress(node.internalIp) : undefined;
  return {
    id: hostDeviceId(node.name, nic.name),
    name: nic.name,
    nameCertainty: nic.assumed ? 'inferred' : 'known',
    kind: 'nic',
    netns: 'host',
    addresses: ip ? [{ cidr: nic.prefix === undefined ? ip : `${ip}/${nic.prefix}`, certainty: 'known' }] : [],
    mtu: node.underlayMtu,
    mtuCertainty: node.underlayMtuAssumed ? 'inferred' : 'known',
    facts: [
      node.internalIp
        ? `Node IP ${ip} (${node.internalIpFrom ?? 'InternalIP'}).`
        : `Node IP unknown: ${unknownNodeIpReason(node)}.`,
      nic.assumed ? `Name assumed: ${nicChoice(nic.cni)}.` : nic.chosenBy,
    ],
    source: nodeSource,
  };
}

/** The routes every node has: the default route, and its NIC's subnet (a placeholder without a prefix). */
export function underlayRoutes(node: NodeNetwork, nic: string, prefix?: number): RouteEntry[] {
  const routes: RouteEntry[] = [{ destination: 'default', via: '<gateway>', device: nic, certainty: 'placeholder' }];
  if (node.internalIp) {
    const subnet =
      prefix === undefined || node.internalIp.family !== 4
        ? undefined
        : networkOf({ family: 4, address: node.internalIp.value, prefix });
    routes.push({
      destination: subnet ? formatCidr(subnet) : '<node subnet>',
      device: nic,
      protoKernel: true,
      scopeLink: true,
      src: formatAddress(node.internalIp),
      certainty: subnet ? 'known' : 'placeholder',
    });
  }
  return routes;
}

/** `ip route` lists the default route first, then destinations in address order. */
export function inRouteOrder(routes: RouteEntry[]): RouteEntry[] {
  const order = new Map(routes.map((route) => [route, routeOrder(route)]));
  return routes.sort((a, b) => order.get(a)! - order.get(b)!);
}

/**
 * Each node's table routes to every other node's pod range: the same destinations, node after node.
 * Their order is remembered by text (a bounded cache: it is emptied when full).
 */
const orderByDestination = new Map<string, number>();

function routeOrder(route: RouteEntry): number {
  const { destination } = route;
  if (destination === 'default') return -1;
  let order = orderByDestination.get(destination);
  if (order === undefined) {
    const cidr = parseCidr(destination.includes('/') ? destination : `${destination}/32`);
    order = cidr ? Number(cidr.address) : Number.MAX_SAFE_INTEGER;
    if (orderByDestination.size >= 10_000) orderByDestination.clear();
    orderByDestination.set(destination, order);
  }
  return order;
}

/**
 * The address a node's peers reach it at: flannel's lease PublicIP (the `public-ip` annotation of a live
 * Node, `public-ip-overwrite` when set), else the node IP.
 */
export const underlayIpOf = (node: NodeNetwork): IpAddress | undefined => node.flannel?.publicIp ?? node.internalIp;

/** The underlay address as routes and FDB entries print it, with its certainty. */
export function underlayText(node: NodeNetwork, ip = underlayIpOf(node)): { text: string; certainty: Certainty } {
  return ip ? { text: formatAddress(ip), certainty: 'known' } : { text: `<${node.name} IP>`, certainty: 'placeholder' };
}

/** The first address of a CIDR, as text. */
export const firstAddressText = (cidr: { family: 4 | 6; address: bigint }): string =>
  formatIp(cidr.family, cidr.address);
