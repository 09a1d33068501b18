// Node addressing against flannel's Network (flannel.md §1.8, §5): podcidr-outside-network,
// podcidr-overlap, node-ip-in-pod-network.
import {
  type Cidr,
  containsCidr,
  containsIp,
  formatCidr,
  type IpAddress,
  networkOf,
  overlaps,
  parseCidr,
  parseIp,
} from '../core/cidr';
import { type Located } from '../core/yamlAccess';
import { formatRelease, formatVersion, isAtLeast, PODCIDR_CHECK_SINCE } from '../model/flannelVersion';
import { networkOfFamily } from '../model/netconf';
import { type NodeFacts } from '../model/objects';
import { type RuleContext } from './types';

interface NodeCidr {
  node: NodeFacts;
  item: Located<string>;
  cidr: Cidr;
}

/** What checkNodes reads of the Node objects alone, worked out once per list (an edit elsewhere keeps it). */
interface NodeAddressing {
  /** Each node's podCIDRs, once per node and range (podCIDR and podCIDRs usually repeat the same value). */
  readonly unique: readonly NodeCidr[];
  /** The pairs of them, on two nodes, that overlap, in list order. */
  readonly overlapping: ReadonlyArray<readonly [NodeCidr, NodeCidr]>;
  /** The nodes with a valid InternalIP. */
  readonly addresses: ReadonlyArray<{
    readonly node: NodeFacts;
    readonly text: Located<string>;
    readonly ip: IpAddress;
  }>;
}

const addressing = new WeakMap<readonly NodeFacts[], NodeAddressing>();

function addressingOf(nodes: readonly NodeFacts[]): NodeAddressing {
  let known = addressing.get(nodes);
  if (known) return known;
  const nodeCidrs: NodeCidr[] = [];
  for (const node of nodes) {
    for (const item of node.podCIDRs) {
      const cidr = parseCidr(item.value);
      if (cidr) nodeCidrs.push({ node, item, cidr });
    }
  }
  const seen = new Set<string>();
  const unique = nodeCidrs.filter(({ node, cidr }) => {
    const key = `${node.object.name?.value}|${formatCidr(networkOf(cidr))}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const overlapping: Array<readonly [NodeCidr, NodeCidr]> = [];
  for (let i = 0; i < unique.length; i++)
    for (let j = i + 1; j < unique.length; j++)
      if (unique[i].node !== unique[j].node && overlaps(unique[i].cidr, unique[j].cidr))
        overlapping.push([unique[i], unique[j]]);
  const addresses = nodes.flatMap((node) => {
    const text = node.internalIP;
    const ip = text ? parseIp(text.value) : undefined;
    return text && ip ? [{ node, text, ip }] : [];
  });
  known = { unique, overlapping, addresses };
  addressing.set(nodes, known);
  return known;
}

export function checkNodes({ cluster, report }: RuleContext): void {
  const { netConf } = cluster.network;
  const { unique, overlapping, addresses } = addressingOf(cluster.facts.nodes);

  // An assumed configuration is a guess; it must never raise errors.
  if (!netConf.assumed) {
    for (const { node, item, cidr } of unique) {
      const network = networkOfFamily(netConf, cidr.family);
      if (!network || containsCidr(network, cidr)) continue;
      const name = node.object.name?.value ?? '<unnamed>';
      const outside =
        `Node \`${name}\` has podCIDR \`${item.value}\`, which is not inside ` +
        `flannel's ${cidr.family === 4 ? 'Network' : 'IPv6Network'} \`${formatCidr(network)}\`. `;
      const fix =
        'Make Network contain the cluster CIDR that kube-controller-manager allocates from (--cluster-cidr ' +
        '/ kubeadm podSubnet).';
      const version = cluster.network.flannelVersion;
      if (version && !isAtLeast(version, PODCIDR_CHECK_SINCE)) {
        // Before v0.18 flanneld takes the podCIDR as the node's subnet without checking it.
        report({
          code: 'podcidr-outside-network',
          uri: node.object.uri,
          range: item.range,
          severity: 'information',
          message:
            outside +
            `The deployed flannel ${formatVersion(version)} does not check this (the check, which makes ` +
            `flanneld exit, arrived in ${formatRelease(PODCIDR_CHECK_SINCE)}): it uses the podCIDR as the ` +
            `node's subnet, outside the range its routes and masquerading are set up for. Upgrading flannel ` +
            `breaks this node. ${fix}`,
        });
        continue;
      }
      report({
        code: 'podcidr-outside-network',
        uri: node.object.uri,
        range: item.range,
        message:
          outside +
          `flanneld on this node exits with "subnet ... doesn't contain ... PodCIDR of the \\"${name}\\" ` +
          `node" and the node's pods get no network. ${fix}`,
      });
    }
  }

  for (const [a, b] of overlapping) {
    const nameA = a.node.object.name?.value ?? '<unnamed>';
    const nameB = b.node.object.name?.value ?? '<unnamed>';
    report({
      code: 'podcidr-overlap',
      uri: b.node.object.uri,
      range: b.item.range,
      message:
        `Node \`${nameB}\` podCIDR \`${b.item.value}\` overlaps Node \`${nameA}\`'s \`${a.item.value}\`. ` +
        `Pods on both nodes can get the same address and routes to one of them are lost. Give each node its ` +
        `own range.`,
    });
  }

  const network = netConf.assumed ? undefined : netConf.network;
  if (!network) return;
  for (const { node, text: ipText, ip } of addresses) {
    if (!containsIp(network, ip)) continue;
    report({
      code: 'node-ip-in-pod-network',
      uri: node.object.uri,
      range: ipText.range,
      message:
        `Node \`${node.object.name?.value ?? '<unnamed>'}\` has InternalIP \`${ipText.value}\` inside ` +
        `flannel's Network \`${formatCidr(network)}\`. ` +
        'Routes for the pod network then capture traffic to the node itself. Choose a pod Network that does ' +
        "not contain the nodes' addresses.",
    });
  }
}
