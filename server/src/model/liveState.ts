// What a live cluster says (`kubectl get -o yaml` dumps), which wins over what Podnet predicts:
// - a Pod's status: its addresses (`status.podIPs`, `podIP`), its node's (`hostIP`) and its phase
//   (kubernetes-workloads.md §5.1);
// - the annotations flanneld in kube mode writes on its own Node when it starts (flannel
//   pkg/subnet/kube/annotations.go, kube.go AcquireLease): the backend it runs (`backend-type`), its VTEP
//   MAC (`backend-data`, `{"VNI":1,"VtepMAC":"…"}`) and the address its peers send to (`public-ip`).
//   flanneld copies `public-ip-overwrite` into `public-ip` when it starts, so the overwrite is the address
//   that holds from then on; peers read `public-ip` (nodeToLease) and program `ip neigh` and `bridge fdb`
//   from these two (vxlan_network.go handleSubnetEvents).
import { formatAddress, type IpAddress, parseIp } from '../core/cidr';
import { type K8sObject } from '../core/manifest';
import { get, getText, itemsOf, scalarText } from '../core/yamlAccess';
import type { NodeFacts } from './objects';

export interface PodStatusFacts {
  readonly phase?: string;
  /** status.podIPs[].ip, else status.podIP: empty until the CNI plugin has given one. */
  readonly podIPs: readonly string[];
  /** status.hostIP: the node's address (its first InternalIP). */
  readonly hostIP?: string;
}

/** The status of a Pod as the API server reports it; undefined for a manifest without one. */
export function podStatusOf(object: K8sObject): PodStatusFacts | undefined {
  const status = get(object.node, 'status');
  if (!status) return undefined;
  const listed = itemsOf(get(status, 'podIPs')).flatMap((entry) => {
    const ip = getText(entry, 'ip')?.value;
    return ip ? [ip] : [];
  });
  const single = getText(status, 'podIP')?.value;
  const podIPs = listed.length > 0 ? listed : single ? [single] : [];
  const phase = getText(status, 'phase')?.value;
  const hostIP = getText(status, 'hostIP')?.value;
  if (podIPs.length === 0 && !phase && !hostIP) return undefined;
  return { ...(phase ? { phase } : {}), podIPs, ...(hostIP ? { hostIP } : {}) };
}

/** Succeeded and Failed pods have no sandbox left: their address went back to host-local. */
export const hasFinished = (status: PodStatusFacts | undefined): boolean =>
  status?.phase === 'Succeeded' || status?.phase === 'Failed';

/** The pod's observed IPv4 address, when its status gives one (the model draws IPv4 only). */
export function observedIPv4(status: PodStatusFacts | undefined): IpAddress | undefined {
  for (const text of status?.podIPs ?? []) {
    const ip = parseIp(text);
    if (ip?.family === 4) return ip;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// flannel's Node annotations

/** flanneld's `--kube-annotation-prefix` default. */
export const DEFAULT_ANNOTATION_PREFIX = 'flannel.alpha.coreos.com';

/**
 * The start of every annotation key flanneld writes for a `--kube-annotation-prefix` (newAnnotations): a
 * bare domain gets `/`, a prefix with a name part gets `-`. Undefined for a prefix flanneld refuses.
 */
export function annotationKeyPrefix(prefix: string): string | undefined {
  const slashes = prefix.split('/').length - 1;
  if (slashes > 1) return undefined;
  let key = slashes === 0 ? `${prefix}/` : prefix;
  if (!key.endsWith('/') && !key.endsWith('-')) key += '-';
  return /^(?:[a-z0-9_-]+\.)+[a-z0-9_-]+\/(?:[a-z0-9_-]+-)?$/.test(key) ? key : undefined;
}

export interface FlannelNodeState {
  /** `backend-type`: the backend flanneld on the node registered when it last started. */
  readonly backendType?: string;
  /** `VtepMAC` of `backend-data`: the MAC of the node's flannel.<VNI> device, lower case. */
  readonly vtepMac?: string;
  /** The address flannel's peers send to: `public-ip-overwrite` when set, else `public-ip`. */
  readonly publicIp?: IpAddress;
  readonly publicIpFrom?: 'public-ip-overwrite' | 'public-ip';
  /** `public-ip` when `public-ip-overwrite` differs from it: flanneld on the node has not started since. */
  readonly publicIpBefore?: string;
}

/** What flanneld wrote on the Node (keys after `keyPrefix`); undefined when it wrote nothing Podnet reads. */
export function flannelNodeStateOf(node: NodeFacts, keyPrefix: string): FlannelNodeState | undefined {
  const annotations = get(node.object.node, 'metadata', 'annotations');
  if (!annotations) return undefined;
  const value = (name: string) => scalarText(get(annotations, keyPrefix + name))?.value || undefined;
  const backendType = value('backend-type');
  const vtepMac = vtepMacOf(value('backend-data'));
  const publicIp = ipv4(value('public-ip'));
  const overwrite = ipv4(value('public-ip-overwrite'));
  const chosen = overwrite ?? publicIp;
  const before =
    overwrite && publicIp && overwrite.value !== publicIp.value ? { publicIpBefore: formatAddress(publicIp) } : {};
  if (!backendType && !vtepMac && !chosen) return undefined;
  return {
    ...(backendType ? { backendType } : {}),
    ...(vtepMac ? { vtepMac } : {}),
    ...(chosen ? { publicIp: chosen, publicIpFrom: overwrite ? 'public-ip-overwrite' : 'public-ip' } : {}),
    ...before,
  };
}

function ipv4(text: string | undefined): IpAddress | undefined {
  const ip = text ? parseIp(text) : undefined;
  return ip?.family === 4 ? ip : undefined;
}

/**
 * The VtepMAC of a vxlan `backend-data` annotation. Go's JSON decoding matches field names in any case
 * and keeps the last duplicate; net.ParseMAC reads `:`/`-` separated and dotted forms. Anything else
 * (not JSON, no MAC, another length) is no fact: flanneld's peers skip such a lease.
 */
function vtepMacOf(data: string | undefined): string | undefined {
  if (!data) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const entries = Object.entries(parsed as Record<string, unknown>).filter(([k]) => k.toLowerCase() === 'vtepmac');
  const mac = entries.at(-1)?.[1];
  return typeof mac === 'string' ? normaliseMac(mac) : undefined;
}

/** A 6-byte MAC in the form `ip` prints it (`d6:49:d4:7f:6c:6f`), from the forms net.ParseMAC reads. */
export function normaliseMac(text: string): string | undefined {
  const separated = /^([0-9a-f]{2})([:-])([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})$/i;
  const dotted = /^([0-9a-f]{4})\.([0-9a-f]{4})\.([0-9a-f]{4})$/i;
  const parts = separated.exec(text);
  if (parts) return [1, 3, 4, 5, 6, 7].map((i) => parts[i].toLowerCase()).join(':');
  const words = dotted.exec(text);
  if (!words) return undefined;
  return words
    .slice(1)
    .flatMap((w) => [w.slice(0, 2), w.slice(2)])
    .join(':')
    .toLowerCase();
}
