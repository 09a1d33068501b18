// CodeLenses that open the topology panel: on each flannel ConfigMap, and "trace a packet" on each Pod
// that sits on a node of the model.
import { type OffsetRange } from '../core/text';
import { type Workspace } from '../model/workspace';

export interface CodeLensResult {
  range: OffsetRange;
  title: string;
  command: 'podnet.openTopology' | 'podnet.tracePath';
  arguments: string[];
}

export function codeLensesOf(workspace: Workspace, uri: string): CodeLensResult[] {
  const entry = workspace.getFile(uri);
  const cluster = workspace.clusterOf(uri);
  if (!entry || !cluster) return [];
  const lenses: CodeLensResult[] = [];
  for (const configMap of entry.facts.configMaps) {
    if (!configMap.netConf) continue;
    const nodes = cluster.network.nodes.length;
    lenses.push({
      range: configMap.object.range,
      title:
        `$(type-hierarchy) Show network topology (${nodes} ` +
        `node${nodes === 1 ? '' : 's'}, ${cluster.network.netConf.backendType || 'no backend'})`,
      command: 'podnet.openTopology',
      arguments: [entry.file.uri],
    });
  }
  const placed = new Set(cluster.network.nodes.flatMap((n) => n.pods));
  for (const pod of entry.facts.pods) {
    if (!placed.has(pod) || !pod.object.name) continue;
    const key = `${pod.object.namespace?.value ?? 'default'}/${pod.object.name.value}`;
    lenses.push({
      range: pod.object.range,
      title: '$(debug-step-over) Trace a packet from this pod',
      command: 'podnet.tracePath',
      arguments: [entry.file.uri, key],
    });
  }
  return lenses;
}
