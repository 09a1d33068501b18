// A cluster's Calico as configured (calico.md §1): which install (operator, calico.yaml, Canal), the pools
// calico-node uses with Calico's defaults, the pools written but not used, the routing backend, BGP, MTU,
// IP autodetection, the interface prefix and the calico/node release.
import { parseCidr } from '../../core/cidr';
import { type ConfigMapFacts, type DaemonSetFacts } from '../objects';
import { type ClusterFacts } from '../network';
import { isCanalConfigMap, runsCanal } from '../canal';
import {
  type AutodetectionMethod,
  type CalicoBackend,
  type CalicoInstall,
  type CalicoNetwork,
  type CalicoPool,
  type ClusterRoutes,
  type Sourced,
} from './model';
import {
  type BGPConfigurationFacts,
  type FelixConfigurationFacts,
  type InstallationFacts,
  type IPPoolFacts,
} from './objects';
import { calicoNodeEnv, type EnvValue } from './env';
import { envPool, installationPools, ipPoolOf, type PoolContext } from './pools';
import { type CalicoProblem, defaulted, sourceOf, wholeNumber, written, yamlBool } from './sourced';
import { parseSelector } from './selector';
import { releaseKnownBefore } from './release';

/** The Installation the operator reads: the one named `default`, else the first. */
export const installationOf = (facts: ClusterFacts): InstallationFacts | undefined => {
  const all = facts.calico.filter((c): c is InstallationFacts => c.kind === 'Installation');
  return all.find((i) => i.object.name?.value === 'default') ?? all[0];
};

/** calico.yaml's calico-node DaemonSet (not Canal's). */
export const calicoNodeDaemonSetOf = (facts: ClusterFacts): DaemonSetFacts | undefined =>
  facts.daemonSets.find((d) => d.calicoNodeContainer && !runsCanal(d));

/** calico.yaml's calico-config (not Canal's canal-config). */
export const calicoConfigMapOf = (facts: ClusterFacts): ConfigMapFacts | undefined =>
  facts.configMaps.find((c) => c.calicoConfig && !isCanalConfigMap(c));

export function readCalicoNetwork(facts: ClusterFacts, install: CalicoInstall): CalicoNetwork {
  const invalid: CalicoProblem[] = [];
  const ctx: PoolContext = { problems: invalid, ...kubeadmPodSubnetOf(facts) };
  const installation = install === 'operator' ? installationOf(facts) : undefined;
  const daemonSet =
    install === 'canal'
      ? facts.daemonSets.find(runsCanal)
      : install === 'manifest'
        ? calicoNodeDaemonSetOf(facts)
        : undefined;
  const env = daemonSet ? calicoNodeEnv(daemonSet, facts.configMaps) : undefined;
  const configMap = install === 'canal' ? facts.configMaps.find(isCanalConfigMap) : calicoConfigMapOf(facts);

  const { pools, ignoredPools } =
    install === 'canal' ? { pools: [], ignoredPools: [] } : poolsOf(facts, installation, env, ctx);
  const given = env ?? new Map<string, EnvValue>();
  for (const pool of pools) checkSelector(pool, invalid);
  const backend = backendOf(install, installation, given, configMap);
  const felix = felixConfigurationOf(facts);
  const version = versionOf(daemonSet);
  return {
    install,
    ...version,
    pools,
    ignoredPools,
    backend,
    bgp: installation?.bgp
      ? written(installation.bgp.value !== 'Disabled', installation.object.uri, installation.bgp)
      : { ...backend, value: backend.value === 'bird' },
    nodeToNodeMesh: meshOf(facts),
    ...mtuOf(installation, given, configMap),
    ...autodetectionOf(installation, given, invalid),
    interfacePrefix: interfacePrefixOf(given, felix),
    ...clusterRoutesOf(installation, given, felix, version.version),
    invalid,
  };
}

function kubeadmPodSubnetOf(facts: ClusterFacts): Pick<PoolContext, 'kubeadmPodSubnet'> {
  for (const config of facts.clusterConfigurations) {
    const subnet = config.podSubnet;
    const v4 = subnet?.value.split(',').find((part) => parseCidr(part.trim())?.family === 4);
    if (subnet && v4) return { kubeadmPodSubnet: { text: v4.trim(), source: sourceOf(config.object.uri, subnet) } };
  }
  return {};
}

/**
 * The pools calico-node uses: the Installation's and the IPPool objects (an object with the CIDR of an
 * Installation pool is that pool, as `kubectl get ippools -o yaml` shows it); calico-node's env pool only
 * when no IPv4 IPPool exists, as calico-node creates it only then. `env` is undefined when no calico-node
 * DaemonSet is visible: with no pool anywhere, calico-node's default pool is assumed.
 */
function poolsOf(
  facts: ClusterFacts,
  installation: InstallationFacts | undefined,
  env: ReadonlyMap<string, EnvValue> | undefined,
  ctx: PoolContext,
): Pick<CalicoNetwork, 'pools' | 'ignoredPools'> {
  const objects = facts.calico.filter((c): c is IPPoolFacts => c.kind === 'IPPool').map((p) => ipPoolOf(p, ctx));
  const pools: CalicoPool[] = installation ? installationPools(installation, ctx) : [];
  const ignoredPools: Array<{ pool: CalicoPool; why: string }> = [];
  const sameCidr = (a: CalicoPool, b: CalicoPool) =>
    a.cidr && b.cidr && a.cidr.address === b.cidr.address && a.cidr.prefix === b.cidr.prefix;
  for (const object of objects) if (!pools.some((p) => sameCidr(p, object))) pools.push(object);
  if (installation) return { pools, ignoredPools };
  if (!env) {
    const assumed = pools.length === 0 ? envPool(new Map(), ctx) : undefined;
    return { pools: assumed ? [{ ...assumed, shape: 'default' }] : pools, ignoredPools };
  }
  const fromEnv = envPool(env, ctx);
  if (!fromEnv) return { pools, ignoredPools };
  const v4Object = objects.find((p) => p.cidr?.family === 4);
  if (v4Object)
    ignoredPools.push({
      pool: fromEnv,
      why:
        `calico-node creates its default pool from CALICO_IPV4POOL_* only when no IPv4 pool exists; ` +
        `IPPool ${v4Object.name} exists, so these env values have no effect`,
    });
  else pools.push(fromEnv);
  return { pools, ignoredPools };
}

function checkSelector(pool: CalicoPool, invalid: CalicoProblem[]): void {
  const parsed = parseSelector(pool.nodeSelector.value);
  if ('error' in parsed)
    invalid.push({
      what: `pool ${pool.name} nodeSelector`,
      ...(pool.nodeSelector.source ? { source: pool.nodeSelector.source } : {}),
      message: `\`${pool.nodeSelector.value}\` is not a Calico selector (${parsed.error}): the pool matches no node.`,
    });
}

const BACKENDS: readonly CalicoBackend[] = ['bird', 'vxlan', 'none'];

/** CALICO_NETWORKING_BACKEND (calico.yaml feeds it from calico_backend); the operator's from `bgp`. */
function backendOf(
  install: CalicoInstall,
  installation: InstallationFacts | undefined,
  env: ReadonlyMap<string, EnvValue>,
  configMap: ConfigMapFacts | undefined,
): Sourced<CalicoBackend> {
  if (installation) {
    const bgp = installation.bgp;
    const hostLocal = installation.ipamType?.value === 'HostLocal';
    if (bgp?.value === 'Disabled') return written(hostLocal ? 'none' : 'vxlan', installation.object.uri, bgp);
    return bgp ? written('bird', installation.object.uri, bgp) : defaulted('bird', 'Installation default: bgp Enabled');
  }
  const given = env.get('CALICO_NETWORKING_BACKEND');
  const backend = given ?? configEnv(configMap, 'backend');
  if (!backend) return defaulted(install === 'canal' ? 'none' : 'bird', 'calico-node default: bird');
  const value = backend.text.trim().toLowerCase();
  // Anything but vxlan or none runs BIRD.
  const known = BACKENDS.find((b) => b === value) ?? 'bird';
  return { value: known, ...(backend.source ? { source: backend.source } : {}) };
}

function configEnv(configMap: ConfigMapFacts | undefined, key: 'backend' | 'vethMtu'): EnvValue | undefined {
  const located = configMap?.calicoConfig?.[key];
  return located && configMap
    ? { name: key, text: located.value, source: sourceOf(configMap.object.uri, located) }
    : undefined;
}

function meshOf(facts: ClusterFacts): Sourced<boolean> {
  const configs = facts.calico.filter((c): c is BGPConfigurationFacts => c.kind === 'BGPConfiguration');
  const config = configs.find((c) => c.object.name?.value === 'default') ?? configs[0];
  const mesh = config?.nodeToNodeMeshEnabled;
  const value = mesh ? yamlBool(mesh.value) : undefined;
  return mesh && config && value !== undefined
    ? written(value, config.object.uri, mesh)
    : defaulted(true, 'Calico default: node-to-node mesh on');
}

/** The pod MTU given: veth_mtu (0: auto), the Installation's mtu, else a FELIX_*MTU env. */
function mtuOf(
  installation: InstallationFacts | undefined,
  env: ReadonlyMap<string, EnvValue>,
  configMap: ConfigMapFacts | undefined,
): Pick<CalicoNetwork, 'mtu'> {
  const candidates: EnvValue[] = [];
  const veth = configEnv(configMap, 'vethMtu');
  if (veth) candidates.push(veth);
  if (installation?.mtu)
    candidates.push({
      name: 'mtu',
      text: installation.mtu.value,
      source: sourceOf(installation.object.uri, installation.mtu),
    });
  for (const name of ['FELIX_VXLANMTU', 'FELIX_IPINIPMTU', 'FELIX_WIREGUARDMTU']) {
    const value = env.get(name);
    if (value) candidates.push(value);
  }
  for (const candidate of candidates) {
    const mtu = wholeNumber(candidate.text);
    if (mtu !== undefined) return { mtu: { value: mtu, ...(candidate.source ? { source: candidate.source } : {}) } };
  }
  return {};
}

const OPERATOR_METHODS: Readonly<Record<string, string>> = {
  firstFound: 'first-found',
  kubernetes: 'kubernetes-internal-ip',
  interface: 'interface',
  skipInterface: 'skip-interface',
  canReach: 'can-reach',
  cidrs: 'cidr',
};

const ENV_METHOD = /^(first-found|kubernetes-internal-ip)$|^(interface|skip-interface|can-reach|cidr)=(.*)$/s;

/** IP_AUTODETECTION_METHOD, or the Installation's nodeAddressAutodetectionV4. */
function autodetectionOf(
  installation: InstallationFacts | undefined,
  env: ReadonlyMap<string, EnvValue>,
  invalid: CalicoProblem[],
): Pick<CalicoNetwork, 'autodetection'> {
  const given = installation?.autodetection;
  if (installation && given) {
    const first = given.values[0];
    const autodetection: AutodetectionMethod = {
      kind: OPERATOR_METHODS[given.method],
      ...(given.values.length > 0 && given.method !== 'firstFound' && given.method !== 'kubernetes'
        ? { argument: given.values.map((v) => v.value).join(',') }
        : {}),
      ...(first ? { source: sourceOf(installation.object.uri, first) } : {}),
    };
    return { autodetection };
  }
  const method = env.get('IP_AUTODETECTION_METHOD');
  if (!method) return {};
  const match = ENV_METHOD.exec(method.text.trim());
  if (!match) {
    invalid.push({
      what: 'IP_AUTODETECTION_METHOD',
      ...(method.source ? { source: method.source } : {}),
      message:
        `\`${method.text}\` is not an autodetection method: calico-node exits with "Invalid IP autodetection ` +
        `method". It takes first-found, kubernetes-internal-ip, interface=…, skip-interface=…, can-reach=… or cidr=….`,
    });
    return {};
  }
  const kind = match[1] ?? match[2];
  return {
    autodetection: {
      kind,
      ...(match[3] !== undefined ? { argument: match[3] } : {}),
      ...(method.source ? { source: method.source } : {}),
    },
  };
}

function felixConfigurationOf(facts: ClusterFacts): FelixConfigurationFacts | undefined {
  const all = facts.calico.filter((c): c is FelixConfigurationFacts => c.kind === 'FelixConfiguration');
  return all.find((c) => c.object.name?.value === 'default');
}

/**
 * Who programs the block routes of pools with vxlanMode Never, when written: the operator's clusterRoutingMode,
 * else FELIX_PROGRAMCLUSTERROUTES (env beats FelixConfiguration), else programClusterRoutes (3.31 on). `Enabled` there
 * makes Felix program them all (felixconfig.go, 3.31 on); unreadable values are left to the release default.
 */
function clusterRoutesOf(
  installation: InstallationFacts | undefined,
  env: ReadonlyMap<string, EnvValue>,
  felix: FelixConfigurationFacts | undefined,
  version: string | undefined,
): Pick<CalicoNetwork, 'clusterRoutes'> {
  const mode = installation?.clusterRoutingMode;
  const modes: Record<string, ClusterRoutes> = { bird: 'bird', felix: 'felix', felixipiponly: 'felix-ipip-only' };
  const fromMode = mode && modes[mode.value.toLowerCase()];
  if (mode && fromMode) return { clusterRoutes: written(fromMode, installation.object.uri, mode) };
  // Felix before 3.31 has no such parameter and ignores it.
  if (releaseKnownBefore(version, 3, 31)) return {};
  const flags: Record<string, ClusterRoutes | undefined> = { enabled: 'felix', disabled: 'bird' };
  const fromFlag = (text: string): ClusterRoutes | undefined => flags[text.trim().toLowerCase()];
  const envValue = env.get('FELIX_PROGRAMCLUSTERROUTES');
  const fromEnv = envValue && fromFlag(envValue.text);
  if (envValue && fromEnv)
    return { clusterRoutes: { value: fromEnv, ...(envValue.source ? { source: envValue.source } : {}) } };
  const field = felix?.programClusterRoutes;
  const fromField = field && fromFlag(field.value);
  return field && fromField ? { clusterRoutes: written(fromField, felix.object.uri, field) } : {};
}

/** FELIX_INTERFACEPREFIX (env beats FelixConfiguration), first entry; default `cali`. */
function interfacePrefixOf(env: ReadonlyMap<string, EnvValue>, felix: FelixConfigurationFacts | undefined): string {
  const text = env.get('FELIX_INTERFACEPREFIX')?.text ?? felix?.interfacePrefix?.value ?? '';
  return text.split(',')[0].trim() || 'cali';
}

/** The calico/node image tag's release (`v3.28.1` → `3.28.1`); none for the operator, which picks it. */
function versionOf(daemonSet: DaemonSetFacts | undefined): Pick<CalicoNetwork, 'version'> {
  const image = daemonSet?.calicoNodeContainer?.image?.value ?? '';
  const tag = /:v?([0-9]+\.[0-9]+(?:\.[0-9]+)?)[^/]*$/.exec(image.split('@')[0]);
  return tag ? { version: tag[1] } : {};
}
