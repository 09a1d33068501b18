// Answers the topology, packet-path and node-tool requests from the workspace model. Topologies are
// cached per cluster object (see model/snapshots.ts): a cache hit is always current.
import { cachedPerCluster } from '../model/snapshots';
import { type Cluster, type Workspace } from '../model/workspace';
import { buildTopology } from '../topology/build';
import { packetPath } from '../topology/path';
import { toolOutput } from '../topology/tools';
import { noPath, type PacketPath, type Topology } from '../topology/types';
import { topologyToWire } from '../topology/wire';
import {
  type ClusterView,
  type NodeToolsParams,
  type PacketPathParams,
  type TopologyResponse,
  type TopologyResult,
  type TopologyWire,
} from '../protocol';

/** The cluster's topology: the one place pod addresses are worked out (hovers read them from here too). */
export const topologyOfCluster = cachedPerCluster((cluster: Cluster): Topology => buildTopology(cluster));

const viewOf = cachedPerCluster((cluster: Cluster): ClusterView => {
  const topology = topologyOfCluster(cluster);
  return { topology };
});

/** The topology as TOPOLOGY_REQUEST sends it (protocol.ts): encoded once per cluster state. */
const wireOf = cachedPerCluster((cluster: Cluster): TopologyWire => topologyToWire(topologyOfCluster(cluster)));

/** Clusters worth drawing: those with nodes or a flannel configuration. */
const drawable = (workspace: Workspace) =>
  workspace.clusters().filter((c) => c.network.nodes.length > 0 || c.network.configMap);

export function topologyOf(workspace: Workspace, uri?: string): TopologyResult {
  const clusters = drawable(workspace);
  return { clusters: clusters.map((c) => viewOf(c)), focus: focusOf(workspace, clusters, uri) };
}

function focusOf(workspace: Workspace, clusters: Cluster[], uri?: string): number {
  const focused = uri ? workspace.clusterOf(uri) : undefined;
  return Math.max(0, focused ? clusters.indexOf(focused) : 0);
}

/** The answer to TOPOLOGY_REQUEST: topologyOf's clusters in their wire form. */
export function topologyResponseOf(workspace: Workspace, uri?: string): TopologyResponse {
  const clusters = drawable(workspace);
  return { clusters: clusters.map((c) => wireOf(c)), focus: focusOf(workspace, clusters, uri) };
}

export function pathOf(workspace: Workspace, params: PacketPathParams): PacketPath {
  const cluster = workspace.clusters().find((c) => c.id === params.clusterId);
  if (!cluster) {
    return noPath(params.from, params.to, 'that cluster is no longer in the workspace');
  }
  return packetPath(cluster, viewOf(cluster).topology, params.from, params.to);
}

export function nodeToolsOf(workspace: Workspace, params: NodeToolsParams): string | undefined {
  const cluster = workspace.clusters().find((c) => c.id === params.clusterId);
  if (!cluster) return undefined;
  const { topology } = viewOf(cluster);
  const node = topology.nodes.find((n) => n.name === params.node);
  return node ? toolOutput(topology, node, params.view) : undefined;
}
