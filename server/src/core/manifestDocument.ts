// One YAML document of a file and the Kubernetes objects in it. A document can give its tree up once
// its facts are taken (see releaseTree) and parses its source again when the tree is asked for. What
// is immutable and what is shifted in place across edits: see model/snapshots.ts.
import { type Document, isMap, isNode, isPair, parseAllDocuments, type YAMLMap } from 'yaml';
import { parseBlockYaml } from './blockYaml';
import type { K8sObject, YamlIssue } from './manifest';
import { type OffsetRange } from './text';
import { get, getText, itemsOf, Located } from './yamlAccess';

/** The options every YAML document is parsed with (duplicate keys are found by `duplicateKeys`). */
export const PARSE_OPTIONS = { prettyErrors: false, strict: false, uniqueKeys: false } as const;

/** The YAML documents in `source`: plain block YAML takes the fast path, everything else yaml's parser. */
export function parseYamlDocuments(source: string): Document.Parsed[] {
  const fast = parseBlockYaml(source, PARSE_OPTIONS);
  return fast ? [fast] : parseWithYaml(source);
}

export function parseWithYaml(source: string): Document.Parsed[] {
  const parsed = parseAllDocuments(source, PARSE_OPTIONS);
  return Array.isArray(parsed) ? parsed : [];
}

/**
 * One YAML document of a file. Its tree can be given up once the facts are taken from it
 * (`releaseTree`): most documents of a large file are Pods whose facts hold all that the rules need,
 * and their trees weigh several times the facts. A released document parses its source again when
 * its tree is asked for (a hover or a completion inside it) and keeps that copy while memory allows.
 */
export class ManifestDocument {
  index = 0;
  /** The document's source text, its key for reuse when the file is edited elsewhere. */
  source: string;
  /** Offset of `source` in the file. */
  start = 0;
  range: OffsetRange;
  objects: K8sObject[] = [];
  errors: YamlIssue[] = [];
  /** Set when the document is the only one parsed from its source, so that the source gives it back. */
  readonly ownsSource: boolean;
  /** Whether its chunk of the file has a `podnet-disable` comment. */
  mentionsSuppressions = false;
  private tree: Document.Parsed | undefined;
  private reparsed: WeakRef<Document.Parsed> | undefined;
  /** After release: the range arrays of the nodes that facts still hold, shifted with the document. */
  private pinned: number[][] | undefined;

  constructor(tree: Document.Parsed, source: string, ownsSource: boolean) {
    this.tree = tree;
    this.source = source;
    this.ownsSource = ownsSource;
    this.range = [tree.range[0], tree.range[2]];
  }

  get doc(): Document.Parsed {
    if (this.tree) return this.tree;
    let tree = this.reparsed?.deref();
    if (!tree) {
      tree = parseYamlDocuments(this.source)[0];
      shiftTree(tree, this.start);
      this.reparsed = new WeakRef(tree);
    }
    return tree;
  }

  get released(): boolean {
    return this.tree === undefined;
  }

  /** Drops the tree; `pinned` are the range arrays of the nodes still held elsewhere (by facts). */
  dropTree(pinned: number[][]): void {
    if (!this.ownsSource || this.errors.length > 0 || !this.objects.every((o) => o.node === this.tree?.contents))
      return;
    for (const object of this.objects) if (object instanceof ParsedObject) object.detach();
    this.pinned = pinned;
    this.tree = undefined;
  }

  /** Moves the document by `delta` characters: its nodes' ranges, in place, and its errors. */
  shift(delta: number): void {
    if (delta === 0) return;
    if (this.tree) shiftTree(this.tree, delta);
    else {
      for (const range of this.pinned ?? []) shiftRange(range, delta);
      this.reparsed = undefined;
    }
    this.range = [this.range[0] + delta, this.range[1] + delta];
    if (this.errors.length > 0)
      this.errors = this.errors.map((error) => ({ ...error, range: [error.range[0] + delta, error.range[1] + delta] }));
    this.start += delta;
  }
}

interface ShiftableNode {
  range?: number[] | null;
  items?: Array<ShiftableNode & { key?: ShiftableNode | null; value?: ShiftableNode | null }>;
}

function shiftRange(range: number[], delta: number): void {
  for (let i = 0; i < range.length; i++) range[i] += delta;
}

/** Moves every node range of a parsed document by `delta`, in place. */
function shiftTree(tree: Document.Parsed, delta: number): void {
  // The node tree has no cycles: an alias is its own node and does not contain its anchor.
  const shiftNode = (node: ShiftableNode | null | undefined): void => {
    if (!node) return;
    if (node.range) shiftRange(node.range, delta);
    const items = node.items;
    if (items) {
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        // Pairs carry no range of their own, only their key and value do.
        if (item && 'key' in item) {
          shiftNode(item.key);
          shiftNode(item.value);
        } else shiftNode(item);
      }
    }
  };
  shiftNode(tree.contents as ShiftableNode | null);
  shiftRange(tree.range, delta);
}

export function objectsOf(uri: string, document: ManifestDocument, contents: unknown): K8sObject[] {
  if (!isMap(contents)) return [];
  const kind = getText(contents, 'kind')?.value;
  const apiVersion = getText(contents, 'apiVersion')?.value;
  if (!kind || !apiVersion) return [];
  if (kind === 'List' || (kind.endsWith('List') && get(contents, 'items'))) {
    return itemsOf(get(contents, 'items')).flatMap((item) => objectsOf(uri, document, item));
  }
  return [new ParsedObject(uri, document, apiVersion, kind, contents)];
}

/**
 * An object as parsed. Its range is read from its node on every access, like Located's; once its
 * document has given up its tree, the node is the root of the tree parsed again on demand.
 */
class ParsedObject implements K8sObject {
  readonly name?: Located<string>;
  readonly namespace?: Located<string>;
  docIndex = 0;
  private root: YAMLMap | undefined;
  private readonly rootRange: number[];

  constructor(
    public uri: string,
    private readonly document: ManifestDocument,
    readonly apiVersion: string,
    readonly kind: string,
    root: YAMLMap,
  ) {
    this.root = root;
    this.rootRange = root.range ?? [0, 0, 0];
    this.name = getText(root, 'metadata', 'name');
    this.namespace = getText(root, 'metadata', 'namespace');
  }

  get node(): YAMLMap {
    return this.root ?? (this.document.doc.contents as YAMLMap);
  }

  get range(): OffsetRange {
    return [this.rootRange[0], this.rootRange[1]];
  }

  /** Called when the document gives up its tree: the root range stays (it is pinned), the node goes. */
  detach(): void {
    this.root = undefined;
  }

  /** The range arrays this object holds on its own, for its document to keep shifted. */
  get pinnedRanges(): number[][] {
    return [this.rootRange];
  }
}

/**
 * Lets the document give up its tree, keeping what `held` (its facts) still refers to: the ranges of
 * every Located value reachable from it, shifted with the document from then on. A fact that holds a
 * YAML node itself would keep part of the tree with ranges nobody shifts, so then the tree stays.
 */
export function releaseTree(doc: ManifestDocument, held: unknown): void {
  // A set: two values read from the same node share its range array, which must move once.
  const pinned = new Set<number[]>();
  const seen = new Set<object>();
  const pending: unknown[] = [held];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (value instanceof Located) {
      if (value.node.range) pinned.add(value.node.range);
    } else if (value instanceof ParsedObject) {
      for (const range of value.pinnedRanges) pinned.add(range);
      pending.push(value.name, value.namespace);
    } else if (isNode(value) || isPair(value) || value instanceof ManifestDocument) {
      return;
    } else {
      pending.push(...((Array.isArray(value) ? value : Object.values(value)) as unknown[]));
    }
  }
  doc.dropTree([...pinned]);
}
