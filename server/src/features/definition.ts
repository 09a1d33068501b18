// Go to definition across the files of one cluster: a volume's configMap.name to that ConfigMap (same
// namespace, as the kubelet resolves it), and a Pod's spec.nodeName to the Node object.
import { type OffsetRange, rangeContains } from '../core/text';
import { type Workspace } from '../model/workspace';

export interface LocationResult {
  uri: string;
  range: OffsetRange;
}

const namespaceOf = (object: { namespace?: { value: string } }) => object.namespace?.value || 'default';

export function definitionAt(workspace: Workspace, uri: string, offset: number): LocationResult[] {
  const entry = workspace.getFile(uri);
  const cluster = workspace.clusterOf(uri);
  if (!entry || !cluster) return [];
  for (const owner of [...entry.facts.daemonSets, ...entry.facts.pods]) {
    for (const volume of owner.spec.volumes) {
      const name = volume.configMapName;
      if (!name || !rangeContains(name.range, offset)) continue;
      const namespace = namespaceOf(owner.object);
      return cluster.facts.configMaps
        .filter((c) => c.object.name?.value === name.value && namespaceOf(c.object) === namespace)
        .map((c) => ({ uri: c.object.uri, range: c.object.name!.range }));
    }
  }
  for (const pod of entry.facts.pods) {
    const nodeName = pod.spec.nodeName;
    if (!nodeName || !rangeContains(nodeName.range, offset)) continue;
    return cluster.facts.nodes
      .filter((n) => n.object.name?.value === nodeName.value)
      .map((n) => ({ uri: n.object.uri, range: n.object.name!.range }));
  }
  return [];
}
