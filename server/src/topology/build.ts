// Builds the per-node device topology of one cluster from the network model: the NIC, cni0, one veth
// pair per pod, the backend's tunnel device, routes, and the vxlan neighbour and FDB entries flanneld
// programs (flannel.md §2, §5). Unknowable values (MACs, veth names, pod IPs) are placeholders or predictions,
// unless a live dump tells them (model/liveState.ts): a pod's status.podIP, flannel's VTEP MAC and public IP.
import { containsCidr, formatAddress, formatCidr, formatIp, type IpAddress, parseCidr } from '../core/cidr';
import { type OffsetRange } from '../core/text';
import { backendInfo, tunnelPort } from '../model/netconf';
import { type ClusterNetwork, type NodeNetwork } from '../model/network';
import { type PodFacts } from '../model/objects';
import { isPredicted, podNameOf } from '../model/workloads';
import { type Cluster } from '../model/workspace';
import { networkBanners } from './banners';
import { hostDeviceId, nodeId, podDeviceId, podId, podKey, vethName } from './ids';
import {
  type Certainty,
  type Device,
  type FdbEntry,
  type NeighbourEntry,
  type NodeTopology,
  type PodTopology,
  type RouteEntry,
  type SourceRef,
  type Topology,
} from './types';

const LOOPBACK_MTU = 65536;

/** What every place that prints an assumed NIC name says about it. */
export const ASSUMED_NIC_NOTE = 'Name assumed: flanneld uses the interface of the default route unless --iface is set.';

export function sourceOf(cluster: Cluster, uri: string, range: OffsetRange | undefined): SourceRef | undefined {
  const file = cluster.files.find((f) => f.file.uri === uri)?.file;
  return file && range ? { uri, range: file.lines.rangeOf(range) } : undefined;
}

/** The `net-conf.json` key of the flannel ConfigMap: where the backend and its tunnel device come from. */
function netConfSourceOf(cluster: Cluster): SourceRef | undefined {
  const configMap = cluster.network.configMap;
  const key = configMap?.netConf?.key.range;
  return configMap && key ? sourceOf(cluster, configMap.object.uri, [key[0], key[1]]) : undefined;
}

/** A pod's namespace and name as the topology shows them: Kubernetes' default namespace, a stand-in name. */
const podNames = (pod: PodFacts) => ({
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

/** Whether direct routing (host-gw style) is used between two nodes: DirectRouting and the same L2 subnet. */
export function directlyRouted(cluster: Cluster, a: NodeNetwork, b: NodeNetwork): boolean {
  const { netConf } = cluster.network;
  if (netConf.backendType === 'host-gw') return true;
  if (!netConf.directRouting || !(netConf.backendType === 'vxlan' || netConf.backendType === 'ipip')) return false;
  return sameAssumedSubnet(underlayIpOf(a), underlayIpOf(b));
}

/**
 * The address flannel's peers reach a node at (its lease's PublicIP): the `public-ip` annotation of a live
 * Node (`public-ip-overwrite` when set), else the node IP.
 */
export const underlayIpOf = (node: NodeNetwork): IpAddress | undefined => node.flannel?.publicIp ?? node.internalIp;

/** The underlay address as routes and FDB entries print it, with its certainty. */
function underlayText(node: NodeNetwork): { text: string; certainty: Certainty } {
  const ip = underlayIpOf(node);
  return ip ? { text: formatAddress(ip), certainty: 'known' } : { text: `<${node.name} IP>`, certainty: 'placeholder' };
}

/** Node IPs carry no prefix in manifests; nodes sharing a /24 are taken to be on one L2 segment. */
function sameAssumedSubnet(a: IpAddress | undefined, b: IpAddress | undefined): boolean {
  return !!a && !!b && a.family === 4 && b.family === 4 && a.value >> 8n === b.value >> 8n;
}

export function buildTopology(cluster: Cluster): Topology {
  const { network } = cluster;
  // A controller's pods all point at it: one lookup per manifest object, not per pod.
  const sources = new Map<PodFacts['object'], SourceRef | undefined>();
  const podSource = (pod: PodFacts): SourceRef | undefined => {
    if (!sources.has(pod.object)) sources.set(pod.object, sourceOf(cluster, pod.object.uri, pod.object.name?.range));
    return sources.get(pod.object);
  };
  const { netConf } = network;
  const backend = backendInfo(netConf);
  const first = network.nodes[0];
  const notes: string[] = [];
  if (netConf.assumed)
    notes.push('flannel defaults assumed (no net-conf.json in this cluster): Network 10.244.0.0/16, vxlan.');
  notes.push(...certaintyNotes(network));
  if (!backend)
    notes.push(`Backend type \`${netConf.backendType}\` is not one flannel registers: no data path can be built.`);
  else if (!backend.device && netConf.backendType !== 'host-gw')
    notes.push(`The ${netConf.backendType} backend builds no tunnel device; its data path is not drawn.`);

  const topology: Topology = {
    cluster: {
      id: cluster.id,
      name: cluster.name,
      backend: netConf.backendType,
      network: netConf.network ? formatCidr(netConf.network) : undefined,
      vni: netConf.backendType === 'vxlan' ? netConf.vni : undefined,
      port: tunnelPort(netConf),
      directRouting: netConf.directRouting,
      assumed: netConf.assumed,
      podMtu: first?.podMtu ?? (netConf.mtu ?? 1500) - (backend?.overhead ?? 0),
      underlayMtu: first?.underlayMtu ?? netConf.mtu ?? 1500,
      source: netConfSourceOf(cluster),
    },
    nodes: network.nodes.map((node) => buildNode(cluster, node, podSource)),
    unplaced: network.unplacedPods.map((pod) => ({
      pod: podKey(podNames(pod)),
      reason: unplacedReason(cluster, pod),
      ...(pod.owner ? { owner: { ...pod.owner } } : {}),
      ...(isPredicted(pod) ? { predicted: true } : {}),
      source: sourceOf(cluster, pod.object.uri, pod.object.name?.range),
    })),
    banners: networkBanners(cluster, (uri, range) => sourceOf(cluster, uri, range)),
    notes,
  };
  return topology;
}

const ALL_PREDICTED =
  'Pod addresses are predicted in the order pods appear (host-local hands out the first free address); MAC ' +
  'addresses, veth names and interface indexes are placeholders.';

/** What is known and what predicted; and what flanneld's annotations of a live cluster say beside its config. */
function certaintyNotes(network: ClusterNetwork): string[] {
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

function unplacedReason(cluster: Cluster, pod: PodFacts): string {
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

function buildNode(
  cluster: Cluster,
  node: NodeNetwork,
  podSource: (pod: PodFacts) => SourceRef | undefined,
): NodeTopology {
  const { netConf } = cluster.network;
  const backend = backendInfo(netConf);
  const problems: string[] = [];
  const podCidr = node.podCidr;
  if (!podCidr)
    problems.push(
      `No podCIDR: flanneld on ${node.name} fails with "node \\"${node.name}\\" pod cidr not assigned" and ` +
        `its pods get no address.`,
    );
  else if (netConf.network && !containsCidr(netConf.network, podCidr) && !netConf.assumed) {
    problems.push(
      `podCIDR ${formatCidr(podCidr)} is outside flannel's Network ${formatCidr(netConf.network)}: flanneld ` +
        `on ${node.name} exits at start.`,
    );
  }
  const working = problems.length === 0;
  const host = (name: string) => hostDeviceId(node.name, name);
  const nodeSource = sourceOf(cluster, node.facts?.object.uri ?? '', node.facts?.object.name?.range);
  const devices: Device[] = [];
  devices.push({
    id: host('lo'),
    name: 'lo',
    nameCertainty: 'known',
    kind: 'loopback',
    netns: 'host',
    addresses: [{ cidr: '127.0.0.1/8', certainty: 'known' }],
    mtu: LOOPBACK_MTU,
    mtuCertainty: 'known',
    facts: ['Loopback of the node.'],
  });
  devices.push({
    id: host(node.iface),
    name: node.iface,
    nameCertainty: node.ifaceAssumed ? 'inferred' : 'known',
    kind: 'nic',
    netns: 'host',
    addresses: node.internalIp ? [{ cidr: formatAddress(node.internalIp), certainty: 'known' }] : [],
    mtu: node.underlayMtu,
    mtuCertainty: node.underlayMtuAssumed ? 'inferred' : 'known',
    facts: [
      node.internalIp
        ? `Node IP ${formatAddress(node.internalIp)} (${node.internalIpFrom ?? 'InternalIP'}).`
        : `Node IP unknown: ${unknownNodeIpReason(node)}.`,
      node.ifaceAssumed ? ASSUMED_NIC_NOTE : `Chosen by flanneld --iface=${node.iface}.`,
    ],
    source: nodeSource,
  });

  const tunnel = working && node.tunnel && backend ? tunnelDevice(cluster, node, host(node.tunnel.device)) : undefined;
  if (tunnel) devices.push(tunnel);

  const podsOnBridge = node.pods.filter((p) => !p.spec.hostNetwork);
  const bridgeId = host('cni0');
  const pods = node.pods.map((pod) => buildPod(cluster, node, pod, working, podSource(pod)));
  if (working && podsOnBridge.length > 0 && podCidr && node.gateway) {
    devices.push({
      id: bridgeId,
      name: 'cni0',
      nameCertainty: 'known',
      kind: 'bridge',
      netns: 'host',
      addresses: [
        {
          cidr: `${formatAddress(node.gateway)}/${podCidr.prefix}`,
          certainty: node.podCidrInferred ? 'inferred' : 'known',
        },
      ],
      mtu: node.podMtu,
      mtuCertainty: node.underlayMtuAssumed ? 'inferred' : 'known',
      facts: [
        `Bridge of the CNI bridge plugin; gateway of the node's pods, ${formatAddress(node.gateway)}.`,
        'Created when the first pod starts on the node.',
      ],
    });
    for (const pod of pods) {
      const hostVeth = pod.devices.find((d) => d.kind === 'veth-pod')?.peer;
      const peer = pod.devices.find((d) => d.kind === 'veth-pod');
      if (!hostVeth || !peer) continue;
      devices.push({
        id: hostVeth,
        name: vethName(pod),
        nameCertainty: 'placeholder',
        kind: 'veth-host',
        netns: 'host',
        addresses: [],
        mtu: node.podMtu,
        mtuCertainty: node.underlayMtuAssumed ? 'inferred' : 'known',
        master: 'cni0',
        peer: peer.id,
        facts: [
          `Host end of ${podKey(pod)}'s veth pair, enslaved to cni0. The real name is veth + 8 ` + `random hex digits.`,
        ],
        source: pod.source,
      });
    }
  }

  return {
    id: nodeId(node.name),
    name: node.name,
    podCidr: podCidr ? formatCidr(podCidr) : undefined,
    podCidrNote: node.podCidrInferred,
    internalIp: node.internalIp ? formatAddress(node.internalIp) : undefined,
    ...(node.internalIp ? {} : { internalIpNote: unknownNodeIpReason(node) }),
    ...(node.flannel?.publicIp ? { publicIp: formatAddress(node.flannel.publicIp) } : {}),
    devices,
    pods,
    routes: working ? routesOf(cluster, node, podsOnBridge.length > 0) : [],
    neighbours: working ? neighboursOf(cluster, node) : [],
    fdb: working ? fdbOf(cluster, node) : [],
    problems,
    source: nodeSource,
  };
}

function tunnelDevice(cluster: Cluster, node: NodeNetwork, id: string): Device {
  const { netConf } = cluster.network;
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
    id,
    name: node.tunnel!.device,
    nameCertainty: 'known',
    kind,
    netns: 'host',
    addresses: node.tunnel!.address
      ? [{ cidr: node.tunnel!.address, certainty: node.podCidrInferred ? 'inferred' : 'known' }]
      : [],
    mtu: node.podMtu,
    mtuCertainty: node.underlayMtuAssumed ? 'inferred' : 'known',
    ...(mac ? { mac } : {}),
    facts: [
      facts[kind],
      ...(mac ? [`VTEP MAC ${mac}, from the backend-data annotation flanneld wrote on ${node.name}'s Node.`] : []),
    ],
    source: netConfSourceOf(cluster),
  };
}

function buildPod(
  cluster: Cluster,
  node: NodeNetwork,
  pod: PodFacts,
  working: boolean,
  source: SourceRef | undefined,
): PodTopology {
  const ref = podNames(pod);
  const { namespace, name } = ref;
  const netns = podKey(ref);
  const base: PodTopology = {
    id: podId(node.name, ref),
    name,
    namespace,
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
  // A live pod's address is a fact even where Podnet sees no working subnet; a predicted one needs one.
  if (address && (observed || pod.spec.hostNetwork || working))
    base.address = { ip: formatAddress(address.ip), certainty: address.from === 'predicted' ? 'inferred' : 'known' };
  const cidr = node.podCidr;
  if (pod.spec.hostNetwork || !working || !cidr) return base;
  const ip = base.address?.ip;
  // The pod's own devices come from its manifest: they leave `source` to the pod (about 15 % of the JSON
  // of 5,000 pods), and whoever looks a device up falls back to it.
  base.devices = [
    {
      id: podDeviceId(node.name, ref, 'lo'),
      name: 'lo',
      nameCertainty: 'known',
      kind: 'loopback',
      netns,
      addresses: [{ cidr: '127.0.0.1/8', certainty: 'known' }],
      mtu: LOOPBACK_MTU,
      mtuCertainty: 'known',
      facts: ['Loopback shared by all containers of the pod: they talk over localhost.'],
    },
    {
      id: podDeviceId(node.name, ref, 'eth0'),
      name: 'eth0',
      nameCertainty: 'known',
      kind: 'veth-pod',
      netns,
      addresses: ip ? [{ cidr: `${ip}/${cidr.prefix}`, certainty: base.address!.certainty }] : [],
      mtu: node.podMtu,
      mtuCertainty: node.underlayMtuAssumed ? 'inferred' : 'known',
      peer: hostDeviceId(node.name, vethName(ref)),
      facts: [
        `Pod end of the veth pair (eth0@ifN); default route ` +
          `via ${node.gateway ? formatAddress(node.gateway) : 'cni0'}.`,
        observed
          ? "Address observed: the pod's status.podIP."
          : 'Address predicted: host-local gives the first free one.',
      ],
    },
  ];
  return base;
}

function routesOf(cluster: Cluster, node: NodeNetwork, hasBridge: boolean): RouteEntry[] {
  const { netConf } = cluster.network;
  const routes: RouteEntry[] = [
    { destination: 'default', via: '<gateway>', device: node.iface, certainty: 'placeholder' },
  ];
  const certainty = node.podCidrInferred ? 'inferred' : 'known';
  const tunnel = node.tunnel;
  if ((netConf.backendType === 'udp' || netConf.backendType === 'wireguard') && tunnel?.address && netConf.network) {
    routes.push({
      destination: formatCidr(netConf.network),
      device: tunnel.device,
      protoKernel: true,
      scopeLink: true,
      src: tunnel.address.split('/')[0],
      certainty,
    });
  }
  for (const peer of cluster.network.nodes) {
    if (peer === node || !peer.podCidr) continue;
    const destination = formatCidr(peer.podCidr);
    const peerIp = underlayText(peer).text;
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
        via: formatIp(4, peer.podCidr.address),
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
  if (hasBridge && node.podCidr && node.gateway) {
    routes.push({
      destination: formatCidr(node.podCidr),
      device: 'cni0',
      protoKernel: true,
      scopeLink: true,
      src: formatAddress(node.gateway),
      certainty,
    });
  }
  if (node.internalIp) {
    routes.push({
      destination: '<node subnet>',
      device: node.iface,
      protoKernel: true,
      scopeLink: true,
      src: formatAddress(node.internalIp),
      certainty: 'placeholder',
    });
  }
  const order = new Map(routes.map((route) => [route, routeOrder(route)]));
  return routes.sort((a, b) => order.get(a)! - order.get(b)!);
}

/** `ip route` lists the default route first, then destinations in address order. */
function routeOrder(route: RouteEntry): number {
  if (route.destination === 'default') return -1;
  const cidr = parseCidr(route.destination);
  return cidr ? Number(cidr.address) : Number.MAX_SAFE_INTEGER;
}

/** A peer's VTEP MAC: from its Node's backend-data annotation, else a placeholder. */
function vtepMacOf(peer: NodeNetwork): { mac: string; certainty: Certainty } {
  const mac = peer.flannel?.vtepMac;
  return mac ? { mac, certainty: 'known' } : { mac: `<vtep mac of ${peer.name}>`, certainty: 'placeholder' };
}

/** The static ARP entries flanneld adds on flannel.1: each peer's tunnel address → its VTEP MAC. */
function neighboursOf(cluster: Cluster, node: NodeNetwork): NeighbourEntry[] {
  if (cluster.network.netConf.backendType !== 'vxlan' || !node.tunnel) return [];
  return cluster.network.nodes
    .filter((peer) => peer !== node && peer.podCidr && !directlyRouted(cluster, node, peer))
    .map((peer) => {
      const { mac, certainty } = vtepMacOf(peer);
      return {
        ip: formatIp(4, peer.podCidr!.address),
        ipCertainty: peer.podCidrInferred ? 'inferred' : 'known',
        lladdr: mac,
        lladdrCertainty: certainty,
        device: node.tunnel!.device,
        node: peer.name,
      };
    });
}

/** The FDB entries flanneld adds on flannel.1: each peer's VTEP MAC → its public IP. */
function fdbOf(cluster: Cluster, node: NodeNetwork): FdbEntry[] {
  if (cluster.network.netConf.backendType !== 'vxlan' || !node.tunnel) return [];
  return cluster.network.nodes
    .filter((peer) => peer !== node && peer.podCidr && !directlyRouted(cluster, node, peer))
    .map((peer) => {
      const { mac, certainty } = vtepMacOf(peer);
      const dst = underlayText(peer);
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
