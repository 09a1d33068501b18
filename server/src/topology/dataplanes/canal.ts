// Canal (calico.md §4): flannel between nodes (flannel.1 and its neighbour and FDB entries, or host-gw
// routes), Calico on each node (cali veths, ee:ee:ee:ee:ee:ee, the 169.254.1.1 gateway, one /32 route per
// pod; no cni0, no blackhole). Pod addresses come from the node's podCIDR through host-local (.2 first).
import { type Cluster } from '../../model/workspace';
import { calicoPlumbing } from './calicoPods';
import { type DataPlane } from './dataPlane';
import { flannelBackendNotes, flannelInterconnect, flannelNic, flannelSummary } from './flannel';
import { poolSummaries } from './calico';

const CANAL_NOTE =
  "Canal: flanneld carries pod traffic between nodes; on each node Calico's CNI plugin joins pods with cali " +
  'veths routed by the host (no cni0) and Felix enforces NetworkPolicy.';

export const canalDataPlane: DataPlane = {
  kind: 'canal',
  summary: (cluster: Cluster) => ({
    cni: 'canal',
    ...flannelSummary(cluster),
    ...(cluster.network.calico
      ? {
          calico: {
            pools: poolSummaries(cluster.network.calico),
            ...(cluster.network.calico.version ? { version: cluster.network.calico.version } : {}),
          },
        }
      : {}),
  }),
  notes: (cluster) => [CANAL_NOTE, ...flannelBackendNotes(cluster)],
  nic: (_cluster, node) => flannelNic(node),
  predictsPodAddresses: true,
  plumbing: calicoPlumbing,
  interconnect: flannelInterconnect,
};
