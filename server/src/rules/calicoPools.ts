// calico-pool-cidr and calico-pool-overlap: a pool's range as Calico checks it (calico.md §2). IPPool
// objects and Installation pools must be strictly masked; calico-node masks its env CIDR itself, so host bits
// there are only information.
import { type Cidr, formatCidr, hasHostBits, networkOf, overlaps, parseCidr } from '../core/cidr';
import { Locator } from '../model/locations';
import { type CalicoPool } from '../model/calico/model';
import { calicoRuleFactsOf, cidrText, poolLabel, writtenCidr } from '../model/calico/ruleFacts';
import { type Cluster } from '../model/workspace';
import { type Finding, type RuleContext } from './types';

const LINK_LOCAL: readonly Cidr[] = [parseCidr('169.254.0.0/16')!, parseCidr('fe80::/10')!];

export function checkCalicoPools({ cluster, report }: RuleContext): void {
  const facts = calicoRuleFactsOf(cluster);
  if (!facts) return;
  for (const pool of facts.allPools) checkCidr(pool, cluster, report);
  checkOverlaps(facts.calico.pools, report);
}

const refuses = (pool: CalicoPool) =>
  pool.shape === 'calico-node-env'
    ? 'calico-node cannot create its default pool and exits at start'
    : pool.shape === 'installation'
      ? 'the operator refuses the Installation'
      : 'Calico refuses the IPPool';

function checkCidr(pool: CalicoPool, cluster: Cluster, report: (finding: Finding) => void): void {
  const place = writtenCidr(pool);
  const say = (message: string, extra: Partial<Finding> = {}) =>
    place && report({ code: 'calico-pool-cidr', uri: place.uri, range: place.range, message, ...extra });
  if (!pool.cidr) {
    const missing = pool.cidrText.value.trim() === '';
    if (place && !missing)
      say(
        `\`${pool.cidrText.value}\` is not a CIDR: ` +
          (pool.shape === 'calico-node-env'
            ? 'calico-node exits at start ("Invalid CIDR specified in CALICO_IPV4POOL_CIDR").'
            : `${refuses(pool)}.`),
      );
    else if (missing && pool.source && pool.shape !== 'default') reportMissing(pool, cluster, report);
    return;
  }
  const network = networkOf(pool.cidr);
  if (hasHostBits(pool.cidr)) {
    const masked = formatCidr(network);
    const fix = place && {
      title: `Mask to ${masked}`,
      edits: [{ uri: place.uri, range: place.range, newText: masked }],
    };
    if (pool.shape === 'calico-node-env')
      say(`${pool.cidrText.value.trim()} has host bits set: calico-node masks it and creates the pool ${masked}.`, {
        severity: 'information',
        ...(fix ? { fixes: [{ ...fix, preferred: true }] } : {}),
      });
    else
      say(
        `${pool.cidrText.value.trim()} has host bits set: ${refuses(pool)}; it takes the network address ${masked}.`,
        {
          ...(fix ? { fixes: [{ ...fix, preferred: true }] } : {}),
        },
      );
  }
  const linkLocal = LINK_LOCAL.find((range) => range.family === network.family && overlaps(range, network));
  if (linkLocal)
    say(
      `${cidrText(network)} overlaps the link-local range ${formatCidr(linkLocal)}, which Calico keeps for itself ` +
        `(169.254.1.1 is every pod's gateway): ${refuses(pool)}.`,
    );
  const block = pool.blockSize.value;
  const [low, high] = network.family === 4 ? [20, 32] : [116, 128];
  if (block >= low && block <= high && network.prefix > block)
    say(
      `${poolLabel(pool)} (/${network.prefix}) is smaller than one of its /${block} blocks: ${refuses(pool)} ` +
        '("IP pool size is too small"). Use a larger pool or a block size at least as long as its prefix.',
    );
}

/** An IPPool or Installation pool with no cidr at all: the object's name (or the pool entry) is the place. */
function reportMissing(pool: CalicoPool, cluster: Cluster, report: (finding: Finding) => void): void {
  const source = pool.source!;
  const object = cluster.facts.calico.find(
    (c) => c.object.uri === source.uri && c.object.range[0] === source.range[0],
  )?.object;
  const range = object ? new Locator(cluster).anchor(object) : source.range;
  report({
    code: 'calico-pool-cidr',
    uri: source.uri,
    range: [range[0], object ? range[1] : range[0]],
    message: `${poolLabel(pool)} has no cidr: ${refuses(pool)}.`,
  });
}

function checkOverlaps(pools: readonly CalicoPool[], report: (finding: Finding) => void): void {
  const ranged = pools.filter((p) => p.cidr && writtenCidr(p));
  ranged.forEach((a, i) => {
    for (const b of ranged.slice(i + 1)) {
      // The same name is the same pool: the one applied last replaces the other.
      if (a.name === b.name && a.shape !== 'installation' && b.shape !== 'installation') continue;
      const [na, nb] = [networkOf(a.cidr!), networkOf(b.cidr!)];
      if (na.family !== nb.family || !overlaps(na, nb)) continue;
      for (const [pool, other] of [
        [a, b],
        [b, a],
      ] as const) {
        const place = writtenCidr(pool)!;
        report({
          code: 'calico-pool-overlap',
          uri: place.uri,
          range: place.range,
          message:
            `${poolLabel(pool)} (${cidrText(pool.cidr!)}) overlaps ${poolLabel(other)} (${cidrText(other.cidr!)}): ` +
            'Calico refuses to create a pool that overlaps an existing one, so only the first applied exists.',
        });
      }
    }
  });
}
