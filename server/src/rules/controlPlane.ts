// The control plane against flannel (flannel.md §5, §8 #1-#2): kube-controller-manager flags and the
// kubeadm ClusterConfiguration decide which podCIDRs nodes get, and flannel exits when one of them is
// outside its Network. Values may be comma-separated dual-stack lists.
import { type Cidr, containsCidr, formatCidr, networkOf, overlaps, parseCidr } from '../core/cidr';
import { jsonLookup, jsonNodeRange } from '../core/embeddedJson';
import { type OffsetRange } from '../core/text';
import { get, type Located } from '../core/yamlAccess';
import { appendToSequence } from '../core/yamlEdit';
import { networkOfFamily } from '../model/netconf';
import { type ContainerFacts, type ControllerManagerFacts, type FlagFacts, isFlagOn } from '../model/objects';
import { type Cluster } from '../model/workspace';
import { type Finding, jsonEdit, preferredFix, type QuickFix, type RuleContext } from './types';

/** One CIDR of a possibly comma-separated value, with its exact range in the file. */
interface CidrPart {
  text: string;
  cidr?: Cidr;
  range: OffsetRange;
  uri: string;
  /** Where the value came from, for messages. */
  source: string;
}

function partsOf(value: string, range: OffsetRange, uri: string, source: string): CidrPart[] {
  const exact = range[1] - range[0] === value.length;
  return [...value.matchAll(/[^,\s]+/g)].map((match) => ({
    text: match[0],
    cidr: parseCidr(match[0]),
    range: exact ? [range[0] + match.index!, range[0] + match.index! + match[0].length] : range,
    uri,
    source,
  }));
}

const flagParts = (kcm: ControllerManagerFacts, flag: FlagFacts | undefined, source: string): CidrPart[] =>
  flag?.value !== undefined ? partsOf(flag.value, flag.valueRange, kcm.object.uri, source) : [];

const locatedParts = (uri: string, located: Located<string> | undefined, source: string): CidrPart[] =>
  located ? partsOf(located.value, located.textRange, uri, source) : [];

export function checkControlPlane({ cluster, report }: RuleContext): void {
  const kcms = cluster.facts.controllerManagers;
  const configs = cluster.facts.clusterConfigurations;
  const clusterCidrs = [
    ...kcms.flatMap((kcm) =>
      flagParts(
        kcm,
        kcm.flags.find((f) => f.name === 'cluster-cidr'),
        'kube-controller-manager --cluster-cidr',
      ),
    ),
    ...configs.flatMap((c) => locatedParts(c.object.uri, c.podSubnet, 'kubeadm networking.podSubnet')),
  ];
  const serviceCidrs = [
    ...kcms.flatMap((kcm) =>
      flagParts(
        kcm,
        kcm.flags.find((f) => f.name === 'service-cluster-ip-range'),
        'kube-controller-manager --service-cluster-ip-range',
      ),
    ),
    ...configs.flatMap((c) => locatedParts(c.object.uri, c.serviceSubnet, 'kubeadm networking.serviceSubnet')),
  ];
  checkClusterCidr(cluster, clusterCidrs, report);
  checkServiceCidr(cluster, serviceCidrs, report);
  for (const kcm of kcms) checkAllocateNodeCidrs(cluster, kcm, report);
}

/** flannel's Network for a family, only when a real ConfigMap sets it and the family is enabled. */
function flannelNetwork(cluster: Cluster, family: 4 | 6): Cidr | undefined {
  const { netConf, configMap } = cluster.network;
  if (!configMap?.netConf || netConf.assumed) return undefined;
  return networkOfFamily(netConf, family);
}

function checkClusterCidr(cluster: Cluster, parts: CidrPart[], report: (f: Finding) => void): void {
  for (const part of parts) {
    if (!part.cidr) continue;
    const network = flannelNetwork(cluster, part.cidr.family);
    if (!network || containsCidr(network, part.cidr)) continue;
    const key = part.cidr.family === 4 ? 'Network' : 'IPv6Network';
    const cidr = formatCidr(networkOf(part.cidr));
    report({
      code: 'cluster-cidr-mismatch',
      uri: part.uri,
      range: part.range,
      message:
        `${part.source} ${part.text} is not inside flannel's ${key} ${formatCidr(network)}: nodes get podCIDRs ` +
        `from ${part.text}, and flanneld exits on each of them with "subnet … specified in the flannel net ` +
        `config doesn't contain … PodCIDR". Make the two ranges agree (ideally equal).`,
      fixes: clusterCidrFixes(cluster, part, key, cidr, formatCidr(network)),
    });
  }
}

function clusterCidrFixes(cluster: Cluster, part: CidrPart, key: string, cidr: string, network: string): QuickFix[] {
  const fixes: QuickFix[] = [];
  const netConf = cluster.network.configMap?.netConf;
  const node = netConf ? jsonLookup(netConf.json.root, key)?.valueNode : undefined;
  const edits =
    netConf && node?.type === 'string'
      ? jsonEdit(cluster.network.configMap!.object.uri, netConf.json, jsonNodeRange(node), `"${cidr}"`)
      : undefined;
  // Existing nodes already carry podCIDRs from the cluster CIDR, so changing flannel is the usual remedy.
  if (edits) fixes.push({ title: `Set flannel's ${key} to ${cidr}`, edits, preferred: true });
  fixes.push({
    title: `Change ${part.source} to ${network}`,
    edits: [{ uri: part.uri, range: part.range, newText: network }],
  });
  return fixes;
}

function checkServiceCidr(cluster: Cluster, parts: CidrPart[], report: (f: Finding) => void): void {
  for (const part of parts) {
    if (!part.cidr) continue;
    const clashes: string[] = [];
    const network = flannelNetwork(cluster, part.cidr.family);
    if (network && overlaps(network, part.cidr))
      clashes.push(`flannel's ${part.cidr.family === 4 ? 'Network' : 'IPv6Network'} ${formatCidr(network)}`);
    // Calico IPAM gives pods addresses from its pools, not from node podCIDRs (calico-pool-network-overlap).
    const podsFromPodCidrs = cluster.network.cni.kind !== 'calico';
    for (const node of podsFromPodCidrs ? cluster.facts.nodes : []) {
      for (const podCidr of node.podCIDRs) {
        const parsed = parseCidr(podCidr.value);
        const label = `node ${node.object.name?.value ?? '?'} podCIDR ${podCidr.value}`;
        if (parsed && overlaps(parsed, part.cidr) && !clashes.includes(label)) clashes.push(label);
      }
    }
    if (clashes.length === 0) continue;
    const shown =
      clashes.length > 3 ? `${clashes.slice(0, 3).join(', ')} and ${clashes.length - 3} more` : clashes.join(', ');
    report({
      code: 'service-cidr-overlap',
      uri: part.uri,
      range: part.range,
      message:
        `${part.source} ${part.text} overlaps ${shown}: a ClusterIP can then equal a pod IP, and kube-proxy's ` +
        `service rules capture pod traffic, so connections reach the wrong endpoint. Choose a service range ` +
        `disjoint from the pod network.`,
    });
  }
}

function checkAllocateNodeCidrs(cluster: Cluster, kcm: ControllerManagerFacts, report: (f: Finding) => void): void {
  const flag = kcm.flags.find((f) => f.name === 'allocate-node-cidrs');
  if (isFlagOn(flag)) return;
  if (!cluster.network.kubeMode) return;
  const bareNodes = cluster.facts.nodes.filter((n) => n.podCIDRs.length === 0);
  if (bareNodes.length === 0) return;
  const names = bareNodes.map((n) => n.object.name?.value ?? '?');
  const shownNodes =
    names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  const why =
    `kube-controller-manager assigns no podCIDRs, and flannel in --kube-subnet-mgr mode allocates none itself: ` +
    `on ${shownNodes} (no podCIDR yet) flanneld exits with "pod cidr not assigned"`;
  if (flag) {
    report({
      code: 'allocate-node-cidrs-off',
      uri: kcm.object.uri,
      range: flag.item.textRange,
      message:
        `--allocate-node-cidrs is "${flag.value}": ${why}. Set --allocate-node-cidrs=true with --cluster-cidr ` +
        `equal to flannel's Network.`,
      fixes: flag.item.replaceable
        ? [
            {
              title: 'Set --allocate-node-cidrs=true',
              edits: [{ uri: kcm.object.uri, range: flag.item.textRange, newText: '--allocate-node-cidrs=true' }],
              preferred: true,
            },
          ]
        : undefined,
    });
    return;
  }
  const container = kcmContainer(cluster, kcm);
  const range = container?.command[0]?.textRange ??
    kcm.flags[0]?.item.textRange ??
    kcm.object.name?.textRange ?? [kcm.object.range[0], kcm.object.range[0]];
  const text = cluster.files.find((f) => f.file.uri === kcm.object.uri)?.file.text ?? '';
  const list = container && (get(container.node, 'command') ?? get(container.node, 'args'));
  const edits = appendToSequence(kcm.object.uri, text, list, ['--allocate-node-cidrs=true']);
  report({
    code: 'allocate-node-cidrs-off',
    uri: kcm.object.uri,
    range,
    message:
      `kube-controller-manager runs without --allocate-node-cidrs=true: ${why}. Add --allocate-node-cidrs=true ` +
      `and --cluster-cidr equal to flannel's Network (kubeadm does this for --pod-network-cidr).`,
    fixes: preferredFix('Add --allocate-node-cidrs=true', edits),
  });
}

const isKcmContainer = (command: string | undefined, image: string | undefined) =>
  (command !== undefined && command.split('/').pop() === 'kube-controller-manager') ||
  /kube-controller-manager/.test(image ?? '');

/** The kube-controller-manager container of the static pod. */
function kcmContainer(cluster: Cluster, kcm: ControllerManagerFacts): ContainerFacts | undefined {
  const pod = cluster.facts.pods.find((p) => p.object === kcm.object);
  return pod?.spec.containers.find((c) => isKcmContainer(c.command[0]?.value, c.image?.value));
}
