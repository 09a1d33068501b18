// Canal (calico.md §4): flanneld carries traffic between nodes, but on each node the CNI plugin is Calico's
// (`cni_network_config`, host-local `usePodCidr`). Its `canal-config` has no cni-conf.json and nothing reads
// /run/flannel/subnet.env, so the checks about the flannel CNI plugin do not apply; net-conf.json and
// flanneld's own settings do.
import { get, getText } from '../core/yamlAccess';
import { type ConfigMapFacts, type DaemonSetFacts } from './objects';

export const CANAL_CNI_KEY = 'cni_network_config';

/** Calico's canal-config: named so, or carrying Calico's CNI template beside net-conf.json. */
export const isCanalConfigMap = (configMap: ConfigMapFacts): boolean =>
  configMap.object.name?.value === 'canal-config' ||
  (configMap.netConf !== undefined && getText(get(configMap.object.node, 'data'), CANAL_CNI_KEY) !== undefined);

/** Calico's canal DaemonSet: named canal, running calico-node beside flanneld, or with CLUSTER_TYPE …canal. */
export function isCanalDaemonSet(daemonSet: DaemonSetFacts): boolean {
  const name = daemonSet.object.name?.value ?? '';
  const containers = daemonSet.spec.containers;
  return (
    /^canal(-node)?$/.test(name) ||
    containers.some((c) => c.name?.value === 'calico-node') ||
    containers.some((c) =>
      c.env.some((e) => e.name.value === 'CLUSTER_TYPE' && /(^|,)\s*canal\s*(,|$)/.test(e.value?.value ?? '')),
    )
  );
}

/**
 * Whether a DaemonSet installs Canal rather than flannel or Calico alone: it runs flanneld and calico-node
 * side by side, or, running one of them, is named canal or says CLUSTER_TYPE …canal. (A calico-node
 * container alone is calico.yaml's DaemonSet.)
 */
export function runsCanal(daemonSet: DaemonSetFacts): boolean {
  const { flannelContainer, calicoNodeContainer } = daemonSet;
  if (flannelContainer && calicoNodeContainer) return true;
  if (!flannelContainer && !calicoNodeContainer) return false;
  return (
    /^canal(-node)?$/.test(daemonSet.object.name?.value ?? '') ||
    daemonSet.spec.containers.some((c) =>
      c.env.some((e) => e.name.value === 'CLUSTER_TYPE' && /(^|,)\s*canal\s*(,|$)/.test(e.value?.value ?? '')),
    )
  );
}

/**
 * Whether the node's CNI plugin is flannel's, which reads subnet.env. Canal's is Calico's, except in the
 * etcd variant, whose `cni_network_config` still chains through the flannel plugin.
 */
export function runsFlannelCni(daemonSet: DaemonSetFacts, configMap: ConfigMapFacts | undefined): boolean {
  const canalMap = configMap && isCanalConfigMap(configMap) ? configMap : undefined;
  // A cni-conf.json outside canal-config is flannel's conflist, installed whatever the DaemonSet is called.
  if (!canalMap && (configMap?.cniConf || !isCanalDaemonSet(daemonSet))) return true;
  // The template holds placeholders such as `__CNI_MTU__`, so it is searched, not parsed.
  const template = canalMap ? getText(get(canalMap.object.node, 'data'), CANAL_CNI_KEY)?.value : undefined;
  return template !== undefined && /"type"\s*:\s*"flannel"/.test(template);
}
