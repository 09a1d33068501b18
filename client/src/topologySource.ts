// Finds where a drawn element comes from, in the topology the host holds. The webview only names the
// element; the host never trusts a location sent by the webview.
import type { ClusterView, SceneRef, SourceRef, TopologyResult } from '../../server/src/protocol';
import { CLUSTER_ID, hiddenPodsId, podKey } from '../../server/src/topology/ids';
import type { Topology } from '../../server/src/topology/types';

/** Searches the shown cluster first: node names may repeat across clusters. */
export function sourceOf(result: TopologyResult, ref: SceneRef, shownClusterId?: string): SourceRef | undefined {
  const ordered = [...result.clusters].sort((a, b) => rank(a, shownClusterId) - rank(b, shownClusterId));
  for (const { topology } of ordered) {
    const found = sourceIn(topology, ref);
    if (found) return found;
  }
  return undefined;
}

const rank = (view: ClusterView, shown?: string) => (view.topology.cluster.id === shown ? 0 : 1);

function sourceIn(topology: Topology, ref: SceneRef): SourceRef | undefined {
  switch (ref.kind) {
    case 'node':
      return topology.nodes.find((node) => node.id === ref.id)?.source;
    case 'pod':
      return topology.nodes.flatMap((node) => node.pods).find((pod) => pod.id === ref.id)?.source;
    case 'device':
      for (const node of topology.nodes) {
        const hostDevice = node.devices.find((device) => device.id === ref.id);
        // Devices no manifest declares (cni0, lo) point at the node that has them.
        if (hostDevice) return hostDevice.source ?? node.source;
        for (const pod of node.pods) {
          const podDevice = pod.devices.find((device) => device.id === ref.id);
          if (podDevice) return podDevice.source ?? pod.source;
        }
      }
      return undefined;
    case 'group':
      if (ref.id === CLUSTER_ID) return topology.cluster.source;
      return topology.nodes.find((node) => ref.id === hiddenPodsId(node.name))?.source;
    case 'tunnel':
      // The tunnel is what net-conf.json's Backend builds.
      return topology.cluster.source;
    case 'banner':
      // The diagnostic the banner stands for.
      return /^\d+$/.test(ref.id) ? topology.banners[Number(ref.id)]?.source : undefined;
    case 'unplaced':
      return topology.unplaced.find((pod) => pod.pod === ref.id)?.source;
    default:
      return undefined;
  }
}

/** The pods of a cluster as `namespace/name`, for pickers and for resolving a bare pod name. */
export function podsOf(
  topology: Topology,
): Array<{ key: string; name: string; namespace: string; node: string; ip?: string }> {
  return topology.nodes.flatMap((node) =>
    node.pods.map((pod) => ({
      key: podKey(pod),
      name: pod.name,
      namespace: pod.namespace,
      node: node.name,
      ip: pod.address?.ip,
    })),
  );
}

/** `namespace/name` of the pod `selector` names (either form), when exactly one matches. */
export function resolvePod(topology: Topology, selector: string): string | undefined {
  const pods = podsOf(topology);
  if (pods.some((pod) => pod.key === selector)) return selector;
  const byName = pods.filter((pod) => pod.name === selector);
  return byName.length === 1 ? byName[0].key : undefined;
}
