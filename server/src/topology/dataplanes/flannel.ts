// flannel's data plane (flannel.md §2, §5): on each node the bridge plugin's cni0 with one veth port per
// pod; between nodes the backend's tunnel device (flannel.1, flannel-wg, flannel.ipip, flannel0) or
// host-gw routes, with the neighbour and FDB entries flanneld programs for vxlan. Unknowable values (MACs,
// veth names, pod IPs) are placeholders or predictions, unless a live dump tells them (model/liveState.ts).
import { type Cidr, containsCidr, formatAddress, formatCidr, formatIp, type IpAddress } from '../../core/cidr';
import { backendInfo, tunnelPort } from '../../model/netconf';
import { type ClusterNetwork, type NodeNetwork } from '../../model/network';
import { type Cluster } from '../../model/workspace';
import { hostDeviceId, vethName } from '../ids';
import { formatRoute } from '../tools';
import { deliverToHost, describeOuter, HOST, netnsOf, type Tracer } from '../tracer';
import {
  type Certainty,
  type Device,
  type Encapsulation,
  type FdbEntry,
  type NeighbourEntry,
  type NodeTopology,
  type PodTopology,
  type RouteEntry,
  type SourceRef,
} from '../types';
import { podEth0, podLoopback, sourceOf, underlayIpOf, underlayText } from './common';
import { type DataPlane, type Interconnect, type NodeContext, type PodPlumbing, type SummaryFields } from './dataPlane';
import { nicChoice } from './nicNotes';

/** What every place that prints an assumed NIC name says about it. */
export const ASSUMED_NIC_NOTE = `Name assumed: ${nicChoice('flannel')}.`;

/** The `net-conf.json` key of the flannel ConfigMap: where the backend and its tunnel device come from. */
export function netConfSourceOf(cluster: Cluster): SourceRef | undefined {
  const configMap = cluster.network.configMap;
  const key = configMap?.netConf?.key.range;
  return configMap && key ? sourceOf(cluster, configMap.object.uri, [key[0], key[1]]) : undefined;
}

/** Whether direct routing (host-gw style) is used between two nodes: DirectRouting and the same L2 subnet. */
export function directlyRouted(cluster: Cluster, a: NodeNetwork, b: NodeNetwork): boolean {
  const { netConf } = cluster.network;
  if (netConf.backendType === 'host-gw') return true;
  if (!netConf.directRouting || !(netConf.backendType === 'vxlan' || netConf.backendType === 'ipip')) return false;
  return sameAssumedSubnet(underlayIpOf(a), underlayIpOf(b));
}

/** Node IPs carry no prefix in manifests; nodes sharing a /24 are taken to be on one L2 segment. */
function sameAssumedSubnet(a: IpAddress | undefined, b: IpAddress | undefined): boolean {
  return !!a && !!b && a.family === 4 && b.family === 4 && a.value >> 8n === b.value >> 8n;
}

/** flanneld's own problems on a node: it needs a podCIDR inside its Network. */
function flannelProblems(cluster: Cluster, node: NodeNetwork): string[] {
  const { netConf } = cluster.network;
  const podCidr = node.podCidr;
  if (!podCidr)
    return [
      `No podCIDR: flanneld on ${node.name} fails with "node \\"${node.name}\\" pod cidr not assigned" and ` +
        `its pods get no address.`,
    ];
  if (netConf.network && !containsCidr(netConf.network, podCidr) && !netConf.assumed)
    return [
      `podCIDR ${formatCidr(podCidr)} is outside flannel's Network ${formatCidr(netConf.network)}: flanneld ` +
        `on ${node.name} exits at start.`,
    ];
  return [];
}

const podCidrCertainty = (node: NodeNetwork): Certainty => (node.podCidrInferred ? 'inferred' : 'known');

// ---------------------------------------------------------------------------------------------------------
// Between nodes: the backend's tunnel or host-gw routes.

function tunnelDevice(ctx: NodeContext): Device | undefined {
  const { cluster, node, working } = ctx;
  const { netConf } = cluster.network;
  if (!working || !node.tunnel || !backendInfo(netConf)) return undefined;
  const kind =
    netConf.backendType === 'vxlan'
      ? 'vxlan'
      : netConf.backendType === 'wireguard'
        ? 'wireguard'
        : netConf.backendType === 'ipip'
          ? 'ipip'
          : 'tun';
  const port = tunnelPort(netConf);
  const facts: Record<string, string> = {
    vxlan:
      `VXLAN device of flanneld: VNI ${netConf.vni}, UDP ${port}, ` +
      `local ${node.internalIp ? formatAddress(node.internalIp) : 'node IP'}; encapsulates pod traffic to ` +
      `other nodes (50 bytes).`,
    wireguard: `WireGuard device of flanneld, UDP ${port}; encrypts pod traffic to other nodes (80 bytes).`,
    ipip: 'IP-in-IP device of flanneld; encapsulates pod traffic to other nodes (20 bytes).',
    tun: `TUN device read by flanneld, which carries pod traffic to other nodes over UDP ${port} (28 bytes).`,
  };
  const mac = kind === 'vxlan' ? node.flannel?.vtepMac : undefined;
  return {
    id: hostDeviceId(node.name, node.tunnel.device),
    name: node.tunnel.device,
    nameCertainty: 'known',
    kind,
    netns: 'host',
    addresses: node.tunnel.address ? [{ cidr: node.tunnel.address, certainty: podCidrCertainty(node) }] : [],
    mtu: ctx.podMtu.mtu,
    mtuCertainty: ctx.podMtu.certainty,
    ...(mac ? { mac } : {}),
    facts: [
      facts[kind],
      ...(mac ? [`VTEP MAC ${mac}, from the backend-data annotation flanneld wrote on ${node.name}'s Node.`] : []),
    ],
    source: netConfSourceOf(cluster),
  };
}

function flannelRoutes(ctx: NodeContext): RouteEntry[] {
  const { cluster, node } = ctx;
  const { netConf } = cluster.network;
  const routes: RouteEntry[] = [];
  const tunnel = node.tunnel;
  if ((netConf.backendType === 'udp' || netConf.backendType === 'wireguard') && tunnel?.address && netConf.network) {
    routes.push({
      destination: formatCidr(netConf.network),
      device: tunnel.device,
      protoKernel: true,
      scopeLink: true,
      src: tunnel.address.split('/')[0],
      certainty: podCidrCertainty(node),
    });
  }
  for (const peer of cluster.network.nodes) {
    if (peer === node || !peer.podCidr) continue;
    const { destination, tunnelIp, underlay } = peerTexts(peer, peer.podCidr);
    const peerIp = underlay.text;
    const peerCertainty = peer.podCidrInferred || node.podCidrInferred ? 'inferred' : 'known';
    if (directlyRouted(cluster, node, peer)) {
      routes.push({
        destination,
        via: peerIp,
        device: node.iface,
        certainty: netConf.backendType === 'host-gw' ? peerCertainty : 'inferred',
      });
    } else if (netConf.backendType === 'vxlan') {
      routes.push({
        destination,
        via: tunnelIp,
        device: tunnel?.device ?? 'flannel.1',
        onlink: true,
        certainty: peerCertainty,
      });
    } else if (netConf.backendType === 'ipip') {
      routes.push({
        destination,
        via: peerIp,
        device: tunnel?.device ?? 'flannel.ipip',
        onlink: true,
        certainty: peerCertainty,
      });
    }
  }
  return routes;
}

/** A peer's VTEP MAC: from its Node's backend-data annotation, else a placeholder. */
function vtepMacOf(peer: NodeNetwork): { mac: string; certainty: Certainty } {
  const mac = peer.flannel?.vtepMac;
  return mac ? { mac, certainty: 'known' } : { mac: `<vtep mac of ${peer.name}>`, certainty: 'placeholder' };
}

interface PeerTexts {
  destination: string;
  /** The peer's flannel.1 address: the first of its podCIDR. */
  tunnelIp: string;
  underlay: { text: string; certainty: Certainty };
  vtep: { mac: string; certainty: Certainty };
}

/**
 * What every other node's tables say of a peer, written once per peer: each of 50 nodes lists the other
 * 49, and formatting their addresses for every pair cost more than the rest of those tables.
 */
const peerTextsOf = new WeakMap<NodeNetwork, PeerTexts>();

function peerTexts(peer: NodeNetwork, podCidr: Cidr): PeerTexts {
  let texts = peerTextsOf.get(peer);
  if (!texts) {
    texts = {
      destination: formatCidr(podCidr),
      tunnelIp: formatIp(4, podCidr.address),
      underlay: underlayText(peer),
      vtep: vtepMacOf(peer),
    };
    peerTextsOf.set(peer, texts);
  }
  return texts;
}

/** The peers flanneld reaches through its VXLAN device from this node. */
function vxlanPeers(cluster: Cluster, node: NodeNetwork): NodeNetwork[] {
  if (cluster.network.netConf.backendType !== 'vxlan' || !node.tunnel) return [];
  return cluster.network.nodes.filter((peer) => peer !== node && peer.podCidr && !directlyRouted(cluster, node, peer));
}

/** The static ARP entries flanneld adds on flannel.1: each peer's tunnel address → its VTEP MAC. */
function flannelNeighbours({ cluster, node }: NodeContext): NeighbourEntry[] {
  return vxlanPeers(cluster, node).map((peer) => {
    const { tunnelIp, vtep } = peerTexts(peer, peer.podCidr!);
    const { mac, certainty } = vtep;
    return {
      ip: tunnelIp,
      ipCertainty: podCidrCertainty(peer),
      lladdr: mac,
      lladdrCertainty: certainty,
      device: node.tunnel!.device,
      node: peer.name,
    };
  });
}

/** The FDB entries flanneld adds on flannel.1: each peer's VTEP MAC → its public IP. */
function flannelFdb({ cluster, node }: NodeContext): FdbEntry[] {
  return vxlanPeers(cluster, node).map((peer) => {
    const { vtep, underlay: dst } = peerTexts(peer, peer.podCidr!);
    const { mac, certainty } = vtep;
    return {
      mac,
      macCertainty: certainty,
      device: node.tunnel!.device,
      dst: dst.text,
      dstCertainty: dst.certainty,
      node: peer.name,
    };
  });
}

/** The route a node uses to reach the destination's pod subnet (or, for a host, its subnet route). */
function routeTo(t: Tracer, node: NodeTopology, toPodNetwork: boolean): string | undefined {
  if (!toPodNetwork) return formatRoute(node.routes.find((r) => r.destination === '<node subnet>') ?? node.routes[0]);
  const peerCidr = t.dst.node.podCidr;
  const route =
    node.routes.find((r) => r.destination === peerCidr) ??
    node.routes.find((r) => r.destination === t.topology.cluster.network);
  return route ? formatRoute(route) : undefined;
}

/** From the source node's IP stack to the destination node's: host-gw or DirectRouting, or the tunnel. */
function flannelCross(t: Tracer): string | undefined {
  const { src, dst, cluster } = t;
  const backend = t.topology.cluster.backend;
  const info = backendInfo(cluster.network.netConf);
  if (dst.pod.hostNetwork) return t.toRemoteHost(routeTo(t, src.node, false));
  if (!info || !(info.device || backend === 'host-gw' || backend === 'ipsec')) {
    return `the ${backend || 'unknown'} backend builds no data path that Podnet can trace between nodes`;
  }
  const srcNet = cluster.network.nodes.find((n) => n.name === src.node.name);
  const dstNet = cluster.network.nodes.find((n) => n.name === dst.node.name);
  const direct = srcNet && dstNet ? directlyRouted(cluster, srcNet, dstNet) : false;
  const forwarded = !src.pod.hostNetwork;
  if (forwarded) t.ttl--;
  const route = routeTo(t, src.node, true);
  // Peers send to the address in a node's lease: its public-ip annotation in a live dump, else its node IP.
  const outerSrc = src.node.publicIp ?? src.node.internalIp ?? `<${src.node.name} IP>`;
  const outerDst = dst.node.publicIp ?? dst.node.internalIp ?? `<${dst.node.name} IP>`;
  const nic = t.nicName(src.node);
  if (direct) {
    if (backend !== 'host-gw')
      t.notes.push(
        `DirectRouting: ${src.node.name} and ${dst.node.name} are taken to share an L2 subnet (their IPs ` +
          `share a /24), so no encapsulation.`,
      );
    t.hop(
      src.node,
      HOST,
      nic,
      'route',
      `${forwarded ? 'Forwarded (TTL −1)' : 'Sent'} via ${dst.node.name}'s node IP ${outerDst} directly on ` +
        `the wire: no tunnel.`,
      { route },
    );
    t.hop(
      src.node,
      HOST,
      nic,
      'wire',
      `Crosses the L2 segment unencapsulated (${src.ip} → ${dst.ip}); ${dst.node.name} must be on the same ` +
        `segment, with no NAT.`,
    );
    t.arrive(
      `the frame is addressed to its MAC as the next hop of ${src.node.name}'s route; the inner addresses are ` +
        `unchanged, so ${dst.node.name} routes it on.`,
    );
  } else {
    const encapsulation = flannelEncapsulation(t, backend, outerSrc, outerDst);
    const tunnel = t.tunnelOrNic(src.node);
    t.hop(
      src.node,
      HOST,
      tunnel,
      'route',
      `${forwarded ? 'Forwarded (TTL −1)' : 'Sent'}: the route for ${dst.node.podCidr} points into ${tunnel}.`,
      { route },
    );
    encapsulate(t, tunnel, encapsulation);
    t.hop(src.node, HOST, nic, 'wire', `On the wire: ${describeOuter(encapsulation)}; inner ${src.ip} → ${dst.ip}.`, {
      encapsulation,
    });
    t.arrive(`the outer packet is addressed to this node.`, encapsulation);
    decapsulate(t, encapsulation);
  }
  return undefined;
}

function flannelEncapsulation(t: Tracer, backend: string, outerSrc: string, outerDst: string): Encapsulation {
  const { netConf } = t.cluster.network;
  const overhead = backendInfo(netConf)?.overhead ?? 0;
  const port = tunnelPort(netConf);
  switch (backend) {
    case 'vxlan': {
      // The inner frame goes from one VTEP to the other; named when a live Node tells either MAC.
      const macs = [vtepMac(t.src.node), vtepMac(t.dst.node)];
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

/** A node's VTEP MAC: its flannel.1's, when a live Node's annotation gives it, else a placeholder. */
const vtepMac = (node: NodeTopology): string =>
  node.devices.find((d) => d.kind === 'vxlan')?.mac ?? `<vtep mac of ${node.name}>`;

function encapsulate(t: Tracer, device: string, encapsulation: Encapsulation): void {
  const dstNode = t.dst.node;
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
  t.hop(
    t.src.node,
    HOST,
    device,
    encapsulation.type === 'udp' ? 'userspace' : 'encapsulate',
    text[encapsulation.type],
    {
      encapsulation,
    },
  );
}

function decapsulate(t: Tracer, encapsulation: Encapsulation): void {
  const node = t.dst.node;
  const device = t.tunnelOrNic(node);
  const text: Record<Encapsulation['type'], string> = {
    vxlan:
      `The kernel hands UDP ${encapsulation.port} to ${node.name}'s VXLAN device ${device} ` +
      `(VNI ${encapsulation.vni}), which strips the outer headers.`,
    wireguard: `${node.name}'s ${device} decrypts the packet from ${encapsulation.outerSrc}.`,
    ipip: `${node.name}'s ${device} strips the outer IPv4 header.`,
    udp: `${node.name}'s flanneld receives the UDP datagram and writes the inner packet into ${device}.`,
    ipsec: `${node.name}'s xfrm state decrypts the ESP packet.`,
  };
  t.hop(node, HOST, device, encapsulation.type === 'udp' ? 'userspace' : 'decapsulate', text[encapsulation.type], {
    encapsulation,
  });
}

/** flannel's pod MTU: the NIC's (net-conf.json's MTU, else 1500) minus the backend's overhead. */
function flannelPodMtu(_cluster: Cluster, node: NodeNetwork): { mtu: number; certainty: Certainty } {
  return { mtu: node.podMtu, certainty: node.underlayMtuAssumed ? 'inferred' : 'known' };
}

export const flannelInterconnect: Interconnect = {
  problems: flannelProblems,
  podMtu: flannelPodMtu,
  devices: (ctx) => {
    const tunnel = tunnelDevice(ctx);
    return tunnel ? [tunnel] : [];
  },
  routes: flannelRoutes,
  neighbours: flannelNeighbours,
  fdb: flannelFdb,
  cross: flannelCross,
  masquerade: (t) =>
    t.cluster.network.ipMasq
      ? `flanneld's --ip-masq rule masquerades traffic leaving the pod network: the source ` +
        `becomes ${t.src.node.internalIp ?? 'the node IP'}.`
      : undefined,
};

// ---------------------------------------------------------------------------------------------------------
// On each node: the bridge plugin's cni0, one veth port per pod.

function bridgePodNetwork(ctx: NodeContext, pod: PodTopology): { devices: Device[] } {
  const { node } = ctx;
  return {
    devices: [
      podLoopback(node, pod),
      podEth0(node, pod, {
        prefix: node.podCidr!.prefix,
        hostEnd: vethName(pod),
        mtu: ctx.podMtu,
        how: podEndText(ctx),
        allocator: 'host-local',
      }),
    ],
  };
}

/** The sentence every pod end of the node shares: one string per node, not one per pod. */
const podEndTexts = new WeakMap<NodeContext, string>();

function podEndText(ctx: NodeContext): string {
  let text = podEndTexts.get(ctx);
  if (text === undefined) {
    text = `Pod end of the veth pair (eth0@ifN); default route via ${gatewayText(ctx.node)}.`;
    podEndTexts.set(ctx, text);
  }
  return text;
}

const gatewayText = (node: NodeNetwork): string => (node.gateway ? formatAddress(node.gateway) : 'cni0');

const bridged = (pods: readonly PodTopology[]) => pods.filter((p) => !p.hostNetwork);

function bridgeDevices(ctx: NodeContext, pods: readonly PodTopology[]): Device[] {
  const { node } = ctx;
  const podCidr = node.podCidr;
  if (bridged(pods).length === 0 || !podCidr || !node.gateway) return [];
  const devices: Device[] = [
    {
      id: hostDeviceId(node.name, 'cni0'),
      name: 'cni0',
      nameCertainty: 'known',
      kind: 'bridge',
      netns: 'host',
      addresses: [{ cidr: `${formatAddress(node.gateway)}/${podCidr.prefix}`, certainty: podCidrCertainty(node) }],
      mtu: ctx.podMtu.mtu,
      mtuCertainty: ctx.podMtu.certainty,
      facts: [
        `Bridge of the CNI bridge plugin; gateway of the node's pods, ${formatAddress(node.gateway)}.`,
        'Created when the first pod starts on the node.',
      ],
    },
  ];
  for (const pod of pods) {
    const peer = pod.devices.find((d) => d.kind === 'veth-pod');
    if (!peer?.peer) continue;
    devices.push({
      id: peer.peer,
      name: vethName(pod),
      nameCertainty: 'placeholder',
      kind: 'veth-host',
      netns: 'host',
      addresses: [],
      mtu: ctx.podMtu.mtu,
      mtuCertainty: ctx.podMtu.certainty,
      master: 'cni0',
      peer: peer.id,
      facts: [
        `Host end of ${pod.namespace}/${pod.name}'s veth pair, enslaved to cni0. The real name is veth + 8 ` +
          `random hex digits.`,
      ],
      source: pod.source,
    });
  }
  return devices;
}

function bridgeRoutes(ctx: NodeContext, pods: readonly PodTopology[]): RouteEntry[] {
  const { node } = ctx;
  if (bridged(pods).length === 0 || !node.podCidr || !node.gateway) return [];
  return [
    {
      destination: formatCidr(node.podCidr),
      device: 'cni0',
      protoKernel: true,
      scopeLink: true,
      src: formatAddress(node.gateway),
      certainty: podCidrCertainty(node),
    },
  ];
}

function bridgePodRoute(t: Tracer, sameSubnet: boolean): string {
  const endpoint = t.src;
  const cidr = endpoint.node.podCidr ?? '';
  const gateway =
    endpoint.node.devices.find((d) => d.kind === 'bridge')?.addresses[0]?.cidr.split('/')[0] ?? '<gateway>';
  if (sameSubnet) return `${cidr} dev eth0 proto kernel scope link src ${endpoint.ip}`;
  const network = t.topology.cluster.network;
  return network && !t.dst.pod.hostNetwork ? `${network} via ${gateway} dev eth0` : `default via ${gateway} dev eth0`;
}

function bridgeLeavePod(t: Tracer): void {
  const { src, dst } = t;
  const sameSubnet = src.node === dst.node && !dst.pod.hostNetwork;
  t.hop(
    src.node,
    netnsOf(src),
    'eth0',
    'send',
    sameSubnet
      ? `Sent from ${src.ip}; ${dst.ip} is on the pod's own subnet, so it ARPs for it and sends the frame ` +
          `straight out of eth0.`
      : `Sent from ${src.ip}; ${dst.ip} is not on the pod's subnet, so the frame goes to the gateway (cni0).`,
    { route: bridgePodRoute(t, sameSubnet) },
  );
  t.hop(
    src.node,
    HOST,
    vethName(src.pod),
    'veth',
    'Crosses the veth pair into the host network namespace; the host end is a port of cni0.',
  );
}

function bridgeSameNode(t: Tracer): void {
  const { src, dst } = t;
  const node = src.node;
  if (dst.pod.hostNetwork) {
    t.hop(
      node,
      HOST,
      'cni0',
      'bridge',
      "The frame is addressed to cni0 (the gateway): the bridge hands it up to the host's IP stack.",
    );
    deliverToHost(t, node);
    return;
  }
  if (src.pod.hostNetwork) {
    const route = node.routes.find((r) => r.device === 'cni0');
    t.hop(
      node,
      HOST,
      'cni0',
      'route',
      `The host sends it out of cni0 towards the pod subnet (locally originated, TTL unchanged).`,
      { route: route ? formatRoute(route) : undefined },
    );
  } else {
    t.hop(
      node,
      HOST,
      'cni0',
      'bridge',
      `Same node and subnet: cni0 switches the frame by MAC to ${dst.pod.name}'s veth (layer 2, TTL unchanged).`,
    );
  }
  enterBridgedPod(t, node);
}

function enterBridgedPod(t: Tracer, node: NodeTopology): void {
  const { dst } = t;
  t.hop(
    node,
    HOST,
    vethName(dst.pod),
    'veth',
    `Leaves cni0 through ${dst.pod.name}'s veth into its network namespace.`,
  );
  t.hop(node, netnsOf(dst), 'eth0', 'deliver', `Arrives on ${dst.pod.name}'s eth0 (${dst.ip}) with TTL ${t.ttl}.`);
}

export const bridgePlumbing: PodPlumbing = {
  problems: () => [],
  podNetwork: bridgePodNetwork,
  hostDevices: bridgeDevices,
  localRoutes: bridgeRoutes,
  leavePod: bridgeLeavePod,
  sameNode: bridgeSameNode,
  upToHost: (t) => {
    if (t.src.pod.hostNetwork) return;
    t.hop(
      t.src.node,
      HOST,
      'cni0',
      'bridge',
      "The frame is addressed to cni0 (the gateway): the bridge hands it up to the host's IP stack for routing.",
    );
  },
  deliver: (t) => {
    t.ttl--;
    const local = t.dst.node.routes.find((r) => r.device === 'cni0');
    t.hop(t.dst.node, HOST, 'cni0', 'route', `${t.dst.node.name} routes it to its pod subnet on cni0 (TTL −1).`, {
      route: local ? formatRoute(local) : undefined,
    });
    enterBridgedPod(t, t.dst.node);
  },
};

// ---------------------------------------------------------------------------------------------------------
// The cluster: backend, Network, notes.

const ALL_PREDICTED =
  'Pod addresses are predicted in the order pods appear (host-local hands out the first free address); MAC ' +
  'addresses, veth names and interface indexes are placeholders.';

/** What is known and what predicted; and what flanneld's annotations of a live cluster say beside its config. */
export function flannelCertaintyNotes(network: ClusterNetwork): string[] {
  const observedPods = network.nodes.some((n) => [...n.podAddresses.values()].some((a) => a.from === 'status'));
  const observedMacs = network.nodes.some((n) => n.flannel?.vtepMac);
  const notes: string[] = [];
  if (!observedPods && !observedMacs) notes.push(ALL_PREDICTED);
  else
    notes.push(
      (observedPods
        ? "Pod addresses from live pods' status.podIP are known; the others are predicted in the order pods " +
          'appear (host-local hands out the first free address, passing over the known ones)'
        : 'Pod addresses are predicted in the order pods appear (host-local hands out the first free address)') +
        (observedMacs
          ? "; VTEP MACs come from flannel's backend-data annotation of the Nodes that have one; other MAC " +
            'addresses, veth names and interface indexes are placeholders.'
          : '; MAC addresses, veth names and interface indexes are placeholders.'),
    );
  const configured = network.netConf.assumed ? undefined : network.netConf.backendType;
  for (const node of network.nodes) {
    const running = node.flannel?.backendType;
    if (configured && running && running.toLowerCase() !== configured.toLowerCase())
      notes.push(
        `flanneld on ${node.name} registered the ${running} backend (its Node's backend-type annotation), while ` +
          `net-conf.json here says ${configured}: it has not restarted since the ConfigMap changed (flanneld ` +
          `reads it only when it starts), or the ConfigMap applied differs from this one. Nodes running one ` +
          `backend ignore the leases of another, so they program no route to ${node.name}'s subnet until then.`,
      );
    const before = node.flannel?.publicIpBefore;
    if (before && node.flannel?.publicIp)
      notes.push(
        `${node.name}: public-ip-overwrite ${formatAddress(node.flannel.publicIp)} differs from public-ip ` +
          `${before}: flanneld there applies the overwrite when it next starts; until then its peers send to ` +
          `${before}. Shown: ${formatAddress(node.flannel.publicIp)}.`,
      );
  }
  return notes;
}

/** flannel's backend, Network and what it says about the backend (shared with Canal). */
export function flannelBackendNotes(cluster: Cluster): string[] {
  const { netConf } = cluster.network;
  const backend = backendInfo(netConf);
  const notes: string[] = [];
  if (netConf.assumed)
    notes.push('flannel defaults assumed (no net-conf.json in this cluster): Network 10.244.0.0/16, vxlan.');
  return [
    ...notes,
    ...flannelCertaintyNotes(cluster.network),
    ...(!backend
      ? [`Backend type \`${netConf.backendType}\` is not one flannel registers: no data path can be built.`]
      : !backend.device && netConf.backendType !== 'host-gw'
        ? [`The ${netConf.backendType} backend builds no tunnel device; its data path is not drawn.`]
        : []),
  ];
}

export function flannelSummary(cluster: Cluster): Omit<SummaryFields, 'cni'> {
  const { netConf, nodes } = cluster.network;
  const backend = backendInfo(netConf);
  const first = nodes[0];
  return {
    backend: netConf.backendType,
    network: netConf.network ? formatCidr(netConf.network) : undefined,
    vni: netConf.backendType === 'vxlan' ? netConf.vni : undefined,
    port: tunnelPort(netConf),
    directRouting: netConf.directRouting,
    assumed: netConf.assumed,
    podMtu: first?.podMtu ?? (netConf.mtu ?? 1500) - (backend?.overhead ?? 0),
    underlayMtu: first?.underlayMtu ?? netConf.mtu ?? 1500,
    source: netConfSourceOf(cluster),
  };
}

/** flannel's NIC: `--iface` when the DaemonSet sets it, else `eth0` assumed. */
export const flannelNic = (node: NodeNetwork) => ({
  name: node.iface,
  assumed: node.ifaceAssumed,
  chosenBy: `Chosen by flanneld --iface=${node.iface}.`,
});

export const flannelDataPlane: DataPlane = {
  kind: 'flannel',
  summary: (cluster) => ({ cni: 'flannel', ...flannelSummary(cluster) }),
  notes: flannelBackendNotes,
  nic: (_cluster, node) => flannelNic(node),
  predictsPodAddresses: true,
  plumbing: bridgePlumbing,
  interconnect: flannelInterconnect,
};
