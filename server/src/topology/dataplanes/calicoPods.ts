// Calico's plumbing of pods into their node (calico.md §3), shared by Calico and Canal: no bridge; each pod
// a veth pair whose host end is named `cali` + 11 hex of SHA-1("<namespace>.<pod>"), MAC ee:ee:ee:ee:ee:ee,
// no address, proxy ARP on; in the pod eth0 holds a /32 and routes everything via 169.254.1.1, which the
// host answers for; on the host one /32 route per pod. Traffic between two pods of a node is routed by the
// host (TTL −1), not bridged.
import { createHash } from 'node:crypto';
import { type Cluster } from '../../model/workspace';
import { podKey } from '../ids';
import { formatRoute } from '../tools';
import { deliverToHost, HOST, netnsOf, type Tracer } from '../tracer';
import { type Device, type NeighbourEntry, type NodeTopology, type PodTopology, type RouteEntry } from '../types';
import { podEth0, podLoopback } from './common';
import { type NodeContext, type PodPlumbing } from './dataPlane';

/** The MAC of every cali veth's host end: Felix sets it so that no pod ever sees a real one. */
export const CALI_MAC = 'ee:ee:ee:ee:ee:ee';
/** The pods' gateway: an address no device holds; the host end answers its ARP by proxy ARP. */
export const CALICO_GATEWAY = '169.254.1.1';
const DEFAULT_PREFIX = 'cali';

/** Calico's name for a pod's host-side veth: the prefix and the first 11 hex digits of SHA-1("ns.pod"). */
export function caliName(prefix: string, namespace: string, pod: string): string {
  return prefix + createHash('sha1').update(`${namespace}.${pod}`).digest('hex').slice(0, 11);
}

/** The host end's name, and whether it is known: a pod whose name is not known yet has a stand-in. */
export function hostVethOf(cluster: Cluster, pod: PodTopology): { name: string; known: boolean } {
  const prefix = cluster.network.calico?.interfacePrefix ?? DEFAULT_PREFIX;
  // A predicted pod's real name is its generated one, whose unknowable parts (`web-<hash>-<id>`) hide the hash.
  const name = pod.generatedName ?? pod.name;
  if (/[<>]/.test(name)) return { name: `${prefix}<${podKey(pod)}>`, known: false };
  return { name: caliName(prefix, pod.namespace, name), known: true };
}

const POD_ROUTES: readonly string[] = [
  `default via ${CALICO_GATEWAY} dev eth0`,
  `${CALICO_GATEWAY} dev eth0 scope link`,
];

function podNetwork(ctx: NodeContext, pod: PodTopology): { devices: Device[]; routes: RouteEntry[] } {
  const { cluster, node } = ctx;
  return {
    devices: [
      podLoopback(node, pod),
      podEth0(node, pod, {
        prefix: 32,
        hostEnd: hostVethOf(cluster, pod).name,
        mtu: ctx.podMtu,
        how:
          `Pod end of the veth pair (eth0@ifN), a /32: every packet goes via ${CALICO_GATEWAY}, which no device ` +
          `holds; the host end answers its ARP with ${CALI_MAC} (proxy ARP).`,
        allocator:
          cluster.network.cni.kind === 'canal'
            ? "host-local on the node's podCIDR"
            : "Calico IPAM, from the node's block",
      }),
    ],
    routes: [
      { destination: 'default', via: CALICO_GATEWAY, device: 'eth0', certainty: 'known' },
      { destination: CALICO_GATEWAY, device: 'eth0', scopeLink: true, certainty: 'known' },
    ],
  };
}

function hostDevices(ctx: NodeContext, pods: readonly PodTopology[]): Device[] {
  const { cluster } = ctx;
  return pods.flatMap((pod) => {
    const eth0 = pod.devices.find((d) => d.kind === 'veth-pod');
    if (!eth0?.peer) return [];
    const veth = hostVethOf(cluster, pod);
    return [
      {
        id: eth0.peer,
        name: veth.name,
        nameCertainty: veth.known ? 'known' : 'placeholder',
        kind: 'veth-host' as const,
        netns: 'host',
        addresses: [],
        mtu: ctx.podMtu.mtu,
        mtuCertainty: ctx.podMtu.certainty,
        mac: CALI_MAC,
        peer: eth0.id,
        facts: [
          `Host end of ${podKey(pod)}'s veth pair: no bridge, no address, MAC ${CALI_MAC}, proxy ARP on; the ` +
            `host routes to the pod by its /32 route.`,
          veth.known
            ? `Named by Calico: ${veth.name.slice(0, -11)} + the first 11 hex digits of ` +
              `SHA-1("${pod.namespace}.${pod.generatedName ?? pod.name}").`
            : `Calico names it ${veth.name.replace(/<.*>$/, '')} + 11 hex digits of SHA-1("<namespace>.<pod>"); ` +
              `this pod's name is not known yet.`,
        ],
        source: pod.source,
      },
    ];
  });
}

function localRoutes(ctx: NodeContext, pods: readonly PodTopology[]): RouteEntry[] {
  return pods.flatMap((pod) => {
    const hostEnd = pod.devices.find((d) => d.kind === 'veth-pod')?.peer;
    if (!pod.address || pod.hostNetwork || !hostEnd) return [];
    return [
      {
        destination: pod.address.ip,
        device: hostVethOf(ctx.cluster, pod).name,
        scopeLink: true,
        certainty: pod.address.certainty,
      },
    ];
  });
}

/** Felix's permanent ARP entry for each local pod: its IP on its cali veth, the pod's MAC (not in manifests). */
function podNeighbours(ctx: NodeContext, pods: readonly PodTopology[]): NeighbourEntry[] {
  return pods.flatMap((pod) => {
    if (!pod.address || pod.hostNetwork || !pod.devices.some((d) => d.kind === 'veth-pod')) return [];
    return [
      {
        ip: pod.address.ip,
        ipCertainty: pod.address.certainty,
        lladdr: `<mac of ${podKey(pod)} eth0>`,
        lladdrCertainty: 'placeholder' as const,
        device: hostVethOf(ctx.cluster, pod).name,
        node: ctx.node.name,
      },
    ];
  });
}

/** The host's /32 route to a pod, as `ip route` prints it. */
function podRouteOn(node: NodeTopology, pod: PodTopology): string | undefined {
  const route = node.routes.find((r) => r.destination === pod.address?.ip);
  return route ? formatRoute(route) : undefined;
}

function leavePod(t: Tracer): void {
  const { src, dst } = t;
  const veth = hostVethOf(t.cluster, src.pod).name;
  t.hop(
    src.node,
    netnsOf(src),
    'eth0',
    'send',
    `Sent from ${src.ip} (a /32: no destination is on-link); the only route goes via ${CALICO_GATEWAY}, whose ARP ` +
      `${veth} answers with ${CALI_MAC} (proxy ARP), so the frame to ${dst.ip} goes to the host.`,
    { route: POD_ROUTES[0] },
  );
  t.hop(
    src.node,
    HOST,
    veth,
    'veth',
    `Crosses the veth pair into the host network namespace: ${veth} is on no bridge, so the host's IP stack ` +
      `routes the packet.`,
  );
}

/** Into the destination pod: the host's /32 route out of its cali veth, then the pod's eth0. */
function enterPod(t: Tracer, description: string): void {
  const { dst } = t;
  const node = dst.node;
  const veth = hostVethOf(t.cluster, dst.pod).name;
  t.hop(node, HOST, veth, 'route', description, { route: podRouteOn(node, dst.pod) });
  t.hop(
    node,
    netnsOf(dst),
    'eth0',
    'deliver',
    `Crosses ${veth}'s veth pair and arrives on ${dst.pod.name}'s eth0 (${dst.ip}) with TTL ${t.ttl}.`,
  );
}

function sameNode(t: Tracer): void {
  const { src, dst } = t;
  const node = src.node;
  if (dst.pod.hostNetwork) {
    deliverToHost(t, node);
    return;
  }
  if (src.pod.hostNetwork) {
    enterPod(
      t,
      `The host sends it out of ${dst.pod.name}'s cali veth by its /32 route (locally originated, TTL unchanged).`,
    );
    return;
  }
  t.ttl--;
  enterPod(t, `Same node: the host routes it (TTL −1; no bridge) by ${dst.pod.name}'s /32 route out of its cali veth.`);
}

export const calicoPlumbing: PodPlumbing = {
  problems: () => [],
  podNetwork,
  hostDevices,
  localRoutes,
  neighbours: podNeighbours,
  leavePod,
  sameNode,
  upToHost: () => undefined,
  deliver: (t) => {
    t.ttl--;
    enterPod(t, `${t.dst.node.name} routes it by ${t.dst.pod.name}'s /32 route out of its cali veth (TTL −1).`);
  },
};
