// What the model keeps, what is a snapshot, and the caches keyed by their identity. Every cache of the
// model (facts per document, diagnostics and topology per cluster) is made here, so that what
// invalidates what is decided in one place:
//
// - ManifestDocument (core/manifestDocument.ts): one YAML document of a file. Its text never changes:
//   an edit elsewhere in the file reuses it and shifts its ranges in place (parseManifest), so it is
//   immutable in content, not in position. Once its facts are taken it may release its YAML tree
//   (releaseTree, for Pods) and parse its source again when a hover or completion asks for the tree.
// - FileFacts: taken once per document (cachedPerDocument) and read-only from then on. They read
//   positions through the document's own range arrays, so the in-place shift moves them too.
// - ManifestFile and WorkspaceFile: the current version of a file; Workspace.setFile makes new ones.
//   They share the reused documents with the version before, which is stale once replaced (those
//   documents moved, and their objects' `uri`/`docIndex` were updated): only the current one is read.
// - Cluster (with its ClusterFacts and ClusterNetwork): an immutable snapshot, as is the list of
//   clusters. An edit to a file gives its cluster a new object and leaves the others theirs; adding or
//   removing a file, a file becoming or ceasing to be a cluster marker, or new options rebuild them all.
//
// So a result computed from a Cluster alone is cached per Cluster object (cachedPerCluster): a hit
// is always current, an edit misses only for its own cluster, and dropped clusters free their entries
// (WeakMap). The same holds for facts per document: a changed document is a new object.

import { type ManifestFile } from '../core/manifest';
import { type ManifestDocument } from '../core/manifestDocument';
import { type Cluster } from './workspace';

/**
 * The writable form of a read-only snapshot type (its fields and lists), for the code that builds one
 * and only until it hands it out.
 */
export type Draft<T> = { -readonly [K in keyof T]: T[K] extends ReadonlyArray<infer U> ? U[] : T[K] };

/**
 * `compute` memoised per Cluster object, and per `arg` (the last one given, compared by identity: the
 * engine passes one settings object per settings change).
 */
export function cachedPerCluster<T, A = void>(
  compute: (cluster: Cluster, arg: A) => T,
): (cluster: Cluster, arg: A) => T {
  const cache = new WeakMap<Cluster, { arg: A; value: T }>();
  return (cluster, arg) => {
    let entry = cache.get(cluster);
    if (!entry || entry.arg !== arg) {
      entry = { arg, value: compute(cluster, arg) };
      cache.set(cluster, entry);
    }
    return entry.value;
  };
}

/** `compute` memoised per document object: a document reused after an edit elsewhere keeps its value. */
export function cachedPerDocument<T>(
  compute: (file: ManifestFile, doc: ManifestDocument) => T,
): (file: ManifestFile, doc: ManifestDocument) => T {
  const cache = new WeakMap<ManifestDocument, T>();
  return (file, doc) => {
    let value = cache.get(doc);
    if (value === undefined) {
      value = compute(file, doc);
      cache.set(doc, value);
    }
    return value;
  };
}
