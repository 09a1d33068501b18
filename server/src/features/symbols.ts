// The outline: one symbol per Kubernetes object (items of a `kind: List` one by one), named `Kind/name`,
// and the embedded JSON files of a flannel ConfigMap as its children.
import { formatCidr } from '../core/cidr';
import { jsonLookup } from '../core/embeddedJson';
import { type K8sObject } from '../core/manifest';
import { type OffsetRange } from '../core/text';
import { getText } from '../core/yamlAccess';
import { interpretNetConf } from '../model/netconf';
import { type ConfigMapFacts, type EmbeddedConfig, isFlannelConfigMap } from '../model/objects';
import { type Workspace } from '../model/workspace';

export interface SymbolResult {
  name: string;
  detail: string;
  /** `Namespace`, `ConfigMapKey` (a data key of a ConfigMap), otherwise the object's Kubernetes kind. */
  kind: string;
  range: OffsetRange;
  selectionRange: OffsetRange;
  children: SymbolResult[];
}

export function documentSymbols(workspace: Workspace, uri: string): SymbolResult[] {
  const entry = workspace.getFile(uri);
  if (!entry) return [];
  const configMaps = new Map(entry.facts.configMaps.map((c) => [c.object, c]));
  const pods = new Map(entry.facts.pods.map((p) => [p.object, p]));
  return entry.file.objects.map((object) => {
    const nodeName = pods.get(object)?.spec.nodeName?.value;
    const detail = [object.namespace?.value, nodeName !== undefined ? `→ ${nodeName}` : undefined]
      .filter((part) => part)
      .join(' ');
    const configMap = configMaps.get(object);
    return {
      name: `${object.kind}/${object.name?.value || '<unnamed>'}`,
      detail,
      kind: object.kind === 'Namespace' ? 'Namespace' : object.kind,
      range: object.range,
      selectionRange: selectionOf(object),
      children: configMap && isFlannelConfigMap(configMap) ? configChildren(configMap) : [],
    };
  });
}

/** The name, or the kind when there is none: what the editor highlights when the symbol is picked. */
function selectionOf(object: K8sObject): OffsetRange {
  const target = object.name ?? getText(object.node, 'kind');
  return target ? target.range : [object.range[0], object.range[0]];
}

function configChildren(configMap: ConfigMapFacts): SymbolResult[] {
  const children: SymbolResult[] = [];
  const add = (config: EmbeddedConfig | undefined, detail: (config: EmbeddedConfig) => string) => {
    const keyRange = config?.key.range;
    const valueRange = config?.json.scalar.range;
    if (!config || !keyRange || !valueRange) return;
    children.push({
      name: String(config.key.value),
      detail: config.json.root ? detail(config) : 'not valid JSON',
      kind: 'ConfigMapKey',
      range: [keyRange[0], Math.max(keyRange[1], valueRange[1])],
      selectionRange: [keyRange[0], keyRange[1]],
      children: [],
    });
  };
  add(configMap.netConf, (config) => {
    const conf = interpretNetConf(config.json.root);
    const network = conf.network ? `Network ${formatCidr(conf.network)}` : 'no Network';
    return `${network}, ${conf.backendPresent ? conf.backendType || 'no backend Type' : 'udp (no Backend)'}`;
  });
  add(configMap.cniConf, (config) => {
    const text = (key: string) => {
      const node = jsonLookup(config.json.root, key)?.valueNode;
      return node?.type === 'string' ? String(node.value) : undefined;
    };
    return [text('name'), text('cniVersion') && `CNI ${text('cniVersion')}`].filter((part) => part).join(', ');
  });
  return children.sort((a, b) => a.range[0] - b.range[0]);
}
