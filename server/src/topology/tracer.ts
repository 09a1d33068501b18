// The hop-by-hop trace of one packet, shared by every data plane: the primitives that add a hop (in a
// namespace, on a device, with the route that matched, the TTL and the encapsulation), the arrival on a
// node's NIC, the path MTU. What a CNI does at each step is in dataplanes/; path.ts runs the steps.
import { type Cluster } from '../model/workspace';
import { type DataPlane } from './dataplanes/dataPlane';
import { nicChoice } from './dataplanes/nicNotes';
import { hostDeviceId, podDeviceId, podKey } from './ids';
import { type Device, type Encapsulation, type Hop, type NodeTopology, type PodTopology, type Topology } from './types';

export const INITIAL_TTL = 64;

export interface Endpoint {
  pod: PodTopology;
  node: NodeTopology;
  /** The address the pod's traffic carries: its pod IP, or the node IP for hostNetwork pods. */
  ip: string;
}

/** The pod whose network namespace the endpoint's traffic starts or ends in; undefined: the node's own. */
export type Netns = PodTopology | undefined;

export const netnsOf = (endpoint: Endpoint): Netns => (endpoint.pod.hostNetwork ? undefined : endpoint.pod);

export const HOST: Netns = undefined;

/** How hops name a network namespace: `host`, or the pod's `namespace/name`. */
const netnsName = (netns: Netns): string => (netns ? podKey(netns) : 'host');

/** The kinds of device that carry encapsulated traffic. */
export const TUNNEL_KINDS: readonly string[] = ['vxlan', 'wireguard', 'ipip', 'tun'];

export class Tracer {
  readonly notes: string[] = [];
  readonly hops: Hop[] = [];
  ttl = INITIAL_TTL;

  constructor(
    readonly cluster: Cluster,
    readonly topology: Topology,
    readonly plane: DataPlane,
    readonly src: Endpoint,
    readonly dst: Endpoint,
  ) {}

  pathMtu(hops: Hop[]): number {
    // A device id starts with its node's: only the nodes the packet crosses hold its devices.
    const crossed = new Set(hops.map((h) => h.node));
    const devices = new Map(this.allDevices(crossed).map((d) => [d.id, d]));
    const mtus = hops
      .map((h) => (h.deviceId ? devices.get(h.deviceId)?.mtu : undefined))
      .filter((m): m is number => m !== undefined);
    const encapsulated = hops.some((h) => h.encapsulation);
    const limit = Math.min(...mtus);
    return encapsulated ? Math.min(limit, this.topology.cluster.podMtu) : limit;
  }

  allDevices(nodes?: ReadonlySet<string>): Device[] {
    return this.topology.nodes
      .filter((n) => !nodes || nodes.has(n.name))
      .flatMap((n) => [...n.devices, ...n.pods.flatMap((p) => p.devices)]);
  }

  /**
   * The device by id, looked for in the namespace first, then on its node (ids start with the node's):
   * a cluster of 5,000 pods has 15,000 devices.
   */
  device(node: NodeTopology, netns: Netns, name: string): Device | undefined {
    const id = netns ? podDeviceId(node.name, netns, name) : hostDeviceId(node.name, name);
    const isIt = (d: Device) => d.id === id;
    return (netns ?? node).devices.find(isIt) ?? this.allDevices(new Set([node.name])).find(isIt);
  }

  hop(
    node: NodeTopology,
    netns: Netns,
    deviceName: string,
    action: Hop['action'],
    description: string,
    extra: Partial<Hop> = {},
  ): void {
    const device = this.device(node, netns, deviceName);
    const assumed = device?.kind === 'nic' && device.nameCertainty !== 'known';
    if (assumed) this.noteAssumedNic(device.name);
    this.hops.push({
      node: node.name,
      netns: netnsName(netns),
      device: device?.name ?? deviceName,
      deviceId: device?.id,
      ...(assumed ? { deviceAssumed: true } : {}),
      ...(device ? { mtu: device.mtu } : {}),
      action,
      description,
      src: this.src.ip,
      dst: this.dst.ip,
      encapsulation: null,
      ttl: this.ttl,
      ...extra,
    });
  }

  private noteAssumedNic(name: string): void {
    const note =
      `The NIC name ${name} is assumed: ${nicChoice(this.topology.cluster.cni)}; the real name may differ ` +
      `(ens33, enp0s3…).`;
    if (!this.notes.includes(note)) this.notes.push(note);
  }

  /** Both ends in one network namespace: the kernel loops the packet back through lo. */
  loopback(): Hop[] {
    const { src } = this;
    const netns = netnsOf(src);
    const local =
      src.pod.id === this.dst.pod.id && !src.pod.hostNetwork
        ? 'its containers share one network namespace'
        : "both share the node's network namespace";
    const bridge = this.topology.nodes.some((n) => n.devices.some((d) => d.kind === 'bridge'));
    this.hops.push({
      node: src.node.name,
      netns: netnsName(netns),
      device: 'lo',
      deviceId: this.device(src.node, netns, 'lo')?.id ?? hostDeviceId(src.node.name, 'lo'),
      action: 'loopback',
      description:
        `Stays inside one network namespace (${local}): the kernel loops it back through lo; nothing reaches a ` +
        `veth${bridge || this.topology.cluster.cni === 'flannel' ? ' or cni0' : ''}.`,
      src: '127.0.0.1',
      dst: '127.0.0.1',
      route: 'local 127.0.0.0/8 dev lo table local',
      encapsulation: null,
      ttl: this.ttl,
    });
    this.hops.push({
      ...this.hops[0],
      action: 'deliver',
      description: "Delivered to the listening socket (localhost, or the pod's own IP through the local table).",
    });
    return this.hops;
  }

  nicName(node: NodeTopology): string {
    return node.devices.find((d) => d.kind === 'nic')?.name ?? 'eth0';
  }

  /** The node's first tunnel device, else its NIC. */
  tunnelOrNic(node: NodeTopology): string {
    return node.devices.find((d) => TUNNEL_KINDS.includes(d.kind))?.name ?? this.nicName(node);
  }

  /** The packet reaches the destination node's NIC, whose address is the node IP. */
  arrive(why: string, encapsulation: Encapsulation | null = null): void {
    const node = this.dst.node;
    const nic = this.nicName(node);
    const address = node.internalIp ? ` (${node.internalIp})` : ` (address unknown: ${node.internalIpNote ?? '?'})`;
    this.hop(node, HOST, nic, 'receive', `Arrives on ${node.name}'s ${nic}${address}: ${why}`, {
      encapsulation,
      ...(node.internalIp ? { address: node.internalIp } : {}),
    });
  }

  /** Pod or host traffic to another node's own address (a hostNetwork pod): routed on the underlay. */
  toRemoteHost(route: string | undefined): undefined {
    const { src, dst } = this;
    const nic = this.nicName(src.node);
    if (!src.pod.hostNetwork) {
      this.ttl--;
      const forwarded = `Forwarded (TTL −1) to ${dst.node.name}'s node IP over the underlay.`;
      this.hop(src.node, HOST, nic, 'route', forwarded, { route });
      const nat = this.plane.interconnect.masquerade(this);
      if (nat) this.hop(src.node, HOST, nic, 'nat', nat, { src: src.node.internalIp });
    } else {
      this.hop(src.node, HOST, nic, 'send', `Node to node over the underlay.`, { route });
    }
    this.hop(src.node, HOST, nic, 'wire', `Crosses the underlay unencapsulated to ${dst.ip}.`);
    this.hop(
      dst.node,
      HOST,
      this.nicName(dst.node),
      'deliver',
      `Arrives on ${dst.node.name}'s ${this.nicName(dst.node)} and is delivered to its own address ${dst.ip} ` +
        `(TTL ${this.ttl}).`,
      { address: dst.ip },
    );
    return undefined;
  }
}

/** The last hop of a packet to a host-network pod: the node's own address, taken by the local table. */
export function deliverToHost(t: Tracer, node: NodeTopology): void {
  const ip = t.dst.ip;
  t.hop(
    node,
    HOST,
    t.nicName(node),
    'deliver',
    `${ip} is the node's own address: delivered locally, not forwarded (TTL unchanged).`,
    {
      route: `local ${ip} dev ${t.nicName(node)} table local`,
      address: ip,
    },
  );
}

/** The outer headers on the wire, as tcpdump would summarise them. */
export function describeOuter(e: Encapsulation): string {
  switch (e.type) {
    case 'vxlan':
      return `outer UDP ${e.outerSrc} → ${e.outerDst}:${e.port}, VXLAN VNI ${e.vni}`;
    case 'wireguard':
      return `outer UDP ${e.outerSrc} → ${e.outerDst}:${e.port}, WireGuard (encrypted)`;
    case 'udp':
      return `outer UDP ${e.outerSrc} → ${e.outerDst}:${e.port} (flanneld)`;
    case 'ipsec':
      return `outer ESP ${e.outerSrc} → ${e.outerDst}`;
    default:
      return `outer IPv4 (IPIP) ${e.outerSrc} → ${e.outerDst}`;
  }
}
