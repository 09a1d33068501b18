// Builds the per-node device topology of one cluster from the network model: for each node its NIC and
// loopback, then what the cluster's data plane builds (dataplanes/): the devices joining pods to the node,
// tunnel devices, routes, neighbour and FDB entries; and each pod with its address and devices.
import { formatAddress, formatCidr } from '../core/cidr';
import { type NodeNetwork } from '../model/network';
import { type PodFacts } from '../model/objects';
import { isPredicted } from '../model/workloads';
import { type Cluster } from '../model/workspace';
import { networkBanners } from './banners';
import {
  inRouteOrder,
  loopback,
  nicDevice,
  podBase,
  podNames,
  sourceOf,
  underlayRoutes,
  unknownNodeIpReason,
  unplacedReason,
} from './dataplanes/common';
import { type DataPlane, type NodeContext } from './dataplanes/dataPlane';
import { dataPlaneOf } from './dataplanes/index';
import { hostDeviceId, nodeId, podKey } from './ids';
import { type NodeTopology, type SourceRef, type Topology } from './types';

export { sourceOf, underlayIpOf, unknownNodeIpReason } from './dataplanes/common';
export { ASSUMED_NIC_NOTE, directlyRouted } from './dataplanes/flannel';

export function buildTopology(cluster: Cluster): Topology {
  const { network } = cluster;
  const plane = dataPlaneOf(cluster);
  // A controller's pods all point at it: one lookup per manifest object, not per pod.
  const sources = new Map<PodFacts['object'], SourceRef | undefined>();
  const podSource = (pod: PodFacts): SourceRef | undefined => {
    if (!sources.has(pod.object)) sources.set(pod.object, sourceOf(cluster, pod.object.uri, pod.object.name?.range));
    return sources.get(pod.object);
  };
  return {
    cluster: { id: cluster.id, name: cluster.name, ...plane.summary(cluster) },
    nodes: network.nodes.map((node) => buildNode(cluster, plane, node, podSource)),
    unplaced: network.unplacedPods.map((pod) => ({
      pod: podKey(podNames(pod)),
      reason: unplacedReason(cluster, pod),
      ...(pod.owner ? { owner: { ...pod.owner } } : {}),
      ...(isPredicted(pod) ? { predicted: true } : {}),
      source: sourceOf(cluster, pod.object.uri, pod.object.name?.range),
    })),
    banners: networkBanners(cluster, (uri, range) => sourceOf(cluster, uri, range)),
    notes: plane.notes(cluster),
  };
}

function buildNode(
  cluster: Cluster,
  plane: DataPlane,
  node: NodeNetwork,
  podSource: (pod: PodFacts) => SourceRef | undefined,
): NodeTopology {
  const { plumbing, interconnect } = plane;
  const problems = [...interconnect.problems(cluster, node), ...plumbing.problems(cluster, node)];
  const ctx: NodeContext = {
    cluster,
    node,
    working: problems.length === 0,
    podMtu: interconnect.podMtu(cluster, node),
  };
  const nic = plane.nic(cluster, node);
  const pods = node.pods.map((facts) => {
    const pod = podBase(cluster, node, facts, ctx.working && plane.predictsPodAddresses, podSource(facts));
    if (pod.hostNetwork || !ctx.working) return pod;
    // The pod was just built here: its devices and routes are filled in, not copied into a new object.
    const { devices, routes } = plumbing.podNetwork(ctx, pod);
    pod.devices = devices;
    if (routes) pod.routes = routes;
    return pod;
  });
  const devices = [
    loopback(hostDeviceId(node.name, 'lo'), 'host', 'Loopback of the node.'),
    nicDevice(cluster, node, { ...nic, cni: plane.kind }),
    ...(ctx.working ? [...interconnect.devices(ctx), ...plumbing.hostDevices(ctx, pods)] : []),
  ];
  const routes = ctx.working
    ? inRouteOrder([
        ...underlayRoutes(node, nic.name, nic.prefix),
        ...interconnect.routes(ctx),
        ...plumbing.localRoutes(ctx, pods),
      ])
    : [];
  return {
    id: nodeId(node.name),
    name: node.name,
    podCidr: node.podCidr ? formatCidr(node.podCidr) : undefined,
    podCidrNote: node.podCidrInferred,
    internalIp: node.internalIp ? formatAddress(node.internalIp) : undefined,
    ...(node.internalIp ? {} : { internalIpNote: unknownNodeIpReason(node) }),
    ...(node.flannel?.publicIp ? { publicIp: formatAddress(node.flannel.publicIp) } : {}),
    devices,
    pods,
    routes,
    neighbours: ctx.working ? [...interconnect.neighbours(ctx), ...(plumbing.neighbours?.(ctx, pods) ?? [])] : [],
    fdb: ctx.working ? interconnect.fdb(ctx) : [],
    problems,
    source: devices[1].source,
  };
}
