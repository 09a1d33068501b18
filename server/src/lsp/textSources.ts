// Decides, per file, whether text read from disk may still be applied. Disk reads are asynchronous, so
// while one is in flight an editor can open the file, the file can be deleted, or a newer read can
// start. The rules: an open document always wins over the disk; of two reads of one file, the one
// started last wins, whatever order they land in; a deletion seen after a read started wins over it.
// Pure bookkeeping (no I/O, no LSP), keyed by the caller's file key (the workspace's path).

export interface DiskRead {
  readonly key: string;
  readonly ticket: number;
}

export class TextSources {
  /** Per file, the URIs it is open under (one file can be reached through differently spelt URIs). */
  private readonly open = new Map<string, Set<string>>();
  /** Per file with a read in flight, the ticket of the latest read; any other ticket is stale. */
  private readonly latest = new Map<string, number>();
  private nextTicket = 1;

  /** An editor opened the file: its text owns the file, and reads in flight are stale. */
  opened(key: string, uri: string): void {
    let uris = this.open.get(key);
    if (!uris) this.open.set(key, (uris = new Set()));
    uris.add(uri);
    this.latest.delete(key);
  }

  /** An editor closed the file; the disk owns it again once no other editor has it open. */
  closed(key: string, uri: string): void {
    const uris = this.open.get(key);
    uris?.delete(uri);
    if (uris?.size === 0) this.open.delete(key);
  }

  isOpen(key: string): boolean {
    return this.open.has(key);
  }

  /** A read of the file is starting. Undefined when an editor owns the file: there is nothing to read. */
  beginRead(key: string): DiskRead | undefined {
    if (this.isOpen(key)) return undefined;
    const read = { key, ticket: this.nextTicket++ };
    this.latest.set(key, read.ticket);
    return read;
  }

  /**
   * The read has landed: whether its text may be applied (no editor opened the file, no newer read
   * started and no deletion was seen since it began). Settles it either way.
   */
  mayApply(read: DiskRead): boolean {
    if (this.latest.get(read.key) !== read.ticket) return false;
    this.latest.delete(read.key);
    return !this.isOpen(read.key);
  }

  /** The file was deleted on disk: whether to drop it (not while an editor has it open). Reads in flight are stale. */
  deleted(key: string): boolean {
    this.latest.delete(key);
    return !this.isOpen(key);
  }
}
