// `podnet topology`, `podnet path` and `podnet node`: what the CNI builds, how a packet travels, and
// what the node's tools would print.
import { type Cluster, type Workspace } from '../model/workspace';
import { buildTopology } from '../topology/build';
import { findPod, packetPath } from '../topology/path';
import { buildScene } from '../topology/scene';
import { sceneToSvg, topologyHtml } from '../topology/svg';
import { TOOL_VIEWS, toolOutput, type ToolView } from '../topology/tools';
import { formatTraceroute, predictTraceroute } from '../topology/traceroute';
import { type PacketPath } from '../topology/types';
import { CNI_FLAG, cniOption, flag, parseArgs } from './args';
import { loadWorkspace, UsageError } from './load';

type Print = (text: string) => void;

function selectClusters(workspace: Workspace, name: string | undefined): Cluster[] {
  const clusters = workspace.clusters().filter((c) => c.network.nodes.length > 0 || c.network.configMap);
  if (!name) return clusters;
  const chosen = clusters.filter((c) => c.name === name || c.root === name);
  if (chosen.length === 0)
    throw new UsageError(`no cluster "${name}"; clusters: ${clusters.map((c) => c.name).join(', ') || 'none'}`);
  return chosen;
}

export async function runTopology(args: string[], out: Print): Promise<number> {
  const parsed = parseArgs(args, {
    '--format': { values: ['json', 'svg', 'html'] },
    '--cluster': {},
    '--width': {},
    '--cni': CNI_FLAG,
  });
  if (typeof parsed === 'string') throw new UsageError(parsed);
  const width = flag(parsed, '--width');
  if (width !== undefined && !/^\d{3,5}$/.test(width))
    throw new UsageError(`--width takes a width in pixels (320 to 20000), not "${width}"`);
  // The panel's layout for a view this wide: the same scene the panel draws.
  const layout = width ? { width: Number(width) } : {};
  const { workspace } = await loadWorkspace(parsed.paths, cniOption(parsed));
  const clusters = selectClusters(workspace, flag(parsed, '--cluster'));
  const topologies = clusters.map((cluster) => buildTopology(cluster));
  const format = flag(parsed, '--format') ?? 'json';
  if (format === 'json') out(JSON.stringify(topologies, null, 2) + '\n');
  else if (format === 'html')
    out(topologyHtml(topologies.map((topology) => ({ topology, scene: buildScene(topology, layout) }))));
  else {
    if (topologies.length !== 1)
      throw new UsageError(
        `${topologies.length} clusters found (${clusters.map((c) => c.name).join(', ')}): choose one with ` +
          `--cluster for SVG`,
      );
    out(sceneToSvg(buildScene(topologies[0], layout)));
  }
  return 0;
}

export async function runPath(args: string[], out: Print): Promise<number> {
  const parsed = parseArgs(args, {
    '--from': {},
    '--to': {},
    '--format': { values: ['text', 'json', 'traceroute'] },
    '--cluster': {},
    '--cni': CNI_FLAG,
  });
  if (typeof parsed === 'string') throw new UsageError(parsed);
  const from = flag(parsed, '--from');
  const to = flag(parsed, '--to');
  if (!from || !to) throw new UsageError('path needs --from <pod> and --to <pod>');
  const { workspace } = await loadWorkspace(parsed.paths, cniOption(parsed));
  const clusters = selectClusters(workspace, flag(parsed, '--cluster'));
  const holding = clusters.filter((c) => !('error' in findPod(buildTopology(c), from)));
  if (holding.length > 1)
    throw new UsageError(
      `pod "${from}" is in several clusters (${holding.map((c) => c.name).join(', ')}): choose one with --cluster`,
    );
  const cluster = holding[0] ?? clusters[0];
  if (!cluster) throw new UsageError('no cluster with nodes in the given paths');
  const topology = buildTopology(cluster);
  const format = flag(parsed, '--format');
  if (format === 'traceroute') {
    const trace = predictTraceroute(cluster, topology, from, to);
    out(formatTraceroute(trace));
    return trace.ok ? 0 : 1;
  }
  const result = packetPath(cluster, topology, from, to);
  out(format === 'json' ? JSON.stringify(result, null, 2) + '\n' : formatPath(result));
  return result.ok ? 0 : 1;
}

export function formatPath(path: PacketPath): string {
  if (!path.ok) return `No path from ${path.from} to ${path.to}: ${path.reason}\n`;
  const lines = [`${path.from} → ${path.to} (${path.backend || 'no backend'})`];
  path.hops.forEach((hop, i) => {
    const device = hop.deviceAssumed ? `${hop.device} (name assumed)` : hop.device;
    lines.push(`${String(i + 1).padStart(2)}. ${hop.node} ${hop.netns} ${device} [${hop.action}] ttl ${hop.ttl}`);
    lines.push(`    ${hop.description}`);
    if (hop.address) lines.push(`    address: ${hop.address}`);
    if (hop.route) lines.push(`    route: ${hop.route}`);
    if (hop.mtu !== undefined) lines.push(`    mtu: ${hop.mtu}`);
  });
  const e = path.encapsulation;
  lines.push(
    e
      ? `Encapsulation: ${e.type} ${e.outerSrc} ` +
          `→ ${e.outerDst}${e.port ? `:${e.port}` : ''}${e.vni !== undefined ? ` VNI ${e.vni}` : ''}, ` +
          `+${e.overhead} bytes`
      : 'Encapsulation: none',
  );
  if (e?.innerSrcMac && e.innerDstMac) lines.push(`Inner frame: ${e.innerSrcMac} → ${e.innerDstMac} (VTEP MACs)`);
  lines.push(`Path MTU ${path.mtu}, TTL at delivery ${path.ttl}`);
  for (const note of path.notes) lines.push(`Note: ${note}`);
  return lines.join('\n') + '\n';
}

export async function runNode(args: string[], out: Print): Promise<number> {
  const parsed = parseArgs(args, {
    '--node': {},
    '--show': { values: TOOL_VIEWS },
    '--cluster': {},
    '--cni': CNI_FLAG,
  });
  if (typeof parsed === 'string') throw new UsageError(parsed);
  const name = flag(parsed, '--node');
  if (!name) throw new UsageError('node needs --node <name>');
  const { workspace } = await loadWorkspace(parsed.paths, cniOption(parsed));
  const matches = selectClusters(workspace, flag(parsed, '--cluster'))
    .map((cluster) => ({ cluster, topology: buildTopology(cluster) }))
    .flatMap(({ cluster, topology }) =>
      topology.nodes.filter((n) => n.name === name).map((node) => ({ cluster, topology, node })),
    );
  if (matches.length === 0) throw new UsageError(`no node "${name}"`);
  if (matches.length > 1)
    throw new UsageError(
      `node "${name}" is in several clusters (${matches.map((m) => m.cluster.name).join(', ')}): choose one ` +
        `with --cluster`,
    );
  const [{ topology, node }] = matches;
  const views = (parsed.flags.get('--show') as ToolView[] | undefined) ?? TOOL_VIEWS;
  out(views.map((view) => toolOutput(topology, node, view)).join('\n'));
  return 0;
}
