// A net-conf.json the net-conf.json and Backend rules can check, and how they point into it: the rules of
// both groups share these, so they live in the model rather than in either rule module.
import { type JsonNode, type JsonProperty } from '../core/embeddedJson';
import { type OffsetRange } from '../core/text';
import { type EmbeddedConfig } from './objects';
import { type Cluster } from './workspace';

/** A net-conf.json whose tree is trustworthy: it parsed, apart from comments and trailing commas. */
export interface NetConfTarget {
  uri: string;
  conf: EmbeddedConfig;
  root: JsonNode;
}

export function netConfTargets(cluster: Cluster): NetConfTarget[] {
  const targets: NetConfTarget[] = [];
  for (const configMap of cluster.facts.configMaps) {
    const conf = configMap.netConf;
    const root = conf?.json.root;
    if (!conf || !root || conf.json.issues.some((i) => i.kind !== 'comment' && i.kind !== 'trailing-comma')) continue;
    targets.push({ uri: configMap.object.uri, conf, root });
  }
  return targets;
}

/** The characters of a string token inside its quotes (the whole token for other values and `""`). */
export function contentRange(node: JsonNode): OffsetRange {
  return node.type === 'string' && node.length > 2
    ? [node.offset + 1, node.offset + node.length - 1]
    : [node.offset, node.offset + node.length];
}

export const keyRange = (property: JsonProperty): OffsetRange => contentRange(property.keyNode);

/** The YAML key (`net-conf.json`) of the ConfigMap: where findings about absent keys point. */
export const yamlKeyRange = (conf: EmbeddedConfig): OffsetRange => [conf.key.range?.[0] ?? 0, conf.key.range?.[1] ?? 0];

/** A value's JSON text as written. */
export const literalOf = (target: NetConfTarget, node: JsonNode): string =>
  target.conf.json.text.slice(node.offset, node.offset + node.length);

/** Go decodes integers from the literal: `1.0`, `1e3` and `-1` (for uint) are unmarshal errors. */
export const isJsonInteger = (target: NetConfTarget, node: JsonNode, unsigned = false): boolean =>
  node.type === 'number' && (unsigned ? /^[0-9]+$/ : /^-?[0-9]+$/).test(literalOf(target, node));

/** How a value reads in a message, e.g. `a string` or `the number -1`. */
export function describeValue(target: NetConfTarget, node: JsonNode): string {
  if (node.type === 'number') return `the number ${literalOf(target, node)}`;
  if (node.type === 'null') return 'null';
  return node.type === 'object' || node.type === 'array' ? `an ${node.type}` : `a ${node.type}`;
}
