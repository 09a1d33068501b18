// Small, typed accessors over `yaml` nodes that keep source ranges. Aliases are not followed, so an
// alias bomb costs nothing and every value we report has a place in the file.
import { isMap, isPair, isScalar, isSeq, Node, Pair, Scalar, YAMLMap } from 'yaml';
import { OffsetRange } from './text';

export interface Located<T> {
  value: T;
  /** The node's range, quotes included. */
  range: OffsetRange;
  /** The range of the characters of the value itself (inside quotes when quoted). */
  textRange: OffsetRange;
  node: Scalar;
}

export const rangeOf = (node: Node | null | undefined): OffsetRange =>
  node?.range ? [node.range[0], node.range[1]] : [0, 0];

export function pairOf(node: unknown, key: string): Pair<Scalar, Node | null> | undefined {
  if (!isMap(node)) return undefined;
  for (const pair of node.items) {
    if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key) return pair as Pair<Scalar, Node | null>;
  }
  return undefined;
}

export function get(node: unknown, ...path: Array<string | number>): Node | undefined {
  let current: unknown = node;
  for (const step of path) {
    if (typeof step === 'number') current = isSeq(current) ? current.items[step] : undefined;
    else current = pairOf(current, step)?.value ?? undefined;
    if (current === undefined || current === null) return undefined;
  }
  return current as Node;
}

export function scalarText(node: unknown): Located<string> | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined || typeof node.value === 'object') return undefined;
  const value = String(node.value);
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  // Ranges are read from the node on every access: when an unchanged YAML document moves within its
  // file, its nodes are shifted in place and every Located taken from them stays right.
  return {
    value,
    node,
    get range() {
      return rangeOf(node);
    },
    get textRange() {
      const range = rangeOf(node);
      return quoted && range[1] - range[0] === value.length + 2 ? [range[0] + 1, range[1] - 1] as const : range;
    },
  };
}

export const getText = (node: unknown, ...path: Array<string | number>): Located<string> | undefined =>
  scalarText(get(node, ...path));

export function getBool(node: unknown, ...path: Array<string | number>): boolean | undefined {
  const value = get(node, ...path);
  if (!isScalar(value)) return undefined;
  if (typeof value.value === 'boolean') return value.value;
  if (value.value === 'true') return true;
  if (value.value === 'false') return false;
  return undefined;
}

export function itemsOf(node: unknown): Node[] {
  return isSeq(node) ? (node.items.filter((item) => item !== null && item !== undefined) as Node[]) : [];
}

export function textItems(node: unknown): Array<Located<string>> {
  return itemsOf(node).map(scalarText).filter((item): item is Located<string> => item !== undefined);
}

export const isMapNode = (node: unknown): node is YAMLMap => isMap(node);
