// flannel's reading of net-conf.json (flannel.md §1): case-insensitive keys, last duplicate wins,
// host bits masked, a missing Backend meaning udp. Values that flannel would reject are left undefined;
// the rules report them.
import { type Cidr, type IpAddress, networkOf, parseCidr, parseIp } from '../core/cidr';
import { type JsonNode, jsonLookup } from '../core/embeddedJson';
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
const boolOf = (node: JsonNode | undefined): boolean | undefined =>
  node?.type === 'boolean' ? (node.value as boolean) : undefined;
const uintOf = (node: JsonNode | undefined): number | undefined =>
  node?.type === 'number' && Number.isInteger(node.value) && node.value >= 0 ? (node.value as number) : undefined;
const intOf = (node: JsonNode | undefined): number | undefined =>
  node?.type === 'number' && Number.isInteger(node.value) ? (node.value as number) : undefined;

export function interpretNetConf(root: JsonNode | undefined): NetConf {
  const value = (key: string) => jsonLookup(root, key)?.valueNode;
  const networkCidr = parseCidr(stringOf(value('Network')) ?? '');
  const ipv6Cidr = parseCidr(stringOf(value('IPv6Network')) ?? '');
  const backendNode = value('Backend');
  const backendPresent = backendNode !== undefined;
  const typeNode = jsonLookup(backendNode, 'Type')?.valueNode;
  const backendType = !backendPresent ? 'udp' : (stringOf(typeNode) ?? '').toLowerCase();
  const option = (key: string) => jsonLookup(backendNode, key)?.valueNode;
  const vni = intOf(option('VNI'));
  const portKey = backendType === 'wireguard' ? 'ListenPort' : 'Port';
  const port = intOf(option(portKey));
  return {
    network: networkCidr?.family === 4 ? networkOf(networkCidr) : undefined,
    ipv6Network: ipv6Cidr?.family === 6 ? networkOf(ipv6Cidr) : undefined,
    enableIPv4: boolOf(value('EnableIPv4')) ?? true,
    enableIPv6: boolOf(value('EnableIPv6')) ?? false,
    subnetLen: uintOf(value('SubnetLen')) ?? 0,
    ipv6SubnetLen: uintOf(value('IPv6SubnetLen')) ?? 0,
    subnetMin: ipv4Of(stringOf(value('SubnetMin'))),
    subnetMax: ipv4Of(stringOf(value('SubnetMax'))),
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
