// Diagnostics, hovers, quick fixes, completion and the outline, through the VS Code API, on the
// example clusters copied into the test workspace.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { hoverText, open, podnetDiagnostics, positionOf, waitFor, workspaceFile } from './util';

suite('Podnet language features in VS Code', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.files.saveAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a nodeName typo gets nodename-unknown at the value, and it goes away when fixed by hand', async () => {
    const editor = await open('cluster-10.100/network-cni-test.yaml');
    const document = editor.document;
    const start = positionOf(document, 'worker233');
    await editor.edit((edit) => edit.replace(new vscode.Range(start, start.translate(0, 9)), 'worker323'));
    const diagnostic = await waitFor('nodename-unknown', () =>
      podnetDiagnostics(document.uri).find((d) => d.code === 'nodename-unknown'),
    );
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepStrictEqual(
      [diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.character],
      [start.line, start.character, start.character + 9],
    );
    assert.strictEqual(document.getText(diagnostic.range), 'worker323');
    await editor.edit((edit) => edit.replace(diagnostic.range, 'worker233'));
    await waitFor('the diagnostic to disappear', () =>
      podnetDiagnostics(document.uri).length === 0 ? true : undefined,
    );
  });

  test("a hover on nodeName shows the node's pod range", async () => {
    const editor = await open('cluster-10.100/network-cni-test.yaml');
    const position = positionOf(editor.document, 'worker232', 3);
    const hovers = await waitFor('a Podnet hover', async () => {
      const result = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        editor.document.uri,
        position,
      );
      return hoverText(result).includes('10.100.1.0/24') ? result : undefined;
    });
    const text = hoverText(hovers);
    assert.match(text, /10\.100\.1\.2/);
    assert.match(text, /10\.100\.1\.254/);
  });

  test('the quick fix for a JSON comment applies and its diagnostic goes away', async () => {
    const editor = await open('cluster-10.100/kube-flannel-cfg.yaml');
    const document = editor.document;
    const anchor = positionOf(document, '"Network": "10.100.0.0/16",');
    const lineEnd = document.lineAt(anchor.line).range.end;
    await editor.edit((edit) => edit.insert(lineEnd, '  # Pod network'));
    const diagnostic = await waitFor('json-syntax', () =>
      podnetDiagnostics(document.uri).find((d) => d.code === 'json-syntax'),
    );
    assert.strictEqual(document.getText(diagnostic.range), '# Pod network');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => /comment/i.test(a.title) && a.edit);
    assert.ok(fix, `a comment fix among: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    await waitFor('json-syntax to disappear', () =>
      podnetDiagnostics(document.uri).some((d) => d.code === 'json-syntax') ? undefined : true,
    );
    assert.ok(!document.getText().includes('# Pod network'));
  });

  test('completion offers the backend types at "Type"', async () => {
    const editor = await open('cluster-10.100/kube-flannel-cfg.yaml');
    const position = positionOf(editor.document, '"vxlan"', 1);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      editor.document.uri,
      position,
    );
    const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    for (const backend of ['vxlan', 'host-gw', 'wireguard'])
      assert.ok(labels.includes(backend), `${backend} in ${labels.join(', ')}`);
  });

  test('the outline lists Kind/name per document', async () => {
    const uri = workspaceFile('flannel-upstream/kube-flannel.yml');
    await open('flannel-upstream/kube-flannel.yml');
    const symbols = await waitFor('document symbols', async () => {
      const result = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
        'vscode.executeDocumentSymbolProvider',
        uri,
      );
      return result && result.length > 0 ? result : undefined;
    });
    const names = symbols.map((s) => s.name);
    for (const name of ['Namespace/kube-flannel', 'ConfigMap/kube-flannel-cfg', 'DaemonSet/kube-flannel-ds'])
      assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
  });
});
