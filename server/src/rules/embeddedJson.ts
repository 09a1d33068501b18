// json-syntax and json-duplicate-key for the JSON files a ConfigMap carries (net-conf.json, cni-conf.json).
// Both are read by Go's encoding/json (flanneld, libcni and the CNI plugins), which accepts strict JSON only.
import { type JsonNode, type JsonSyntaxIssue, jsonProperties, type JsonProperty } from '../core/embeddedJson';
import { type OffsetRange } from '../core/text';
import { isMap, isSeq, type YAMLMap } from 'yaml';
import { get, pairOf, rangeOf } from '../core/yamlAccess';
import { nullKeepsNetConfValue } from '../model/netconf';
import { CNI_CONF_KEY, type EmbeddedConfig, NET_CONF_KEY } from '../model/objects';
import { type Finding, jsonEdit, jsonFinding, type QuickFix, type RuleContext, type TextEdit } from './types';

export function checkEmbeddedJson({ cluster, report }: RuleContext): void {
  for (const configMap of cluster.facts.configMaps) {
    const uri = configMap.object.uri;
    for (const finding of unquotedJsonFindings(uri, configMap.object.node)) report(finding);
    for (const conf of [configMap.netConf, configMap.cniConf]) {
      if (!conf) continue;
      for (const finding of syntaxFindings(uri, conf)) report(finding);
      for (const finding of duplicateKeyFindings(uri, conf)) report(finding);
    }
  }
}

const keyName = (conf: EmbeddedConfig): string => String(conf.key.value);

/**
 * `net-conf.json: {"Network": …}` written without quotes or a block scalar is a YAML flow mapping, not a
 * string: the API server rejects the ConfigMap, and the model does not see it as flannel's at all, so
 * without this finding the mistake would pass silently.
 */
function unquotedJsonFindings(uri: string, configMap: YAMLMap): Finding[] {
  const data = get(configMap, 'data');
  return [NET_CONF_KEY, CNI_CONF_KEY].flatMap((key) => {
    const value = pairOf(data, key)?.value;
    if (!isMap(value) && !isSeq(value)) return [];
    return [
      {
        code: 'json-syntax',
        uri,
        range: rangeOf(value),
        message:
          `${key} is written as a YAML ${isMap(value) ? 'mapping' : 'sequence'}, not as a string: ConfigMap ` +
          `data values must be strings, so the API server rejects the whole ConfigMap. Put the JSON in a block ` +
          `scalar (\`${key}: |\` with the JSON indented below) or quote it.`,
      },
    ];
  });
}

/** What goes wrong at runtime when the file does not parse. */
function consequence(conf: EmbeddedConfig): string {
  return keyName(conf) === 'net-conf.json'
    ? 'flanneld fails with "error parsing subnet config" and exits, so no node gets a pod network.'
    : 'libcni cannot load the conflist that install-cni copies to the node, so the container runtime cannot ' +
        'set up any pod network.';
}

const ADVICE: Record<JsonSyntaxIssue['kind'], string> = {
  comment: 'Remove the comment; a note can go in a YAML comment above the key instead.',
  'trailing-comma': 'Remove the comma.',
  'single-quote': 'Use double quotes.',
  unquoted: 'Put the value in double quotes.',
  empty: 'Write the JSON object here.',
  truncated: 'Complete the JSON.',
  other: 'Fix the JSON at this point.',
};

function syntaxFindings(uri: string, conf: EmbeddedConfig): Finding[] {
  const { json } = conf;
  const removable = json.issues.filter(
    (issue) => issue.kind === 'trailing-comma' || (issue.kind === 'comment' && safeToRemove(json.text, issue)),
  );
  const removals = new Map(removable.map((issue) => [issue, removalRange(json.text, issue)]));
  const allEdits = removable.map((issue) => jsonEdit(uri, json, removals.get(issue)!, ''));
  const removeAll: QuickFix | undefined =
    removable.length > 0 && allEdits.every((e) => e !== undefined)
      ? { title: 'Remove all JSON comments and trailing commas', edits: allEdits.flatMap((e) => e as TextEdit[]) }
      : undefined;
  return json.issues.map((issue) => {
    const fixes: QuickFix[] = [];
    const range = removals.get(issue);
    const edits = range && jsonEdit(uri, json, range, '');
    if (edits)
      fixes.push({
        title: issue.kind === 'comment' ? 'Remove the comment' : 'Remove the trailing comma',
        edits,
        preferred: true,
      });
    if (range && removeAll) fixes.push(removeAll);
    const message = `${keyName(conf)} ${issue.message}. ${consequence(conf)} ${ADVICE[issue.kind]}`;
    return jsonFinding(uri, json, issue.range, 'json-syntax', message, { fixes });
  });
}

/**
 * A comment is removed by a quick fix only when that is certainly what the author meant: a block
 * comment that is never closed, or a line comment holding JSON punctuation, may have swallowed real
 * keys (`{"a": 1, # note "b": 2}` on one line), and deleting it would delete them too.
 */
function safeToRemove(text: string, issue: JsonSyntaxIssue): boolean {
  const comment = text.slice(issue.range[0], issue.range[1]);
  if (comment.startsWith('/*')) return comment.endsWith('*/') && comment.length >= 4;
  return !/["{}[\]]/.test(comment);
}

/**
 * What to delete for a comment or a trailing comma. A comment goes with the white space before it on its
 * line; a comment alone on its line goes with the line (from the end of the previous line), so no
 * blank line is left behind.
 */
function removalRange(text: string, issue: JsonSyntaxIssue): OffsetRange {
  const [start, end] = issue.range;
  if (issue.kind !== 'comment') return [start, end];
  let from = start;
  while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
  if (from > 0 && text[from - 1] === '\n') {
    let lineBreak = from - 1;
    if (lineBreak > 0 && text[lineBreak - 1] === '\r') lineBreak--;
    if (lineBreak > 0) return [lineBreak, end];
  }
  return [from, end];
}

function duplicateKeyFindings(uri: string, conf: EmbeddedConfig): Finding[] {
  const findings: Finding[] = [];
  const name = keyName(conf);
  const reader =
    name === 'net-conf.json'
      ? 'flannel matches keys case-insensitively and keeps the last one'
      : "Go's JSON decoding in libcni and the plugins keeps the last one (and matches struct fields " +
        'case-insensitively)';
  const root = conf.json.root;
  const warn = (property: JsonProperty, message: string) =>
    findings.push(jsonFinding(uri, conf.json, keyContent(property), 'json-duplicate-key', message));
  for (const object of objectsIn(root)) {
    const properties = jsonProperties(object);
    const nullKeeps = (key: string) => name === 'net-conf.json' && nullKeepsValue(root, object, key);
    properties.forEach((property, index) => {
      const sameKey = (p: JsonProperty) => p.key.toLowerCase() === property.key.toLowerCase();
      if (!properties.some((p, i) => i !== index && sameKey(p))) return;
      const skipsNull = nullKeeps(property.key);
      if (skipsNull && isNull(property)) {
        warn(
          property,
          `\`${property.key}\` is null here and appears elsewhere in this object of ${name}: for this field Go's ` +
            'JSON decoding skips null (the field keeps the value it had), so this occurrence changes nothing. ' +
            'Remove it.',
        );
        return;
      }
      const later = properties.slice(index + 1).find((p) => sameKey(p) && !(skipsNull && isNull(p)));
      if (!later) return;
      const spelled =
        later.key === property.key
          ? `\`${later.key}\` appears again`
          : `\`${property.key}\` appears again as \`${later.key}\``;
      warn(
        property,
        `${spelled} later in this object of ${name}: ${reader}, so this value is ignored. Keep one of them.`,
      );
    });
  }
  return findings;
}

const isNull = (property: JsonProperty): boolean => property.valueNode?.type === 'null';

/** Whether null leaves flannel's value as it was: plain top-level fields, and the options inside Backend. */
function nullKeepsValue(root: JsonNode | undefined, object: JsonNode, key: string): boolean {
  if (object === root) return nullKeepsNetConfValue(key, false);
  const holder = object.parent;
  const holderKey: unknown = holder?.children?.[0]?.value;
  const insideBackend =
    holder?.type === 'property' && holder.parent === root && String(holderKey).toLowerCase() === 'backend';
  return insideBackend && nullKeepsNetConfValue(key, true);
}

/** The characters of a key inside its quotes. */
const keyContent = (property: JsonProperty): OffsetRange => [
  property.keyNode.offset + 1,
  property.keyNode.offset + Math.max(1, property.keyNode.length - 1),
];

function objectsIn(node: JsonNode | undefined): JsonNode[] {
  if (!node) return [];
  const nested = (node.children ?? []).flatMap(objectsIn);
  return node.type === 'object' ? [node, ...nested] : nested;
}
