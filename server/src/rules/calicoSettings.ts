// calico-setting-invalid: the values Calico itself refuses (calico.md §2), at the value. The readers
// (model/calico/) record what they cannot read; this adds the checks that need the whole pool (block size
// by family, IPIP on IPv6) and the Installation's `bgp`, and offers `interface=<name>` for a bare NIC name.
import { type CalicoPool, type ValueSource } from '../model/calico/model';
import { calicoRuleFactsOf, type CalicoRuleFacts, poolLabel } from '../model/calico/ruleFacts';
import { wholeNumber } from '../model/calico/sourced';
import { type Severity } from './registry';
import { type QuickFix, type RuleContext } from './types';

/** Problems about a pool CIDR are calico-pool-cidr's. */
const isCidrProblem = (message: string) => /is not a CIDR|has no CIDR/.test(message);

const BLOCK_RANGE = { 4: [20, 32], 6: [116, 128] } as const;

export function checkCalicoSettings({ cluster, report }: RuleContext): void {
  const facts = calicoRuleFactsOf(cluster);
  if (!facts) return;
  const at = (source: ValueSource | undefined, message: string, severity?: Severity, fixes?: QuickFix[]) => {
    if (!source) return;
    report({
      code: 'calico-setting-invalid',
      uri: source.uri,
      range: source.range,
      message,
      ...(severity ? { severity } : {}),
      ...(fixes?.length ? { fixes } : {}),
    });
  };
  for (const problem of facts.calico.invalid) {
    if (isCidrProblem(problem.message)) continue;
    at(problem.source, problem.message, undefined, autodetectionFix(problem.what, problem.source, facts));
  }
  for (const pool of facts.allPools) checkPool(pool, at);
  checkIpv6BlockSize(facts, at);
  checkInstallationBgp(facts, at);
  checkBackend(facts, at);
}

type At = (source: ValueSource | undefined, message: string, severity?: Severity, fixes?: QuickFix[]) => void;

/** What refuses a bad pool: calico-node (its env pool), the operator, or Calico's API. */
function refusal(pool: CalicoPool): string {
  if (pool.shape === 'calico-node-env') return 'calico-node exits at start';
  if (pool.shape === 'installation') return 'the operator refuses the Installation';
  return 'Calico refuses the IPPool';
}

function checkPool(pool: CalicoPool, at: At): void {
  const family = pool.cidr?.family ?? (pool.shape === 'calico-node-env' ? 4 : undefined);
  const size = pool.blockSize;
  if (family && size.source) {
    const [low, high] = BLOCK_RANGE[family];
    if (size.value < low || size.value > high)
      at(
        size.source,
        `Block size ${size.value} is outside ${low}..${high}, what Calico allows for an IPv${family} pool: ` +
          `${refusal(pool)}${pool.shape === 'calico-node-env' ? ' ("Invalid blocksize")' : ''}.`,
      );
  }
  if (pool.cidr?.family === 6 && pool.ipipMode.value !== 'Never' && pool.ipipMode.source)
    at(
      pool.ipipMode.source,
      `IPIP on the IPv6 pool ${poolLabel(pool)}: IPIP carries IPv4 only, and ${refusal(pool)}. Use VXLAN or ` +
        'no encapsulation for IPv6.',
    );
}

/** calico-node validates the IPv6 block size at every start, whether or not it creates the pool. */
function checkIpv6BlockSize(facts: CalicoRuleFacts, at: At): void {
  if (facts.env.get('NO_DEFAULT_POOLS')?.text.trim().toLowerCase() === 'true') return;
  const env = facts.env.get('CALICO_IPV6POOL_BLOCK_SIZE');
  if (!env?.text.trim()) return;
  const size = wholeNumber(env.text);
  if (size === undefined)
    at(env.source, `CALICO_IPV6POOL_BLOCK_SIZE=\`${env.text}\` is not a number: calico-node exits at start.`);
  else if (size < 116 || size > 128)
    at(
      env.source,
      `CALICO_IPV6POOL_BLOCK_SIZE ${size} is outside 116..128: calico-node exits at start ("Invalid blocksize").`,
    );
}

function checkInstallationBgp(facts: CalicoRuleFacts, at: At): void {
  const bgp = facts.installation?.bgp;
  if (!bgp || bgp.value === 'Enabled' || bgp.value === 'Disabled') return;
  at(
    { uri: facts.installation!.object.uri, range: bgp.textRange },
    `\`${bgp.value}\` is not a bgp value: the Installation takes Enabled or Disabled, and the API server ` +
      'refuses the Installation.',
  );
}

/** calico-node runs BIRD for any backend but vxlan and none: another value is read as bird. */
function checkBackend(facts: CalicoRuleFacts, at: At): void {
  const backend = facts.env.get('CALICO_NETWORKING_BACKEND');
  const value = backend?.text.trim().toLowerCase();
  if (!backend || !value || ['bird', 'vxlan', 'none'].includes(value)) return;
  at(
    backend.source,
    `\`${backend.text}\` is not a networking backend calico-node names (bird, vxlan, none): it runs BIRD, as ` +
      'for bird.',
    'information',
  );
}

/** A bare interface name where a method is expected: `interface=<name>` is what was meant. */
function autodetectionFix(what: string, source: ValueSource | undefined, facts: CalicoRuleFacts): QuickFix[] {
  if (what !== 'IP_AUTODETECTION_METHOD' || !source) return [];
  const text = facts.env.get('IP_AUTODETECTION_METHOD')?.text.trim() ?? '';
  if (!/^[A-Za-z][\w.@:-]*$/.test(text)) return [];
  return [
    {
      title: `Use interface=${text}`,
      edits: [{ uri: source.uri, range: source.range, newText: `interface=${text}` }],
      preferred: true,
    },
  ];
}
