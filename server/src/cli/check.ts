// `podnet check`: diagnostics for every file, exit 1 on any error.
import { type Diagnostic, diagnoseWorkspace, type EngineSettings } from '../engine';
import { uriToPath } from '../model/workspace';
import { isRuleId, isRuleSetting } from '../rules/registry';
import { flag, parseArgs } from './args';
import { formatJson, formatSarif, formatText } from './format';
import { displayName, loadWorkspace, UsageError } from './load';

export async function runCheck(
  args: string[],
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  const parsed = parseArgs(args, { '--format': { values: ['text', 'json', 'sarif'] }, '--rule': { repeat: true } });
  if (typeof parsed === 'string') throw new UsageError(parsed);
  const rules: EngineSettings['rules'] = {};
  for (const entry of parsed.flags.get('--rule') ?? []) {
    const [id, severity] = entry.split('=');
    if (!isRuleId(id)) throw new UsageError(`unknown rule "${id}"`);
    if (!isRuleSetting(severity)) throw new UsageError(`unknown severity "${severity}" for ${id}`);
    rules[id] = severity;
  }
  const { workspace, skipped } = await loadWorkspace(parsed.paths);
  const diagnostics: Array<Diagnostic & { file: string }> = [];
  const byUri = diagnoseWorkspace(workspace, { enable: true, rules });
  for (const [uri, list] of [...byUri.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const file = displayName(uriToPath(uri));
    for (const d of list) diagnostics.push({ ...d, file });
  }
  for (const note of skipped) err(`podnet: skipped ${note}\n`);
  const format = flag(parsed, '--format') ?? 'text';
  out(
    format === 'json'
      ? formatJson(diagnostics)
      : format === 'sarif'
        ? formatSarif(diagnostics)
        : formatText(diagnostics, workspace.allFiles().length, workspace.clusters().length),
  );
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}
