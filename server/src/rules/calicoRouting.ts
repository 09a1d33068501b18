// calico-routing-missing and calico-mtu: whether nodes get routes to each other's blocks, and whether the
// pod MTU leaves room for the encapsulation (calico.md §3). Routes for IPIP pools come from BIRD up to
// Calico 3.32 and from Felix from 3.33 (programClusterRoutes' default); unencapsulated pools' routes stay
// BIRD's. VXLAN routes are always Felix's.
import { isCalicoApi } from '../model/calico/objects';
import { type CalicoPool, type ValueSource } from '../model/calico/model';
import { calicoRuleFactsOf, type CalicoRuleFacts, encapsulates, poolLabel } from '../model/calico/ruleFacts';
import { goBool } from '../model/calico/sourced';
import { felixProgramsDirectRoutes, felixProgramsIpipRoutes, releaseKnownBefore } from '../model/calico/release';
import { type Cluster } from '../model/workspace';
import { type Finding, type RuleContext } from './types';

export function checkCalicoRouting({ cluster, report }: RuleContext): void {
  const facts = calicoRuleFactsOf(cluster);
  if (!facts || facts.calico.install === 'canal') return;
  if (!facts.ipamElsewhere) checkRoutes(facts, cluster, report);
  checkMtu(facts, cluster, report);
}

/** The pool's own encapsulation value, else the place that decides BIRD. */
const placeOf = (pool: CalicoPool, fallback: ValueSource | undefined): ValueSource | undefined =>
  pool.encapsulation?.source ?? pool.ipipMode.source ?? pool.vxlanMode.source ?? fallback;

function checkRoutes(facts: CalicoRuleFacts, cluster: Cluster, report: (finding: Finding) => void): void {
  const { calico } = facts;
  const birdOff = calico.backend.value !== 'bird' || !calico.bgp.value;
  const backendSource = calico.bgp.source ?? calico.backend.source;
  // As a setting says; else said only when the tag shows a release before 3.33: a false alarm costs more than a miss.
  const felixIpip = calico.clusterRoutes ? felixProgramsIpipRoutes(calico) : !releaseKnownBefore(calico.version, 3, 33);
  const meshOff = !calico.nodeToNodeMesh.value && calico.nodeToNodeMesh.source !== undefined;
  const peers = hasBgpPeers(cluster);
  for (const pool of calico.pools) {
    if (pool.disabled.value || !pool.cidr || pool.vxlanMode.value !== 'Never') continue;
    const ipip = pool.ipipMode.value !== 'Never';
    if (ipip && felixIpip) continue;
    // clusterRoutingMode Felix, or programClusterRoutes Enabled: Felix programs them instead of BIRD.
    if (!ipip && felixProgramsDirectRoutes(calico)) continue;
    const needs = ipip
      ? `${poolLabel(pool)} uses IPIP, whose routes BIRD programs up to Calico 3.32` +
        (calico.version ? ` (calico/node ${calico.version})` : '')
      : `${poolLabel(pool)} is not encapsulated, and BIRD programs its routes`;
    // An unencapsulated pool may be routed by the network itself (static or cloud routes).
    const severity = ipip ? undefined : ('warning' as const);
    if (birdOff) {
      // The operator picks an Installation pool's default encapsulation with bgp in view: only a written one.
      if (pool.shape === 'installation' && !pool.encapsulation?.source) continue;
      const place = placeOf(pool, backendSource);
      if (!place) continue;
      report({
        code: 'calico-routing-missing',
        uri: place.uri,
        range: place.range,
        ...(severity ? { severity } : {}),
        message:
          `${needs}, but BIRD does not run (${backendWhy(facts)}): nodes get no routes to each other's pods, ` +
          'and pods reach only pods on their own node' +
          (ipip ? '. Use VXLAN, or run BIRD.' : ', unless the network routes the pool. Use VXLAN, or run BIRD.'),
      });
    } else if (meshOff && !peers) {
      const place = calico.nodeToNodeMesh.source!;
      report({
        code: 'calico-routing-missing',
        uri: place.uri,
        range: place.range,
        severity: 'warning',
        message:
          `The BGP node-to-node mesh is off and no BGPPeer is in this cluster's manifests: ${needs}, so unless ` +
          "peers are defined elsewhere nodes learn no routes to each other's pods.",
      });
    }
  }
}

function backendWhy(facts: CalicoRuleFacts): string {
  const { calico } = facts;
  if (facts.installation?.bgp?.value === 'Disabled') return 'the Installation sets bgp: Disabled';
  return `the networking backend is ${calico.backend.value}`;
}

function hasBgpPeers(cluster: Cluster): boolean {
  return cluster.files.some(({ file }) => file.objects.some((o) => o.kind === 'BGPPeer' && isCalicoApi(o.apiVersion)));
}

const NIC_MTU = 1500;

/** The largest overhead among the pools in use, and WireGuard's when Felix enables it. */
function overheadOf(facts: CalicoRuleFacts, cluster: Cluster): { bytes: number; what: string } {
  let best = { bytes: 0, what: '' };
  const consider = (bytes: number, what: string) => {
    if (bytes > best.bytes) best = { bytes, what };
  };
  for (const pool of facts.calico.pools) {
    if (pool.disabled.value || !encapsulates(pool)) continue;
    const v6 = pool.cidr?.family === 6;
    if (pool.vxlanMode.value !== 'Never') consider(v6 ? 70 : 50, `VXLAN (${poolLabel(pool)})`);
    else consider(20, `IPIP (${poolLabel(pool)})`);
  }
  const wireguardEnv = facts.env.get('FELIX_WIREGUARDENABLED');
  const felix = cluster.facts.calico.find((c) => c.kind === 'FelixConfiguration' && c.object.name?.value === 'default');
  const felixWireguard = felix?.kind === 'FelixConfiguration' ? felix.wireguardEnabled?.value : undefined;
  if ((wireguardEnv && goBool(wireguardEnv.text.trim())) || felixWireguard === 'true') consider(60, 'WireGuard');
  return best;
}

function checkMtu(facts: CalicoRuleFacts, cluster: Cluster, report: (finding: Finding) => void): void {
  const mtu = facts.calico.mtu;
  if (!mtu?.source || mtu.value <= 0 || mtu.value > NIC_MTU) return;
  const overhead = overheadOf(facts, cluster);
  const room = NIC_MTU - overhead.bytes;
  if (overhead.bytes === 0 || mtu.value <= room) return;
  report({
    code: 'calico-mtu',
    uri: mtu.source.uri,
    range: mtu.source.range,
    message:
      `MTU ${mtu.value} leaves no room for ${overhead.what}'s ${overhead.bytes} bytes on a ${NIC_MTU}-byte NIC ` +
      `(assumed: manifests do not tell the NIC's MTU): full-size packets become ${mtu.value + overhead.bytes} ` +
      `bytes and are fragmented or dropped. Use at most ${room}, or 0 to let Calico detect it.`,
  });
}
