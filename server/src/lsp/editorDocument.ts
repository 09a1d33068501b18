// The text of a document open in the editor, kept up to date from the editor's incremental changes,
// and what the latest changes left alone (a TextChange): re-parsing a 165,000-line file after a
// keystroke then needs no comparison of the old and new texts. Used by vscode-languageserver's
// TextDocuments in place of its own document, which keeps an array of every line's offset up to date.
import { type TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { composeChanges, LineIndex, type TextChange } from '../core/text';

export class EditorDocument {
  private constructor(
    readonly uri: string,
    readonly languageId: string,
    readonly version: number,
    private readonly text: string,
    private readonly lines: LineIndex,
    private change: TextChange | undefined,
  ) {}

  static create(this: void, uri: string, languageId: string, version: number, content: string): EditorDocument {
    return new EditorDocument(uri, languageId, version, content, new LineIndex(content), undefined);
  }

  static update(
    this: void,
    document: EditorDocument,
    changes: readonly TextDocumentContentChangeEvent[],
    version: number,
  ): EditorDocument {
    let { text, lines } = document;
    let change: TextChange | undefined;
    let replaced = false;
    for (const event of changes) {
      if (!('range' in event)) {
        // The whole text: nothing is known to be unchanged.
        text = event.text;
        lines = new LineIndex(text);
        replaced = true;
        continue;
      }
      const [start, end] = [lines.offsetAt(event.range.start), lines.offsetAt(event.range.end)].sort((a, b) => a - b);
      const next = text.slice(0, start) + event.text + text.slice(end);
      const step: TextChange = { before: text, prefix: start, suffix: text.length - end };
      change = change ? composeChanges(change, step) : step;
      lines = LineIndex.patched(lines, next, start, start + event.text.length, event.text.length - (end - start));
      text = next;
    }
    return new EditorDocument(document.uri, document.languageId, version, text, lines, replaced ? undefined : change);
  }

  getText(): string {
    return this.text;
  }

  /**
   * What the changes that made this version left of the previous one, given once: afterwards the
   * previous text is no longer held (it is as long as the file).
   */
  takeChange(): TextChange | undefined {
    const change = this.change;
    this.change = undefined;
    return change;
  }
}
