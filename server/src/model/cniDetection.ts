// Which CNI a cluster runs, told by its manifests or named by the user (setting `podnet.cni`, `.podnet.yaml`
// `cni:`). With no evidence the CNI is unknown and Podnet assumes nothing (issue 15): no flannel defaults.
import { type ValueSource } from './calico/model';

export const CNI_KINDS = ['flannel', 'calico', 'canal'] as const;

/** A CNI Podnet models: each has one data plane module in topology/dataplanes/. */
export type CniKind = (typeof CNI_KINDS)[number];

/** One object that tells a CNI is installed. */
export interface CniEvidence {
  readonly cni: CniKind;
  /** What it is, e.g. "DaemonSet kube-system/kube-flannel runs flanneld". */
  readonly what: string;
  readonly source?: ValueSource;
  /** The CNI config file the installer writes to /etc/cni/net.d (`10-flannel.conflist`), when known. */
  readonly conflist?: string;
}

export interface CniDetection {
  /** The CNI modelled; `unknown` when nothing tells it. */
  readonly kind: CniKind | 'unknown';
  /** How it was decided. */
  readonly from: 'manifests' | 'setting' | 'project-config' | 'none';
  /** Everything that tells a CNI, for hovers, `--explain-clusters` and the two-CNIs diagnostic. */
  readonly evidence: readonly CniEvidence[];
}
