// The status bar item that tells the user what the Podnet language server is doing.
// Clicking it opens the Podnet output, where the server's log explains any error state.
import * as vscode from 'vscode';
import { type ServerStatus } from '../../server/src/protocol';

/** What the item can show: the client's own view of the server, or the last status the server sent. */
export type StatusView =
  | { kind: 'disabled' }
  | { kind: 'starting' }
  | { kind: 'stopped'; reason?: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'server'; status: ServerStatus };

interface Presentation {
  text: string;
  tooltip: string;
  /** Draws the item with the theme's error or warning background, for states the user should act on. */
  background?: 'error' | 'warning';
}

export class ServerStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(
    showOutputCommand: string,
    private readonly restartCommand: string,
  ) {
    // An id (rather than none) lets users hide this item alone from the status bar's context menu.
    this.item = vscode.window.createStatusBarItem('podnet.serverStatus', vscode.StatusBarAlignment.Left, 0);
    this.item.name = 'Podnet';
    this.item.command = { command: showOutputCommand, title: 'Show Podnet Output' };
    this.show({ kind: 'starting' });
    this.item.show();
  }

  show(view: StatusView): void {
    const presentation = present(view);
    this.item.text = presentation.text;
    this.item.tooltip = this.tooltip(presentation.tooltip);
    this.item.accessibilityInformation = { label: `Podnet: ${presentation.tooltip}` };
    this.item.backgroundColor =
      presentation.background === undefined
        ? undefined
        : new vscode.ThemeColor(`statusBarItem.${presentation.background}Background`);
  }

  dispose(): void {
    this.item.dispose();
  }

  private tooltip(summary: string): vscode.MarkdownString {
    const markdown = new vscode.MarkdownString(
      `**Podnet** — ${escapeMarkdown(summary)}\n\n` +
        `Click to show the output · [Restart the server](command:${this.restartCommand})`,
      true,
    );
    // Only our own command may run from this tooltip; nothing in it comes from the workspace except counts.
    markdown.isTrusted = { enabledCommands: [this.restartCommand] };
    return markdown;
  }
}

/** Pure mapping from state to text, kept apart from the VS Code item so it stays easy to reason about. */
export function present(view: StatusView): Presentation {
  switch (view.kind) {
    case 'disabled':
      return { text: '$(circle-slash) Podnet', tooltip: 'disabled by the podnet.enable setting.' };
    case 'starting':
      return { text: '$(loading~spin) Podnet', tooltip: 'starting the language server…' };
    case 'stopped':
      return {
        text: '$(debug-disconnect) Podnet',
        tooltip: view.reason ?? 'the language server is not running.',
        background: 'warning',
      };
    case 'failed':
      return { text: '$(error) Podnet', tooltip: view.reason, background: 'error' };
    case 'server':
      return presentServerStatus(view.status);
  }
}

function presentServerStatus(status: ServerStatus): Presentation {
  switch (status.state) {
    case 'starting':
      return { text: '$(loading~spin) Podnet', tooltip: status.message ?? 'starting…' };
    case 'indexing':
      return {
        text: '$(loading~spin) Podnet',
        tooltip: status.message ?? `indexing the workspace (${plural(status.files, 'YAML file')} read so far)…`,
      };
    case 'error':
      return {
        text: '$(error) Podnet',
        tooltip: status.message ?? 'the language server reported an error.',
        background: 'error',
      };
    case 'ready': {
      const summary =
        `${plural(status.files, 'YAML file')}, ${plural(status.clusters, 'cluster')}: ` +
        `${plural(status.errors, 'error')}, ${plural(status.warnings, 'warning')}.` +
        (status.message ? ` ${status.message}` : '');
      if (status.errors === 0 && status.warnings === 0) return { text: '$(check) Podnet', tooltip: summary };
      // The same icons as VS Code's own problem counter, prefixed so the two are not confused.
      return { text: `Podnet $(error) ${status.errors} $(warning) ${status.warnings}`, tooltip: summary };
    }
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
