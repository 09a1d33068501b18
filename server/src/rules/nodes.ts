// Node addressing against flannel's Network (flannel.md §1.8, §5): podcidr-outside-network,
// podcidr-overlap, node-ip-in-pod-network.
import { type Cidr, containsCidr, containsIp, formatCidr, networkOf, overlaps, parseCidr, parseIp } from '../core/cidr';
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

export function checkNodes({ cluster, report }: RuleContext): void {
  const { netConf } = cluster.network;
  const nodeCidrs: NodeCidr[] = [];
  for (const node of cluster.facts.nodes) {
    for (const item of node.podCIDRs) {
      const cidr = parseCidr(item.value);
      if (cidr) nodeCidrs.push({ node, item, cidr });
    }
  }
  // podCIDR and podCIDRs usually repeat the same value: report each node and range once.
  const seen = new Set<string>();
  const unique = nodeCidrs.filter(({ node, cidr }) => {
    const key = `${node.object.name?.value}|${formatCidr(networkOf(cidr))}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });

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

  for (let i = 0; i < unique.length; i++) {
    for (let j = i + 1; j < unique.length; j++) {
      const a = unique[i];
      const b = unique[j];
      if (a.node === b.node || !overlaps(a.cidr, b.cidr)) continue;
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
  }

  const network = netConf.assumed ? undefined : netConf.network;
  if (!network) return;
  for (const node of cluster.facts.nodes) {
    const ipText = node.internalIP;
    const ip = ipText ? parseIp(ipText.value) : undefined;
    if (!ipText || !ip || !containsIp(network, ip)) continue;
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
