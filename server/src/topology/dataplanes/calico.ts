// Calico's data plane between nodes (calico.md §3): each node's IPAM blocks, the tunnel devices its pools
// use (tunl0, vxlan.calico, wireguard.cali) with their /32, block routes per pool mode and node pair
// (same subnet or not), `proto bird` where BIRD programs them and Felix's `proto 80` where Felix does, a
// blackhole for the node's own blocks, and vxlan.calico's neighbour and FDB entries. Pods are plumbed by
// calicoPods.ts.
import { containsIp, formatAddress, formatCidr, type IpAddress, networkOf, parseCidr, parseIp } from '../../core/cidr';
import { type CalicoNetwork, type CalicoPool } from '../../model/calico/model';
import {
  felixProgramsDirectRoutes,
  felixProgramsIpipRoutes,
  NEWEST_CALICO_RELEASE,
  releaseOf,
} from '../../model/calico/release';
import { type NodeNetwork } from '../../model/network';
import { type Cluster } from '../../model/workspace';
import { hostDeviceId } from '../ids';
import { formatRoute } from '../tools';
import { describeOuter, HOST, type Tracer } from '../tracer';
import {
  type Certainty,
  type Device,
  type Encapsulation,
  type FdbEntry,
  type NeighbourEntry,
  type NodeTopology,
  type PoolSummary,
  type RouteEntry,
} from '../types';
import { calicoPlumbing } from './calicoPods';
import { sourceOf, underlayText } from './common';
import { type DataPlane, type Interconnect, type NicChoice, type NodeContext } from './dataPlane';

export const VXLAN_DEVICE = 'vxlan.calico';
export const IPIP_DEVICE = 'tunl0';
export const WIREGUARD_DEVICE = 'wireguard.cali';
export const CALICO_VNI = 4096;
export const CALICO_VXLAN_PORT = 4789;
const WIREGUARD_PORT = 51820;
const OVERHEAD = { ipip: 20, vxlan: 50, wireguard: 60 } as const;
const DEFAULT_MTU = 1500;
/** Node IPs without a prefix are taken to share a subnet when they share a /24. */
const ASSUMED_PREFIX = 24;

const calicoOf = (cluster: Cluster): CalicoNetwork | undefined => cluster.network.calico;

const certaintyOf = (c: 'observed' | 'predicted' | undefined): Certainty => (c === 'observed' ? 'known' : 'inferred');

/** The enabled pools a node takes blocks from. */
function poolsOf(cluster: Cluster, node: NodeNetwork): CalicoPool[] {
  const names = new Set(node.calico?.pools ?? []);
  return (calicoOf(cluster)?.pools ?? []).filter((p) => names.has(p.name) && !p.disabled.value);
}

const poolByName = (cluster: Cluster, name: string) => calicoOf(cluster)?.pools.find((p) => p.name === name);

/** Which tunnel devices a node has: only those a pool it uses needs (and WireGuard when its address says so). */
function tunnelsOf(cluster: Cluster, node: NodeNetwork): Array<'tunl0' | 'vxlan.calico' | 'wireguard.cali'> {
  const pools = poolsOf(cluster, node);
  const tunnels: Array<'tunl0' | 'vxlan.calico' | 'wireguard.cali'> = [];
  if (pools.some((p) => p.ipipMode.value !== 'Never')) tunnels.push(IPIP_DEVICE);
  if (pools.some((p) => p.vxlanMode.value !== 'Never')) tunnels.push(VXLAN_DEVICE);
  if (node.calico?.tunnelAddresses.some((t) => t.device === WIREGUARD_DEVICE)) tunnels.push(WIREGUARD_DEVICE);
  return tunnels;
}

/** Whether Felix programs IPIP routes (3.33 on; a version not shown is taken as the newest release). */
const felixProgramsIpip = (calico: CalicoNetwork | undefined): boolean => felixProgramsIpipRoutes(calico ?? {});

/** BIRD runs and exchanges routes: calico_backend bird (or the Installation's bgp Enabled). */
const birdRuns = (calico: CalicoNetwork | undefined): boolean =>
  !!calico && calico.backend.value === 'bird' && calico.bgp.value;

/** A node's address with its prefix: the IPv4Address annotation, else its node IP with a /24 assumed. */
function addressOf(node: NodeNetwork): { ip: IpAddress; prefix: number; assumed: boolean } | undefined {
  const given = node.calico?.address;
  if (given) return { ip: given.ip, prefix: given.prefix, assumed: false };
  return node.internalIp ? { ip: node.internalIp, prefix: ASSUMED_PREFIX, assumed: true } : undefined;
}

/** Whether `peer` is in this node's subnet (Calico's CrossSubnet test), and whether that is assumed. */
export function sameSubnet(node: NodeNetwork, peer: NodeNetwork): { same: boolean; assumed: boolean } {
  const mine = addressOf(node);
  const theirs = addressOf(peer);
  if (!mine || !theirs || mine.ip.family !== 4) return { same: false, assumed: true };
  const subnet = networkOf({ family: 4, address: mine.ip.value, prefix: mine.prefix });
  return { same: containsIp(subnet, theirs.ip), assumed: mine.assumed || theirs.assumed };
}

/** The pods' MTU: what is configured, else the NIC's minus the largest overhead of the encapsulations used. */
function calicoPodMtu(cluster: Cluster, node: NodeNetwork): { mtu: number; certainty: Certainty } {
  const configured = calicoOf(cluster)?.mtu?.value;
  if (configured) return { mtu: configured, certainty: 'known' };
  const overheads = tunnelsOf(cluster, node).map((t) =>
    t === IPIP_DEVICE ? OVERHEAD.ipip : t === VXLAN_DEVICE ? OVERHEAD.vxlan : OVERHEAD.wireguard,
  );
  return {
    mtu: node.underlayMtu - Math.max(0, ...overheads),
    certainty: node.underlayMtuAssumed ? 'inferred' : 'known',
  };
}

/** A tunnel device's own MTU: the configured one, else the NIC's minus its own overhead. */
function tunnelMtu(cluster: Cluster, node: NodeNetwork, overhead: number): number {
  return calicoOf(cluster)?.mtu?.value || node.underlayMtu - overhead;
}

function calicoProblems(cluster: Cluster, node: NodeNetwork): string[] {
  const calico = calicoOf(cluster);
  if (!calico || !node.calico)
    return [`Calico's configuration of ${node.name} is not modelled: no pool or block can be told.`];
  if (node.calico.blocks.length > 0) return [];
  return poolsOf(cluster, node).length === 0
    ? [`No Calico pool's nodeSelector matches ${node.name}: Calico IPAM gives its pods no address.`]
    : [`No free IPAM block for ${node.name} in its pools: its pods get no address.`];
}

function tunnelDevices(ctx: NodeContext): Device[] {
  const { cluster, node } = ctx;
  const calico = node.calico!;
  const source = poolSourceOf(cluster);
  return tunnelsOf(cluster, node).map((name) => {
    const address = calico.tunnelAddresses.find((t) => t.device === name);
    const addresses = address
      ? [{ cidr: `${formatAddress(address.ip)}/32`, certainty: certaintyOf(address.certainty) }]
      : [];
    const from = address
      ? address.certainty === 'observed'
        ? `its address from the Node's annotation`
        : `its address predicted: the first of the node's block`
      : 'its address unknown';
    const mtuCertainty: Certainty = calicoOf(cluster)?.mtu?.value || !node.underlayMtuAssumed ? 'known' : 'inferred';
    const base = { id: hostDeviceId(node.name, name), name, nameCertainty: 'known' as const, netns: 'host', addresses };
    if (name === IPIP_DEVICE)
      return {
        ...base,
        kind: 'ipip' as const,
        mtu: tunnelMtu(cluster, node, OVERHEAD.ipip),
        mtuCertainty,
        facts: [
          `IP-in-IP device of Calico (IP protocol 4): encapsulates pod traffic to nodes its pools reach over ` +
            `IPIP (${OVERHEAD.ipip} bytes); ${from}.`,
        ],
        source,
      };
    if (name === VXLAN_DEVICE) {
      const mac = calico.vxlanMac;
      return {
        ...base,
        kind: 'vxlan' as const,
        mtu: tunnelMtu(cluster, node, OVERHEAD.vxlan),
        mtuCertainty,
        ...(mac ? { mac: mac.mac } : {}),
        facts: [
          `VXLAN device of Calico's Felix: VNI ${CALICO_VNI}, UDP ${CALICO_VXLAN_PORT}; encapsulates pod traffic ` +
            `to nodes its pools reach over VXLAN (${OVERHEAD.vxlan} bytes); ${from}.`,
          ...(mac
            ? [
                mac.certainty === 'observed'
                  ? `MAC ${mac.mac}, from the Node's spec.vxlanTunnelMACAddr.`
                  : `MAC ${mac.mac}, predicted as Felix derives it: 66: and the first 5 bytes of SHA-1 of the ` +
                    `node name.`,
              ]
            : []),
        ],
        source,
      };
    }
    return {
      ...base,
      kind: 'wireguard' as const,
      mtu: tunnelMtu(cluster, node, OVERHEAD.wireguard),
      mtuCertainty,
      facts: [`WireGuard device of Calico, UDP ${WIREGUARD_PORT}; encrypts pod traffic to other nodes (60 bytes).`],
      source,
    };
  });
}

/** The node's VXLAN tunnel address (the next hop of VXLAN routes to it), with its certainty. */
function vxlanAddressOf(node: NodeNetwork): { text: string; certainty: Certainty } {
  const address = node.calico?.tunnelAddresses.find((t) => t.device === VXLAN_DEVICE);
  return address
    ? { text: formatAddress(address.ip), certainty: certaintyOf(address.certainty) }
    : { text: `<${VXLAN_DEVICE} address of ${node.name}>`, certainty: 'placeholder' };
}

/** How this node reaches a peer's block: through which device, programmed by whom. */
type BlockPath = 'vxlan' | 'ipip' | 'direct-felix' | 'direct-bird' | 'none';

function blockPathTo(cluster: Cluster, node: NodeNetwork, peer: NodeNetwork, pool: CalicoPool | undefined): BlockPath {
  if (!pool) return 'none';
  const { same } = sameSubnet(node, peer);
  const calico = calicoOf(cluster);
  const vxlan = pool.vxlanMode.value;
  const ipip = pool.ipipMode.value;
  if (vxlan === 'Always' || (vxlan === 'CrossSubnet' && !same)) return 'vxlan';
  if (vxlan === 'CrossSubnet') return 'direct-felix';
  if (ipip === 'Always' || (ipip === 'CrossSubnet' && !same))
    return felixProgramsIpip(calico) || birdRuns(calico) ? 'ipip' : 'none';
  if (calico && felixProgramsDirectRoutes(calico)) return 'direct-felix';
  return birdRuns(calico) ? 'direct-bird' : 'none';
}

function calicoRoutes(ctx: NodeContext): RouteEntry[] {
  const { cluster, node } = ctx;
  const calico = calicoOf(cluster);
  const nic = calicoNic(cluster, node).name;
  const routes: RouteEntry[] = [];
  const ipipProto = felixProgramsIpip(calico) ? '80' : 'bird';
  // The protocol is a fact where a setting or the image tag tells who programs the routes.
  const versionKnown = releaseOf(calico?.version) !== undefined || calico?.clusterRoutes !== undefined;
  for (const peer of cluster.network.nodes) {
    if (peer === node || !peer.calico) continue;
    const peerIp = underlayText(peer, peer.calico.address?.ip ?? peer.internalIp);
    const subnet = sameSubnet(node, peer);
    for (const block of peer.calico.blocks) {
      const path = blockPathTo(cluster, node, peer, poolByName(cluster, block.pool));
      const known = block.certainty === 'observed' && peerIp.certainty === 'known';
      const certainty: Certainty = known ? 'known' : 'inferred';
      const destination = formatCidr(block.cidr);
      const decided = (c: Certainty): Certainty => (subnet.assumed && c === 'known' ? 'inferred' : c);
      if (path === 'vxlan') {
        const via = vxlanAddressOf(peer);
        routes.push({
          destination,
          via: via.text,
          device: VXLAN_DEVICE,
          proto: '80',
          onlink: true,
          certainty: via.certainty === 'known' ? decided(certainty) : via.certainty,
        });
      } else if (path === 'ipip')
        routes.push({
          destination,
          via: peerIp.text,
          device: IPIP_DEVICE,
          proto: ipipProto,
          onlink: true,
          certainty: versionKnown ? decided(certainty) : 'inferred',
        });
      else if (path === 'direct-felix')
        routes.push({
          destination,
          via: peerIp.text,
          device: nic,
          proto: '80',
          onlink: true,
          certainty: decided(certainty),
        });
      else if (path === 'direct-bird')
        routes.push({ destination, via: peerIp.text, device: nic, proto: 'bird', certainty: decided(certainty) });
    }
  }
  // The node's own blocks: a blackhole, so that addresses of the block no pod holds are not sent on.
  const bird = birdRuns(calico);
  for (const block of node.calico!.blocks)
    routes.push({
      destination: formatCidr(block.cidr),
      device: '',
      blackhole: true,
      proto: bird ? 'bird' : '80',
      certainty: certaintyOf(block.certainty),
    });
  return routes;
}

/** The peers this node reaches through vxlan.calico. */
function vxlanPeers(cluster: Cluster, node: NodeNetwork): NodeNetwork[] {
  if (!tunnelsOf(cluster, node).includes(VXLAN_DEVICE)) return [];
  return cluster.network.nodes.filter(
    (peer) =>
      peer !== node &&
      peer.calico?.blocks.some((b) => blockPathTo(cluster, node, peer, poolByName(cluster, b.pool)) === 'vxlan'),
  );
}

function vxlanMacOf(peer: NodeNetwork): { mac: string; certainty: Certainty } {
  const mac = peer.calico?.vxlanMac;
  return mac
    ? { mac: mac.mac, certainty: certaintyOf(mac.certainty) }
    : { mac: `<${VXLAN_DEVICE} mac of ${peer.name}>`, certainty: 'placeholder' };
}

function calicoNeighbours({ cluster, node }: NodeContext): NeighbourEntry[] {
  return vxlanPeers(cluster, node).map((peer) => {
    const ip = vxlanAddressOf(peer);
    const mac = vxlanMacOf(peer);
    return {
      ip: ip.text,
      ipCertainty: ip.certainty,
      lladdr: mac.mac,
      lladdrCertainty: mac.certainty,
      device: VXLAN_DEVICE,
      node: peer.name,
    };
  });
}

function calicoFdb({ cluster, node }: NodeContext): FdbEntry[] {
  return vxlanPeers(cluster, node).map((peer) => {
    const mac = vxlanMacOf(peer);
    const dst = underlayText(peer, peer.calico?.address?.ip ?? peer.internalIp);
    return {
      mac: mac.mac,
      macCertainty: mac.certainty,
      device: VXLAN_DEVICE,
      dst: dst.text,
      dstCertainty: dst.certainty,
      node: peer.name,
    };
  });
}

/** The most specific route of a node matching an address (the default route last), as the kernel picks it. */
export function routeFor(node: NodeTopology, ip: string): RouteEntry | undefined {
  const address = parseIp(ip);
  if (!address) return undefined;
  let best: { route: RouteEntry; prefix: number } | undefined;
  for (const route of node.routes) {
    const cidr = parseCidr(route.destination.includes('/') ? route.destination : `${route.destination}/32`);
    if (!cidr || !containsIp(cidr, address)) continue;
    if (!best || cidr.prefix > best.prefix) best = { route, prefix: cidr.prefix };
  }
  return best?.route ?? node.routes.find((r) => r.destination === 'default');
}

function calicoCross(t: Tracer): string | undefined {
  const { src, dst } = t;
  if (dst.pod.hostNetwork) {
    const route = routeFor(src.node, dst.ip);
    return t.toRemoteHost(route ? formatRoute(route) : undefined);
  }
  const route = routeFor(src.node, dst.ip);
  if (!route || route.destination === 'default' || route.blackhole)
    return (
      `${src.node.name} has no route to ${dst.node.name}'s block holding ${dst.ip}: ` +
      (birdRuns(calicoOf(t.cluster))
        ? 'no pool of the cluster covers it'
        : 'BIRD does not run (calico_backend vxlan or none, or bgp Disabled), so no one programs routes for ' +
          'IPIP or unencapsulated pools')
    );
  const forwarded = !src.pod.hostNetwork;
  if (forwarded) t.ttl--;
  const how = forwarded ? 'Forwarded (TTL −1)' : 'Sent';
  const text = formatRoute(route);
  const outerSrc = src.node.internalIp ?? `<${src.node.name} IP>`;
  const outerDst = dst.node.internalIp ?? `<${dst.node.name} IP>`;
  const nic = t.nicName(src.node);
  const by =
    route.proto === 'bird' ? ' (programmed by BIRD from BGP)' : route.proto === '80' ? ' (programmed by Felix)' : '';
  if (route.device === IPIP_DEVICE || route.device === VXLAN_DEVICE) {
    const encapsulation = calicoEncapsulation(t, route.device, outerSrc, outerDst);
    t.hop(src.node, HOST, route.device, 'route', `${how}: the block route${by} points into ${route.device}.`, {
      route: text,
    });
    t.hop(src.node, HOST, route.device, 'encapsulate', encapsulationText(t, encapsulation), { encapsulation });
    t.hop(src.node, HOST, nic, 'wire', `On the wire: ${describeOuter(encapsulation)}; inner ${src.ip} → ${dst.ip}.`, {
      encapsulation,
    });
    t.arrive('the outer packet is addressed to this node.', encapsulation);
    t.hop(
      dst.node,
      HOST,
      route.device,
      'decapsulate',
      encapsulation.type === 'vxlan'
        ? `The kernel hands UDP ${CALICO_VXLAN_PORT} to ${dst.node.name}'s ${VXLAN_DEVICE} (VNI ${CALICO_VNI}), ` +
            `which strips the outer headers.`
        : `${dst.node.name}'s ${IPIP_DEVICE} takes IP protocol 4 and strips the outer IPv4 header.`,
      { encapsulation },
    );
    return undefined;
  }
  t.hop(
    src.node,
    HOST,
    nic,
    'route',
    `${how} via ${dst.node.name}'s node IP ${route.via ?? outerDst}${by}: same subnet, no tunnel.`,
    { route: text },
  );
  t.hop(src.node, HOST, nic, 'wire', `Crosses the subnet unencapsulated (${src.ip} → ${dst.ip}), with no NAT.`);
  t.arrive(
    `the frame is addressed to its MAC as the next hop of ${src.node.name}'s route; the inner addresses are ` +
      `unchanged, so ${dst.node.name} routes it on.`,
  );
  return undefined;
}

function calicoEncapsulation(t: Tracer, device: string, outerSrc: string, outerDst: string): Encapsulation {
  if (device === IPIP_DEVICE) return { type: 'ipip', outerSrc, outerDst, overhead: OVERHEAD.ipip };
  const macs = [t.src.node, t.dst.node].map(
    (n) => n.devices.find((d) => d.name === VXLAN_DEVICE)?.mac ?? `<${VXLAN_DEVICE} mac of ${n.name}>`,
  );
  const fdb = t.src.node.fdb.find((f) => f.node === t.dst.node.name);
  return {
    type: 'vxlan',
    outerSrc,
    outerDst: fdb?.dst ?? outerDst,
    port: CALICO_VXLAN_PORT,
    vni: CALICO_VNI,
    overhead: OVERHEAD.vxlan,
    innerSrcMac: macs[0],
    innerDstMac: macs[1],
  };
}

function encapsulationText(t: Tracer, e: Encapsulation): string {
  if (e.type === 'ipip')
    return (
      `tunl0 wraps it in an outer IPv4 header (IP protocol 4) from ${e.outerSrc} to ${e.outerDst}, ` +
      `+${e.overhead} bytes; the inner TTL is kept.`
    );
  return (
    `${VXLAN_DEVICE}'s neighbour entry gives ${t.dst.node.name}'s VTEP MAC ${e.innerDstMac}, its FDB entry the ` +
    `VTEP's IP ${e.outerDst}; the frame (${e.innerSrcMac} → ${e.innerDstMac}) is wrapped in VXLAN (VNI ${e.vni}) ` +
    `inside UDP to port ${e.port}, +${e.overhead} bytes.`
  );
}

/** Calico's natOutgoing: traffic from a pool to addresses outside every pool leaves with the node IP. */
function calicoMasquerade(t: Tracer): string | undefined {
  const ip = parseIp(t.src.ip);
  const pool = calicoOf(t.cluster)?.pools.find((p) => p.cidr && ip && containsIp(p.cidr, ip));
  if (!pool?.natOutgoing.value) return undefined;
  return (
    `Calico's natOutgoing (pool ${pool.name}) masquerades traffic from the pool to addresses outside every pool: ` +
    `the source becomes ${t.src.node.internalIp ?? 'the node IP'}.`
  );
}

export const calicoInterconnect: Interconnect = {
  problems: calicoProblems,
  podMtu: calicoPodMtu,
  devices: tunnelDevices,
  routes: calicoRoutes,
  neighbours: calicoNeighbours,
  fdb: calicoFdb,
  cross: calicoCross,
  masquerade: calicoMasquerade,
};

/** The NIC: the interface an `interface=<name>` autodetection names, else `eth0` assumed. */
export function calicoNic(cluster: Cluster, node: NodeNetwork): NicChoice {
  const method = calicoOf(cluster)?.autodetection;
  const prefix = node.calico?.address?.certainty === 'observed' ? node.calico.address.prefix : undefined;
  const named = method?.kind === 'interface' && /^[A-Za-z0-9_.@-]{1,15}$/.test(method.argument ?? '');
  return named
    ? {
        name: method.argument!,
        assumed: false,
        chosenBy: `Chosen by calico-node's autodetection interface=${method.argument}.`,
        ...(prefix !== undefined ? { prefix } : {}),
      }
    : { name: 'eth0', assumed: true, chosenBy: '', ...(prefix !== undefined ? { prefix } : {}) };
}

/** How the Installation spells a pool's encapsulation. */
export function encapsulationName(pool: CalicoPool): string {
  if (pool.encapsulation) return pool.encapsulation.value;
  const mode = (name: string, value: string) => (value === 'Always' ? name : `${name}CrossSubnet`);
  if (pool.vxlanMode.value !== 'Never') return mode('VXLAN', pool.vxlanMode.value);
  if (pool.ipipMode.value !== 'Never') return mode('IPIP', pool.ipipMode.value);
  return 'None';
}

export const poolSummaries = (calico: CalicoNetwork | undefined): PoolSummary[] =>
  (calico?.pools ?? []).map((pool) => ({
    name: pool.name,
    cidr: pool.cidr ? formatCidr(pool.cidr) : pool.cidrText.value,
    blockSize: pool.blockSize.value,
    encapsulation: encapsulationName(pool),
    disabled: pool.disabled.value,
  }));

function poolSourceOf(cluster: Cluster) {
  const pool = calicoOf(cluster)?.pools.find((p) => p.source);
  return pool?.source ? sourceOf(cluster, pool.source.uri, pool.source.range) : undefined;
}

/** The pools' blocks, tunnel addresses and pod addresses: which are observed, which predicted. */
function calicoNotes(cluster: Cluster): string[] {
  const calico = calicoOf(cluster);
  if (!calico) return ["Calico's configuration is not modelled yet: nodes are drawn without pools or blocks."];
  const notes: string[] = [];
  const version = releaseOf(calico.version);
  notes.push(
    version
      ? `calico/node ${calico.version}: ` +
          (felixProgramsIpip(calico)
            ? 'Felix programs IPIP routes (proto 80), BIRD unencapsulated ones (proto bird)'
            : 'BIRD programs IPIP and unencapsulated routes (proto bird)') +
          '; Felix programs VXLAN routes (proto 80).'
      : `calico/node version not visible: taken as the newest release (${NEWEST_CALICO_RELEASE.join('.')}), where ` +
          'BIRD programs IPIP and unencapsulated routes (proto bird); from 3.33 Felix programs IPIP routes ' +
          "(proto 80). VXLAN routes are Felix's.",
  );
  const predicted = cluster.network.nodes.flatMap((n) =>
    (n.calico?.blocks ?? []).filter((b) => b.certainty === 'predicted').map((b) => `${n.name} ${formatCidr(b.cidr)}`),
  );
  if (predicted.length > 0)
    notes.push(
      `Blocks predicted (no tunnel-address annotation or BlockAffinity tells them): ${predicted.join(', ')}; ` +
        `Calico picks a node's block by a hash of its name, so the real ones differ.`,
    );
  const assumed = cluster.network.nodes.filter((n) => n.calico && !n.calico.address && n.internalIp);
  if (
    assumed.length > 0 &&
    calico.pools.some((p) => p.ipipMode.value === 'CrossSubnet' || p.vxlanMode.value === 'CrossSubnet')
  )
    notes.push(
      'No projectcalico.org/IPv4Address annotation (node IP with its prefix) on ' +
        `${assumed.map((n) => n.name).join(', ')}: ` +
        `their subnet is assumed to be the /${ASSUMED_PREFIX} of their node IP for CrossSubnet.`,
    );
  if (
    !birdRuns(calico) &&
    calico.pools.some(
      (p) =>
        p.vxlanMode.value === 'Never' &&
        (p.ipipMode.value !== 'Never' ? !felixProgramsIpip(calico) : !felixProgramsDirectRoutes(calico)),
    )
  )
    notes.push(
      'BIRD does not run (calico_backend vxlan or none, or bgp Disabled): no routes are programmed for IPIP ' +
        "(before 3.33) or unencapsulated pools, so nodes cannot reach each other's pods through them.",
    );
  notes.push(
    'Pod addresses are observed (status.podIP) where a live dump gives them, otherwise predicted from the start ' +
      "of the node's block in the order pods appear; cali veth names are Calico's (SHA-1 of namespace.pod), " +
      'other MAC addresses and interface indexes are placeholders.',
  );
  return notes;
}

function calicoSummary(cluster: Cluster) {
  const calico = calicoOf(cluster);
  const pool = calico?.pools.find((p) => !p.disabled.value);
  const backend = !pool
    ? ''
    : pool.vxlanMode.value !== 'Never'
      ? 'vxlan'
      : pool.ipipMode.value !== 'Never'
        ? 'ipip'
        : 'none';
  const first = cluster.network.nodes[0];
  const crossSubnet = (calico?.pools ?? []).some(
    (p) => p.ipipMode.value === 'CrossSubnet' || p.vxlanMode.value === 'CrossSubnet' || backend === 'none',
  );
  return {
    cni: 'calico' as const,
    backend,
    network: pool?.cidr ? formatCidr(pool.cidr) : undefined,
    ...(backend === 'vxlan' ? { vni: CALICO_VNI, port: CALICO_VXLAN_PORT } : {}),
    directRouting: crossSubnet,
    assumed: false,
    podMtu: first ? calicoPodMtu(cluster, first).mtu : calico?.mtu?.value || DEFAULT_MTU,
    underlayMtu: first?.underlayMtu ?? DEFAULT_MTU,
    source: poolSourceOf(cluster),
    calico: { pools: poolSummaries(calico), ...(calico?.version ? { version: calico.version } : {}) },
  };
}

export const calicoDataPlane: DataPlane = {
  kind: 'calico',
  summary: calicoSummary,
  notes: calicoNotes,
  nic: calicoNic,
  predictsPodAddresses: true,
  plumbing: calicoPlumbing,
  interconnect: calicoInterconnect,
};
