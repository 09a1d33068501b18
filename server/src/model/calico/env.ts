// The environment of the calico-node container as calico-node sees it: literal values and values taken
// from a ConfigMap key (calico.yaml feeds CALICO_NETWORKING_BACKEND from calico-config's calico_backend),
// each with the place it is written.
import { get, getText } from '../../core/yamlAccess';
import { type ConfigMapFacts, type DaemonSetFacts } from '../objects';
import { type ValueSource } from './model';
import { sourceOf } from './sourced';

export interface EnvValue {
  readonly name: string;
  readonly text: string;
  readonly source?: ValueSource;
}

/**
 * calico-node's env, by name (upper case for FELIX_*, which Felix reads case-insensitively). The last
 * entry of a name wins, as the kubelet builds the environment.
 */
export function calicoNodeEnv(
  daemonSet: DaemonSetFacts,
  configMaps: readonly ConfigMapFacts[],
): ReadonlyMap<string, EnvValue> {
  const env = new Map<string, EnvValue>();
  const namespace = daemonSet.object.namespace?.value ?? 'default';
  for (const entry of daemonSet.calicoNodeContainer?.env ?? []) {
    const raw = entry.name.value;
    const name = /^felix_/i.test(raw) ? raw.toUpperCase() : raw;
    if (entry.value) {
      env.set(name, { name: raw, text: entry.value.value, source: sourceOf(daemonSet.object.uri, entry.value) });
      continue;
    }
    const ref = entry.configMapKeyRef;
    if (!ref) {
      // valueFrom a field or a secret: set, but not to a value manifests tell.
      if (!entry.fieldPath) env.delete(name);
      continue;
    }
    const configMap = configMaps.find(
      (c) => c.object.name?.value === ref.name && (c.object.namespace?.value ?? 'default') === namespace,
    );
    const value = getText(get(configMap?.object.node, 'data'), ref.key);
    if (configMap && value)
      env.set(name, { name: raw, text: value.value, source: sourceOf(configMap.object.uri, value) });
    else env.delete(name);
  }
  return env;
}
