// The address of each pod on a node. A live pod's status gives its own (a fact); a hostNetwork pod has the
// node's; the others are predicted as host-local hands them out on a fresh node, the first free address
// in order of appearance (kubernetes-workloads.md §6), passing over the addresses live pods hold.
import { containsIp, formatAddress, formatCidr, type Cidr, type IpAddress } from '../core/cidr';
import { hasFinished, observedIPv4 } from './liveState';
import { type PodFacts } from './objects';

export interface PodAddress {
  readonly ip: IpAddress;
  /** `status`: the pod's status.podIP; `node`: the node's IP (hostNetwork); `predicted`: first free. */
  readonly from: 'status' | 'node' | 'predicted';
  /** A fact worth telling beside it: an observed address outside the node's podCIDR. */
  readonly note?: string;
}

export interface AddressedNode {
  readonly name: string;
  readonly podCidr?: Cidr;
  readonly firstPodAddress?: IpAddress;
  readonly lastPodAddress?: IpAddress;
  readonly internalIp?: IpAddress;
  readonly pods: readonly PodFacts[];
}

/** Every pod of the node that has an address, with it; finished pods and pods past the range have none. */
export function podAddressesOf(node: AddressedNode): Map<PodFacts, PodAddress> {
  const addresses = new Map<PodFacts, PodAddress>();
  const waiting: PodFacts[] = [];
  const taken = new Set<bigint>();
  for (const pod of node.pods) {
    if (hasFinished(pod.status)) continue;
    const observed = observedIPv4(pod.status);
    if (observed) {
      addresses.set(pod, { ip: observed, from: 'status', ...outsideNote(observed, node, pod) });
      taken.add(observed.value);
    } else if (pod.spec.hostNetwork) {
      if (node.internalIp) addresses.set(pod, { ip: node.internalIp, from: 'node' });
    } else waiting.push(pod);
  }
  const first = node.firstPodAddress;
  const last = node.lastPodAddress;
  if (!first || !last) return addresses;
  let next = first.value;
  for (const pod of waiting) {
    while (taken.has(next)) next++;
    if (next > last.value) break;
    addresses.set(pod, { ip: { family: first.family, value: next }, from: 'predicted' });
    next++;
  }
  return addresses;
}

/** A bridged pod's observed address outside its node's podCIDR: the CNI plugin gave it from another range. */
function outsideNote(ip: IpAddress, node: AddressedNode, pod: PodFacts): { note?: string } {
  if (pod.spec.hostNetwork || !node.podCidr || containsIp(node.podCidr, ip)) return {};
  return {
    note:
      `status.podIP ${formatAddress(ip)} is outside ${node.name}'s podCIDR ${formatCidr(node.podCidr)}: ` +
      `the pod got it from another range (cni0 or host-local state from an earlier podCIDR, or another IPAM)`,
  };
}
