// Calico's configuration normalised to one model (calico.md §1): the four places users write a pool
// (Installation, calico-config plus calico-node env, v3 IPPool, v1 crd IPPool) become CalicoPools with
// Calico's defaults, each value with where it came from, so rules can point at it and hovers can say why.
// Types only: the readers live beside this file, the data planes in topology/dataplanes/.
import { type Cidr, type IpAddress } from '../../core/cidr';
import { type OffsetRange } from '../../core/text';

/** Where a value was written: the manifest and the range of the offending token. */
export interface ValueSource {
  readonly uri: string;
  readonly range: OffsetRange;
}

/** A configured value with its source, or Calico's default with why it applies. */
export interface Sourced<T> {
  readonly value: T;
  /** Where the value was written; absent for a default. */
  readonly source?: ValueSource;
  /** Why this default applies, e.g. "Installation default: IPIP for IPv4 with Calico CNI". */
  readonly defaulted?: string;
}

/** ipipMode / vxlanMode of an IPPool. */
export type EncapsulationMode = 'Never' | 'Always' | 'CrossSubnet';

/** Which of calico.md §1's shapes a pool was read from. */
export type PoolShape =
  /** operator.tigera.io/v1 Installation spec.calicoNetwork.ipPools[]. */
  | 'installation'
  /** The default pool calico-node creates from CALICO_IPV4POOL_* env (only when no pool exists yet). */
  | 'calico-node-env'
  /** projectcalico.org/v3 IPPool. */
  | 'ippool-v3'
  /** crd.projectcalico.org/v1 IPPool, with its legacy `ipip:` and `nat-outgoing` fields. */
  | 'ippool-crd-v1'
  /** No pool anywhere: the operator's or calico-node's own default (kubeadm podSubnet, else 192.168.0.0/16). */
  | 'default';

export interface CalicoPool {
  /** metadata.name, the Installation pool's name, or calico-node's `default-ipv4-ippool`. */
  readonly name: string;
  readonly shape: PoolShape;
  /** The object the pool is written in (for hovers and go-to-definition); absent for `default`. */
  readonly source?: ValueSource;
  /** The CIDR as written; `cidr` is its parse, undefined when it does not parse. */
  readonly cidrText: Sourced<string>;
  readonly cidr?: Cidr;
  /** Default 26 (IPv4) / 122 (IPv6). */
  readonly blockSize: Sourced<number>;
  readonly ipipMode: Sourced<EncapsulationMode>;
  readonly vxlanMode: Sourced<EncapsulationMode>;
  /** Default true for IPv4. */
  readonly natOutgoing: Sourced<boolean>;
  /** Calico selector syntax; default `all()`. */
  readonly nodeSelector: Sourced<string>;
  readonly disabled: Sourced<boolean>;
  /** The Installation's `encapsulation` value as written, when the pool came from one. */
  readonly encapsulation?: Sourced<string>;
}

/** calico_backend / CALICO_NETWORKING_BACKEND, or the Installation's `bgp`. */
export type CalicoBackend = 'bird' | 'vxlan' | 'none';

/** Who programs block routes of non-VXLAN pools: BIRD for both, Felix for both, or Felix for IPIP only. */
export type ClusterRoutes = 'bird' | 'felix' | 'felix-ipip-only';

/** How calico-node picks each node's IP (IP_AUTODETECTION_METHOD or nodeAddressAutodetectionV4). */
export interface AutodetectionMethod {
  /** e.g. `first-found`, `interface`, `skip-interface`, `can-reach`, `cidr`, `kubernetes-internal-ip`. */
  readonly kind: string;
  /** The method's argument (regexes, an address, CIDRs), when it takes one. */
  readonly argument?: string;
  readonly source?: ValueSource;
}

/** How the cluster's Calico is installed: the operator, calico.yaml (calico-node DaemonSet), or Canal. */
export type CalicoInstall = 'operator' | 'manifest' | 'canal';

/** A cluster's Calico, as configured. */
export interface CalicoNetwork {
  readonly install: CalicoInstall;
  /** The `calico/node` image tag's release, e.g. `3.28.1`; undefined: not visible, taken as the newest. */
  readonly version?: string;
  /** Every pool calico-node uses, enabled or not, in the order Podnet reads them. */
  readonly pools: readonly CalicoPool[];
  /** The pools written but not used, e.g. env pools when IPPool objects exist, with why. */
  readonly ignoredPools: ReadonlyArray<{ readonly pool: CalicoPool; readonly why: string }>;
  readonly backend: Sourced<CalicoBackend>;
  /** BGP on (Installation `bgp`, or BIRD running): BIRD programs routes for IPIP and unencapsulated pools. */
  readonly bgp: Sourced<boolean>;
  /** veth_mtu / Installation mtu / FELIX_*MTU; 0 or absent: auto-detected from the NIC. */
  readonly mtu?: Sourced<number>;
  readonly autodetection?: AutodetectionMethod;
  /** FELIX_INTERFACEPREFIX's first entry, default `cali`. */
  readonly interfacePrefix: string;
  /** BGPConfiguration nodeToNodeMeshEnabled; default true (a full BGP mesh between the nodes). */
  readonly nodeToNodeMesh: Sourced<boolean>;
  /**
   * Who programs the routes to other nodes' blocks of pools with vxlanMode Never, when a setting says so:
   * Installation clusterRoutingMode, FELIX_PROGRAMCLUSTERROUTES or FelixConfiguration programClusterRoutes.
   * Absent: the release's default (model/calico/release.ts).
   */
  readonly clusterRoutes?: Sourced<ClusterRoutes>;
  /** Values Calico refuses or cannot read (a bad mode, CIDR, selector, autodetection method): for the rules. */
  readonly invalid: readonly CalicoProblem[];
}

/** A value Calico refuses or cannot read, where it is written. */
export interface CalicoProblem {
  /** What the value is, e.g. `CALICO_IPV4POOL_IPIP` or `IPPool default-pool spec.ipipMode`. */
  readonly what: string;
  readonly source?: ValueSource;
  readonly message: string;
}

/** How sure a node's Calico value is: from a live Node or BlockAffinity, or predicted by Podnet. */
export type CalicoCertainty = 'observed' | 'predicted';

export interface CalicoBlock {
  readonly cidr: Cidr;
  readonly pool: string;
  readonly certainty: CalicoCertainty;
  /** Where the block comes from: "tunnel address annotation", "BlockAffinity …", or why it is predicted. */
  readonly from: string;
}

/** What Calico says or is predicted to build on one node. */
export interface CalicoNodeNetwork {
  /** projectcalico.org/IPv4Address: the node IP with its prefix (tells which nodes share a subnet). */
  readonly address?: { readonly ip: IpAddress; readonly prefix: number; readonly certainty: CalicoCertainty };
  /** The node's IPAM blocks, first the one its tunnel address lies in. */
  readonly blocks: readonly CalicoBlock[];
  /** tunl0 / vxlan.calico / wireguard.cali address (IPv4IPIPTunnelAddr, IPv4VXLANTunnelAddr, …). */
  readonly tunnelAddresses: ReadonlyArray<{
    readonly device: 'tunl0' | 'vxlan.calico' | 'wireguard.cali';
    readonly ip: IpAddress;
    readonly certainty: CalicoCertainty;
  }>;
  /** vxlan.calico's MAC: Node spec.vxlanTunnelMACAddr (observed), else `66:` + SHA-1 of the name (predicted). */
  readonly vxlanMac?: { readonly mac: string; readonly certainty: CalicoCertainty };
  /** The pools whose nodeSelector matches the node (by name). */
  readonly pools: readonly string[];
}
