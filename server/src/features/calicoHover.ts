// Hover on a Calico pool's values (calico.md §1, §3): its range, blocks, what its encapsulation builds on the
// nodes, and which nodes its nodeSelector matches with their blocks. The same hover for each of the pool's
// values, whichever of the four shapes it is written in; a pool calico-node does not use says why first.
// Also the lines a node's and a pod's hover show in a Calico cluster.
import { bitsOf, formatAddress, formatCidr, formatCount, sizeOf } from '../core/cidr';
import { code, escapeMarkdown as esc, truncate } from '../core/markdown';
import { type OffsetRange, rangeContains } from '../core/text';
import { type CalicoNetwork, type CalicoPool, type Sourced } from '../model/calico/model';
import { felixProgramsIpipRoutes } from '../model/calico/release';
import { type ClusterNetwork, type NodeNetwork } from '../model/network';
import { type HoverResult } from './hover';

const SHAPES: Record<CalicoPool['shape'], string> = {
  installation: 'Installation pool',
  'calico-node-env': "calico-node's default pool (CALICO_IPV4POOL_* env)",
  'ippool-v3': 'IPPool (projectcalico.org/v3)',
  'ippool-crd-v1': 'IPPool (crd.projectcalico.org/v1)',
  default: "Calico's default pool",
};

const MAX_LISTED_NODES = 10;

export function calicoPoolHover(network: ClusterNetwork, uri: string, offset: number): HoverResult | undefined {
  const calico = network.calico;
  if (!calico) return undefined;
  const candidates = [
    ...calico.pools.map((pool) => ({ pool, ignored: undefined as string | undefined })),
    ...calico.ignoredPools.map(({ pool, why }) => ({ pool, ignored: why })),
  ];
  for (const { pool, ignored } of candidates) {
    const range = valueRangeAt(pool, uri, offset);
    if (range) return { markdown: poolMarkdown(pool, ignored, calico, network), range };
  }
  return undefined;
}

/** The range of the pool's value under the cursor, when one of its values is written there. */
function valueRangeAt(pool: CalicoPool, uri: string, offset: number): OffsetRange | undefined {
  const values: Array<Sourced<unknown> | undefined> = [
    pool.cidrText,
    pool.blockSize,
    pool.ipipMode,
    pool.vxlanMode,
    pool.encapsulation,
    pool.natOutgoing,
    pool.nodeSelector,
    pool.disabled,
  ];
  for (const value of values) {
    const source = value?.source;
    if (source && source.uri === uri && rangeContains(source.range, offset)) return source.range;
  }
  return undefined;
}

function poolMarkdown(
  pool: CalicoPool,
  ignored: string | undefined,
  calico: CalicoNetwork,
  network: ClusterNetwork,
): string {
  const lines: string[] = [];
  if (ignored) lines.push(`**Not used:** ${esc(ignored)}`);
  if (pool.disabled.value) lines.push('**Disabled:** no new addresses are handed out from this pool.');
  lines.push(rangeLine(pool));
  lines.push(...encapsulationLines(pool, calico));
  lines.push(
    (pool.natOutgoing.value
      ? "NAT outgoing: traffic from its pods to addresses outside every pool leaves with the node's IP"
      : 'NAT outgoing off: its pods reach the outside with their own addresses') + defaultNote(pool.natOutgoing),
  );
  if (!ignored) lines.push(...nodeLines(pool, network));
  return `**${SHAPES[pool.shape]} ${code(pool.name)}**\n\n${lines.map((l) => `- ${l}`).join('\n')}`;
}

function rangeLine(pool: CalicoPool): string {
  const cidr = pool.cidr;
  if (!cidr) return `${code(pool.cidrText.value)} is not a CIDR Calico can read`;
  const blockSize = pool.blockSize.value;
  const text = `${code(formatCidr(cidr))}: ${formatCount(sizeOf(cidr))} addresses${defaultNote(pool.cidrText)}`;
  if (blockSize < cidr.prefix || blockSize > bitsOf(cidr.family)) return text;
  const perBlock = 1n << BigInt(bitsOf(cidr.family) - blockSize);
  const blocks = sizeOf(cidr) / perBlock;
  return (
    `${text}; blocks of /${blockSize} (${formatCount(perBlock)} addresses each)${defaultNote(pool.blockSize)}: ` +
    `${formatCount(blocks)} blocks, claimed by the nodes as they need them`
  );
}

function encapsulationLines(pool: CalicoPool, calico: CalicoNetwork): string[] {
  const ipip = pool.ipipMode.value;
  const vxlan = pool.vxlanMode.value;
  const written = pool.encapsulation ? `${code(pool.encapsulation.value)}: ` : '';
  const birdProto = birdProtocol(calico);
  if (ipip !== 'Never' && vxlan !== 'Never') return [`${written}IPIP and VXLAN both on: Calico refuses such a pool`];
  if (ipip !== 'Never')
    return [
      `${written}IP-in-IP ${ipip === 'Always' ? 'to every other node' : 'to nodes in another subnet'}: ` +
        `${code('tunl0')} (IP protocol 4, 20 bytes per packet), routes ` +
        `${code(`<block> via <node IP> dev tunl0 ${birdProto}onlink`)}${defaultNote(pool.ipipMode)}`,
      ...(ipip === 'CrossSubnet' ? [sameSubnetLine(birdProto)] : []),
    ];
  if (vxlan !== 'Never')
    return [
      `${written}VXLAN ${vxlan === 'Always' ? 'to every other node' : 'to nodes in another subnet'}: ` +
        `${code('vxlan.calico')} (VNI 4096, UDP 4789, 50 bytes per packet), routes ` +
        `${code('<block> via <tunnel IP> dev vxlan.calico onlink')} programmed by Felix${defaultNote(pool.vxlanMode)}`,
      ...(vxlan === 'CrossSubnet' ? [sameSubnetLine('proto 80 ')] : []),
    ];
  const route = code(`<block> via <node IP> dev eth0 ${birdProto}`.trim());
  return [
    `${written}no encapsulation${defaultNote(pool.ipipMode)}: routes ${route}; ` +
      'the network between the nodes must carry pod addresses (one L2 segment, or BGP peering with its routers)',
  ];
}

const sameSubnetLine = (proto: string): string =>
  `within one subnet no tunnel: ${code(`<block> via <node IP> dev eth0 ${proto}`.trim())}`;

/** `proto bird ` while BIRD programs the routes (up to 3.32), Felix's `proto 80 ` from 3.33. */
const birdProtocol = (calico: CalicoNetwork): string => (felixProgramsIpipRoutes(calico) ? 'proto 80 ' : 'proto bird ');

function nodeLines(pool: CalicoPool, network: ClusterNetwork): string[] {
  const selector = `nodeSelector ${code(truncate(pool.nodeSelector.value))}${defaultNote(pool.nodeSelector)}`;
  if (network.nodes.length === 0) return [`${selector}; no node is known in this workspace`];
  const matched = network.nodes.filter((node) => node.calico?.pools.includes(pool.name));
  if (matched.length === 0) return [`${selector} matches none of the ${network.nodes.length} known nodes`];
  const listed = matched.slice(0, MAX_LISTED_NODES).map((node) => {
    const blocks = (node.calico?.blocks ?? []).filter((b) => b.pool === pool.name);
    const text = blocks.map((b) => `${code(formatCidr(b.cidr))} (${b.certainty}: ${esc(b.from)})`).join(', ');
    return `  - ${esc(node.name)}${text ? `: ${text}` : ''}`;
  });
  const more = matched.length > MAX_LISTED_NODES ? [`  - … and ${matched.length - MAX_LISTED_NODES} more`] : [];
  return [
    `${selector} matches ${matched.length} of ${network.nodes.length} nodes:\n${[...listed, ...more].join('\n')}`,
  ];
}

/** ` (default: why)` for a value nobody wrote. */
const defaultNote = (value: Sourced<unknown>): string =>
  value.defaulted ? ` *(default: ${esc(value.defaulted)})*` : '';

/** A Calico node's addressing: its address and subnet, blocks, tunnel devices, pod range and MTU. */
export function calicoNodeLines(node: NodeNetwork): string[] {
  const calico = node.calico;
  const lines: string[] = [];
  const address = calico?.address;
  if (address)
    lines.push(
      `node address ${code(`${formatAddress(address.ip)}/${address.prefix}`)} (${address.certainty}: ` +
        `${code('projectcalico.org/IPv4Address')}); nodes in the same subnet reach each other without a tunnel ` +
        'in CrossSubnet mode',
    );
  const blocks = calico?.blocks ?? [];
  if (blocks.length === 0) lines.push('IPAM block: none (no pool matches this node, or the pool is not readable)');
  for (const b of blocks)
    lines.push(`IPAM block ${code(formatCidr(b.cidr))} of pool ${code(b.pool)} (${b.certainty}: ${esc(b.from)})`);
  for (const t of calico?.tunnelAddresses ?? [])
    lines.push(`${code(t.device)} ${code(`${formatAddress(t.ip)}/32`)} (${t.certainty})`);
  if (calico?.vxlanMac)
    lines.push(`${code('vxlan.calico')} MAC ${code(calico.vxlanMac.mac)} (${calico.vxlanMac.certainty})`);
  if (node.firstPodAddress && node.lastPodAddress && node.podAddressCount !== undefined)
    lines.push(
      `pod addresses: ${code(formatAddress(node.firstPodAddress))} – ${code(formatAddress(node.lastPodAddress))} ` +
        `(${formatCount(node.podAddressCount)} in the first block; Calico claims another block when it is full)`,
    );
  lines.push(NO_BRIDGE);
  lines.push(`pod MTU ${node.podMtu}, NIC MTU ${node.underlayMtu}${node.underlayMtuAssumed ? ' (assumed)' : ''}`);
  return lines;
}

/** What replaces cni0 under Calico's CNI plugin (Calico and Canal). */
export const NO_BRIDGE =
  `no bridge: each pod's veth (${code('cali…')}, MAC ${code('ee:ee:ee:ee:ee:ee')}) is routed by the host ` +
  `(${code('<pod IP> dev cali… scope link')}); pods reach it through ${code('169.254.1.1')}`;
