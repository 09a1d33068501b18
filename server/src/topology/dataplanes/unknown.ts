// No CNI is known (issue 15): nothing in the cluster's manifests tells it, and no setting names it. The
// nodes are drawn with their NIC and the pods with the addresses that are known (a live pod's status, a
// hostNetwork pod's node IP); no CNI device, no predicted address, no route a CNI would program.
import { type Cluster } from '../../model/workspace';
import { type DataPlane } from './dataPlane';

export const CNI_UNKNOWN_NOTE =
  'CNI unknown: no flannel, Calico or Canal configuration in this cluster, so Podnet draws the nodes, their ' +
  'NIC and the pods with the addresses that are known, and no CNI device or pod route. Tell Podnet which CNI ' +
  'runs with the podnet.cni setting, or `cni: flannel` (calico, canal) in .podnet.yaml.';

const DEFAULT_MTU = 1500;

export const unknownDataPlane: DataPlane = {
  kind: 'unknown',
  summary: (cluster: Cluster) => {
    const first = cluster.network.nodes[0];
    return {
      cni: 'unknown',
      backend: '',
      directRouting: false,
      assumed: false,
      podMtu: first?.underlayMtu ?? DEFAULT_MTU,
      underlayMtu: first?.underlayMtu ?? DEFAULT_MTU,
    };
  },
  notes: () => [CNI_UNKNOWN_NOTE],
  nic: () => ({ name: 'eth0', assumed: true, chosenBy: '' }),
  predictsPodAddresses: false,
  untraceable: CNI_UNKNOWN_NOTE,
  plumbing: {
    problems: () => [],
    podNetwork: () => ({ devices: [] }),
    hostDevices: () => [],
    localRoutes: () => [],
    leavePod: () => undefined,
    sameNode: () => undefined,
    upToHost: () => undefined,
    deliver: () => undefined,
  },
  interconnect: {
    problems: () => [],
    podMtu: (_cluster, node) => ({ mtu: node.underlayMtu, certainty: 'inferred' }),
    devices: () => [],
    routes: () => [],
    neighbours: () => [],
    fdb: () => [],
    cross: () => CNI_UNKNOWN_NOTE,
    masquerade: () => undefined,
  },
};
