// The VS Code-free engine: runs every rule module over each cluster and applies the user's settings
// (master switch, per-rule severity) and suppression comments. The LSP server and the CLI both use it.
import { isSuppressed } from './core/suppressions';
import { type Range } from './core/text';
import { cachedPerCluster } from './model/snapshots';
import { type ManifestFile } from './core/manifest';
import { type Cluster, type ConfigReport, type Workspace } from './model/workspace';
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

/**
 * What every rule finds in the cluster, once per cluster object: the diagnostics and the topology's
 * banners read the same list. (A cluster's documents do not move while it is current, so the ranges hold.)
 */
export const findingsOf = cachedPerCluster((cluster: Cluster): readonly Finding[] => {
  const findings: Finding[] = [];
  const context = { cluster, report: (finding: Finding) => findings.push(finding) };
  for (const module of RULE_MODULES) module(context);
  return findings;
});

export function diagnoseCluster(
  cluster: Cluster,
  settings: EngineSettings = DEFAULT_SETTINGS,
): Map<string, Diagnostic[]> {
  const byUri = new Map<string, Diagnostic[]>(cluster.files.map((f) => [f.file.uri, []]));
  if (!settings.enable) return byUri;
  const kubeMode = cluster.network.kubeMode;
  for (const finding of findingsOf(cluster)) {
    const entry = cluster.files.find((f) => f.file.uri === finding.uri);
    const diagnostic = entry && diagnosticOf(entry.file, finding, settings, kubeMode);
    if (diagnostic) byUri.get(finding.uri)?.push(diagnostic);
  }
  for (const list of byUri.values()) list.sort(byPosition);
  return byUri;
}

const byPosition = (a: Diagnostic, b: Diagnostic) =>
  a.offsetRange[0] - b.offsetRange[0] || a.code.localeCompare(b.code);

/** The finding as the user configured it, or undefined when a setting or a comment switches it off. */
function diagnosticOf(
  file: ManifestFile,
  finding: Finding,
  settings: EngineSettings,
  kubeMode: boolean,
): Diagnostic | undefined {
  if (isSuppressed(file, finding.code, finding.range[0])) return undefined;
  const meta = ruleMeta(finding.code);
  const setting: unknown = settings.rules[finding.code];
  const configured = isRuleSetting(setting) ? setting : undefined;
  if (configured === 'off') return undefined;
  const severity =
    configured ?? finding.severity ?? (kubeMode && meta.kubeModeSeverity ? meta.kubeModeSeverity : meta.severity);
  return {
    uri: finding.uri,
    code: finding.code,
    severity,
    message: finding.message,
    range: file.lines.rangeOf(finding.range),
    offsetRange: finding.range,
    fixes: finding.fixes ?? [],
  };
}

/** The problems of one `.podnet.yaml` as `podnet-config` diagnostics, per report object and settings. */
function diagnoseConfig(report: ConfigReport, settings: EngineSettings): Diagnostic[] {
  if (!settings.enable) return [];
  const { file } = report.entry;
  return report.problems
    .map((problem) =>
      diagnosticOf(
        file,
        {
          code: 'podnet-config',
          uri: file.uri,
          range: problem.range,
          message: problem.message,
          severity: problem.severity,
        },
        settings,
        false,
      ),
    )
    .filter((d): d is Diagnostic => d !== undefined)
    .sort(byPosition);
}

const configCache = new WeakMap<ConfigReport, { settings: EngineSettings; value: Diagnostic[] }>();

function diagnoseConfigCached(report: ConfigReport, settings: EngineSettings): Diagnostic[] {
  let entry = configCache.get(report);
  if (!entry || entry.settings !== settings) {
    entry = { settings, value: diagnoseConfig(report, settings) };
    configCache.set(report, entry);
  }
  return entry.value;
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
  for (const report of workspace.configReports())
    all.set(report.entry.file.uri, diagnoseConfigCached(report, settings));
  return all;
}
