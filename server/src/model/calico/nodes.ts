// What Calico says, or is predicted to build, on each node (calico.md §1.4, §3): the node address and the
// tunnel addresses calico-node writes in its Node annotations, the IPAM blocks BlockAffinity objects or
// the tunnel address tell, else a predicted block (Calico's real choice hashes the hostname: not worth
// reproducing, so it is said to be predicted), and the VXLAN device's MAC.
import { createHash } from 'node:crypto';
import {
  type Cidr,
  containsIp,
  formatCidr,
  type IpAddress,
  lastAddressOf,
  networkOf,
  parseCidr,
  parseIp,
} from '../../core/cidr';
import { get, getText } from '../../core/yamlAccess';
import { type ClusterFacts } from '../network';
import { type NodeFacts } from '../objects';
import { type BlockAffinityFacts } from './objects';
import { type CalicoBlock, type CalicoNetwork, type CalicoNodeNetwork, type CalicoPool } from './model';
import { parseSelector } from './selector';

const TUNNEL_ANNOTATIONS = [
  ['projectcalico.org/IPv4IPIPTunnelAddr', 'tunl0'],
  ['projectcalico.org/IPv4VXLANTunnelAddr', 'vxlan.calico'],
  ['projectcalico.org/IPv4WireguardInterfaceAddr', 'wireguard.cali'],
] as const;

type TunnelDevice = (typeof TUNNEL_ANNOTATIONS)[number][1];

export interface CalicoNodeInput {
  readonly name: string;
  readonly facts?: NodeFacts;
}

/** Each node's Calico state, in node order; blocks are predicted for nodes no live object tells. */
export function calicoNodesOf(
  nodes: readonly CalicoNodeInput[],
  calico: CalicoNetwork,
  facts: ClusterFacts,
): Map<string, CalicoNodeNetwork> {
  const usable = calico.pools.filter((p) => !p.disabled.value && p.cidr);
  const matchers = new Map(usable.map((p) => [p, parseSelector(p.nodeSelector.value)]));
  const affinities = facts.calico.filter((c): c is BlockAffinityFacts => c.kind === 'BlockAffinity');
  const drafts = nodes.map((node) => {
    const labels = new Map(node.facts?.labels ?? []);
    const pools = usable.filter((p) => {
      const matcher = matchers.get(p)!;
      return 'matches' in matcher && matcher.matches(labels);
    });
    return { node, pools, ...observedState(node, usable, affinities) };
  });
  // Blocks already held, so that predictions do not hand them out again.
  const taken: Cidr[] = drafts.flatMap((d) => d.blocks.map((b) => b.cidr));
  const usesTunnel = (pool: CalicoPool) => pool.ipipMode.value !== 'Never' || pool.vxlanMode.value !== 'Never';
  const result = new Map<string, CalicoNodeNetwork>();
  for (const draft of drafts) {
    const blocks = [...draft.blocks];
    const pool = draft.pools.find((p) => p.cidr?.family === 4);
    if (blocks.length === 0 && pool) {
      const block = nextFreeBlock(pool, taken);
      if (block) {
        taken.push(block);
        blocks.push({
          cidr: block,
          pool: pool.name,
          certainty: 'predicted',
          from:
            `predicted: the next free /${block.prefix} of pool ${pool.name} (${formatCidr(networkOf(pool.cidr!))}) ` +
            `in node order; Calico picks a node's block by a hash of its name, which manifests cannot tell`,
        });
      }
    }
    const tunnelAddresses = [...draft.tunnelAddresses];
    const first = blocks[0];
    const firstPool = first && usable.find((p) => p.name === first.pool);
    if (first && firstPool && usesTunnel(firstPool)) {
      const device: TunnelDevice = firstPool.vxlanMode.value !== 'Never' ? 'vxlan.calico' : 'tunl0';
      if (!tunnelAddresses.some((t) => t.device === device))
        tunnelAddresses.push({
          device,
          ip: { family: 4, value: networkOf(first.cidr).address },
          certainty: 'predicted',
        });
    }
    const usesVxlan = usable.some((p) => p.vxlanMode.value !== 'Never');
    const vxlanMac = vxlanMacOf(draft.node, usesVxlan);
    result.set(draft.node.name, {
      ...(draft.address ? { address: draft.address } : {}),
      blocks,
      tunnelAddresses,
      ...(vxlanMac ? { vxlanMac } : {}),
      pools: draft.pools.map((p) => p.name),
    });
  }
  return result;
}

function annotation(facts: NodeFacts | undefined, key: string): string | undefined {
  return getText(get(facts?.object.node, 'metadata', 'annotations'), key)?.value.trim();
}

/** What the node's annotations and BlockAffinity objects say (a live dump). */
function observedState(
  node: CalicoNodeInput,
  pools: readonly CalicoPool[],
  affinities: readonly BlockAffinityFacts[],
): Pick<CalicoNodeNetwork, 'address' | 'tunnelAddresses' | 'blocks'> {
  const addressCidr = parseCidr(annotation(node.facts, 'projectcalico.org/IPv4Address') ?? '');
  const address =
    addressCidr?.family === 4
      ? {
          ip: { family: 4 as const, value: addressCidr.address },
          prefix: addressCidr.prefix,
          certainty: 'observed' as const,
        }
      : undefined;
  const tunnelAddresses = TUNNEL_ANNOTATIONS.flatMap(([key, device]) => {
    const ip = parseIp(annotation(node.facts, key) ?? '');
    return ip?.family === 4 ? [{ device, ip, certainty: 'observed' as const }] : [];
  });
  const poolOf = (cidr: Cidr) =>
    pools.find(
      (p) => p.cidr && p.cidr.family === cidr.family && containsIp(p.cidr, { family: 4, value: cidr.address }),
    );
  const blocks: CalicoBlock[] = [];
  for (const affinity of affinities) {
    if (affinity.node?.value !== node.name || affinity.deleted?.value === 'true') continue;
    if (affinity.state && affinity.state.value !== 'confirmed') continue;
    const cidr = parseCidr(affinity.cidr?.value ?? '');
    if (cidr?.family !== 4) continue;
    blocks.push({
      cidr: networkOf(cidr),
      pool: poolOf(cidr)?.name ?? '(no pool)',
      certainty: 'observed',
      from: `BlockAffinity ${affinity.object.name?.value ?? ''}`.trim(),
    });
  }
  for (const tunnel of tunnelAddresses) {
    const holding = blocks.findIndex((b) => containsIp(b.cidr, tunnel.ip));
    if (holding > 0) blocks.unshift(...blocks.splice(holding, 1));
    if (holding >= 0) continue;
    const pool = pools.find((p) => p.cidr && containsIp(p.cidr, tunnel.ip));
    const size = pool?.blockSize.value;
    if (!pool || size === undefined || size < pool.cidr!.prefix || size > 32) continue;
    blocks.unshift({
      cidr: networkOf({ family: 4, address: tunnel.ip.value, prefix: size }),
      pool: pool.name,
      certainty: 'observed',
      from: 'tunnel address annotation',
    });
  }
  return { ...(address ? { address } : {}), tunnelAddresses, blocks };
}

/** The first block of the pool no node holds; none when the block size cannot split the pool. */
function nextFreeBlock(pool: CalicoPool, taken: readonly Cidr[]): Cidr | undefined {
  const cidr = networkOf(pool.cidr!);
  const size = pool.blockSize.value;
  if (!Number.isInteger(size) || size < cidr.prefix || size > 32) return undefined;
  const step = 1n << BigInt(32 - size);
  const last = lastAddressOf(cidr);
  let address = cidr.address;
  while (address <= last) {
    const candidate: Cidr = { family: 4, address, prefix: size };
    const overlapping = taken.find(
      (t) => t.family === 4 && t.address <= lastAddressOf(candidate) && candidate.address <= lastAddressOf(t),
    );
    if (!overlapping) return candidate;
    // Past the whole taken range at once, rounded up to a block boundary.
    const past = lastAddressOf(overlapping) + 1n;
    address = past > address ? cidr.address + ((past - cidr.address + step - 1n) / step) * step : address + step;
  }
  return undefined;
}

/** Node spec.vxlanTunnelMACAddr, else Felix's: 0x66 then the first 5 bytes of SHA-1 of the node name. */
function vxlanMacOf(node: CalicoNodeInput, usesVxlan: boolean): CalicoNodeNetwork['vxlanMac'] {
  const given = getText(node.facts?.object.node, 'spec', 'vxlanTunnelMACAddr')?.value.trim();
  if (given) return { mac: given.toLowerCase(), certainty: 'observed' };
  if (!usesVxlan) return undefined;
  const hash = createHash('sha1').update(node.name).digest();
  const bytes = [0x66, ...hash.subarray(0, 5)];
  return { mac: bytes.map((b) => b.toString(16).padStart(2, '0')).join(':'), certainty: 'predicted' };
}

/** The first address pods get in the node's first block: past the tunnel device's when it holds the first. */
export function podRangeOf(
  calico: CalicoNodeNetwork,
): { first: IpAddress; last: IpAddress; count: bigint } | undefined {
  const block = calico.blocks[0];
  if (!block) return undefined;
  const start = networkOf(block.cidr).address;
  const last = lastAddressOf(block.cidr);
  const first = calico.tunnelAddresses.some((t) => t.ip.value === start) ? start + 1n : start;
  if (first > last) return undefined;
  return { first: { family: 4, value: first }, last: { family: 4, value: last }, count: last - first + 1n };
}
