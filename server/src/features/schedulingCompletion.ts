// Completion in a pod spec's node selection (a Pod's or a template's): the label keys and values the
// workspace's nodes carry for `nodeSelector` and node affinity expressions, their operators, and node
// names for `matchFields`. Read from the text (core/yamlCursor.ts), since a key being typed has no colon
// yet and the document does not parse.
import { escapeMarkdown as esc } from '../core/markdown';
import { type YamlCursor, yamlCursorAt } from '../core/yamlCursor';
import { yamlString } from '../core/yamlEdit';
import { type NodeNetwork } from '../model/network';
import { listNodes } from '../model/placement';
import { HOSTNAME_LABEL } from '../model/schedulingSpec';
import { type CompletionResult } from './completion';

/** Label key → value → the nodes with it. */
type Labels = Map<string, Map<string, string[]>>;

/** The labels of the Node objects, and `kubernetes.io/hostname` (the node's name) for every node. */
function labelsOf(nodes: readonly NodeNetwork[]): Labels {
  const labels: Labels = new Map();
  const add = (key: string, value: string, node: string) => {
    let values = labels.get(key);
    if (!values) labels.set(key, (values = new Map<string, string[]>()));
    values.set(value, [...(values.get(value) ?? []), node]);
  };
  for (const node of nodes) {
    const own = node.facts?.labels ?? [];
    for (const [key, value] of own) add(key, value, node.name);
    if (!own.some(([key]) => key === HOSTNAME_LABEL)) add(HOSTNAME_LABEL, node.name, node.name);
  }
  return labels;
}

const OPERATORS: Array<[string, string]> = [
  ['In', 'the label has one of `values`'],
  ['NotIn', 'the label is absent or has none of `values`'],
  ['Exists', 'the node has the label (no `values`)'],
  ['DoesNotExist', 'the node lacks the label (no `values`)'],
  ['Gt', 'the label, an integer, is greater than the one value'],
  ['Lt', 'the label, an integer, is less than the one value'],
];

/** Where node selection fields sit under a pod spec: after `spec` at the top, in a template, or in a List item. */
function selectionPath(path: readonly string[]): string[] | undefined {
  for (let i = 1; i < path.length; i++) {
    if (path[i - 1] !== 'spec' || (path[i] !== 'nodeSelector' && path[i] !== 'affinity')) continue;
    const before = path.slice(0, i - 1);
    const podSpec = before.length === 0 || before[before.length - 1] === 'template' || before.join('/') === 'items/-';
    if (podSpec) return path.slice(i);
  }
  return undefined;
}

export function schedulingCompletions(
  text: string,
  offset: number,
  nodes: readonly NodeNetwork[],
): CompletionResult[] | undefined {
  const cursor = yamlCursorAt(text, offset);
  const at = cursor && selectionPath(cursor.path);
  if (!cursor || !at || nodes.length === 0) return undefined;
  const labels = labelsOf(nodes);
  const [section, ...rest] = at;
  if (section === 'nodeSelector' && rest.length === 0) {
    if (cursor.position === 'key') {
      const present = new Set([...cursor.siblings.keys()].filter((key) => key !== cursor.current));
      return keyItems(labels, cursor, true).filter((item) => !present.has(item.label));
    }
    if (cursor.position === 'value' && cursor.key) return valueItems(labels, cursor.key, cursor);
    return undefined;
  }
  if (section !== 'affinity' || rest[0] !== 'nodeAffinity') return undefined;
  const list = rest[rest.length - 2];
  const inItem = rest[rest.length - 1] === '-' && (list === 'matchExpressions' || list === 'matchFields');
  if (inItem && cursor.position === 'value') {
    if (cursor.key === 'operator') return operatorItems(list === 'matchFields', cursor);
    if (cursor.key !== 'key') return undefined;
    if (list === 'matchFields')
      return [item('metadata.name', 'property', 'the only field', "The node's name.", cursor, 'metadata.name')];
    return keyItems(labels, cursor, false);
  }
  const valuesOf = rest[rest.length - 3];
  if (rest[rest.length - 1] === 'values' && rest[rest.length - 2] === '-' && cursor.position === 'item') {
    const key = cursor.siblings.get('key');
    if (valuesOf === 'matchFields') return key === 'metadata.name' ? valueItems(nodeNames(nodes), '', cursor) : [];
    if (valuesOf === 'matchExpressions' && key) return valueItems(labels, key, cursor);
  }
  return undefined;
}

const nodeNames = (nodes: readonly NodeNetwork[]): Labels =>
  new Map([['', new Map(nodes.map((n) => [n.name, [n.name]]))]]);

function item(
  label: string,
  kind: CompletionResult['kind'],
  detail: string,
  documentation: string | undefined,
  cursor: YamlCursor,
  value: string,
  suffix = '',
): CompletionResult {
  // Inside quotes the value goes as it is; otherwise quoted when plain would not read back as a string.
  const insertText = cursor.quoted ? value : yamlString(value) + suffix;
  return { label, kind, detail, ...(documentation ? { documentation } : {}), insertText, range: cursor.range };
}

/** The label keys, with how many nodes carry each; `asKey`: a nodeSelector key, followed by `: `. */
function keyItems(labels: Labels, cursor: YamlCursor, asKey: boolean): CompletionResult[] {
  return [...labels].map(([key, values]) => {
    const carriers = [...values.values()].flat();
    const shown = [...values]
      .slice(0, 8)
      .map(([value, on]) => `\`${value === '' ? '""' : esc(value)}\` on ${esc(listNodes(on))}`);
    return item(
      key,
      'property',
      `on ${carriers.length} node${carriers.length === 1 ? '' : 's'}`,
      `${shown.join('\n\n')}${values.size > 8 ? '\n\n…' : ''}`,
      cursor,
      key,
      asKey && !cursor.colonFollows ? ': ' : '',
    );
  });
}

function valueItems(labels: Labels, key: string, cursor: YamlCursor): CompletionResult[] {
  return [...(labels.get(key) ?? [])].map(([value, on]) =>
    item(value === '' ? '""' : value, 'value', `on ${listNodes(on)}`, undefined, cursor, value),
  );
}

function operatorItems(fields: boolean, cursor: YamlCursor): CompletionResult[] {
  const allowed = fields ? OPERATORS.filter(([op]) => op === 'In' || op === 'NotIn') : OPERATORS;
  return allowed.map(([op, doc]) => item(op, 'enum', 'operator', doc, cursor, op));
}
