// `podnet check`: diagnostics for every file, exit 1 on any error.
import { type Diagnostic, diagnoseWorkspace, type EngineSettings } from '../engine';
import { uriToPath } from '../model/workspace';
import { isRuleId, isRuleSetting } from '../rules/registry';
import { CNI_FLAG, cniOption, flag, parseArgs } from './args';
import { explainClusters, formatExplanation } from './explain';
import { formatJson, formatSarif, formatText, jsonRecords } from './format';
import { displayName, loadWorkspace, UsageError } from './load';

export async function runCheck(
  args: string[],
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  const parsed = parseArgs(args, {
    '--format': { values: ['text', 'json', 'sarif'] },
    '--rule': { repeat: true },
    '--explain-clusters': { switch: true },
    '--cni': CNI_FLAG,
  });
  if (typeof parsed === 'string') throw new UsageError(parsed);
  const format = flag(parsed, '--format') ?? 'text';
  const explain = parsed.flags.has('--explain-clusters');
  if (explain && format === 'sarif') throw new UsageError('--explain-clusters takes --format text or json');
  const rules: EngineSettings['rules'] = {};
  for (const entry of parsed.flags.get('--rule') ?? []) {
    const [id, severity] = entry.split('=');
    if (!isRuleId(id)) throw new UsageError(`unknown rule "${id}"`);
    if (!isRuleSetting(severity)) throw new UsageError(`unknown severity "${severity}" for ${id}`);
    rules[id] = severity;
  }
  const { workspace, skipped } = await loadWorkspace(parsed.paths, cniOption(parsed));
  const diagnostics: Array<Diagnostic & { file: string }> = [];
  const byUri = diagnoseWorkspace(workspace, { enable: true, rules });
  for (const [uri, list] of [...byUri.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const file = displayName(uriToPath(uri));
    for (const d of list) diagnostics.push({ ...d, file });
  }
  for (const note of skipped) err(`podnet: skipped ${note}\n`);
  const clusters = explain ? explainClusters(workspace) : undefined;
  if (format === 'json')
    // With the explanation, one object holds both; without it, the array stays what scripts read.
    out(
      clusters
        ? JSON.stringify({ clusters, diagnostics: jsonRecords(diagnostics) }, null, 2) + '\n'
        : formatJson(diagnostics),
    );
  else if (format === 'sarif') out(formatSarif(diagnostics));
  else
    out(
      (clusters ? formatExplanation(clusters) : '') +
        formatText(diagnostics, workspace.allFiles().length, workspace.clusters().length),
    );
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}
