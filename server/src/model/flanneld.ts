// flanneld's settings as flanneld reads them (flannel.md §3.3): a flag on the command line wins; a flag not
// given comes from a non-empty FLANNELD_<FLAG>, a literal or a ConfigMap key. Canal sets --iface and --ip-masq
// that way, from canal-config's canal_iface and masquerade (calico.md §4).
import { get, getText } from '../core/yamlAccess';
import { type ConfigMapFacts, type DaemonSetFacts, flagsOf, isFlagOn, isGoTrue } from './objects';

const envName = (flag: string) => 'FLANNELD_' + flag.toUpperCase().replace(/-/g, '_');

/** A flag's value from FLANNELD_<FLAG>, resolving a configMapKeyRef against the ConfigMaps of the cluster. */
function fromEnv(daemonSet: DaemonSetFacts, flag: string, configMaps: readonly ConfigMapFacts[]): string | undefined {
  const env = daemonSet.flannelContainer?.env.find((e) => e.name.value === envName(flag));
  if (!env) return undefined;
  if (env.value) return env.value.value || undefined;
  const ref = env.configMapKeyRef;
  if (!ref) return undefined;
  const namespace = daemonSet.object.namespace?.value ?? 'default';
  const configMap = configMaps.find(
    (c) => c.object.name?.value === ref.name && (c.object.namespace?.value ?? 'default') === namespace,
  );
  return getText(get(configMap?.object.node, 'data'), ref.key)?.value || undefined;
}

/** Whether flanneld masquerades traffic leaving the pod network (--ip-masq); assumed without a DaemonSet. */
export function flanneldMasquerades(
  daemonSet: DaemonSetFacts | undefined,
  configMaps: readonly ConfigMapFacts[],
): boolean {
  const container = daemonSet?.flannelContainer;
  if (!daemonSet || !container) return true;
  const flag = flagsOf([...container.command, ...container.args]).find((f) => f.name === 'ip-masq');
  return flag ? isFlagOn(flag) : isGoTrue(fromEnv(daemonSet, 'ip-masq', configMaps));
}

/** The interface flanneld is told to use (--iface), when it is told one. */
export function flanneldIface(
  daemonSet: DaemonSetFacts | undefined,
  configMaps: readonly ConfigMapFacts[],
): string | undefined {
  const container = daemonSet?.flannelContainer;
  if (!daemonSet || !container) return undefined;
  const flag = flagsOf([...container.command, ...container.args]).find((f) => f.name === 'iface');
  return flag ? flag.value : fromEnv(daemonSet, 'iface', configMaps);
}
