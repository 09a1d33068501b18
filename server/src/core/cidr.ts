// IP address and CIDR arithmetic for both families, on bigint so IPv6 needs no special cases.
// Parsing follows Go's net.ParseIP / net.ParseCIDR, which flannel and Kubernetes use: IPv4 octets
// without leading zeros, IPv6 with `::` and an optional dotted IPv4 tail, no zones.

export type Family = 4 | 6;

export interface IpAddress {
  family: Family;
  value: bigint;
}

export interface Cidr {
  family: Family;
  /** The address as written, host bits included. */
  address: bigint;
  prefix: number;
}

export const bitsOf = (family: Family): number => (family === 4 ? 32 : 128);

export function parseIp(text: string): IpAddress | undefined {
  if (text.includes(':')) {
    const value = parseIPv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIPv4(text);
  return value === undefined ? undefined : { family: 4, value };
}

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIPv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4(piece);
        if (v4 === undefined) return undefined;
        groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
        groups.push(parseInt(piece, 16));
      }
    }
    return groups;
  };
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 2 && halves[0] !== '' && halves[0].includes('.')) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^[0-9]{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > bitsOf(ip.family)) return undefined;
  return { family: ip.family, address: ip.value, prefix };
}

export function maskOf(family: Family, prefix: number): bigint {
  const bits = BigInt(bitsOf(family));
  const all = (1n << bits) - 1n;
  return all ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

/** The network address: the CIDR with its host bits cleared, as Go's ParseCIDR returns it. */
export function networkOf(cidr: Cidr): Cidr {
  return { ...cidr, address: cidr.address & maskOf(cidr.family, cidr.prefix) };
}

export const hasHostBits = (cidr: Cidr): boolean => networkOf(cidr).address !== cidr.address;

export const sizeOf = (cidr: Cidr): bigint => 1n << BigInt(bitsOf(cidr.family) - cidr.prefix);

export const lastAddressOf = (cidr: Cidr): bigint => networkOf(cidr).address + sizeOf(cidr) - 1n;

export function containsIp(cidr: Cidr, ip: IpAddress): boolean {
  return cidr.family === ip.family && (ip.value & maskOf(cidr.family, cidr.prefix)) === networkOf(cidr).address;
}

/** flannel's containsCIDR: the outer prefix is no longer than the inner one and holds its address. */
export function containsCidr(outer: Cidr, inner: Cidr): boolean {
  return (
    outer.family === inner.family &&
    outer.prefix <= inner.prefix &&
    containsIp(outer, { family: inner.family, value: inner.address })
  );
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const shorter = Math.min(a.prefix, b.prefix);
  const mask = maskOf(a.family, shorter);
  return (a.address & mask) === (b.address & mask);
}

export function formatIp(family: Family, value: bigint): string {
  if (family === 4) {
    // One BigInt conversion, then plain integer arithmetic: topologies format thousands of addresses.
    const n = Number(value & 0xffffffffn);
    return `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  // Compress the longest run of two or more zero groups, as Go and `ip` print them.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export const formatCidr = (cidr: Cidr): string => `${formatIp(cidr.family, cidr.address)}/${cidr.prefix}`;

export const formatAddress = (ip: IpAddress): string => formatIp(ip.family, ip.value);

/** A count for people: exact below a million, otherwise as a power of two. */
export function formatCount(count: bigint): string {
  if (count < 1_000_000n) return count.toLocaleString('en-US');
  const exponent = count.toString(2).length - 1;
  return 1n << BigInt(exponent) === count ? `2^${exponent}` : `about 2^${exponent}`;
}

/**
 * A node's pod subnet as the bridge and host-local plugins use it: the first address after the network is
 * cni0's gateway, pods get the rest from the one after it, and IPv4 keeps the broadcast address back.
 * Subnets too small for that (/31, /32, /127, /128) have no gateway and no pod address.
 */
export interface PodSubnet {
  /** Host bits cleared. */
  network: Cidr;
  gateway?: IpAddress;
  firstPod?: IpAddress;
  lastPod?: IpAddress;
  podCount: bigint;
  /** IPv4 subnets of /30 and larger only (a /31 has none, RFC 3021). */
  broadcast?: IpAddress;
}

export function podSubnetOf(cidr: Cidr): PodSubnet {
  const network = networkOf(cidr);
  const { family } = network;
  const at = (value: bigint): IpAddress => ({ family, value });
  const last = lastAddressOf(network);
  const broadcast = family === 4 && network.prefix <= 30 ? at(last) : undefined;
  if (network.prefix > bitsOf(family) - 2) return { network, podCount: 0n, broadcast };
  const lastPod = broadcast ? last - 1n : last;
  return {
    network,
    gateway: at(network.address + 1n),
    firstPod: at(network.address + 2n),
    lastPod: at(lastPod),
    podCount: lastPod - network.address - 1n,
    broadcast,
  };
}
