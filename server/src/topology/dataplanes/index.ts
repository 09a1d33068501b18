// The data plane of a cluster, by the CNI it runs (model/cniDetection.ts). build.ts and path.ts ask here
// only; a new CNI adds its module and one entry below.
import { type CniKind } from '../../model/cniDetection';
import { type Cluster } from '../../model/workspace';
import { calicoDataPlane } from './calico';
import { canalDataPlane } from './canal';
import { type DataPlane } from './dataPlane';
import { flannelDataPlane } from './flannel';
import { unknownDataPlane } from './unknown';

/**
 * Until `.podnet.yaml` `cni:` and the podnet.cni setting reach the model, a cluster with no CNI objects is
 * drawn as flannel with its defaults, as before issue 15. Off: it is drawn as `unknown`.
 */
export const ASSUME_FLANNEL_WHEN_CNI_UNKNOWN = false;

const PLANES: Record<CniKind | 'unknown', DataPlane> = {
  flannel: flannelDataPlane,
  calico: calicoDataPlane,
  canal: canalDataPlane,
  unknown: unknownDataPlane,
};

export function dataPlaneOf(cluster: Cluster): DataPlane {
  const kind = cluster.network.cni.kind;
  return kind === 'unknown' && ASSUME_FLANNEL_WHEN_CNI_UNKNOWN ? flannelDataPlane : PLANES[kind];
}
