// Crash recovery in a real VS Code: when the language server process dies, the language client starts
// a new one by itself, and diagnostics, hovers and edits work again.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { PodnetApi } from '../../../client/src/extension';
import { EXTENSION_ID, hoverText, open, podnetDiagnostics, positionOf, waitFor } from './util';

async function api(): Promise<PodnetApi> {
  const extension = vscode.extensions.getExtension<PodnetApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return extension.activate();
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

suite('Podnet recovers from a language server crash', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('killing the server process: the client restarts it and the diagnostics come back', async function () {
    this.timeout(90_000);
    const podnet = await api();
    const editor = await open('cluster-10.100/network-cni-test.yaml');
    const document = editor.document;
    const start = positionOf(document, 'worker233');
    await editor.edit((edit) => edit.replace(new vscode.Range(start, start.translate(0, 9)), 'worker323'));
    await waitFor('nodename-unknown before the crash', () =>
      podnetDiagnostics(document.uri).find((d) => d.code === 'nodename-unknown'),
    );

    const first = await waitFor('the server process id', () => podnet.serverProcessId());
    assert.ok(isAlive(first), 'the reported process is running');
    process.kill(first, 'SIGKILL');
    await waitFor('the old server to be gone', () => (isAlive(first) ? undefined : true));

    const second = await waitFor(
      'a restarted server',
      () => {
        const pid = podnet.serverProcessId();
        return pid !== undefined && pid !== first ? pid : undefined;
      },
      60_000,
    );
    assert.ok(isAlive(second));

    // The new server knows the unsaved edit (the client sends the open documents again) ...
    const diagnostic = await waitFor(
      'nodename-unknown from the new server',
      () => podnetDiagnostics(document.uri).find((d) => d.code === 'nodename-unknown'),
      30_000,
    );
    assert.strictEqual(document.getText(diagnostic.range), 'worker323');
    // ... follows further edits ...
    await editor.edit((edit) => edit.replace(diagnostic.range, 'worker233'));
    await waitFor('the diagnostic to go away', () =>
      podnetDiagnostics(document.uri).some((d) => d.code === 'nodename-unknown') ? undefined : true,
    );
    await editor.edit((edit) => edit.replace(new vscode.Range(start, start.translate(0, 9)), 'worker323'));
    await waitFor('the diagnostic to return', () =>
      podnetDiagnostics(document.uri).find((d) => d.code === 'nodename-unknown'),
    );
    // ... and answers hovers.
    const other = positionOf(document, 'worker232', 3);
    await waitFor('a hover from the new server', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        document.uri,
        other,
      );
      return hoverText(hovers).includes('10.100.1.0/24') ? true : undefined;
    });
    assert.strictEqual(podnet.serverProcessId(), second, 'one restart, still the same new server');
  });
});
