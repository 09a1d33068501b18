// Suppression comments: `# podnet-disable-next-line a, b` and `# podnet-disable a` in a YAML file.
import { isPair, isScalar, visit } from 'yaml';
import type { ManifestFile, Suppression } from './manifest';
import type { ManifestDocument } from './manifestDocument';
import { isRuleId, type RuleId } from '../rules/registry';

const DISABLE_NEXT_LINE = /#\s*podnet-disable-next-line\b([^\n]*)/;
const DISABLE = /#\s*podnet-disable\b(?!-)([^\n]*)/;

/**
 * The rule ids a comment names: empty for every rule when it names none, undefined when every id it names
 * is unknown (a typo suppresses nothing rather than everything).
 */
function ruleList(text: string): Set<RuleId> | undefined {
  const written = text
    .split(/[\s,]+/)
    .map((id) => id.trim())
    .filter((id) => /^[a-z0-9-]+$/.test(id));
  const known = written.filter(isRuleId);
  return written.length > 0 && known.length === 0 ? undefined : new Set(known);
}

/**
 * `# podnet-disable-next-line a, b` covers the next line and, when that line starts a key whose value
 * spans several lines (the ConfigMap key holding net-conf.json), that whole value.
 * `# podnet-disable a` covers the YAML document it stands in.
 */
export function findSuppressions(file: ManifestFile, chunks: Array<[number, number]>): Suppression[] {
  const suppressions: Suppression[] = [];
  for (const [start, end] of chunks)
    suppressions.push(
      ...suppressionsIn(file, file.lines.positionAt(start).line, file.lines.positionAt(Math.max(start, end - 1)).line),
    );
  return suppressions;
}

function suppressionsIn(file: ManifestFile, firstLine: number, lastLine: number): Suppression[] {
  const suppressions: Suppression[] = [];
  for (let line = firstLine; line <= lastLine; line++) {
    const text = file.lines.lineText(line);
    if (!text.includes('podnet-disable')) continue;
    const nextLine = DISABLE_NEXT_LINE.exec(text);
    if (nextLine) {
      const target = line + 1;
      const start = file.lines.lineStart(target);
      const end = Math.max(file.lines.lineEnd(target), pairEndOnLine(file, target));
      const rules = ruleList(nextLine[1]);
      if (rules) suppressions.push({ rules, range: [start, end] });
      continue;
    }
    const whole = DISABLE.exec(text);
    if (whole) {
      const doc = documentAt(file, file.lines.lineStart(line));
      const rules = ruleList(whole[1]);
      if (rules) suppressions.push({ rules, range: doc ? doc.range : [0, file.text.length] });
    }
  }
  return suppressions;
}

const documentAt = (file: ManifestFile, offset: number): ManifestDocument | undefined =>
  file.documents.find((d) => offset >= d.range[0] && offset <= d.range[1]);

/** Where the value of a key that starts on `line` ends (0 when no key starts there). */
function pairEndOnLine(file: ManifestFile, line: number): number {
  const doc = documentAt(file, file.lines.lineStart(line));
  let end = 0;
  if (!doc) return end;
  visit(doc.doc, {
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) return;
      if (file.lines.positionAt(pair.key.range[0]).line !== line) return;
      end = Math.max(end, (pair.value as { range?: number[] } | null)?.range?.[1] ?? pair.key.range[1]);
    },
  });
  return end;
}

export function isSuppressed(file: ManifestFile, rule: RuleId, offset: number): boolean {
  return file.suppressions.some(
    (s) => (s.rules.size === 0 || s.rules.has(rule)) && offset >= s.range[0] && offset < s.range[1],
  );
}
