// What the Calico rules (rules/calico*.ts) share: the cluster's Calico with calico-node's env and the
// Installation, every pool written (used or not), whether pods take their addresses from the pools at all,
// and the calico/node release compared with the one a behaviour changed in.
import { type Cidr, formatCidr, networkOf } from '../../core/cidr';
import { type OffsetRange } from '../../core/text';
import { type Cluster } from '../workspace';
import { runsCanal } from '../canal';
import { calicoNodeEnv, type EnvValue } from './env';
import { type CalicoNetwork, type CalicoPool, type ValueSource } from './model';
import { calicoConfigMapOf, calicoNodeDaemonSetOf, installationOf } from './network';
import { type InstallationFacts } from './objects';
import { goBool } from './sourced';

export interface CalicoRuleFacts {
  readonly calico: CalicoNetwork;
  /** calico-node's environment (calico.yaml or Canal); empty for the operator, which writes its own. */
  readonly env: ReadonlyMap<string, EnvValue>;
  readonly installation?: InstallationFacts;
  /** The pools calico-node uses, then those written but not used (env pools beside IPPool objects). */
  readonly allPools: readonly CalicoPool[];
  /** Why pods do not take their addresses from the pools, when they do not (policy-only, host-local IPAM). */
  readonly ipamElsewhere?: string;
}

/** The Calico facts of a cluster that runs Calico (or Canal), else undefined. */
export function calicoRuleFactsOf(cluster: Cluster): CalicoRuleFacts | undefined {
  const calico = cluster.network.calico;
  if (!calico) return undefined;
  const { facts } = cluster;
  const daemonSet =
    calico.install === 'canal'
      ? facts.daemonSets.find(runsCanal)
      : calico.install === 'manifest'
        ? calicoNodeDaemonSetOf(facts)
        : undefined;
  const env = daemonSet ? calicoNodeEnv(daemonSet, facts.configMaps) : new Map<string, EnvValue>();
  const installation = calico.install === 'operator' ? installationOf(facts) : undefined;
  const ipamElsewhere = ipamElsewhereOf(calico, env, installation, cluster);
  return {
    calico,
    env,
    ...(installation ? { installation } : {}),
    allPools: [...calico.pools, ...calico.ignoredPools.map((p) => p.pool)],
    ...(ipamElsewhere ? { ipamElsewhere } : {}),
  };
}

/** Policy-only Calico: the CNI config's IPAM is host-local, or calico-node runs with USE_POD_CIDR. */
function ipamElsewhereOf(
  calico: CalicoNetwork,
  env: ReadonlyMap<string, EnvValue>,
  installation: InstallationFacts | undefined,
  cluster: Cluster,
): string | undefined {
  if (calico.install === 'canal') return 'Canal: pods take addresses from the node podCIDR (host-local)';
  if (installation) {
    if (installation.ipamType?.value === 'HostLocal') return 'the Installation sets cni.ipam.type HostLocal';
    const cni = installation.cniType?.value;
    if (cni && cni !== 'Calico') return `the Installation sets cni.type ${cni}: another CNI gives pod addresses`;
    return undefined;
  }
  const usePodCidr = env.get('USE_POD_CIDR');
  if (usePodCidr && goBool(usePodCidr.text.trim()) === true) return 'calico-node runs with USE_POD_CIDR=true';
  const template = calicoConfigMapOf(cluster.facts)?.calicoConfig?.cniNetworkConfig?.value ?? '';
  if (/"ipam"\s*:\s*\{[^}]*"type"\s*:\s*"host-local"/.test(template))
    return "cni_network_config's IPAM is host-local (pods take the node podCIDR)";
  return undefined;
}

/** Where a pool is written, for messages: `IPPool pool-a`, `Installation pool …`, `CALICO_IPV4POOL_CIDR`. */
export function poolLabel(pool: CalicoPool): string {
  switch (pool.shape) {
    case 'installation':
      return `Installation pool ${pool.name}`;
    case 'calico-node-env':
      return `calico-node's default pool (CALICO_IPV4POOL_CIDR)`;
    case 'default':
      return `the default pool ${pool.name}`;
    default:
      return `IPPool ${pool.name}`;
  }
}

/** The CIDR as written in a manifest (not a default): where findings about the pool's range point. */
export const writtenCidr = (pool: CalicoPool): ValueSource | undefined =>
  pool.cidrText.defaulted === undefined ? pool.cidrText.source : undefined;

/** The pool's network, masked as calico-node masks an env CIDR. */
export const poolNetwork = (pool: CalicoPool): Cidr | undefined => (pool.cidr ? networkOf(pool.cidr) : undefined);

export const cidrText = (cidr: Cidr): string => formatCidr(networkOf(cidr));

/** Whether the pool encapsulates (IPIP or VXLAN, Always or CrossSubnet). */
export const encapsulates = (pool: CalicoPool): boolean =>
  pool.ipipMode.value !== 'Never' || pool.vxlanMode.value !== 'Never';

/** A pool's place: its written CIDR, else the object it is written in. */
export function poolPlace(pool: CalicoPool): { uri: string; range: OffsetRange } | undefined {
  const source = writtenCidr(pool) ?? pool.source;
  return source ? { uri: source.uri, range: source.range } : undefined;
}
