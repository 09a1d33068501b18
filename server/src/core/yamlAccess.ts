// Small, typed accessors over `yaml` nodes that keep source ranges. Aliases are not followed, so an
// alias bomb costs nothing and every value we report has a place in the file.
import { isMap, isPair, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { type OffsetRange } from './text';

/**
 * A scalar value with its place in the file. Ranges are read from the node on every access: when an
 * unchanged YAML document moves within its file, its nodes are shifted in place and every Located
 * taken from them stays right. (A class, not an object literal with getters: such literals are kept
 * as slow dictionaries by V8, with two closures each, which weighed more than the YAML nodes.)
 */
export class Located<T> {
  constructor(
    readonly value: T,
    readonly node: Scalar,
    private readonly quoted: boolean,
  ) {}

  /** The node's range, quotes included. */
  get range(): OffsetRange {
    return rangeOf(this.node);
  }

  /**
   * Whether writing a plain value over `textRange` makes it the value: not for a block scalar (its
   * range holds the `|` or `>` header and its line breaks) nor for an empty value after a tag (the
   * tag would swallow the text).
   */
  get replaceable(): boolean {
    const { type, tag } = this.node;
    return type !== 'BLOCK_LITERAL' && type !== 'BLOCK_FOLDED' && !(tag && String(this.value) === '');
  }

  /** The range of the characters of the value itself (inside quotes when quoted). */
  get textRange(): OffsetRange {
    const range = rangeOf(this.node);
    const length = String(this.value).length;
    return this.quoted && range[1] - range[0] === length + 2 ? [range[0] + 1, range[1] - 1] : range;
  }
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
  if (!isScalar(node) || node.value === null || node.value === undefined || typeof node.value === 'object')
    return undefined;
  return new Located(String(node.value), node, node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
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
  return itemsOf(node)
    .map(scalarText)
    .filter((item): item is Located<string> => item !== undefined);
}

export const isMapNode = (node: unknown): node is YAMLMap => isMap(node);
