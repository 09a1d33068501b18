// Values read from each item of a long read-only list, kept in flat arrays beside it. A file of
// thousands of Pods is walked by the network build and by several rules on each keystroke; reading a
// field through each item's objects costs a cache miss or more per item and per pass, where the arrays
// are read in a row. An edit replaces a few items of the list (the facts of unchanged documents are the
// same objects): the index of the list before is copied and only the new items are read.

/** Past this many replaced items, indexing the list afresh is as quick. */
const MAX_PATCHED = 64;
/** The lists indexed last, to patch from: a few, for the workspace's several clusters and files. */
const RECENT = 4;
/** Shorter lists are indexed afresh each time: they are cheap, and are not kept for patching. */
const LONG_LIST = 256;

/**
 * How to index one kind of list: `create` makes the index of `items` (a copy of `before`'s arrays when
 * patching), `fill` sets its values for one item.
 */
export interface IndexKind<T, I> {
  create(items: readonly T[], before?: I): I;
  fill(index: I, at: number, item: T): void;
  /** The index patched at `changed` (already refilled) may keep what `before` derived from the whole list. */
  carry?(index: I, before: I, items: readonly T[], beforeItems: readonly T[], changed: readonly number[]): void;
}

/** The index of a list, built once per list object and patched from a recent list of the same length. */
export function listIndex<T, I>(kind: IndexKind<T, I>): (items: readonly T[]) => I {
  const indexes = new WeakMap<readonly T[], I>();
  const recent: Array<{ items: readonly T[]; index: I }> = [];
  return (items) => {
    let index = indexes.get(items);
    if (index) return index;
    for (const before of recent) {
      const changed = before.items.length === items.length ? changesBetween(before.items, items) : undefined;
      if (!changed) continue;
      index = kind.create(items, before.index);
      for (const at of changed) kind.fill(index, at, items[at]);
      kind.carry?.(index, before.index, items, before.items, changed);
      break;
    }
    if (!index) {
      index = kind.create(items);
      for (let at = 0; at < items.length; at++) kind.fill(index, at, items[at]);
    }
    indexes.set(items, index);
    if (items.length >= LONG_LIST) {
      recent.unshift({ items, index });
      recent.length = Math.min(recent.length, RECENT);
    }
    return index;
  };
}

/** The positions where two lists of one length hold different items, or undefined past MAX_PATCHED. */
function changesBetween<T>(before: readonly T[], after: readonly T[]): number[] | undefined {
  const changed: number[] = [];
  for (let i = 0; i < after.length; i++) {
    if (after[i] === before[i]) continue;
    if (changed.length === MAX_PATCHED) return undefined;
    changed.push(i);
  }
  return changed;
}

/**
 * One string object per distinct value: the arrays hold the few strings (node names) that stay in the
 * cache, so a Set or Map lookup of them does not read each Pod's own copy.
 */
export class Interner {
  private readonly strings = new Map<string, string>();

  of(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    // A list's Pods name few nodes; past many distinct values (typos over a long session) start again.
    if (this.strings.size > 4096) this.strings.clear();
    this.strings.set(value, value);
    return value;
  }
}
