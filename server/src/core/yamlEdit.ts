// Text edits that add to a YAML document in its own layout (indentation, block or flow, quoting), for
// quick fixes. Shared by the rule modules; edits are computed on the source text, never by re-serialising.
import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import { type TextEdit } from './text';

/** Appends items to a YAML sequence, block or flow, in the style of its last item. */
export function appendToSequence(
  uri: string,
  text: string,
  sequence: Node | undefined,
  values: string[],
): TextEdit[] | undefined {
  if (!isSeq(sequence) || sequence.items.length === 0) return undefined;
  const last = sequence.items[sequence.items.length - 1] as Scalar;
  if (!isScalar(last) || !last.range) return undefined;
  const end = last.range[1];
  const quote = last.type === 'QUOTE_DOUBLE' ? '"' : last.type === 'QUOTE_SINGLE' ? "'" : '';
  // An unterminated quoted item runs to the end of the file: text appended after it would land inside it.
  const source = text.slice(last.range[0], last.range[1]);
  if (quote && (source.length < 2 || !source.endsWith(quote))) return undefined;
  const rendered = values.map((v) => `${quote}${v}${quote}`);
  if (sequence.flow) return [{ uri, range: [end, end], newText: rendered.map((v) => `, ${v}`).join('') }];
  const lineStart = text.lastIndexOf('\n', last.range[0] - 1) + 1;
  const prefix = text.slice(lineStart, last.range[0]);
  if (!/^[ \t]*-[ \t]+$/.test(prefix)) return undefined;
  return [{ uri, range: [end, end], newText: rendered.map((v) => `\n${prefix}${v}`).join('') }];
}

/** Inserts `key: value` as the first key of a block mapping, on its own line. */
export function insertKeyFirst(
  uri: string,
  text: string,
  map: Node | undefined,
  entry: string,
): TextEdit[] | undefined {
  if (!isMap(map) || map.flow || map.items.length === 0) return undefined;
  const key = map.items[0].key as Node | null;
  const start = key?.range?.[0];
  if (start === undefined) return undefined;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const indent = text.slice(lineStart, start);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  return [{ uri, range: [start, start], newText: `${entry}\n${indent}` }];
}

/**
 * A string as YAML text that reads back as that string: plain when it can be (`worker-1`), double-quoted
 * otherwise (`"true"`, `"123"`, `""`, which plain would make a boolean, a number or null).
 */
export function yamlString(value: string): string {
  const plain =
    /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(value) &&
    !/^(true|false|null|yes|no|on|off|y|n|~|[0-9.+-]+(e[0-9+-]+)?|0x[0-9a-f]+|0o[0-7]+)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}
