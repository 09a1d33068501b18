// Traces a packet between two pods through the topology, hop by hop, as `ip route get`, tcpdump and
// `bridge fdb` would show it on real nodes: which namespace and device it is in, the route that matched,
// where it is encapsulated and decapsulated, and the TTL. Where no path can exist, it says why.

import { backendInfo, tunnelPort } from '../model/netconf';
import { type Cluster } from '../model/workspace';
import { directlyRouted } from './build';
import { hostDeviceId, podDeviceId, podKey, vethName } from './ids';
import { formatRoute } from './tools';
import {
  type Device,
  type Encapsulation,
  type Hop,
  type NodeTopology,
  noPath,
  type PacketPath,
  type PodTopology,
  type Topology,
} from './types';

const INITIAL_TTL = 64;

interface Endpoint {
  pod: PodTopology;
  node: NodeTopology;
  /** The address the pod's traffic carries: its pod IP, or the node IP for hostNetwork pods. */
  ip: string;
}

export type PodLookup = { pod: PodTopology; node: NodeTopology } | { error: string };

/** Finds a pod by `name` or `namespace/name`; an ambiguous bare name is an error listing the matches. */
export function findPod(topology: Topology, selector: string): PodLookup {
  const all = topology.nodes.flatMap((node) => node.pods.map((pod) => ({ pod, node })));
  const matches = selector.includes('/')
    ? all.filter(({ pod }) => podKey(pod) === selector)
    : all.filter(({ pod }) => pod.name === selector);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1)
    return {
      error: `\`${selector}\` matches ${matches.map(({ pod }) => podKey(pod)).join(', ')}; name it as namespace/name`,
    };
  const unplaced = topology.unplaced.find((u) => u.pod === selector || u.pod.endsWith(`/${selector}`));
  if (unplaced) return { error: `${unplaced.pod} is on no node: ${unplaced.reason}` };
  return { error: `no pod \`${selector}\` in cluster ${topology.cluster.name}` };
}

export function packetPath(cluster: Cluster, topology: Topology, from: string, to: string): PacketPath {
  const fail = (reason: string): PacketPath => noPath(from, to, reason, topology.cluster.backend);
  const source = findPod(topology, from);
  if ('error' in source) return fail(source.error);
  const target = findPod(topology, to);
  if ('error' in target) return fail(target.error);
  for (const { node } of [source, target])
    if (node.problems.length > 0) return fail(`${node.name}: ${node.problems[0]}`);
  const src = endpointOf(source);
  if (typeof src === 'string') return fail(src);
  const dst = endpointOf(target);
  if (typeof dst === 'string') return fail(dst);

  const tracer = new Tracer(cluster, topology, src, dst);
  const hops = tracer.trace();
  if (typeof hops === 'string') return fail(hops);
  const encapsulation = hops.find((h) => h.encapsulation)?.encapsulation ?? null;
  const addressNote = addressCertaintyNote(src, dst);
  if (addressNote) tracer.notes.push(addressNote);
  return {
    from: podKey(src.pod),
    to: podKey(dst.pod),
    ok: true,
    backend: topology.cluster.backend,
    hops,
    encapsulation,
    mtu: tracer.pathMtu(hops),
    ttl: hops[hops.length - 1].ttl,
    notes: tracer.notes,
  };
}

function endpointOf({ pod, node }: { pod: PodTopology; node: NodeTopology }): Endpoint | string {
  if (pod.hostNetwork) {
    return node.internalIp
      ? { pod, node, ip: node.internalIp }
      : `${podKey(pod)} uses the host network of ${node.name}, whose IP is unknown ` +
          `(${node.internalIpNote ?? 'no InternalIP'})`;
  }
  if (!pod.address) return `${podKey(pod)} gets no address: ${node.name} has no free pod address or no podCIDR`;
  return { pod, node, ip: pod.address.ip };
}

/** Which pod addresses a live dump tells and which are predicted, when the dump tells any. */
function addressCertaintyNote(...endpoints: Endpoint[]): string | undefined {
  const bridged = endpoints.filter(
    (e, i) => !e.pod.hostNetwork && endpoints.findIndex((other) => other.pod.id === e.pod.id) === i,
  );
  const list = (certainty: string) =>
    bridged
      .filter((e) => (e.pod.address?.certainty === 'known') === (certainty === 'known'))
      .map((e) => `${podKey(e.pod)} ${e.ip}`);
  const observed = list('known');
  if (observed.length === 0) return undefined;
  const predicted = list('inferred');
  return (
    `Pod addresses observed (status.podIP): ${observed.join(', ')}` +
    (predicted.length > 0 ? `; predicted (first free): ${predicted.join(', ')}.` : '.')
  );
}

/** The pod whose network namespace the endpoint's traffic starts or ends in; undefined: the node's own. */
type Netns = PodTopology | undefined;

const netnsOf = (endpoint: Endpoint): Netns => (endpoint.pod.hostNetwork ? undefined : endpoint.pod);

const HOST: Netns = undefined;

/** How hops name a network namespace: `host`, or the pod's `namespace/name`. */
const netnsName = (netns: Netns): string => (netns ? podKey(netns) : 'host');

class Tracer {
  readonly notes: string[] = [];
  private readonly hops: Hop[] = [];
  private ttl = INITIAL_TTL;

  constructor(
    private readonly cluster: Cluster,
    private readonly topology: Topology,
    private readonly src: Endpoint,
    private readonly dst: Endpoint,
  ) {}

  trace(): Hop[] | string {
    const { src, dst } = this;
    if (src.pod.id === dst.pod.id || (src.pod.hostNetwork && dst.pod.hostNetwork && src.node === dst.node))
      return this.loopback();
    if (!src.pod.hostNetwork) this.leavePod();
    if (src.node === dst.node) this.sameNode();
    else {
      const crossed = this.crossNodes();
      if (crossed) return crossed;
    }
    return this.hops;
  }

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

  private allDevices(nodes?: ReadonlySet<string>): Device[] {
    return this.topology.nodes
      .filter((n) => !nodes || nodes.has(n.name))
      .flatMap((n) => [...n.devices, ...n.pods.flatMap((p) => p.devices)]);
  }

  /**
   * The device by id, looked for in the namespace first, then on its node (ids start with the node's):
   * a cluster of 5,000 pods has 15,000 devices.
   */
  private device(node: NodeTopology, netns: Netns, name: string): Device | undefined {
    const id = netns ? podDeviceId(node.name, netns, name) : hostDeviceId(node.name, name);
    const isIt = (d: Device) => d.id === id;
    return (netns ?? node).devices.find(isIt) ?? this.allDevices(new Set([node.name])).find(isIt);
  }

  private hop(
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
      `The NIC name ${name} is assumed: flanneld uses the interface of the default route unless --iface is ` +
      `set; the real name may differ (ens33, enp0s3…).`;
    if (!this.notes.includes(note)) this.notes.push(note);
  }

  private loopback(): Hop[] {
    const { src } = this;
    const netns = netnsOf(src);
    const local =
      src.pod.id === this.dst.pod.id && !src.pod.hostNetwork
        ? 'its containers share one network namespace'
        : "both share the node's network namespace";
    this.hops.push({
      node: src.node.name,
      netns: netnsName(netns),
      device: 'lo',
      deviceId: this.device(src.node, netns, 'lo')?.id ?? hostDeviceId(src.node.name, 'lo'),
      action: 'loopback',
      description:
        `Stays inside one network namespace (${local}): the kernel loops it back through lo; nothing reaches a ` +
        `veth or cni0.`,
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

  private podRoute(endpoint: Endpoint, sameSubnet: boolean): string {
    const cidr = endpoint.node.podCidr ?? '';
    const gateway =
      endpoint.node.devices.find((d) => d.kind === 'bridge')?.addresses[0]?.cidr.split('/')[0] ?? '<gateway>';
    if (sameSubnet) return `${cidr} dev eth0 proto kernel scope link src ${endpoint.ip}`;
    const network = this.topology.cluster.network;
    return network && !this.dst.pod.hostNetwork
      ? `${network} via ${gateway} dev eth0`
      : `default via ${gateway} dev eth0`;
  }

  private leavePod(): void {
    const { src, dst } = this;
    const netns = netnsOf(src);
    const sameSubnet = src.node === dst.node && !dst.pod.hostNetwork;
    this.hop(
      src.node,
      netns,
      'eth0',
      'send',
      sameSubnet
        ? `Sent from ${src.ip}; ${dst.ip} is on the pod's own subnet, so it ARPs for it and sends the frame ` +
            `straight out of eth0.`
        : `Sent from ${src.ip}; ${dst.ip} is not on the pod's subnet, so the frame goes to the gateway (cni0).`,
      { route: this.podRoute(src, sameSubnet) },
    );
    this.hop(
      src.node,
      HOST,
      vethName(src.pod),
      'veth',
      'Crosses the veth pair into the host network namespace; the host end is a port of cni0.',
    );
  }

  private sameNode(): void {
    const { src, dst } = this;
    const node = src.node;
    if (dst.pod.hostNetwork) {
      this.hop(
        node,
        HOST,
        'cni0',
        'bridge',
        "The frame is addressed to cni0 (the gateway): the bridge hands it up to the host's IP stack.",
      );
      this.hop(
        node,
        HOST,
        this.nicName(node),
        'deliver',
        `${dst.ip} is the node's own address: delivered locally, not forwarded (TTL unchanged).`,
        { route: `local ${dst.ip} dev ${this.nicName(node)} table local`, address: dst.ip },
      );
      return;
    }
    if (src.pod.hostNetwork) {
      const route = node.routes.find((r) => r.device === 'cni0');
      this.hop(
        node,
        HOST,
        'cni0',
        'route',
        `The host sends it out of cni0 towards the pod subnet (locally originated, TTL unchanged).`,
        { route: route ? formatRoute(route) : undefined },
      );
    } else {
      this.hop(
        node,
        HOST,
        'cni0',
        'bridge',
        `Same node and subnet: cni0 switches the frame by MAC to ${dst.pod.name}'s veth (layer 2, TTL unchanged).`,
      );
    }
    this.enterPod(node);
  }

  private enterPod(node: NodeTopology): void {
    const { dst } = this;
    this.hop(
      node,
      HOST,
      vethName(dst.pod),
      'veth',
      `Leaves cni0 through ${dst.pod.name}'s veth into its network namespace.`,
    );
    this.hop(
      node,
      netnsOf(dst),
      'eth0',
      'deliver',
      `Arrives on ${dst.pod.name}'s eth0 (${dst.ip}) with TTL ${this.ttl}.`,
    );
  }

  private nicName(node: NodeTopology): string {
    return node.devices.find((d) => d.kind === 'nic')?.name ?? 'eth0';
  }

  private routeTo(node: NodeTopology, toPodNetwork: boolean): string | undefined {
    if (!toPodNetwork) return formatRoute(node.routes.find((r) => r.destination === '<node subnet>') ?? node.routes[0]);
    const peerCidr = this.dst.node.podCidr;
    const route =
      node.routes.find((r) => r.destination === peerCidr) ??
      node.routes.find((r) => r.destination === this.topology.cluster.network);
    return route ? formatRoute(route) : undefined;
  }

  /** Returns an explanation when the backend gives no path between nodes. */
  private crossNodes(): string | undefined {
    const { src, dst, cluster } = this;
    const backend = this.topology.cluster.backend;
    const info = backendInfo(cluster.network.netConf);
    const toPod = !dst.pod.hostNetwork;
    if (!src.pod.hostNetwork) {
      this.hop(
        src.node,
        HOST,
        'cni0',
        'bridge',
        "The frame is addressed to cni0 (the gateway): the bridge hands it up to the host's IP stack for routing.",
      );
    }
    if (!toPod) return this.toRemoteHost();
    if (!info || !(info.device || backend === 'host-gw' || backend === 'ipsec')) {
      return `the ${backend || 'unknown'} backend builds no data path that Podnet can trace between nodes`;
    }
    const srcNet = cluster.network.nodes.find((n) => n.name === src.node.name);
    const dstNet = cluster.network.nodes.find((n) => n.name === dst.node.name);
    const direct = srcNet && dstNet ? directlyRouted(cluster, srcNet, dstNet) : false;
    const forwarded = !src.pod.hostNetwork;
    if (forwarded) this.ttl--;
    const route = this.routeTo(src.node, true);
    // Peers send to the address in a node's lease: its public-ip annotation in a live dump, else its node IP.
    const outerSrc = src.node.publicIp ?? src.node.internalIp ?? `<${src.node.name} IP>`;
    const outerDst = dst.node.publicIp ?? dst.node.internalIp ?? `<${dst.node.name} IP>`;
    const nic = this.nicName(src.node);
    if (direct) {
      if (backend !== 'host-gw')
        this.notes.push(
          `DirectRouting: ${src.node.name} and ${dst.node.name} are taken to share an L2 subnet (their IPs ` +
            `share a /24), so no encapsulation.`,
        );
      this.hop(
        src.node,
        HOST,
        nic,
        'route',
        `${forwarded ? 'Forwarded (TTL −1)' : 'Sent'} via ${dst.node.name}'s node IP ${outerDst} directly on ` +
          `the wire: no tunnel.`,
        { route },
      );
      this.hop(
        src.node,
        HOST,
        nic,
        'wire',
        `Crosses the L2 segment unencapsulated (${src.ip} → ${dst.ip}); ${dst.node.name} must be on the same ` +
          `segment, with no NAT.`,
      );
      this.arrive(
        `the frame is addressed to its MAC as the next hop of ${src.node.name}'s route; the inner addresses are ` +
          `unchanged, so ${dst.node.name} routes it on.`,
      );
    } else {
      const encapsulation = this.encapsulation(backend, outerSrc, outerDst);
      const tunnel = src.node.devices.find((d) => ['vxlan', 'wireguard', 'ipip', 'tun'].includes(d.kind))?.name ?? nic;
      this.hop(
        src.node,
        HOST,
        tunnel,
        'route',
        `${forwarded ? 'Forwarded (TTL −1)' : 'Sent'}: the route for ${dst.node.podCidr} points into ${tunnel}.`,
        { route },
      );
      this.encapsulate(tunnel, encapsulation);
      this.hop(
        src.node,
        HOST,
        nic,
        'wire',
        `On the wire: ${describeOuter(encapsulation)}; inner ${src.ip} → ${dst.ip}.`,
        { encapsulation },
      );
      this.arrive(`the outer packet is addressed to this node.`, encapsulation);
      this.decapsulate(encapsulation);
    }
    this.ttl--;
    const local = this.dst.node.routes.find((r) => r.device === 'cni0');
    this.hop(dst.node, HOST, 'cni0', 'route', `${dst.node.name} routes it to its pod subnet on cni0 (TTL −1).`, {
      route: local ? formatRoute(local) : undefined,
    });
    this.enterPod(dst.node);
    return undefined;
  }

  /** The packet reaches the destination node's NIC, whose address is the node IP. */
  private arrive(why: string, encapsulation: Encapsulation | null = null): void {
    const node = this.dst.node;
    const nic = this.nicName(node);
    const address = node.internalIp ? ` (${node.internalIp})` : ` (address unknown: ${node.internalIpNote ?? '?'})`;
    this.hop(node, HOST, nic, 'receive', `Arrives on ${node.name}'s ${nic}${address}: ${why}`, {
      encapsulation,
      ...(node.internalIp ? { address: node.internalIp } : {}),
    });
  }

  private toRemoteHost(): undefined {
    const { src, dst } = this;
    const nic = this.nicName(src.node);
    if (!src.pod.hostNetwork) {
      this.ttl--;
      const forwarded = `Forwarded (TTL −1) to ${dst.node.name}'s node IP over the underlay.`;
      this.hop(src.node, HOST, nic, 'route', forwarded, { route: this.routeTo(src.node, false) });
      if (this.cluster.network.ipMasq)
        this.hop(
          src.node,
          HOST,
          nic,
          'nat',
          `flanneld's --ip-masq rule masquerades traffic leaving the pod network: the source ` +
            `becomes ${src.node.internalIp ?? 'the node IP'}.`,
          { src: src.node.internalIp },
        );
    } else {
      this.hop(src.node, HOST, nic, 'send', `Node to node over the underlay.`, {
        route: this.routeTo(src.node, false),
      });
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

  private encapsulation(backend: string, outerSrc: string, outerDst: string): Encapsulation {
    const { netConf } = this.cluster.network;
    const overhead = backendInfo(netConf)?.overhead ?? 0;
    const port = tunnelPort(netConf);
    switch (backend) {
      case 'vxlan': {
        // The inner frame goes from one VTEP to the other; named when a live Node tells either MAC.
        const macs = [vtepMac(this.src.node), vtepMac(this.dst.node)];
        const known = macs.some((mac) => !mac.startsWith('<'));
        return {
          type: 'vxlan',
          outerSrc,
          outerDst,
          port,
          vni: netConf.vni,
          overhead,
          ...(known ? { innerSrcMac: macs[0], innerDstMac: macs[1] } : {}),
        };
      }
      case 'wireguard':
        return { type: 'wireguard', outerSrc, outerDst, port, overhead };
      case 'udp':
        return { type: 'udp', outerSrc, outerDst, port, overhead };
      case 'ipsec':
        return { type: 'ipsec', outerSrc, outerDst, overhead };
      default:
        return { type: 'ipip', outerSrc, outerDst, overhead };
    }
  }

  private encapsulate(device: string, encapsulation: Encapsulation): void {
    const node = this.src.node;
    const dstNode = this.dst.node;
    const text: Record<Encapsulation['type'], string> = {
      vxlan:
        `flannel.${encapsulation.vni}'s neighbour entry gives ${dstNode.name}'s VTEP MAC` +
        (encapsulation.innerDstMac ? ` ${encapsulation.innerDstMac}` : '') +
        `, its FDB entry the VTEP's IP ${encapsulation.outerDst}; the frame` +
        (encapsulation.innerSrcMac ? ` (${encapsulation.innerSrcMac} → ${encapsulation.innerDstMac})` : '') +
        ` is wrapped in VXLAN (VNI ${encapsulation.vni}) inside UDP to port ${encapsulation.port}, ` +
        `+${encapsulation.overhead} bytes.`,
      wireguard:
        `WireGuard encrypts the packet for ${dstNode.name}'s peer key and sends it in UDP to ` +
        `port ${encapsulation.port}, +${encapsulation.overhead} bytes.`,
      ipip:
        `Wrapped in an outer IPv4 header (protocol 4) to ${encapsulation.outerDst}, +${encapsulation.overhead} ` +
        `bytes.`,
      udp:
        `flanneld reads the packet from the flannel0 TUN device in user space and sends it in UDP ` +
        `to ${dstNode.name}'s flanneld on port ${encapsulation.port}, +${encapsulation.overhead} bytes.`,
      ipsec:
        `An xfrm policy matches the pod subnets and encrypts the packet with ESP to ${encapsulation.outerDst}, ` +
        `+${encapsulation.overhead} bytes.`,
    };
    this.hop(node, HOST, device, encapsulation.type === 'udp' ? 'userspace' : 'encapsulate', text[encapsulation.type], {
      encapsulation,
    });
  }

  private decapsulate(encapsulation: Encapsulation): void {
    const node = this.dst.node;
    const device =
      node.devices.find((d) => ['vxlan', 'wireguard', 'ipip', 'tun'].includes(d.kind))?.name ?? this.nicName(node);
    const text: Record<Encapsulation['type'], string> = {
      vxlan:
        `The kernel hands UDP ${encapsulation.port} to ${node.name}'s VXLAN device ${device} ` +
        `(VNI ${encapsulation.vni}), which strips the outer headers.`,
      wireguard: `${node.name}'s ${device} decrypts the packet from ${encapsulation.outerSrc}.`,
      ipip: `${node.name}'s ${device} strips the outer IPv4 header.`,
      udp: `${node.name}'s flanneld receives the UDP datagram and writes the inner packet into ${device}.`,
      ipsec: `${node.name}'s xfrm state decrypts the ESP packet.`,
    };
    this.hop(node, HOST, device, encapsulation.type === 'udp' ? 'userspace' : 'decapsulate', text[encapsulation.type], {
      encapsulation,
    });
  }
}

/** A node's VTEP MAC: its flannel.1's, when a live Node's annotation gives it, else a placeholder. */
const vtepMac = (node: NodeTopology): string =>
  node.devices.find((d) => d.kind === 'vxlan')?.mac ?? `<vtep mac of ${node.name}>`;

function describeOuter(e: Encapsulation): string {
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
