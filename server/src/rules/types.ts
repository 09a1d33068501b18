// What a rule module sees and produces. Rules report offsets in a file; the engine applies settings,
// suppressions and severities, and converts to positions.
import { type OffsetRange, type TextEdit } from '../core/text';
import { type EmbeddedJson, type JsonNode } from '../core/embeddedJson';
import { type NetConfTarget } from '../model/netConfTarget';
import { type Cluster } from '../model/workspace';
import { type RuleId, type Severity } from './registry';

export type { TextEdit };

export interface QuickFix {
  title: string;
  edits: TextEdit[];
  /** The fix users most likely want; shown first and used by "fix all". */
  preferred?: boolean;
}

export interface Finding {
  code: RuleId;
  uri: string;
  range: OffsetRange;
  message: string;
  /** Overrides the registry default (e.g. etcd-mode vs kube-mode, or a warning-level variant). */
  severity?: Severity;
  fixes?: QuickFix[];
}

export interface RuleContext {
  cluster: Cluster;
  report(finding: Finding): void;
}

export type RuleModule = (context: RuleContext) => void;

/** A one-fix list offering `edits` as the preferred fix; empty when no edit could be built. */
export const preferredFix = (title: string, edits: TextEdit[] | undefined): QuickFix[] =>
  edits ? [{ title, edits, preferred: true }] : [];

/** Reports at a range of embedded JSON, translated to the file. */
export function jsonFinding(
  uri: string,
  json: EmbeddedJson,
  at: JsonNode | OffsetRange,
  code: RuleId,
  message: string,
  extra: Partial<Finding> = {},
): Finding {
  const range: OffsetRange = isRange(at) ? at : [at.offset, at.offset + at.length];
  return { code, uri, range: json.toFileRange(range), message, ...extra };
}

const isRange = (value: JsonNode | OffsetRange): value is OffsetRange => Array.isArray(value);

/**
 * A file-level edit replacing a JSON range, offered only when the JSON maps exactly onto the file. The
 * text is escaped for the YAML scalar holding the JSON (`"` becomes `\"` in a double-quoted one, `'`
 * becomes `''` in a single-quoted one); a plain scalar cannot take `: ` or ` #`, so no edit there.
 */
export function jsonEdit(uri: string, json: EmbeddedJson, range: OffsetRange, newText: string): TextEdit[] | undefined {
  if (!json.exact || newText.includes('\n') || json.foldsLineBreak(range)) return undefined;
  const style = json.scalar.type;
  if (style === 'PLAIN' && /[:#]/.test(newText)) return undefined;
  const escaped =
    style === 'QUOTE_DOUBLE'
      ? newText.replace(/[\\"]/g, (c) => `\\${c}`)
      : style === 'QUOTE_SINGLE'
        ? newText.replace(/'/g, "''")
        : newText;
  return [{ uri, range: json.toFileRange(range), newText: escaped }];
}

/** A quick fix replacing a value with its intended JSON literal, when a string holds a number or boolean. */
export function unquoteFix(target: NetConfTarget, node: JsonNode, literal: string | undefined): QuickFix[] {
  if (literal === undefined) return [];
  return preferredFix(
    `Use ${literal}`,
    jsonEdit(target.uri, target.conf.json, [node.offset, node.offset + node.length], literal),
  );
}
