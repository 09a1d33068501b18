// What `traceroute <destination>` run inside the source pod would print. Each router on the way answers the
// probe whose TTL runs out there with ICMP time exceeded, sent from the primary address of the interface
// through which that node routes the reply back to the source (Linux's default source selection; it uses
// the inbound interface only with net.ipv4.icmp_errors_use_inbound_ifaddr=1). The destination answers from
// its own address. So host-gw shows the source node's cni0 gateway, the destination node's NIC address and
// the pod; vxlan shows the cni0 gateway, the destination's flannel.1 address (x.x.N.0) and the pod; pods on
// one node share a bridge and no router answers. Calico's node routes even between its own pods, and
// answers from its node IP (a cali veth has no address). Times cannot be predicted and are left out.
import { containsIp, parseCidr, parseIp } from '../core/cidr';
import { type Cluster } from '../model/workspace';
import { findPod, packetPath } from './path';
import { formatRoute } from './tools';
import { type NodeTopology, type PodTopology, type RouteEntry, type Topology } from './types';

export interface TracerouteHop {
  address: string;
  /** Which node answers and why from this address. */
  explanation: string;
}

export type Traceroute =
  | {
      ok: true;
      from: string;
      to: string;
      destination: string;
      hops: TracerouteHop[];
      /** The pod addresses the trace shows are all known (a live dump's status.podIP), none predicted. */
      observed: boolean;
    }
  | { ok: false; from: string; to: string; reason: string };

interface End {
  pod: PodTopology;
  node: NodeTopology;
}

export function predictTraceroute(cluster: Cluster, topology: Topology, from: string, to: string): Traceroute {
  const path = packetPath(cluster, topology, from, to);
  if (!path.ok) return { ok: false, from, to, reason: path.reason ?? 'no path' };
  const src = findPod(topology, path.from);
  const dst = findPod(topology, path.to);
  if ('error' in src) return { ok: false, from, to, reason: src.error };
  if ('error' in dst) return { ok: false, from, to, reason: dst.error };
  const destination = ownAddress(dst);
  const source = src.pod.hostNetwork ? sourceAddressTowards(src.node, destination) : ownAddress(src);
  const hops = routersBetween(src, dst).map((router) => replyHop(router, source));
  hops.push({
    address: destination,
    explanation: `${path.to}, the destination, answers from its own address (port unreachable)`,
  });
  const observed = [src, dst].every(({ pod }) => pod.hostNetwork || pod.address?.certainty === 'known');
  return { ok: true, from: path.from, to: path.to, destination, hops, observed };
}

/**
 * The nodes that forward the packet (and so decrement its TTL). On one node: none when a bridge joins the
 * pods (flannel's cni0), the node when it routes between them (Calico's cali veths, on no bridge).
 */
function routersBetween(src: End, dst: End): NodeTopology[] {
  if (src.node.id === dst.node.id) return routedOnHost(src) && routedOnHost(dst) ? [src.node] : [];
  const routers: NodeTopology[] = [];
  if (!src.pod.hostNetwork) routers.push(src.node);
  if (!dst.pod.hostNetwork) routers.push(dst.node);
  return routers;
}

/** A pod whose host end is on no bridge: the host routes its traffic. */
function routedOnHost({ pod, node }: End): boolean {
  const hostEnd = pod.devices.find((d) => d.kind === 'veth-pod')?.peer;
  const device = hostEnd ? node.devices.find((d) => d.id === hostEnd) : undefined;
  return !pod.hostNetwork && !!device && !device.master;
}

const ownAddress = ({ pod, node }: End): string =>
  (pod.hostNetwork ? node.internalIp : pod.address?.ip) ?? `<address of ${pod.namespace}/${pod.name}>`;

function replyHop(router: NodeTopology, source: string): TracerouteHop {
  const route = routeTo(router, source);
  const address = route ? routeSourceAddress(router, route) : `<address of ${router.name}>`;
  const via = route ? `its route back to ${source}: ${formatRoute(route)}` : `no route back to ${source} is known`;
  return { address, explanation: `${router.name} forwards the probe and answers from ${address} (${via})` };
}

/** The source address a node's own packets to `destination` carry: how a hostNetwork pod's traffic leaves. */
function sourceAddressTowards(node: NodeTopology, destination: string): string {
  const route = routeTo(node, destination);
  return route ? routeSourceAddress(node, route) : (node.internalIp ?? `<address of ${node.name}>`);
}

/** The most specific route of the node's table for `ip`; the default route when no prefix holds it. */
function routeTo(node: NodeTopology, ip: string): RouteEntry | undefined {
  const address = parseIp(ip);
  let best: { route: RouteEntry; prefix: number } | undefined;
  for (const route of node.routes) {
    // A host route (Calico's `<pod IP> dev cali…`) is written without its /32.
    const cidr = parseCidr(route.destination.includes('/') ? route.destination : `${route.destination}/32`);
    if (!address || !cidr || !containsIp(cidr, address)) continue;
    if (!best || cidr.prefix > best.prefix) best = { route, prefix: cidr.prefix };
  }
  return best?.route ?? node.routes.find((r) => r.destination === 'default');
}

/** The route's `src`, else the primary address of its device (the NIC's is the node IP). */
function routeSourceAddress(node: NodeTopology, route: RouteEntry): string {
  if (route.src) return route.src;
  const device = node.devices.find((d) => d.netns === 'host' && d.name === route.device);
  if (device?.kind === 'nic' && node.internalIp) return node.internalIp;
  // A device with no address (a cali veth): Linux takes the first global address of the node's devices,
  // the NIC's, which comes before the tunnel devices.
  if (device && device.addresses.length === 0 && node.internalIp) return node.internalIp;
  return device?.addresses[0]?.cidr.split('/')[0] ?? `<address of ${route.device} on ${node.name}>`;
}

/**
 * traceroute's own layout (`traceroute to …, 30 hops max, 60 byte packets`, then one numbered line per hop),
 * under a comment that says it is predicted; the times traceroute prints after each address are left out.
 */
export function formatTraceroute(trace: Traceroute): string {
  if (!trace.ok) return `No path from ${trace.from} to ${trace.to}: ${trace.reason}\n`;
  const lines = [
    `# predicted by podnet for \`traceroute ${trace.destination}\` in ${trace.from}: hop addresses only, no ` +
      `times; pod addresses are ${trace.observed ? 'observed (status.podIP)' : 'predicted (first free)'}.`,
    `traceroute to ${trace.destination} (${trace.destination}), 30 hops max, 60 byte packets`,
    ...trace.hops.map((hop, i) => `${String(i + 1).padStart(2)}  ${hop.address} (${hop.address})`),
    ...trace.hops.map((hop, i) => `# ${i + 1}: ${hop.explanation}`),
  ];
  return lines.join('\n') + '\n';
}
