// calico-encapsulation-conflict: a pool with IPIP and VXLAN both enabled (calico.md §2), which Calico
// refuses; the fixes set one of the two modes to Never, keeping VXLAN first (its routes need no BGP).
import { type CalicoPool, type Sourced, type ValueSource } from '../model/calico/model';
import { calicoRuleFactsOf, poolLabel } from '../model/calico/ruleFacts';
import { Locator } from '../model/locations';
import { type QuickFix, type RuleContext } from './types';

export function checkCalicoEncapsulation({ cluster, report }: RuleContext): void {
  const facts = calicoRuleFactsOf(cluster);
  if (!facts) return;
  const at = new Locator(cluster);
  for (const pool of facts.calico.pools) {
    const { ipipMode, vxlanMode } = pool;
    if (ipipMode.value === 'Never' || vxlanMode.value === 'Never') continue;
    const place = ipipMode.source ?? vxlanMode.source;
    if (!place) continue;
    const who =
      pool.shape === 'calico-node-env'
        ? 'calico-node cannot create its default pool and exits at start'
        : 'Calico refuses the pool';
    report({
      code: 'calico-encapsulation-conflict',
      uri: place.uri,
      range: place.range,
      message:
        `${poolLabel(pool)} enables both IPIP (${ipipMode.value}) and VXLAN (${vxlanMode.value}): a pool ` +
        `encapsulates one way, and ${who}. Set one of them to Never.`,
      fixes: fixesOf(pool, at),
    });
  }
}

function fixesOf(pool: CalicoPool, at: Locator): QuickFix[] {
  const fixes: QuickFix[] = [];
  const never = (mode: Sourced<string>) => neverEdit(mode.source, at);
  const keepVxlan = never(pool.ipipMode);
  if (keepVxlan) fixes.push({ title: 'Keep VXLAN: set the IPIP mode to Never', edits: keepVxlan, preferred: true });
  const keepIpip = never(pool.vxlanMode);
  if (keepIpip) fixes.push({ title: 'Keep IPIP: set the VXLAN mode to Never', edits: keepIpip });
  return fixes;
}

/** Writes `Never` over a mode written as a mode (not the legacy `ipip: {enabled: true}` boolean). */
function neverEdit(source: ValueSource | undefined, at: Locator) {
  if (!source) return undefined;
  const text = at.fileOf(source.uri)?.text.slice(source.range[0], source.range[1]) ?? '';
  if (!/^(always|crosssubnet|cross-subnet)$/i.test(text.trim())) return undefined;
  return [{ uri: source.uri, range: source.range, newText: 'Never' }];
}
