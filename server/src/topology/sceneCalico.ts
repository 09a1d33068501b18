// What the scene says of Calico's data plane (and Canal's, Calico on each node): the cluster header with
// the pools, the host routing that joins the cali veths (a /32 per pod, the node's blackhole for its own
// block), and which node pairs a tunnel joins, read from the block routes. Kept apart from the layout so
// that flannel's picture does not change.
import { formatRoute } from './tools';
import { type Certainty, type ClusterSummary, type NodeTopology, type PoolSummary, type Topology } from './types';

/** Pods joined by routed cali veths: Calico, and Canal on each node. */
export const routesPods = (cluster: ClusterSummary) => cluster.cni === 'calico' || cluster.cni === 'canal';

const ENCAPSULATION: Record<string, string> = {
  IPIP: 'IPIP',
  IPIPCrossSubnet: 'IPIP CrossSubnet',
  VXLAN: 'VXLAN',
  VXLANCrossSubnet: 'VXLAN CrossSubnet',
  None: 'no encapsulation',
};

const poolText = (pool: PoolSummary) =>
  `pool ${pool.cidr} /${pool.blockSize} blocks · ${ENCAPSULATION[pool.encapsulation] ?? pool.encapsulation}` +
  (pool.disabled ? ' (disabled)' : '');

/** The header's first part: Calico with its pools; Canal as flannel between nodes and Calico on each node. */
export function calicoCniLine(cluster: ClusterSummary): string {
  if (cluster.cni === 'canal')
    return `Canal · flannel ${cluster.backend || '(no backend)'} between nodes · Calico on each node`;
  const pools = cluster.calico?.pools ?? [];
  return ['Calico', ...(pools.length > 0 ? pools.map(poolText) : ['no pool'])].join(' · ');
}

/** A node's own IPAM blocks: Calico's blackhole routes for them, with their certainty. */
export function blocksOf(node: NodeTopology): Array<{ cidr: string; certainty: Certainty }> {
  return node.routes.filter((r) => r.blackhole).map((r) => ({ cidr: r.destination, certainty: r.certainty }));
}

/** Whether any block of the cluster is predicted rather than told by an annotation or BlockAffinity. */
export const blocksPredicted = (topology: Topology) =>
  topology.nodes.some((n) => blocksOf(n).some((b) => b.certainty !== 'known'));

/** The two lines of the host-routing box: how it reaches pods, and the node's own block (or the gateway). */
export function routingLines(cluster: ClusterSummary, node: NodeTopology): [string, string] {
  const blocks = blocksOf(node);
  const second =
    blocks.length > 0
      ? `blackhole ${blocks[0].cidr}${blocks.length > 1 ? ` +${blocks.length - 1}` : ''}` +
        (blocks.some((b) => b.certainty !== 'known') ? ' (predicted)' : '')
      : `gateway 169.254.1.1 by proxy ARP`;
  return ['host routing · /32 per pod', second];
}

const MAX_ROUTES = 24;

export function routingTooltip(node: NodeTopology): string[] {
  const routes = node.routes.filter((r) => r.destination !== 'default').map(formatRoute);
  return [
    `Host routing of ${node.name}`,
    'No bridge: each cali veth is a point-to-point link; the host reaches each pod by a /32 route on its veth, ' +
      'and answers the pods’ ARP for 169.254.1.1 by proxy ARP.',
    ...(blocksOf(node).length > 0
      ? ['The blackhole drops addresses of its own block that no pod holds, instead of sending them on.']
      : []),
    ...routes.slice(0, MAX_ROUTES),
    ...(routes.length > MAX_ROUTES ? [`… and ${routes.length - MAX_ROUTES} more routes`] : []),
  ];
}

/** The node that owns a block: the one with the blackhole route for it. */
function ownerOf(topology: Topology, destination: string): NodeTopology | undefined {
  return topology.nodes.find((n) => n.routes.some((r) => r.blackhole && r.destination === destination));
}

/** Which drawn node pairs the routes send through the tunnel device, and which straight over the NIC. */
export interface PeerLinks {
  tunnelled: Array<[string, string]>;
  direct: Array<[string, string]>;
  /** Nodes with at least one peer reached through their tunnel device. */
  tunnelNodes: Set<string>;
  /** Nodes with at least one peer reached straight over their NIC. */
  directNodes: Set<string>;
  /**
   * Nodes whose block routes are known: the panel gets a large cluster's nodes without their per-peer
   * routes, and the picture then says no more than the cluster-wide mode.
   */
  known: Set<string>;
  /** Every drawn node's routes are known: the lists of pairs are whole. */
  complete: boolean;
}

export function peerLinks(topology: Topology, drawn: readonly NodeTopology[]): PeerLinks {
  const links: PeerLinks = {
    tunnelled: [],
    direct: [],
    tunnelNodes: new Set(),
    directNodes: new Set(),
    known: new Set(),
    complete: true,
  };
  const names = new Set(drawn.map((n) => n.name));
  const seen = new Set<string>();
  for (const node of drawn) {
    const tunnels = new Set(node.devices.filter((d) => d.kind === 'ipip' || d.kind === 'vxlan').map((d) => d.name));
    for (const route of node.routes) {
      if (route.blackhole || !route.via || route.destination === 'default') continue;
      const peer = ownerOf(topology, route.destination);
      if (!peer || peer === node) continue;
      const tunnelled = tunnels.has(route.device);
      (tunnelled ? links.tunnelNodes : links.directNodes).add(node.name);
      links.known.add(node.name);
      if (!names.has(peer.name)) continue;
      const key = [node.name, peer.name].sort().join('\n');
      if (seen.has(key)) continue;
      seen.add(key);
      (tunnelled ? links.tunnelled : links.direct).push([node.name, peer.name]);
    }
  }
  links.complete = drawn.length < 2 || drawn.every((n) => links.known.has(n.name));
  return links;
}

const OVERHEAD: Record<string, number> = { ipip: 20, vxlan: 50, wireguard: 60 };
const MAX_PAIRS = 4;

const pairsText = (pairs: Array<[string, string]>) =>
  pairs
    .slice(0, MAX_PAIRS)
    .map(([a, b]) => `${a} ↔ ${b}`)
    .join(', ') + (pairs.length > MAX_PAIRS ? ` +${pairs.length - MAX_PAIRS} more` : '');

/** The tunnel lane's label: Calico's encapsulation and, where not every pair uses it, which pairs do. */
export function calicoTunnelLabel(kind: string, links: PeerLinks): string {
  const what =
    kind === 'vxlan'
      ? `VXLAN · VNI 4096 · UDP 4789 · +${OVERHEAD.vxlan} bytes`
      : kind === 'wireguard'
        ? `WireGuard · UDP 51820, encrypted · +${OVERHEAD.wireguard} bytes`
        : `IPIP · IP protocol 4 · +${OVERHEAD.ipip} bytes`;
  return links.complete && links.direct.length > 0 && links.tunnelled.length > 0
    ? `${what} · between subnets only: ${pairsText(links.tunnelled)}`
    : what;
}

/** The wire's label: the underlay, and the node pairs routed over it with no tunnel. */
export function calicoWireLabel(topology: Topology, links: PeerLinks): string {
  const mtu = topology.cluster.underlayMtu;
  const base = `underlay, MTU ${mtu}`;
  if (topology.cluster.cni === 'canal' && topology.cluster.backend === 'host-gw')
    return `${base} · flannel host-gw: each podCIDR via its node IP`;
  if (topology.cluster.cni === 'canal' || !links.complete || links.direct.length === 0)
    return `underlay: the node network, MTU ${mtu}`;
  return links.tunnelled.length > 0
    ? `${base} · no tunnel within a subnet: ${pairsText(links.direct)}`
    : `${base} · pod traffic routed with no tunnel`;
}
