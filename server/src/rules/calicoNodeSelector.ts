// calico-node-selector: a pool whose nodeSelector matches none of the nodes the workspace knows. Only when
// the nodes are known (Node objects or podnet.knownNodes); a warning when every node's labels are known
// (Node objects), information when some nodes are only names.
import { calicoRuleFactsOf, poolLabel } from '../model/calico/ruleFacts';
import { parseSelector } from '../model/calico/selector';
import { type RuleContext } from './types';

const HOSTNAME = 'kubernetes.io/hostname';

export function checkCalicoNodeSelector({ cluster, report }: RuleContext): void {
  const facts = calicoRuleFactsOf(cluster);
  const { network } = cluster;
  if (!facts || facts.ipamElsewhere || !network.nodesDeclared || network.nodes.length === 0) return;
  // kubelet labels every node with its hostname; a hand-written Node may leave it out.
  const nodes = network.nodes.map((node) => {
    const labels = new Map(node.facts?.labels ?? []);
    if (!labels.has(HOSTNAME)) labels.set(HOSTNAME, node.name);
    return { name: node.name, labels, known: node.facts !== undefined };
  });
  const partial = nodes.some((n) => !n.known);
  for (const pool of facts.calico.pools) {
    const selector = pool.nodeSelector;
    if (!selector.source || pool.disabled.value) continue;
    const parsed = parseSelector(selector.value);
    if (!('matches' in parsed) || nodes.some((n) => parsed.matches(n.labels))) continue;
    const missing = labelKeysOf(selector.value).filter((key) => !nodes.some((n) => n.labels.has(key)));
    const why =
      missing.length > 0
        ? `no node has the label${missing.length > 1 ? 's' : ''} ${missing.map((k) => `\`${k}\``).join(', ')}`
        : "no node's labels satisfy it";
    report({
      code: 'calico-node-selector',
      uri: selector.source.uri,
      range: selector.source.range,
      severity: partial ? 'information' : 'warning',
      message:
        `${poolLabel(pool)}'s nodeSelector \`${selector.value}\` matches none of the ${nodes.length} known ` +
        `node${nodes.length === 1 ? '' : 's'}: ${why}. No node takes addresses from this pool` +
        (partial ? ' (some nodes are known only by name, without their labels).' : '.'),
    });
  }
}

/** The label keys a selector requires (`has(k)`, `k == …`, `k in {…}`, …; not `!=`, `not in` or `!has`). */
function labelKeysOf(selector: string): string[] {
  const keys = new Set<string>();
  for (const match of selector.matchAll(/(!\s*)?has\(\s*([A-Za-z0-9_./-]+)\s*\)/g)) if (!match[1]) keys.add(match[2]);
  const operator = /([A-Za-z0-9_./-]+)\s*(?:==|\s(?:in|contains|starts\s+with|ends\s+with)\s)/g;
  for (const match of selector.matchAll(operator)) if (match[1] !== 'not') keys.add(match[1]);
  return [...keys];
}
