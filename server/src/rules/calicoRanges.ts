// calico-pool-outside-cluster-cidr and calico-pool-network-overlap: a pool against the cluster's other
// ranges, which Calico does not check (calico.md §2) except the operator's "not within the platform's
// configured pod network CIDR(s)". Only pools whose CIDR is written, and only when pods use the pools.
import {
  type Cidr,
  containsCidr,
  containsIp,
  formatAddress,
  formatCidr,
  networkOf,
  overlaps,
  parseCidr,
  parseIp,
} from '../core/cidr';
import { get, getText } from '../core/yamlAccess';
import { type CalicoPool } from '../model/calico/model';
import { calicoRuleFactsOf, cidrText, poolLabel, writtenCidr } from '../model/calico/ruleFacts';
import { clusterCidrOf } from '../model/network';
import { listed } from '../model/locations';
import { type Cluster } from '../model/workspace';
import { type Finding, type RuleContext } from './types';

export function checkCalicoRanges({ cluster, report }: RuleContext): void {
  const facts = calicoRuleFactsOf(cluster);
  if (!facts || facts.ipamElsewhere) return;
  const pools = facts.calico.pools.filter((p) => p.cidr && writtenCidr(p) && !p.disabled.value);
  const clusterCidr = clusterCidrOf(cluster.facts);
  const services = serviceRanges(cluster);
  const nodes = nodeRanges(cluster);
  for (const pool of pools) {
    const network = networkOf(pool.cidr!);
    const place = writtenCidr(pool)!;
    const at = (code: Finding['code'], message: string, extra: Partial<Finding> = {}) =>
      report({ code, uri: place.uri, range: place.range, message, ...extra });
    if (clusterCidr && clusterCidr.cidr.family === network.family && !containsCidr(clusterCidr.cidr, network))
      at(
        'calico-pool-outside-cluster-cidr',
        outsideMessage(pool, network, clusterCidr),
        pool.shape === 'installation' ? { severity: 'error' } : {},
      );
    const service = services.find((s) => s.cidr.family === network.family && overlaps(s.cidr, network));
    if (service)
      at(
        'calico-pool-network-overlap',
        `${poolLabel(pool)} (${cidrText(network)}) overlaps the Service range ${formatCidr(service.cidr)} ` +
          `(${service.from}): pods would get addresses kube-proxy treats as Service IPs.`,
      );
    const clashing = nodes.filter((n) => n.cidr.family === network.family && overlaps(n.cidr, network));
    if (clashing.length > 0)
      at(
        'calico-pool-network-overlap',
        `${poolLabel(pool)} (${cidrText(network)}) overlaps the nodes' own addresses: ` +
          `${listed(clashing.map((n) => n.what))}. Calico routes pool addresses to pods, so node traffic to those ` +
          'addresses goes astray and nodes can lose each other.',
      );
  }
}

function outsideMessage(pool: CalicoPool, network: Cidr, clusterCidr: { cidr: Cidr; source: string }): string {
  const range = `${clusterCidr.source} ${formatCidr(clusterCidr.cidr)}`;
  const lead = `${poolLabel(pool)} (${cidrText(network)}) is not within ${range}`;
  if (pool.shape === 'installation')
    return `${lead}: the operator refuses it ("IPPool … is not within the platform's configured pod network CIDR(s)").`;
  return (
    `${lead}. Calico does not check this and gives pods addresses from the pool, but kube-proxy's ` +
    `--cluster-cidr masquerade treats their traffic as leaving the cluster, and Node podCIDRs go unused.`
  );
}

interface Range {
  readonly cidr: Cidr;
  readonly from: string;
}

function serviceRanges(cluster: Cluster): Range[] {
  const ranges: Range[] = [];
  const add = (value: string | undefined, from: string) => {
    for (const part of (value ?? '').split(',')) {
      const cidr = parseCidr(part.trim());
      if (cidr) ranges.push({ cidr: networkOf(cidr), from });
    }
  };
  for (const kcm of cluster.facts.controllerManagers)
    add(
      kcm.flags.find((f) => f.name === 'service-cluster-ip-range')?.value,
      'kube-controller-manager --service-cluster-ip-range',
    );
  for (const config of cluster.facts.clusterConfigurations) add(config.serviceSubnet?.value, 'kubeadm serviceSubnet');
  return ranges;
}

/** Each node's InternalIP (as a host route) and projectcalico.org/IPv4Address (with its subnet). */
function nodeRanges(cluster: Cluster): Array<{ cidr: Cidr; what: string }> {
  const ranges: Array<{ cidr: Cidr; what: string }> = [];
  for (const node of cluster.facts.nodes) {
    const name = node.object.name?.value ?? '(no name)';
    const annotation = getText(get(node.object.node, 'metadata', 'annotations'), 'projectcalico.org/IPv4Address');
    const subnet = parseCidr(annotation?.value.trim() ?? '');
    if (subnet) ranges.push({ cidr: networkOf(subnet), what: `${name}'s subnet ${formatCidr(networkOf(subnet))}` });
    const ip = parseIp(node.internalIP?.value.trim() ?? '');
    if (ip && !(subnet && containsIp(networkOf(subnet), ip)))
      ranges.push({
        cidr: { family: ip.family, address: ip.value, prefix: ip.family === 4 ? 32 : 128 },
        what: `${name}'s InternalIP ${formatAddress(ip)}`,
      });
  }
  return ranges;
}
