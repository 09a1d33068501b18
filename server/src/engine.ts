// The VS Code-free engine: runs every rule module over each cluster and applies the user's settings
// (master switch, per-rule severity) and suppression comments. The LSP server and the CLI both use it.
import { isSuppressed } from './core/suppressions';
import { type Range } from './core/text';
import { cachedPerCluster } from './model/snapshots';
import { type Cluster, type Workspace } from './model/workspace';
import { RULE_MODULES } from './rules';
import { isRuleSetting, type RuleId, ruleMeta, type RuleSetting, type Severity } from './rules/registry';
import { type Finding, type QuickFix } from './rules/types';

export type { RuleSetting };

export interface EngineSettings {
  enable: boolean;
  /**
   * Severity per rule. Settings come from users: they may name rules that do not exist or hold values
   * that are no severity; both are ignored.
   */
  rules: Partial<Record<RuleId, RuleSetting>>;
}

export const DEFAULT_SETTINGS: EngineSettings = { enable: true, rules: {} };

export interface Diagnostic {
  uri: string;
  code: RuleId;
  severity: Severity;
  message: string;
  range: Range;
  offsetRange: readonly [number, number];
  fixes: QuickFix[];
}

export function findingsOf(cluster: Cluster): Finding[] {
  const findings: Finding[] = [];
  const context = { cluster, report: (finding: Finding) => findings.push(finding) };
  for (const module of RULE_MODULES) module(context);
  return findings;
}

export function diagnoseCluster(
  cluster: Cluster,
  settings: EngineSettings = DEFAULT_SETTINGS,
): Map<string, Diagnostic[]> {
  const byUri = new Map<string, Diagnostic[]>(cluster.files.map((f) => [f.file.uri, []]));
  if (!settings.enable) return byUri;
  const kubeMode = cluster.network.kubeMode;
  for (const finding of findingsOf(cluster)) {
    const entry = cluster.files.find((f) => f.file.uri === finding.uri);
    if (!entry || isSuppressed(entry.file, finding.code, finding.range[0])) continue;
    const meta = ruleMeta(finding.code);
    const setting: unknown = settings.rules[finding.code];
    const configured = isRuleSetting(setting) ? setting : undefined;
    if (configured === 'off') continue;
    const severity =
      configured ?? finding.severity ?? (kubeMode && meta.kubeModeSeverity ? meta.kubeModeSeverity : meta.severity);
    byUri.get(finding.uri)?.push({
      uri: finding.uri,
      code: finding.code,
      severity,
      message: finding.message,
      range: entry.file.lines.rangeOf(finding.range),
      offsetRange: finding.range,
      fixes: finding.fixes ?? [],
    });
  }
  for (const list of byUri.values())
    list.sort((a, b) => a.offsetRange[0] - b.offsetRange[0] || a.code.localeCompare(b.code));
  return byUri;
}

/** Results per cluster object and settings: a cluster the last change did not touch is not analysed again. */
const diagnoseCached = cachedPerCluster(diagnoseCluster);

export function diagnoseWorkspace(
  workspace: Workspace,
  settings: EngineSettings = DEFAULT_SETTINGS,
): Map<string, Diagnostic[]> {
  const all = new Map<string, Diagnostic[]>();
  for (const cluster of workspace.clusters())
    for (const [uri, list] of diagnoseCached(cluster, settings)) all.set(uri, list);
  return all;
}
