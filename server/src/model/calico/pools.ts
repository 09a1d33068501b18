// The four places users write a Calico pool (calico.md §1), each read into a CalicoPool with Calico's
// defaults: the operator's Installation, calico-node's CALICO_IPV4POOL_* env, v3 IPPool objects and the
// crd.projectcalico.org/v1 IPPool with its legacy fields. A value Calico would refuse is kept as written,
// replaced by the default in the model, and recorded as a problem for the rules.
import { type Cidr, parseCidr } from '../../core/cidr';
import { type Located } from '../../core/yamlAccess';
import { type EncapsulationMode, type CalicoPool, type Sourced, type ValueSource } from './model';
import { type InstallationFacts, type InstallationPoolFacts, type IPPoolFacts } from './objects';
import { type EnvValue } from './env';
import {
  type CalicoProblem,
  defaulted,
  envEncapsulationMode,
  goBool,
  objectSource,
  poolEncapsulationMode,
  sourceOf,
  wholeNumber,
  written,
  yamlBool,
} from './sourced';

export const DEFAULT_POOL_CIDR = '192.168.0.0/16';
export const DEFAULT_IPV4_POOL_NAME = 'default-ipv4-ippool';
export const ALL_NODES = 'all()';

export interface PoolContext {
  readonly problems: CalicoProblem[];
  /** kubeadm networking.podSubnet's IPv4 entry: the default CIDR of the operator and of calico-node. */
  readonly kubeadmPodSubnet?: { readonly text: string; readonly source: ValueSource };
}

const blockDefault = (cidr: Cidr | undefined) => (cidr?.family === 6 ? 122 : 26);

/** The pool's CIDR as written, and its parse (undefined when it does not parse: a rule reports it). */
function cidrOf(text: Sourced<string>, what: string, ctx: PoolContext): { cidrText: Sourced<string>; cidr?: Cidr } {
  const cidr = parseCidr(text.value.trim());
  if (!cidr)
    ctx.problems.push({
      what,
      ...(text.source ? { source: text.source } : {}),
      message: text.value.trim()
        ? `\`${text.value}\` is not a CIDR: Calico refuses the pool.`
        : 'The pool has no CIDR: Calico refuses it.',
    });
  return { cidrText: text, ...(cidr ? { cidr } : {}) };
}

/** The CIDR the operator and calico-node take when none is given: kubeadm's podSubnet, else 192.168.0.0/16. */
function defaultCidrText(ctx: PoolContext, who: string): Sourced<string> {
  const kubeadm = ctx.kubeadmPodSubnet;
  return kubeadm
    ? { value: kubeadm.text, source: kubeadm.source, defaulted: `${who} takes kubeadm's networking.podSubnet` }
    : defaulted(DEFAULT_POOL_CIDR, `${who}'s default: no CIDR given and no kubeadm podSubnet`);
}

// ---------------------------------------------------------------------------------------------------
// 1. The operator's Installation

/** Installation `encapsulation` → the pool's ipipMode and vxlanMode. */
export const ENCAPSULATIONS: Readonly<Record<string, readonly [ipip: EncapsulationMode, vxlan: EncapsulationMode]>> = {
  IPIP: ['Always', 'Never'],
  IPIPCrossSubnet: ['CrossSubnet', 'Never'],
  VXLAN: ['Never', 'Always'],
  VXLANCrossSubnet: ['Never', 'CrossSubnet'],
  None: ['Never', 'Never'],
};

/** The pools an Installation makes the operator create. */
export function installationPools(installation: InstallationFacts, ctx: PoolContext): CalicoPool[] {
  const uri = installation.object.uri;
  const calicoCni = (installation.cniType?.value ?? 'Calico') === 'Calico';
  if (installation.pools === undefined) {
    // No ipPools: the operator creates one IPv4 pool with its defaults.
    const { cidrText, cidr } = cidrOf(defaultCidrText(ctx, 'The operator'), 'Installation default pool', ctx);
    return [
      {
        name: DEFAULT_IPV4_POOL_NAME,
        shape: 'default',
        cidrText,
        ...(cidr ? { cidr } : {}),
        blockSize: defaulted(26, 'Installation default'),
        ipipMode: defaulted(calicoCni ? 'Always' : 'Never', 'Installation default encapsulation: IPIP'),
        vxlanMode: defaulted('Never', 'Installation default encapsulation: IPIP'),
        natOutgoing: defaulted(true, 'Installation default: natOutgoing Enabled'),
        nodeSelector: defaulted(ALL_NODES, 'Installation default'),
        disabled: defaulted(false, 'Installation pools are enabled'),
      },
    ];
  }
  return installation.pools.map((pool, index) => installationPool(pool, index, uri, calicoCni, ctx));
}

function installationPool(
  pool: InstallationPoolFacts,
  index: number,
  uri: string,
  calicoCni: boolean,
  ctx: PoolContext,
): CalicoPool {
  const name = pool.name?.value ?? (index === 0 ? DEFAULT_IPV4_POOL_NAME : `ipPools[${index}]`);
  const what = `Installation pool ${name}`;
  const { cidrText, cidr } = cidrOf(
    pool.cidr ? written(pool.cidr.value, uri, pool.cidr) : defaulted('', 'not given'),
    `${what} cidr`,
    ctx,
  );
  const v6 = cidr?.family === 6;
  const [ipipMode, vxlanMode, encapsulation] = installationEncapsulation(
    pool.encapsulation,
    uri,
    v6,
    calicoCni,
    what,
    ctx,
  );
  return {
    name,
    shape: 'installation',
    source: { uri, range: [pool.node.range?.[0] ?? 0, pool.node.range?.[1] ?? 0] },
    cidrText,
    ...(cidr ? { cidr } : {}),
    blockSize: numberOf(pool.blockSize, uri, blockDefault(cidr), 'Installation default', `${what} blockSize`, ctx),
    ipipMode,
    vxlanMode,
    natOutgoing: enabledOf(pool.natOutgoing, uri, !v6, what, ctx),
    nodeSelector: selectorOf(pool.nodeSelector, uri, 'Installation default'),
    disabled: defaulted(false, 'Installation pools are enabled'),
    ...(encapsulation ? { encapsulation } : {}),
  };
}

function installationEncapsulation(
  located: Located<string> | undefined,
  uri: string,
  v6: boolean,
  calicoCni: boolean,
  what: string,
  ctx: PoolContext,
): [Sourced<EncapsulationMode>, Sourced<EncapsulationMode>, Sourced<string> | undefined] {
  const fallback = v6 || !calicoCni ? 'None' : 'IPIP';
  const why = `Installation default encapsulation: ${fallback}${v6 ? ' for IPv6' : ' for IPv4 with Calico CNI'}`;
  const mapped = located ? ENCAPSULATIONS[located.value] : undefined;
  if (located && !mapped)
    ctx.problems.push({
      what: `${what} encapsulation`,
      source: sourceOf(uri, located),
      message:
        `\`${located.value}\` is not an encapsulation the operator knows: it takes ` +
        `${Object.keys(ENCAPSULATIONS).join(', ')}.`,
    });
  if (!located || !mapped) {
    const [ipip, vxlan] = ENCAPSULATIONS[fallback];
    return [defaulted(ipip, why), defaulted(vxlan, why), located && written(located.value, uri, located)];
  }
  return [written(mapped[0], uri, located), written(mapped[1], uri, located), written(located.value, uri, located)];
}

function enabledOf(
  located: Located<string> | undefined,
  uri: string,
  fallback: boolean,
  what: string,
  ctx: PoolContext,
): Sourced<boolean> {
  if (located?.value === 'Enabled' || located?.value === 'Disabled')
    return written(located.value === 'Enabled', uri, located);
  if (located)
    ctx.problems.push({
      what: `${what} natOutgoing`,
      source: sourceOf(uri, located),
      message: `\`${located.value}\` is not a natOutgoing value: the operator takes Enabled or Disabled.`,
    });
  return defaulted(fallback, `Installation default: natOutgoing ${fallback ? 'Enabled' : 'Disabled'}`);
}

// ---------------------------------------------------------------------------------------------------
// 2. calico-node's env (calico.yaml)

/**
 * The pool calico-node creates at start from CALICO_IPV4POOL_* (when no IPv4 pool exists yet), or undefined
 * when NO_DEFAULT_POOLS is true or CALICO_IPV4POOL_CIDR is `none`.
 */
export function envPool(env: ReadonlyMap<string, EnvValue>, ctx: PoolContext): CalicoPool | undefined {
  const get = (name: string) => env.get(name);
  const noDefault = get('NO_DEFAULT_POOLS');
  const cidrEnv = get('CALICO_IPV4POOL_CIDR');
  if (noDefault && noDefault.text.toLowerCase() === 'true') {
    if (cidrEnv?.text)
      ctx.problems.push({
        what: 'CALICO_IPV4POOL_CIDR',
        ...(cidrEnv.source ? { source: cidrEnv.source } : {}),
        message: 'NO_DEFAULT_POOLS is true and CALICO_IPV4POOL_CIDR is set: calico-node refuses this and exits.',
      });
    return undefined;
  }
  if (cidrEnv?.text.trim().toLowerCase() === 'none') return undefined;
  const text: Sourced<string> = cidrEnv?.text ? fromEnv(cidrEnv.text, cidrEnv) : defaultCidrText(ctx, 'calico-node');
  const { cidrText, cidr } = cidrOf(text, 'CALICO_IPV4POOL_CIDR', ctx);
  const blockEnv = get('CALICO_IPV4POOL_BLOCK_SIZE');
  const block = blockEnv?.text ? wholeNumber(blockEnv.text) : undefined;
  if (blockEnv?.text && block === undefined) invalidEnv(blockEnv, 'is not a number: calico-node exits', ctx);
  const nat = get('CALICO_IPV4POOL_NAT_OUTGOING');
  const natValue = nat ? goBool(nat.text) : undefined;
  const selector = get('CALICO_IPV4POOL_NODE_SELECTOR');
  return {
    name: DEFAULT_IPV4_POOL_NAME,
    shape: 'calico-node-env',
    cidrText,
    ...(cidr ? { cidr } : {}),
    blockSize:
      block !== undefined && blockEnv ? fromEnv(block, blockEnv) : defaulted(26, 'calico-node default block size'),
    ipipMode: envMode(get('CALICO_IPV4POOL_IPIP'), ctx),
    vxlanMode: envMode(get('CALICO_IPV4POOL_VXLAN'), ctx),
    natOutgoing:
      nat && natValue !== undefined ? fromEnv(natValue, nat) : defaulted(true, 'calico-node default: NAT outgoing on'),
    nodeSelector: selector?.text ? fromEnv(selector.text, selector) : defaulted(ALL_NODES, 'calico-node default'),
    disabled: defaulted(false, 'calico-node creates its default pool enabled'),
  };
}

const fromEnv = <T>(value: T, env: EnvValue): Sourced<T> => ({ value, ...(env.source ? { source: env.source } : {}) });

function invalidEnv(env: EnvValue, why: string, ctx: PoolContext): void {
  ctx.problems.push({
    what: env.name,
    ...(env.source ? { source: env.source } : {}),
    message: `${env.name}=\`${env.text}\` ${why}.`,
  });
}

function envMode(env: EnvValue | undefined, ctx: PoolContext): Sourced<EncapsulationMode> {
  if (!env) return defaulted('Never', 'not set: calico-node takes Never');
  const mode = envEncapsulationMode(env.text);
  if (mode) return fromEnv(mode, env);
  invalidEnv(env, 'is not a mode calico-node knows (Always, CrossSubnet, Never): it exits', ctx);
  return defaulted('Never', 'unreadable value');
}

// ---------------------------------------------------------------------------------------------------
// 3 and 4. IPPool objects (projectcalico.org/v3 and crd.projectcalico.org/v1)

export function ipPoolOf(pool: IPPoolFacts, ctx: PoolContext): CalicoPool {
  const uri = pool.object.uri;
  const name = pool.object.name?.value ?? '(no name)';
  const what = `IPPool ${name}`;
  const { cidrText, cidr } = cidrOf(
    pool.cidr ? written(pool.cidr.value, uri, pool.cidr) : defaulted('', 'not given'),
    `${what} spec.cidr`,
    ctx,
  );
  const legacy = pool.api === 'crd-v1';
  return {
    name,
    shape: legacy ? 'ippool-crd-v1' : 'ippool-v3',
    source: objectSource(pool.object),
    cidrText,
    ...(cidr ? { cidr } : {}),
    blockSize: numberOf(pool.blockSize, uri, blockDefault(cidr), 'IPPool default', `${what} spec.blockSize`, ctx),
    ipipMode: pool.ipipMode
      ? objectMode(pool.ipipMode, uri, `${what} spec.ipipMode`, ctx)
      : legacy && pool.legacyIpipEnabled
        ? legacyIpip(pool, uri, what, ctx)
        : defaulted('Never', 'IPPool default'),
    vxlanMode: pool.vxlanMode
      ? objectMode(pool.vxlanMode, uri, `${what} spec.vxlanMode`, ctx)
      : defaulted('Never', 'IPPool default'),
    natOutgoing: boolOf(
      pool.natOutgoing ?? (legacy ? pool.legacyNatOutgoing : undefined),
      uri,
      false,
      'IPPool default',
      `${what} natOutgoing`,
      ctx,
    ),
    nodeSelector: selectorOf(pool.nodeSelector, uri, 'IPPool default'),
    disabled: boolOf(pool.disabled, uri, false, 'IPPool default', `${what} spec.disabled`, ctx),
  };
}

function objectMode(located: Located<string>, uri: string, what: string, ctx: PoolContext): Sourced<EncapsulationMode> {
  const mode = poolEncapsulationMode(located.value);
  if (mode) return written(mode, uri, located);
  ctx.problems.push({
    what,
    source: sourceOf(uri, located),
    message: `\`${located.value}\` is not a mode: Calico takes Always, CrossSubnet or Never (this case exactly).`,
  });
  return defaulted('Never', 'unreadable value');
}

/** Old v1 CRDs' `ipip: {enabled: true, mode: always|cross-subnet}`. */
function legacyIpip(pool: IPPoolFacts, uri: string, what: string, ctx: PoolContext): Sourced<EncapsulationMode> {
  const enabled = pool.legacyIpipEnabled!;
  const on = yamlBool(enabled.value);
  if (on === undefined) {
    ctx.problems.push({
      what: `${what} spec.ipip.enabled`,
      source: sourceOf(uri, enabled),
      message: `\`${enabled.value}\` is not true or false.`,
    });
    return defaulted('Never', 'unreadable value');
  }
  if (!on) return written('Never', uri, enabled);
  const mode = pool.legacyIpipMode;
  if (!mode) return written('Always', uri, enabled);
  if (mode.value === 'cross-subnet') return written('CrossSubnet', uri, mode);
  if (mode.value === 'always' || mode.value === '') return written('Always', uri, mode);
  ctx.problems.push({
    what: `${what} spec.ipip.mode`,
    source: sourceOf(uri, mode),
    message: `\`${mode.value}\` is not an ipip mode: the legacy field takes always or cross-subnet.`,
  });
  return written('Always', uri, enabled);
}

// ---------------------------------------------------------------------------------------------------
// Shared fields

function numberOf(
  located: Located<string> | undefined,
  uri: string,
  fallback: number,
  why: string,
  what: string,
  ctx: PoolContext,
): Sourced<number> {
  if (!located) return defaulted(fallback, why);
  const value = wholeNumber(located.value);
  if (value !== undefined) return written(value, uri, located);
  ctx.problems.push({ what, source: sourceOf(uri, located), message: `\`${located.value}\` is not a whole number.` });
  return defaulted(fallback, 'unreadable value');
}

function boolOf(
  located: Located<string> | undefined,
  uri: string,
  fallback: boolean,
  why: string,
  what: string,
  ctx: PoolContext,
): Sourced<boolean> {
  if (!located) return defaulted(fallback, why);
  const value = yamlBool(located.value);
  if (value !== undefined) return written(value, uri, located);
  ctx.problems.push({ what, source: sourceOf(uri, located), message: `\`${located.value}\` is not true or false.` });
  return defaulted(fallback, 'unreadable value');
}

/** A nodeSelector as written; empty or absent is `all()`. */
const selectorOf = (located: Located<string> | undefined, uri: string, why: string): Sourced<string> =>
  located && located.value.trim() !== '' ? written(located.value, uri, located) : defaulted(ALL_NODES, why);
