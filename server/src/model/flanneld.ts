// flanneld's settings as flanneld reads them (flannel.md §3.3): a flag on the command line wins; a flag not
// given comes from a non-empty FLANNELD_<FLAG>, a literal or a ConfigMap key. Canal sets --iface and --ip-masq
// that way, from canal-config's canal_iface and masquerade (calico.md §4).
import { type OffsetRange } from '../core/text';
import { get, getText } from '../core/yamlAccess';
import { type ConfigMapFacts, type DaemonSetFacts, flagsOf, isFlagOn, isGoTrue } from './objects';

const envName = (flag: string) => 'FLANNELD_' + flag.toUpperCase().replace(/-/g, '_');

/** A flag's value and, when it is written in the DaemonSet itself, where (a ConfigMap's value has no range here). */
export interface FlanneldSetting {
  value: string;
  range?: OffsetRange;
}

/** A valued flag of flanneld (`--iface=eth1`, `--subnet-file=…`), as flanneld resolves it; undefined when unset. */
export function flanneldSetting(
  daemonSet: DaemonSetFacts,
  flag: string,
  configMaps: readonly ConfigMapFacts[],
): FlanneldSetting | undefined {
  const container = daemonSet.flannelContainer;
  if (!container) return undefined;
  const given = flagsOf([...container.command, ...container.args]).find(
    (f) => f.name === flag && f.value !== undefined,
  );
  if (given?.value !== undefined) return { value: given.value, range: given.valueRange };
  return fromEnv(daemonSet, flag, configMaps);
}

/** A flag's value from a non-empty FLANNELD_<FLAG>, resolving a configMapKeyRef against the cluster's ConfigMaps. */
function fromEnv(
  daemonSet: DaemonSetFacts,
  flag: string,
  configMaps: readonly ConfigMapFacts[],
): FlanneldSetting | undefined {
  const env = daemonSet.flannelContainer?.env.find((e) => e.name.value === envName(flag));
  if (!env) return undefined;
  if (env.value) return env.value.value ? { value: env.value.value, range: env.value.textRange } : undefined;
  const ref = env.configMapKeyRef;
  if (!ref) return undefined;
  const namespace = daemonSet.object.namespace?.value ?? 'default';
  const configMap = configMaps.find(
    (c) => c.object.name?.value === ref.name && (c.object.namespace?.value ?? 'default') === namespace,
  );
  const value = getText(get(configMap?.object.node, 'data'), ref.key)?.value;
  return value ? { value } : undefined;
}

/** Whether flanneld masquerades traffic leaving the pod network (--ip-masq); assumed without a DaemonSet. */
export function flanneldMasquerades(
  daemonSet: DaemonSetFacts | undefined,
  configMaps: readonly ConfigMapFacts[],
): boolean {
  const container = daemonSet?.flannelContainer;
  if (!daemonSet || !container) return true;
  const flag = flagsOf([...container.command, ...container.args]).find((f) => f.name === 'ip-masq');
  return flag ? isFlagOn(flag) : isGoTrue(fromEnv(daemonSet, 'ip-masq', configMaps)?.value);
}

/** The interface flanneld is told to use (--iface), when it is told one. */
export function flanneldIface(
  daemonSet: DaemonSetFacts | undefined,
  configMaps: readonly ConfigMapFacts[],
): string | undefined {
  return daemonSet && flanneldSetting(daemonSet, 'iface', configMaps)?.value;
}
