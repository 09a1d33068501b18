// Calico's own objects (calico.md §1), read with the place of each value so rules can point at it: the
// operator's Installation, IPPools (projectcalico.org/v3 and the backing crd.projectcalico.org/v1),
// BlockAffinities, BGPConfiguration and FelixConfiguration. Values are kept as written (Located text);
// model/calico/pools.ts gives them meaning and Calico's defaults.
import { isSeq, type Node } from 'yaml';
import { type K8sObject } from '../../core/manifest';
import { get, getText, itemsOf, type Located, pairOf, textItems } from '../../core/yamlAccess';

/** One entry of an Installation's spec.calicoNetwork.ipPools. */
export interface InstallationPoolFacts {
  readonly node: Node;
  readonly name?: Located<string>;
  readonly cidr?: Located<string>;
  readonly blockSize?: Located<string>;
  readonly encapsulation?: Located<string>;
  readonly natOutgoing?: Located<string>;
  readonly nodeSelector?: Located<string>;
  readonly disableBGPExport?: Located<string>;
}

export interface InstallationFacts {
  readonly kind: 'Installation';
  readonly object: K8sObject;
  /** undefined: no ipPools key (the operator creates its default pool); []: written empty (no pool). */
  readonly pools?: readonly InstallationPoolFacts[];
  readonly bgp?: Located<string>;
  /** spec.calicoNetwork.clusterRoutingMode: `BIRD`, `Felix` or `FelixIPIPOnly` (who programs block routes). */
  readonly clusterRoutingMode?: Located<string>;
  readonly mtu?: Located<string>;
  /** spec.calicoNetwork.nodeAddressAutodetectionV4: its one method key and its value (a list for `cidrs`). */
  readonly autodetection?: { readonly method: string; readonly values: ReadonlyArray<Located<string>> };
  /** spec.cni.type (`Calico` by default) and spec.cni.ipam.type (`Calico` or `HostLocal`). */
  readonly cniType?: Located<string>;
  readonly ipamType?: Located<string>;
  readonly registry?: Located<string>;
  readonly variant?: Located<string>;
}

/** projectcalico.org/v3 or crd.projectcalico.org/v1 IPPool. */
export interface IPPoolFacts {
  readonly kind: 'IPPool';
  readonly object: K8sObject;
  readonly api: 'v3' | 'crd-v1';
  readonly cidr?: Located<string>;
  readonly blockSize?: Located<string>;
  readonly ipipMode?: Located<string>;
  readonly vxlanMode?: Located<string>;
  readonly natOutgoing?: Located<string>;
  readonly disabled?: Located<string>;
  readonly nodeSelector?: Located<string>;
  /** Old v1 CRDs: `ipip: {enabled, mode}` and `nat-outgoing`. */
  readonly legacyIpipEnabled?: Located<string>;
  readonly legacyIpipMode?: Located<string>;
  readonly legacyNatOutgoing?: Located<string>;
}

/** A node's claim on an IPAM block (crd.projectcalico.org/v1 or projectcalico.org/v3 BlockAffinity). */
export interface BlockAffinityFacts {
  readonly kind: 'BlockAffinity';
  readonly object: K8sObject;
  readonly cidr?: Located<string>;
  readonly node?: Located<string>;
  /** `confirmed`, `pending`, `pendingDeletion`; a deleted one names no block. */
  readonly state?: Located<string>;
  readonly deleted?: Located<string>;
}

export interface BGPConfigurationFacts {
  readonly kind: 'BGPConfiguration';
  readonly object: K8sObject;
  readonly nodeToNodeMeshEnabled?: Located<string>;
  readonly asNumber?: Located<string>;
}

export interface FelixConfigurationFacts {
  readonly kind: 'FelixConfiguration';
  readonly object: K8sObject;
  readonly interfacePrefix?: Located<string>;
  readonly ipipMTU?: Located<string>;
  readonly vxlanMTU?: Located<string>;
  readonly wireguardMTU?: Located<string>;
  readonly wireguardEnabled?: Located<string>;
  /** `Enabled`: Felix, not BIRD, programs the routes of pools with vxlanMode Never (Calico 3.31 on). */
  readonly programClusterRoutes?: Located<string>;
}

export type CalicoObjectFacts =
  InstallationFacts | IPPoolFacts | BlockAffinityFacts | BGPConfigurationFacts | FelixConfigurationFacts;

const CALICO_API = /^(projectcalico\.org\/v3|crd\.projectcalico\.org\/v1)$/;

/** projectcalico.org/v3 or the backing crd.projectcalico.org/v1 API. */
export const isCalicoApi = (apiVersion: string): boolean => CALICO_API.test(apiVersion);

/** The Calico facts of an object, or undefined for an object of another kind or API group. */
export function calicoObjectOf(object: K8sObject): CalicoObjectFacts | undefined {
  if (object.kind === 'Installation')
    return object.apiVersion === 'operator.tigera.io/v1' ? installationOf(object) : undefined;
  if (!CALICO_API.test(object.apiVersion)) return undefined;
  const spec = get(object.node, 'spec');
  switch (object.kind) {
    case 'IPPool':
      return {
        kind: 'IPPool',
        object,
        api: object.apiVersion.startsWith('crd.') ? 'crd-v1' : 'v3',
        cidr: getText(spec, 'cidr'),
        blockSize: getText(spec, 'blockSize'),
        ipipMode: getText(spec, 'ipipMode'),
        vxlanMode: getText(spec, 'vxlanMode'),
        natOutgoing: getText(spec, 'natOutgoing'),
        disabled: getText(spec, 'disabled'),
        nodeSelector: getText(spec, 'nodeSelector'),
        legacyIpipEnabled: getText(spec, 'ipip', 'enabled'),
        legacyIpipMode: getText(spec, 'ipip', 'mode'),
        legacyNatOutgoing: getText(spec, 'nat-outgoing'),
      };
    case 'BlockAffinity':
      return {
        kind: 'BlockAffinity',
        object,
        cidr: getText(spec, 'cidr'),
        node: getText(spec, 'node'),
        state: getText(spec, 'state'),
        deleted: getText(spec, 'deleted'),
      };
    case 'BGPConfiguration':
      return {
        kind: 'BGPConfiguration',
        object,
        nodeToNodeMeshEnabled: getText(spec, 'nodeToNodeMeshEnabled'),
        asNumber: getText(spec, 'asNumber'),
      };
    case 'FelixConfiguration':
      return {
        kind: 'FelixConfiguration',
        object,
        interfacePrefix: getText(spec, 'interfacePrefix'),
        ipipMTU: getText(spec, 'ipipMTU'),
        vxlanMTU: getText(spec, 'vxlanMTU'),
        wireguardMTU: getText(spec, 'wireguardMTU'),
        wireguardEnabled: getText(spec, 'wireguardEnabled'),
        programClusterRoutes: getText(spec, 'programClusterRoutes'),
      };
  }
  return undefined;
}

/** The autodetection methods nodeAddressAutodetectionV4 takes (one of them). */
const AUTODETECTION_KEYS = ['firstFound', 'kubernetes', 'interface', 'skipInterface', 'canReach', 'cidrs'];

function installationOf(object: K8sObject): InstallationFacts {
  const network = get(object.node, 'spec', 'calicoNetwork');
  const poolsNode = pairOf(network, 'ipPools');
  const pools = poolsNode
    ? itemsOf(poolsNode.value).map((node) => ({
        node,
        name: getText(node, 'name'),
        cidr: getText(node, 'cidr'),
        blockSize: getText(node, 'blockSize'),
        encapsulation: getText(node, 'encapsulation'),
        natOutgoing: getText(node, 'natOutgoing'),
        nodeSelector: getText(node, 'nodeSelector'),
        disableBGPExport: getText(node, 'disableBGPExport'),
      }))
    : undefined;
  const autodetect = get(network, 'nodeAddressAutodetectionV4');
  const method = AUTODETECTION_KEYS.find((key) => pairOf(autodetect, key) !== undefined);
  const methodValue = method ? get(autodetect, method) : undefined;
  return {
    kind: 'Installation',
    object,
    // `ipPools:` with no value is no list: the operator reads it as not given.
    pools: poolsNode && (isSeq(poolsNode.value) || pools?.length) ? pools : undefined,
    bgp: getText(network, 'bgp'),
    clusterRoutingMode: getText(network, 'clusterRoutingMode'),
    mtu: getText(network, 'mtu'),
    ...(method
      ? {
          autodetection: {
            method,
            values: isSeq(methodValue) ? textItems(methodValue) : [getText(methodValue)].filter(isDefined),
          },
        }
      : {}),
    cniType: getText(object.node, 'spec', 'cni', 'type'),
    ipamType: getText(object.node, 'spec', 'cni', 'ipam', 'type'),
    registry: getText(object.node, 'spec', 'registry'),
    variant: getText(object.node, 'spec', 'variant'),
  };
}

const isDefined = <T>(value: T | undefined): value is T => value !== undefined;

/** calico-config's keys (calico.yaml), also in Canal's canal-config: as written. */
export interface CalicoConfigFacts {
  readonly backend?: Located<string>;
  readonly vethMtu?: Located<string>;
  readonly cniNetworkConfig?: Located<string>;
}

/** The Calico keys of a ConfigMap's data, when it has any. */
export function calicoConfigOf(data: unknown): CalicoConfigFacts | undefined {
  const facts = {
    backend: getText(data, 'calico_backend'),
    vethMtu: getText(data, 'veth_mtu'),
    cniNetworkConfig: getText(data, 'cni_network_config'),
  };
  return facts.backend || facts.cniNetworkConfig ? facts : undefined;
}

/** The `calico/node` image (any registry: docker.io, quay.io, a mirror), with or without a tag. */
export const isCalicoNodeImage = (image: string): boolean =>
  /(^|\/)calico\/node$/.test(image.split('@')[0].replace(/:[^/]*$/, ''));

/** The container that runs calico-node: so named, or running the calico/node image. */
export const isCalicoNodeContainer = (container: { name?: Located<string>; image?: Located<string> }): boolean =>
  container.name?.value === 'calico-node' || isCalicoNodeImage(container.image?.value ?? '');
