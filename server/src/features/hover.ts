// Hovers: what the manifest under the cursor means for the pod network (flannel.md §1.5, §2, §5).
// Every value read from a manifest passes through escapeMarkdown or code(); computed addresses go in
// code spans. The hover range is the token the facts are about.
import { findNodeAtOffset } from 'jsonc-parser';
import {
  type Cidr,
  containsCidr,
  type Family,
  formatCidr,
  formatCount,
  formatIp,
  hasHostBits,
  type IpAddress,
  lastAddressOf,
  networkOf,
  parseCidr,
  parseIp,
  podSubnetOf,
  sizeOf,
} from '../core/cidr';
import { type JsonNode, jsonLookup, jsonNodeRange } from '../core/embeddedJson';
import { code, escapeMarkdown as esc, truncate } from '../core/markdown';
import { closestMatch } from '../core/suggest';
import { type OffsetRange, rangeContains } from '../core/text';
import { get, getText, type Located, textItems } from '../core/yamlAccess';
import { BACKEND_TYPES, BACKENDS, DEFAULT_UNDERLAY_MTU } from '../model/backends';
import { backendAvailability, formatVersion } from '../model/flannelVersion';
import { effectiveSubnetLen, interpretNetConf, type NetConf, podMtu, tunnelPort } from '../model/netconf';
import { type ClusterNetwork, type NodeNetwork } from '../model/network';
import { hasFinished, observedIPv4 } from '../model/liveState';
import { type EmbeddedConfig, type FileFacts, type PodFacts } from '../model/objects';
import { type Cluster, type Workspace } from '../model/workspace';
import { podNameOf } from '../model/workloads';
import { workloadHover } from './workloadHover';
import { calicoNodeLines, calicoPoolHover, NO_BRIDGE } from './calicoHover';

export interface HoverResult {
  markdown: string;
  range: OffsetRange;
}

const MAX_LISTED_PODS = 10;
const ASSUMED_NOTE = '*flannel defaults assumed (no kube-flannel ConfigMap in this cluster)*';
const CNI_UNKNOWN_NOTE =
  '*CNI unknown: no flannel, Calico or Canal manifest in this cluster, so Podnet assumes none; name it with the ' +
  '`podnet.cni` setting or `cni:` in `.podnet.yaml`*';
const ASSUMED_NIC = ` (name assumed: flanneld takes the default route's interface unless ${code('--iface')} is set)`;

export function hoverAt(workspace: Workspace, uri: string, offset: number): HoverResult | undefined {
  const entry = workspace.getFile(uri);
  const cluster = workspace.clusterOf(uri);
  if (!entry || !cluster) return undefined;
  return (
    unmodelledNote(netConfHover(entry.facts, cluster, offset), entry.facts, cluster, offset) ??
    nodeNameHover(entry.facts, cluster.network, offset) ??
    podNameHover(entry.facts, cluster.network, offset) ??
    calicoPoolHover(cluster.network, uri, offset) ??
    workloadHover(entry.facts, cluster, offset) ??
    rangeHover(entry.facts, cluster.network, offset)
  );
}

// ---------------------------------------------------------------------------------------------------
// Nodes and pods

function nodeNameHover(facts: FileFacts, network: ClusterNetwork, offset: number): HoverResult | undefined {
  for (const { spec } of [...facts.pods, ...facts.daemonSets, ...facts.workloads]) {
    const nodeName = spec.nodeName;
    if (nodeName && rangeContains(nodeName.range, offset)) {
      return { markdown: nodeMarkdown(nodeName.value, network), range: nodeName.range };
    }
  }
  for (const node of facts.nodes) {
    const name = node.object.name;
    if (name && rangeContains(name.range, offset))
      return { markdown: nodeMarkdown(name.value, network), range: name.range };
  }
  return undefined;
}

function nodeMarkdown(name: string, network: ClusterNetwork): string {
  const node = network.nodes.find((n) => n.name === name);
  if (!node) {
    return block(
      `**Node ${esc(name)}**`,
      [
        `No Node object or declared node is named ${esc(name)} in this cluster, so Podnet cannot tell its ` +
          `pod addresses.`,
        known(network),
      ],
      network,
    );
  }
  const lines = nodeAddressLines(node, network);
  const nic = `${code(node.iface)}${node.ifaceAssumed ? ASSUMED_NIC : ''}`;
  lines.push(
    node.internalIp
      ? `node IP (${esc(node.internalIpFrom ?? 'InternalIP')}): ${code(ipText(node.internalIp))} on ${nic}`
      : node.facts
        ? `node IP: unknown (no InternalIP in status.addresses); NIC ${nic}`
        : `node IP: unknown (no Node object in the workspace); NIC ${nic}`,
  );
  lines.push(...flannelAnnotationLines(node));
  lines.push(podsLine(node.pods));
  return block(`**Node ${esc(name)}**`, lines, network);
}

/** What flanneld wrote on a live Node: observed, so it wins over the prediction. */
function flannelAnnotationLines(node: NodeNetwork): string[] {
  const state = node.flannel;
  if (!state) return [];
  const parts: string[] = [];
  if (state.backendType) parts.push(`backend ${code(state.backendType)}`);
  if (state.vtepMac)
    parts.push(`VTEP MAC ${code(state.vtepMac)}${node.tunnel ? ` on ${code(node.tunnel.device)}` : ''}`);
  if (state.publicIp) parts.push(`public IP ${code(ipText(state.publicIp))} (${state.publicIpFrom ?? 'public-ip'})`);
  return [`observed in flannel's Node annotations: ${parts.join(', ')}`];
}

/** podCIDR, cni0 gateway, pod range, tunnel and MTU of one node; Calico's blocks instead under Calico. */
function nodeAddressLines(node: NodeNetwork, network: ClusterNetwork): string[] {
  if (network.cni.kind === 'calico') return calicoNodeLines(node);
  const lines: string[] = [];
  const conf = network.netConf;
  if (!node.podCidr) {
    lines.push(
      node.facts
        ? 'podCIDR: none (the Node has no spec.podCIDR): flanneld on it fails with "pod cidr not assigned" ' +
            'until kube-controller-manager allocates one'
        : 'podCIDR: unknown (no Node object, and no pool to predict one from)',
    );
  } else {
    const inferred = node.podCidrInferred
      ? ` (inferred: ${esc(node.podCidrInferred.replace(/^inferred:\s*/, ''))})`
      : '';
    lines.push(`podCIDR: ${code(formatCidr(node.podCidr))}${inferred}`);
  }
  const mark = node.podCidrInferred ? ' (inferred)' : '';
  const bridged = network.cni.kind === 'flannel';
  if (node.gateway && bridged) lines.push(`${code('cni0')} gateway: ${code(ipText(node.gateway))}${mark}`);
  if (node.firstPodAddress && node.lastPodAddress && node.podAddressCount !== undefined) {
    lines.push(
      `pod addresses: ${code(ipText(node.firstPodAddress))} – ${code(ipText(node.lastPodAddress))} ` +
        `(${formatCount(node.podAddressCount)})${mark}`,
    );
  }
  if (network.cni.kind === 'canal') lines.push(NO_BRIDGE);
  if (network.cni.kind === 'unknown') return lines;
  const assumed = node.underlayMtuAssumed ? " (assumed: Backend sets no MTU, so flannel uses the NIC's)" : '';
  const mtu = `pod MTU ${node.podMtu}, underlay MTU ${node.underlayMtu}${assumed}`;
  if (node.tunnel) {
    const address = node.tunnel.address ? ` ${code(node.tunnel.address)}${mark}` : '';
    lines.push(`${esc(conf.backendType)} tunnel: ${code(node.tunnel.device)}${address}, ${mtu}`);
  } else {
    lines.push(`${conf.backendType ? esc(conf.backendType) : 'backend'}: no tunnel device, ${mtu}`);
  }
  return lines;
}

function podsLine(pods: PodFacts[]): string {
  if (pods.length === 0) return 'pods in the workspace on this node: none';
  const names = pods.slice(0, MAX_LISTED_PODS).map((p) => esc(truncate(podNameOf(p))));
  const more = pods.length > MAX_LISTED_PODS ? `, and ${pods.length - MAX_LISTED_PODS} more` : '';
  return `pods in the workspace on this node (${pods.length}): ${names.join(', ')}${more}`;
}

/** The pod's own address: observed in its status (a live dump), or predicted; a finished pod has none. */
function podAddressLines(pod: PodFacts, node: NodeNetwork | undefined): string[] {
  if (hasFinished(pod.status))
    return [
      `phase ${esc(pod.status?.phase ?? '')}: no address (its sandbox is gone; host-local took the address back)`,
    ];
  const lines: string[] = [];
  const address = node?.podAddresses.get(pod);
  const observed = address?.from === 'status' ? address.ip : observedIPv4(pod.status);
  if (observed) {
    const note = address?.note ? `: ${esc(address.note)}` : '';
    lines.push(`address: ${code(ipText(observed))} (observed: status.podIP)${note}`);
  } else if (address?.from === 'predicted') {
    const allocator = node?.calico?.blocks.length
      ? "Calico IPAM gives the next free address of the node's block"
      : 'host-local gives the first free address';
    lines.push(`address: ${code(ipText(address.ip))} (predicted: ${allocator}, in the order pods start)`);
  }
  if (pod.status?.hostIP) lines.push(`status.hostIP: ${code(pod.status.hostIP)} (observed)`);
  return lines;
}

function known(network: ClusterNetwork): string {
  if (network.nodes.length === 0) return 'The cluster knows no nodes.';
  const names = network.nodes.slice(0, MAX_LISTED_PODS).map((n) => esc(truncate(n.name)));
  return `Known nodes: ${names.join(', ')}${network.nodes.length > MAX_LISTED_PODS ? ', …' : ''}`;
}

function podNameHover(facts: FileFacts, network: ClusterNetwork, offset: number): HoverResult | undefined {
  const pod = facts.pods.find((p) => p.object.name && rangeContains(p.object.name.range, offset));
  if (!pod?.object.name) return undefined;
  const lines: string[] = [];
  const namespace = pod.object.namespace?.value;
  lines.push(`namespace: ${namespace ? esc(namespace) : 'default'}`);
  const home = network.staticPods.get(pod);
  const scheduled = network.scheduledPods.get(pod);
  const nodeName =
    pod.spec.nodeName?.value ??
    (home && 'name' in home ? home.name : undefined) ??
    (scheduled && 'node' in scheduled ? scheduled.node : undefined);
  const node = nodeName ? network.nodes.find((n) => n.name === nodeName) : undefined;
  if (home)
    lines.push(
      `static pod of the control plane (${esc(home.component)}): kubelet runs it from ` +
        `${code('/etc/kubernetes/manifests')} on its own node, without the scheduler`,
    );
  if (home && 'why' in home) {
    lines.push(`node: unknown: ${esc(home.why)}`);
  } else if (scheduled && 'unplacedReason' in scheduled) {
    lines.push(`node: none: ${esc(scheduled.unplacedReason)}`);
  } else if (!nodeName) {
    lines.push(
      'node: not pinned (no spec.nodeName): the scheduler picks one, and the pod gets an address from that ' +
        "node's podCIDR",
    );
  } else if (!node) {
    lines.push(
      `node: ${esc(nodeName)}, which no Node object or declared node of this cluster names, so its address ` +
        `range is unknown`,
    );
    lines.push(...podAddressLines(pod, undefined));
  } else {
    const how =
      home && 'how' in home ? home.how : scheduled && 'node' in scheduled ? scheduled.placementNote : undefined;
    lines.push(`node: ${esc(nodeName)}${how ? ` (${esc(how)})` : ''}`);
    if (pod.spec.hostNetwork) {
      const ip = node.internalIp ? code(ipText(node.internalIp)) : "its node's address";
      lines.push(`hostNetwork: true: the pod uses the node's own address (${ip}), not one from the podCIDR`);
    } else {
      lines.push(...nodeAddressLines(node, network));
    }
    lines.push(...podAddressLines(pod, node));
  }
  return {
    markdown: block(`**Pod ${esc(pod.object.name.value)}**`, lines, network),
    range: pod.object.name.range,
  };
}

// ---------------------------------------------------------------------------------------------------
// Ranges outside net-conf.json: --cluster-cidr, kubeadm podSubnet, a Node's podCIDR(s)

function rangeHover(facts: FileFacts, network: ClusterNetwork, offset: number): HoverResult | undefined {
  for (const kcm of facts.controllerManagers) {
    const flag = kcm.flags.find(
      (f) => f.name === 'cluster-cidr' && (rangeContains(f.item.range, offset) || rangeContains(f.valueRange, offset)),
    );
    if (flag) {
      const lines = (flag.value ?? '').split(',').flatMap((part) => clusterRangeLines(part.trim(), network));
      return {
        markdown: block(`**kube-controller-manager ${code('--cluster-cidr')}**`, lines, network),
        range: flag.item.range,
      };
    }
  }
  for (const config of facts.clusterConfigurations) {
    const subnet = config.podSubnet;
    if (subnet && rangeContains(subnet.range, offset)) {
      const lines = subnet.value.split(',').flatMap((part) => clusterRangeLines(part.trim(), network));
      return {
        markdown: block(`**kubeadm ${code('networking.podSubnet')}**`, lines, network),
        range: subnet.range,
      };
    }
  }
  for (const node of facts.nodes) {
    const single = getText(node.object.node, 'spec', 'podCIDR');
    const items: Array<Located<string>> = [
      ...(single ? [single] : []),
      ...textItems(get(node.object.node, 'spec', 'podCIDRs')),
    ];
    const item = items.find((i) => rangeContains(i.range, offset));
    if (item) {
      const title = `**Node ${esc(node.object.name?.value ?? '<unnamed>')} podCIDR**`;
      return { markdown: block(title, nodeRangeLines(item.value, network), network), range: item.range };
    }
  }
  return undefined;
}

/** Facts of a pool that node podCIDRs are cut from. */
function clusterRangeLines(text: string, network: ClusterNetwork): string[] {
  const cidr = parseCidr(text);
  if (!cidr) return [`${code(text)} is not a valid CIDR`];
  const pool = networkOf(cidr);
  const mask = cidr.family === 4 ? network.nodeMaskSize : 64;
  const lines = [cidrLine(cidr)];
  if (mask < pool.prefix) {
    lines.push(
      `node mask /${mask} is shorter than the pool's /${pool.prefix}: kube-controller-manager refuses to start`,
    );
  } else {
    lines.push(
      `${subnetCountText(pool, mask)} node subnets of /${mask} ` +
        `(${cidr.family === 4 ? code('--node-cidr-mask-size') : 'IPv6 default'}), ` +
        `${formatCount(podsPerSubnet(cidr.family, mask))} pods per node`,
    );
    lines.push(
      `kube-controller-manager hands them out from the start, so the first node can ` +
        `get ${code(formatCidr({ ...pool, prefix: mask }))}`,
    );
  }
  lines.push(containmentLine(pool, network));
  return lines;
}

/** Facts of one node's own subnet. */
function nodeRangeLines(text: string, network: ClusterNetwork): string[] {
  const cidr = parseCidr(text);
  if (!cidr) return [`${code(text)} is not a valid CIDR`];
  const subnet = podSubnetOf(cidr);
  const lines = [cidrLine(cidr)];
  if (network.cni.kind === 'calico') {
    // Calico IPAM ignores it: containmentLine says so.
  } else if (network.cni.kind !== 'flannel' && subnet.firstPod && subnet.lastPod) {
    lines.push(
      `pods ${code(ipText(subnet.firstPod))} – ${code(ipText(subnet.lastPod))} (host-local, ` +
        `${formatCount(subnet.podCount)} per node)`,
    );
  } else if (subnet.gateway && subnet.firstPod && subnet.lastPod) {
    lines.push(
      `${code('cni0')} gateway ${code(ipText(subnet.gateway))}; ` +
        `pods ${code(ipText(subnet.firstPod))} – ${code(ipText(subnet.lastPod))} ` +
        `(${formatCount(subnet.podCount)} per node)`,
    );
  } else {
    lines.push('too small for host-local to allocate pod addresses from (needs /30 or larger)');
  }
  lines.push(`1 node subnet of /${cidr.prefix}`);
  lines.push(containmentLine(subnet.network, network));
  return lines;
}

function cidrLine(cidr: Cidr): string {
  const network = networkOf(cidr);
  const masked = hasHostBits(cidr) ? ` (host bits set: used as ${code(formatCidr(network))})` : '';
  return (
    `${code(formatCidr(network))}: ${code(formatIp(cidr.family, network.address))} ` +
    `– ${code(formatIp(cidr.family, lastAddressOf(network)))} (${formatCount(sizeOf(network))} ` +
    `addresses)${masked}`
  );
}

function containmentLine(cidr: Cidr, network: ClusterNetwork): string {
  if (network.cni.kind === 'calico') return poolContainmentLine(cidr, network);
  if (network.cni.kind === 'unknown') return '';
  const conf = network.netConf;
  const flannel = cidr.family === 4 ? conf.network : conf.ipv6Network;
  const key = cidr.family === 4 ? 'Network' : 'IPv6Network';
  if (!flannel) return `flannel's ${key}: not set, so flannel cannot use this range`;
  return containsCidr(flannel, cidr)
    ? `inside flannel's ${key} ${code(formatCidr(flannel))}`
    : `**not inside** flannel's ${key} ${code(formatCidr(flannel))}: flanneld exits on nodes whose podCIDR ` +
        `lies outside it`;
}

/** Calico IPAM takes pod addresses from its pools, whatever the node podCIDRs: which pools lie in the range. */
function poolContainmentLine(cidr: Cidr, network: ClusterNetwork): string {
  const pools = (network.calico?.pools ?? []).filter((p) => p.cidr?.family === cidr.family);
  const text = pools.map((p) => {
    const inside = p.cidr && containsCidr(cidr, p.cidr) ? 'inside' : '**not inside**';
    return `${code(p.name)} ${code(formatCidr(p.cidr!))} ${inside}`;
  });
  return (
    "Calico IPAM gives pods addresses from its pools' blocks, not from node podCIDRs" +
    (text.length > 0 ? `; pools: ${text.join(', ')}` : '')
  );
}

// ---------------------------------------------------------------------------------------------------
// net-conf.json

function netConfHover(facts: FileFacts, cluster: Cluster, offset: number): HoverResult | undefined {
  for (const configMap of facts.configMaps) {
    const config = configMap.netConf;
    if (!config) continue;
    const conf = interpretNetConf(config.json.root);
    if (config.key.range && rangeContains([config.key.range[0], config.key.range[1]], offset)) {
      return {
        markdown: block(`**flannel ${code('net-conf.json')}**`, [
          ...networkLines(conf, cluster.network),
          backendLine(conf),
        ]),
        range: [config.key.range[0], config.key.range[1]],
      };
    }
    const scalarRange = config.json.scalar.range;
    if (!scalarRange || !rangeContains([scalarRange[0], scalarRange[1]], offset)) continue;
    const jsonOffset = config.json.toJsonOffset(offset);
    if (jsonOffset === undefined || !config.json.root) return undefined;
    const node = findNodeAtOffset(config.json.root, jsonOffset, true);
    const property = node?.parent?.type === 'property' ? node.parent : undefined;
    if (!node || !property?.children || node.type === 'object' || node.type === 'array') return undefined;
    const keyNode = property.children[0];
    const key = String(keyNode.value).toLowerCase();
    const markdown = netConfKeyMarkdown(key, property, config, conf, cluster.network);
    if (!markdown) return undefined;
    return { markdown, range: config.json.toFileRange(jsonNodeRange(node)) };
  }
  return undefined;
}

/** A hover in a net-conf.json that is not the one Podnet models for the cluster says so (duplicate-config). */
function unmodelledNote(
  hover: HoverResult | undefined,
  facts: FileFacts,
  cluster: Cluster,
  offset: number,
): HoverResult | undefined {
  const modelled = cluster.network.configMap;
  const configMap = facts.configMaps.find((c) => c.netConf && netConfContains(c.netConf, offset));
  if (!hover || !modelled || !configMap || modelled === configMap) return hover;
  const name = modelled.object.name?.value ?? '<unnamed>';
  const note = `Not the ConfigMap Podnet models for this cluster: that is ${name} (see duplicate-config).`;
  return { ...hover, markdown: `${hover.markdown}\n\n*${esc(note)}*` };
}

/** Whether the offset is on the `net-conf.json` key or in its value. */
function netConfContains(config: EmbeddedConfig, offset: number): boolean {
  const key = config.key.range;
  const value = config.json.scalar.range;
  return (!!key && rangeContains([key[0], key[1]], offset)) || (!!value && rangeContains([value[0], value[1]], offset));
}

function netConfKeyMarkdown(
  key: string,
  property: JsonNode,
  config: EmbeddedConfig,
  conf: NetConf,
  network: ClusterNetwork,
): string | undefined {
  const root = config.json.root;
  const object = property.parent;
  const backendObject = jsonLookup(root, 'Backend')?.valueNode;
  if (object === root) {
    switch (key) {
      case 'network':
      case 'subnetlen':
      case 'subnetmin':
      case 'subnetmax':
        return block(`**flannel ${code(keyTitle(key))}**`, [...networkLines(conf, network, key), backendLine(conf)]);
      case 'ipv6network':
      case 'ipv6subnetlen':
        return block(`**flannel ${code(keyTitle(key))}**`, ipv6Lines(conf, root));
      case 'backend':
        return backendMarkdown(conf, network);
    }
    return undefined;
  }
  if (object && object === backendObject) {
    if (key === 'type') return backendMarkdown(conf, network);
    const option = BACKENDS[conf.backendType]?.options.find((o) => o.key.toLowerCase() === key);
    if (option)
      return block(`**${esc(conf.backendType)} option ${code(option.key)}**`, [`${option.type}: ${esc(option.doc)}`]);
  }
  return undefined;
}

const KEY_TITLES: Record<string, string> = {
  network: 'Network',
  subnetlen: 'SubnetLen',
  subnetmin: 'SubnetMin',
  subnetmax: 'SubnetMax',
  ipv6network: 'IPv6Network',
  ipv6subnetlen: 'IPv6SubnetLen',
};
const keyTitle = (key: string) => KEY_TITLES[key] ?? key;

/**
 * The IPv4 Network and how it is cut into node subnets: by node podCIDRs in kube mode, by flannel's own
 * SubnetLen/SubnetMin/SubnetMax (flannel.md §1.5) in etcd mode.
 */
function networkLines(conf: NetConf, network: ClusterNetwork, focus = 'network'): string[] {
  const net = conf.network;
  if (!net)
    return [
      'Network: missing or not a valid IPv4 CIDR, so flannel has no IPv4 range (and exits while EnableIPv4 is true)',
    ];
  const lines = [`Network ${cidrLine(net)}`];
  const subnetLen = effectiveSubnetLen(net, conf.subnetLen);
  const kubeMask = network.nodeMaskSize;
  if (network.kubeMode) {
    if (kubeMask >= net.prefix) {
      lines.push(
        `${subnetCountText(net, kubeMask)} node subnets of /${kubeMask} (node podCIDRs, ` +
          `kube-controller-manager ${code('--node-cidr-mask-size')}), ${formatCount(podsPerSubnet(4, kubeMask))} ` +
          `pods per node`,
      );
    }
    const etcd =
      subnetLen === undefined
        ? ''
        : `; in etcd mode they would be SubnetLen ` +
          `/${subnetLen}${conf.subnetLen ? '' : ' (auto)'}, ${subnetRangeText(net, subnetLen, conf)}`;
    lines.push(
      `SubnetLen, SubnetMin and SubnetMax are ignored in kube mode (${code('--kube-subnet-mgr')}): each ` +
        `node's subnet is its podCIDR${focus === 'network' ? '' : etcd}`,
    );
  } else if (subnetLen === undefined) {
    lines.push(`Network is too small: flannel needs /28 or larger with an automatic SubnetLen`);
  } else {
    const auto = conf.subnetLen
      ? ''
      : ` (auto: ${net.prefix <= 22 ? 'Network is /22 or larger' : `Network prefix + 2`})`;
    lines.push(
      `${subnetCountText(net, subnetLen)} node subnets of /${subnetLen}, ` +
        `SubnetLen ${subnetLen}${auto}, ${formatCount(podsPerSubnet(4, subnetLen))} pods per node`,
    );
    lines.push(`flannel leases ${subnetRangeText(net, subnetLen, conf)}`);
  }
  const outside = network.nodes.filter((n) => n.podCidr && !n.podCidrInferred && !containsCidr(net, n.podCidr));
  if (outside.length > 0) {
    lines.push(
      `**node podCIDRs outside Network**: ${outside
        .slice(0, MAX_LISTED_PODS)
        .map((n) => `${esc(n.name)} ${code(formatCidr(n.podCidr!))}`)
        .join(', ')}`,
    );
  }
  if (network.clusterCidr?.cidr.family === 4) {
    const inside = containsCidr(net, network.clusterCidr.cidr) ? 'inside Network' : '**not inside Network**';
    lines.push(`${esc(network.clusterCidr.source)} ${code(formatCidr(network.clusterCidr.cidr))}: ${inside}`);
  }
  return lines;
}

/** SubnetMin..SubnetMax with flannel's defaults: the first subnet is skipped, the last one's start is the max. */
function subnetRangeText(net: Cidr, subnetLen: number, conf: NetConf): string {
  if (subnetLen > 32 || subnetLen < net.prefix) return `SubnetLen /${subnetLen} does not fit in Network /${net.prefix}`;
  const step = 1n << BigInt(32 - subnetLen);
  const min = conf.subnetMin?.value ?? net.address + step;
  const max = conf.subnetMax?.value ?? lastAddressOf(net) + 1n - step;
  const count = min <= max ? (max - min) / step + 1n : 0n;
  const minDefault = conf.subnetMin ? '' : ' (default: the first subnet is skipped)';
  const maxDefault = conf.subnetMax ? '' : ' (default: start of the last subnet)';
  const minText = `SubnetMin ${code(formatIp(4, min))}${minDefault}`;
  const maxText = `SubnetMax ${code(formatIp(4, max))}${maxDefault}`;
  const countText = count === 0n ? 'no subnets ("out of subnets")' : `${formatCount(count)} subnets`;
  return `${minText} to ${maxText}: ${countText}`;
}

function ipv6Lines(conf: NetConf, root: JsonNode | undefined): string[] {
  const net = conf.ipv6Network;
  const lines: string[] = [];
  if (!net) {
    lines.push('IPv6Network: missing or not a valid IPv6 CIDR');
  } else {
    lines.push(`IPv6Network ${cidrLine(net)}`);
    const len = effectiveSubnetLen(net, conf.ipv6SubnetLen);
    if (len === undefined)
      lines.push('IPv6Network is too small: flannel needs /124 or larger with an automatic IPv6SubnetLen');
    else if (len >= net.prefix && len <= 128) {
      lines.push(
        `${subnetCountText(net, len)} node subnets of ` +
          `/${len}${conf.ipv6SubnetLen ? '' : ' (auto)'}, ${formatCount(podsPerSubnet(6, len))} pods per node`,
      );
      const min = ipv6Setting(root, 'IPv6SubnetMin');
      const max = ipv6Setting(root, 'IPv6SubnetMax');
      const step = 1n << BigInt(128 - len);
      lines.push(
        `IPv6SubnetMin ${code(formatIp(6, min?.value ?? net.address + step))}${min ? '' : ' (default)'} to ` +
          `IPv6SubnetMax ${code(formatIp(6, max?.value ?? lastAddressOf(net) + 1n - step))}${max ? '' : ' (default)'}`,
      );
    }
  }
  if (!conf.enableIPv6) lines.push('EnableIPv6 is not true, so flannel ignores IPv6Network');
  return lines;
}

function ipv6Setting(root: JsonNode | undefined, key: string): IpAddress | undefined {
  const node = jsonLookup(root, key)?.valueNode;
  const ip = node?.type === 'string' ? parseIp(node.value as string) : undefined;
  return ip && ip.value !== 0n ? ip : undefined;
}

function backendLine(conf: NetConf): string {
  if (!conf.backendPresent)
    return 'Backend: missing, so flannel uses **udp** (not vxlan); set `"Backend": {"Type": "vxlan"}`';
  return `Backend: ${code(conf.backendType || '(no Type)')}`;
}

/** What the chosen backend builds on each node (flannel.md §2.2, §2.3). */
function backendMarkdown(conf: NetConf, network: ClusterNetwork): string {
  const type = conf.backendType;
  const info = BACKENDS[type];
  if (!info) {
    const lines: string[] = [];
    const availability = backendAvailability(type, network.flannelVersion, BACKEND_TYPES);
    const release = network.flannelVersion ? `flannel ${formatVersion(network.flannelVersion)}` : 'flannel';
    if (!type) lines.push('Backend has no Type: flanneld exits with "unknown backend type: "');
    else if (availability.state === 'registered')
      lines.push(`${code(type)} is a cloud backend of ${release} (removed in v0.20.0); it programs the cloud's routes`);
    else if (availability.state === 'removed')
      lines.push(
        `${code(type)} was removed from flannel in ${availability.removed}: flanneld exits with "unknown ` +
          `backend type: ${esc(type)}"`,
      );
    else if (availability.state === 'not-yet')
      lines.push(
        `${code(type)} arrived in flannel ${availability.since}: ${release} exits with "unknown backend type"`,
      );
    else {
      const guess = closestMatch(type, BACKEND_TYPES);
      lines.push(
        `${code(type)} is not a flannel backend: flanneld exits with "unknown backend ` +
          `type"${guess ? `; did you mean ${code(guess)}?` : ''}`,
      );
    }
    lines.push(`Backends: ${BACKEND_TYPES.map((t) => code(t)).join(', ')}`);
    return block('**flannel backend**', lines);
  }
  const lines: string[] = [esc(info.summary)];
  const device = info.device?.(conf.vni);
  if (device) {
    const v6 =
      conf.enableIPv6 && type === 'vxlan'
        ? ` and ${code(`flannel-v6.${conf.vni}`)}`
        : conf.enableIPv6 && type === 'wireguard'
          ? ` and ${code('flannel-wg-v6')} (in the default separate Mode)`
          : '';
    const address =
      type === 'udp' || type === 'wireguard'
        ? 'its subnet address with the Network prefix'
        : 'its subnet address as /32';
    lines.push(`device on each node: ${code(device)}${v6}, holding ${address}${tunnelExample(conf, network)}`);
  } else {
    lines.push(
      type === 'host-gw'
        ? "device on each node: none; routes to other nodes' subnets go via their node IPs on the NIC"
        : 'device on each node: none',
    );
  }
  const port = tunnelPort(conf);
  if (port !== undefined)
    lines.push(`encapsulation: UDP port ${port}${conf.port ? '' : ' (default)'}, ${info.overhead} bytes of overhead`);
  else if (info.overhead > 0) lines.push(`encapsulation overhead: ${info.overhead} bytes`);
  const underlay = conf.mtu ?? DEFAULT_UNDERLAY_MTU;
  const underlaySource = conf.mtu === undefined ? " (assumed: the NIC's MTU, Backend sets none)" : ' (Backend.MTU)';
  lines.push(
    `pod MTU ${podMtu(conf, DEFAULT_UNDERLAY_MTU)} = underlay ${underlay}${underlaySource} − ${info.overhead}`,
  );
  if (type === 'vxlan' && conf.directRouting)
    lines.push('DirectRouting: nodes on the same L2 subnet are routed directly, without VXLAN');
  lines.push(`requirements: ${esc(info.requirements)}`);
  lines.push(`status: ${info.status}; IPv6 ${info.supportsIPv6 ? 'supported' : 'not supported'}`);
  if (!conf.backendPresent)
    lines.unshift('Backend is missing, so flannel uses **udp** (not vxlan, whatever its docs say)');
  if (network.nodes.length > 0 && !conf.assumed)
    lines.push(`applies to the ${network.nodes.length} node${network.nodes.length === 1 ? '' : 's'} of this cluster`);
  return block(`**flannel backend ${code(type)}**`, lines);
}

/**
 * An example tunnel address from this cluster: a node's own, else the second node subnet of Network (the
 * first is usually the control plane's), so a cluster on 10.100.0.0/16 never reads 10.244.
 */
function tunnelExample(conf: NetConf, network: ClusterNetwork): string {
  const node = network.nodes.find((n) => n.tunnel?.address && n.podCidr);
  if (node?.tunnel?.address && node.podCidr) {
    const mark = node.podCidrInferred ? ', inferred' : '';
    return ` (on ${esc(node.name)}: ${code(node.tunnel.address)}${mark})`;
  }
  const net = conf.network;
  if (!net) return '';
  const subnetLen = network.kubeMode ? network.nodeMaskSize : effectiveSubnetLen(net, conf.subnetLen);
  if (subnetLen === undefined || subnetLen <= net.prefix || subnetLen > 32) return '';
  const subnet = { family: 4 as const, address: net.address + (1n << BigInt(32 - subnetLen)), prefix: subnetLen };
  const prefix = conf.backendType === 'udp' || conf.backendType === 'wireguard' ? net.prefix : 32;
  return (
    ` (e.g. ${code(`${formatIp(4, subnet.address)}/${prefix}`)} on a node whose subnet is ` +
    `${code(formatCidr(subnet))})`
  );
}

// ---------------------------------------------------------------------------------------------------
// Arithmetic and layout

const ipText = (ip: IpAddress) => formatIp(ip.family, ip.value);

function subnetCountText(pool: Cidr, mask: number): string {
  return formatCount(1n << BigInt(mask - pool.prefix));
}

/** Pod addresses host-local gives out in any node subnet of this size. */
const podsPerSubnet = (family: Family, prefix: number): bigint => podSubnetOf({ family, address: 0n, prefix }).podCount;

/** A hover of lines; `network` adds what is assumed about its CNI (net-conf.json hovers read their own). */
function block(title: string, lines: string[], network?: ClusterNetwork): string {
  const body = lines.filter((l) => l !== '').map((l) => `- ${l}`);
  const parts = [title, '', ...body];
  const note = network && assumptionNote(network);
  if (note) parts.push('', note);
  return parts.join('\n');
}

/** What the hover takes for granted about the CNI, when it is not told. */
function assumptionNote(network: ClusterNetwork): string | undefined {
  if (network.cni.kind === 'unknown') return CNI_UNKNOWN_NOTE;
  return network.cni.kind === 'flannel' && network.netConf.assumed ? ASSUMED_NOTE : undefined;
}
