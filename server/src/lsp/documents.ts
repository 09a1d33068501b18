// The lifecycle of the workspace's files as the server sees them: open in an editor (its unsaved text
// wins), closed (the disk's text), changed or deleted on disk, read while indexing. Every path from
// an LSP event or a disk read into the workspace model goes through here, and TextSources decides
// which of the competing texts of a file is current. No LSP import: the server wires its events in,
// and the tests drive it with their own reads.
import { type TextChange } from '../core/text';
import { type ReadResult } from '../io/files';
import { pathToUri, uriToPath, type Workspace, type WorkspaceFile } from '../model/workspace';
import { TextSources } from './textSources';

export interface DocumentHost {
  /** The current workspace model (the server replaces it on initialize). */
  workspace(): Workspace;
  readText(filePath: string): Promise<ReadResult>;
  readTextSync(filePath: string): ReadResult;
  /** Something changed in the workspace: diagnostics are due. */
  changed(): void;
}

export const isYaml = (uri: string): boolean => /\.ya?ml$/i.test(uri) || uri.startsWith('untitled:');

export class DocumentLifecycle {
  private readonly sources = new TextSources();

  constructor(private readonly host: DocumentHost) {}

  isOpen(uri: string): boolean {
    return this.sources.isOpen(uriToPath(uri));
  }

  /** An editor opened the document; its text follows as an edit. */
  opened(uri: string): void {
    this.sources.opened(uriToPath(uri), uri);
  }

  /** The open document's text, on open and on every edit, with what the edit left alone when told. */
  edited(uri: string, text: string, change?: TextChange): void {
    if (!isYaml(uri)) return;
    this.host.workspace().setFile(uri, text, change);
    this.host.changed();
  }

  /** The editor closed the document: the file on disk is what the cluster gets from now on. */
  async closed(uri: string): Promise<void> {
    this.sources.closed(uriToPath(uri), uri);
    if (!isYaml(uri)) return;
    if (await this.reload(uri)) this.host.changed();
  }

  /** Files changed on disk; those open in an editor keep the editor's text. */
  async diskChanged(changes: ReadonlyArray<{ uri: string; deleted: boolean }>): Promise<void> {
    const applied = await Promise.all(
      // Every read begins here, in the order of the changes; they land in any order.
      changes.filter((c) => isYaml(c.uri)).map(async (c) => (c.deleted ? this.deleted(c.uri) : this.reload(c.uri))),
    );
    if (applied.some(Boolean)) this.host.changed();
  }

  /** Reads a file while indexing, unless an editor has it open. Synchronous: nothing can come in between. */
  indexed(filePath: string): WorkspaceFile | undefined {
    const uri = pathToUri(filePath);
    const read = this.sources.beginRead(uriToPath(uri));
    if (!read) return undefined;
    const result = this.host.readTextSync(filePath);
    if (!this.sources.mayApply(read)) return undefined;
    return this.apply(uri, result);
  }

  /** Workspace folders went away: their files leave the model, except those open in an editor. */
  foldersRemoved(gone: readonly string[], roots: readonly string[]): void {
    const workspace = this.host.workspace();
    const under = (filePath: string, folders: readonly string[]) => folders.some((r) => filePath.startsWith(r + '/'));
    for (const entry of workspace.allFiles()) {
      const { path, uri } = entry.file;
      if (under(path, gone) && !under(path, roots) && !this.sources.isOpen(path)) workspace.removeFile(uri);
    }
  }

  private deleted(uri: string): boolean {
    if (!this.sources.deleted(uriToPath(uri))) return false;
    this.host.workspace().removeFile(uri);
    return true;
  }

  /** Reads the file's disk text into the model, unless an editor or a newer read owns it by the time it lands. */
  private async reload(uri: string): Promise<boolean> {
    const read = this.sources.beginRead(uriToPath(uri));
    if (!read) return false;
    const result = uri.startsWith('file://') ? await this.host.readText(uriToPath(uri)) : undefined;
    if (!this.sources.mayApply(read)) return false;
    if (this.apply(uri, result) === undefined) this.host.workspace().removeFile(uri);
    return true;
  }

  /**
   * Puts a read's outcome into the model: its text, or the reason it cannot be read (reported as
   * file-skipped). A file that no longer exists, or a document with nothing on disk, has no entry.
   */
  private apply(uri: string, result: ReadResult | undefined): WorkspaceFile | undefined {
    if (result === undefined || (!result.ok && result.code === 'ENOENT')) return undefined;
    const workspace = this.host.workspace();
    return result.ok ? workspace.setFile(uri, result.text) : workspace.setUnreadable(uri, result.reason);
  }
}
