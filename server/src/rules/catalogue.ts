// The rule declaration rendered for people: README's rule tables, the `podnet.rules` settings schema of
// package.json, and each rule's documentation (shown in the settings and as SARIF rule help).
// `npm run generate:rules` writes the first two into their files; a unit test fails when they drift.
import {
  RULE_GROUPS,
  RULE_SETTINGS,
  RULES,
  type RuleId,
  type RuleMeta,
  type RuleSetting,
  type Severity,
} from './registry';

export const README_START =
  '<!-- rules:start (generated from server/src/rules/registry.ts: npm run generate:rules) -->';
export const README_END = '<!-- rules:end -->';

const SHORT: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'info', hint: 'hint' };

/** The default severity as the README shows it, e.g. `error (etcd mode; warning in kube mode)`. */
function readmeSeverity(meta: RuleMeta): string {
  const severity = SHORT[meta.severity];
  return meta.kubeModeSeverity ? `${severity} (etcd mode; ${SHORT[meta.kubeModeSeverity]} in kube mode)` : severity;
}

const tableCell = (markdown: string) => markdown.replace(/\|/g, '\\|');

/** The README's rule tables, one per group, in declaration order. */
export function readmeRuleTables(): string {
  return RULE_GROUPS.map((group) =>
    [
      `**${group}**`,
      '',
      '| id | default | when |',
      '|---|---|---|',
      ...RULES.filter((meta) => meta.group === group).map(
        (meta) => `| \`${meta.id}\` | ${readmeSeverity(meta)} | ${tableCell(meta.summary)} |`,
      ),
    ].join('\n'),
  ).join('\n\n');
}

/** `readme` with the text between the rule markers replaced by the generated tables. */
export function withReadmeRules(readme: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start || readme.indexOf(README_START, start + 1) >= 0)
    throw new Error(`README.md needs one "${README_START}" line before one "${README_END}" line`);
  return `${readme.slice(0, start + README_START.length)}\n\n${readmeRuleTables()}\n\n${readme.slice(end)}`;
}

/** A rule's documentation as markdown: what it checks and why, an example that triggers it, the fix. */
export function ruleDocumentation(meta: RuleMeta): string {
  const { why, example, fix } = meta.documentation;
  return `${why}\n\nFor example:\n\n\`\`\`${example.language}\n${example.code}\n\`\`\`\n\n**Fix:** ${fix}`;
}

/** The same as plain text, for tools that show no markdown. */
export function ruleDocumentationText(meta: RuleMeta): string {
  const { why, example, fix } = meta.documentation;
  return `${why}\n\nFor example:\n\n${example.code}\n\nFix: ${fix}`;
}

/** The default severity as the settings describe it. */
function settingsSeverity(meta: RuleMeta): string {
  return meta.kubeModeSeverity
    ? `Default: **${meta.severity}** when flannel uses etcd, **${meta.kubeModeSeverity}** with \`--kube-subnet-mgr\`.`
    : `Default: **${meta.severity}**.`;
}

const SETTING_DESCRIPTIONS: Record<RuleSetting, string> = {
  off: 'Turn the rule off.',
  error: 'Report as an error.',
  warning: 'Report as a warning.',
  information: 'Report as information.',
  hint: 'Report as a hint (shown faintly, not in the Problems count).',
};

export interface RuleSettingSchema {
  type: 'string';
  enum: string[];
  enumDescriptions: string[];
  markdownDescription: string;
}

/** The `properties` of the `podnet.rules` setting: one severity setting per rule. */
export function ruleSettingsSchema(): Record<RuleId, RuleSettingSchema> {
  return Object.fromEntries(
    RULES.map((meta): [RuleId, RuleSettingSchema] => [
      meta.id,
      {
        type: 'string',
        enum: [...RULE_SETTINGS],
        enumDescriptions: RULE_SETTINGS.map((setting) => SETTING_DESCRIPTIONS[setting]),
        markdownDescription: `${meta.summary} ${settingsSeverity(meta)}\n\n${ruleDocumentation(meta)}`,
      },
    ]),
  ) as Record<RuleId, RuleSettingSchema>;
}

interface Manifest {
  contributes?: { configuration?: { properties?: Record<string, { properties?: unknown }> } };
}

/** package.json's text with the `podnet.rules` properties generated, formatted as npm and Prettier write it. */
export function withRuleSettings(packageJson: string): string {
  const manifest = JSON.parse(packageJson) as Manifest;
  const setting = manifest.contributes?.configuration?.properties?.['podnet.rules'];
  if (!setting) throw new Error('package.json contributes no podnet.rules setting');
  setting.properties = ruleSettingsSchema();
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
