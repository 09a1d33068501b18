// flannel's reading of net-conf.json (flannel.md §1): case-insensitive keys, last duplicate wins (for plain
// bool and number fields, the last one that is not null), IPs and CIDRs read from the raw JSON text, host bits
// masked, a missing Backend meaning udp. Values that flannel would reject are left undefined; the rules
// report them.
import { type Cidr, type IpAddress, networkOf, parseCidr, parseIp } from '../core/cidr';
import { hasJsonEscape, type JsonNode, jsonLookup, jsonLookupNonNull } from '../core/embeddedJson';
import { BACKENDS } from './backends';

export const DEFAULT_NETWORK = '10.244.0.0/16';
export const DEFAULT_BACKEND = 'vxlan';

export interface NetConf {
  network?: Cidr;
  ipv6Network?: Cidr;
  enableIPv4: boolean;
  enableIPv6: boolean;
  /** 0 means automatic. */
  subnetLen: number;
  ipv6SubnetLen: number;
  subnetMin?: IpAddress;
  subnetMax?: IpAddress;
  /** Lower-cased backend type as flannel looks it up; `udp` when Backend is absent. */
  backendType: string;
  backendPresent: boolean;
  vni: number;
  port?: number;
  /** Underlay MTU from Backend.MTU, when given. */
  mtu?: number;
  directRouting: boolean;
  /** True when no ConfigMap was found and flannel's manifest defaults are assumed. */
  assumed: boolean;
}

/** The configuration of flannel's own kube-flannel.yml, assumed when a cluster has no ConfigMap. */
export function assumedNetConf(): NetConf {
  return {
    network: parseCidr(DEFAULT_NETWORK),
    enableIPv4: true,
    enableIPv6: false,
    subnetLen: 0,
    ipv6SubnetLen: 0,
    backendType: DEFAULT_BACKEND,
    backendPresent: true,
    vni: 1,
    directRouting: false,
    assumed: true,
  };
}

const stringOf = (node: JsonNode | undefined): string | undefined =>
  node?.type === 'string' ? (node.value as string) : undefined;
/**
 * What flannel's IP and CIDR decoders (pkg/ip `UnmarshalJSON`) parse: the raw JSON bytes with the quotes
 * trimmed, never unescaped. A value written with an escape therefore never parses.
 */
const addressTextOf = (node: JsonNode | undefined): string | undefined =>
  node && !hasJsonEscape(node) ? stringOf(node) : undefined;
const boolOf = (node: JsonNode | undefined): boolean | undefined =>
  node?.type === 'boolean' ? (node.value as boolean) : undefined;
const uintOf = (node: JsonNode | undefined): number | undefined =>
  node?.type === 'number' && Number.isInteger(node.value) && node.value >= 0 ? (node.value as number) : undefined;
const intOf = (node: JsonNode | undefined): number | undefined =>
  node?.type === 'number' && Number.isInteger(node.value) ? (node.value as number) : undefined;

/**
 * Keys of subnet.Config whose Go field is a plain bool or uint, where null leaves the value as it was. For
 * the others null is not a no-op: the IP and CIDR decoders fail on it, and it resets `IPv6SubnetMin`/`Max`
 * (pointers) and `Backend` (raw JSON, read as an empty Type).
 */
const PLAIN_NETCONF_KEYS = new Set(['enableipv4', 'enableipv6', 'enablenftables', 'subnetlen', 'ipv6subnetlen']);

/**
 * Whether a JSON null for `key` leaves flannel's value as it was: true for the plain top-level fields and for
 * every backend option (each backend decodes Backend into a struct of plain fields).
 */
export const nullKeepsNetConfValue = (key: string, insideBackend: boolean): boolean =>
  insideBackend || PLAIN_NETCONF_KEYS.has(key.toLowerCase());

export function interpretNetConf(root: JsonNode | undefined): NetConf {
  const value = (key: string) => jsonLookup(root, key)?.valueNode;
  const plain = (key: string) => jsonLookupNonNull(root, key)?.valueNode;
  const networkCidr = parseCidr(addressTextOf(value('Network')) ?? '');
  const ipv6Cidr = parseCidr(addressTextOf(value('IPv6Network')) ?? '');
  const backendNode = value('Backend');
  const backendPresent = backendNode !== undefined;
  const typeNode = jsonLookupNonNull(backendNode, 'Type')?.valueNode;
  const backendType = !backendPresent ? 'udp' : (stringOf(typeNode) ?? '').toLowerCase();
  const option = (key: string) => jsonLookupNonNull(backendNode, key)?.valueNode;
  const vni = intOf(option('VNI'));
  const portKey = backendType === 'wireguard' ? 'ListenPort' : 'Port';
  const port = intOf(option(portKey));
  return {
    network: networkCidr?.family === 4 ? networkOf(networkCidr) : undefined,
    ipv6Network: ipv6Cidr?.family === 6 ? networkOf(ipv6Cidr) : undefined,
    enableIPv4: boolOf(plain('EnableIPv4')) ?? true,
    enableIPv6: boolOf(plain('EnableIPv6')) ?? false,
    subnetLen: uintOf(plain('SubnetLen')) ?? 0,
    ipv6SubnetLen: uintOf(plain('IPv6SubnetLen')) ?? 0,
    subnetMin: ipv4Of(addressTextOf(value('SubnetMin'))),
    subnetMax: ipv4Of(addressTextOf(value('SubnetMax'))),
    backendType,
    backendPresent,
    vni: vni !== undefined && vni >= 0 ? vni : 1,
    port: port !== undefined && port > 0 ? port : undefined,
    mtu: intOf(option('MTU')),
    directRouting: boolOf(option('DirectRouting')) === true,
    assumed: false,
  };
}

function ipv4Of(text: string | undefined): IpAddress | undefined {
  const ip = text === undefined ? undefined : parseIp(text);
  return ip?.family === 4 && ip.value !== 0n ? ip : undefined;
}

/** flannel's automatic SubnetLen (§1.5): /24 up to a /22 network, else prefix + 2; undefined when too small. */
/** The network flannel allocates from for an address family, when that family is enabled. */
export function networkOfFamily(conf: NetConf, family: 4 | 6): Cidr | undefined {
  if (family === 4) return conf.enableIPv4 ? conf.network : undefined;
  return conf.enableIPv6 ? conf.ipv6Network : undefined;
}

export function effectiveSubnetLen(network: Cidr, subnetLen: number): number | undefined {
  if (subnetLen > 0) return subnetLen;
  const limit = network.family === 4 ? { tooSmall: 28, big: 22, length: 24 } : { tooSmall: 124, big: 62, length: 64 };
  if (network.prefix > limit.tooSmall) return undefined;
  return network.prefix <= limit.big ? limit.length : network.prefix + 2;
}

export const backendInfo = (conf: NetConf) => BACKENDS[conf.backendType];

export function podMtu(conf: NetConf, underlayMtu: number): number {
  return (conf.mtu ?? underlayMtu) - (backendInfo(conf)?.overhead ?? 0);
}

export function tunnelPort(conf: NetConf): number | undefined {
  return conf.port ?? backendInfo(conf)?.defaultPort;
}
