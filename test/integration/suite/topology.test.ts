// The topology panel and the packet-path request, through the extension's API in a real VS Code.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { PodnetApi } from '../../../client/src/extension';
import { EXTENSION_ID, open, waitFor, workspaceFile } from './util';

async function api(): Promise<PodnetApi> {
  const extension = vscode.extensions.getExtension<PodnetApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return extension.activate();
}

suite('Podnet topology in VS Code', () => {
  suiteTeardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('the topology command opens a webview panel that reports the nodes and pods it drew', async () => {
    const podnet = await api();
    await open('cluster-10.100/kube-flannel-cfg.yaml');
    await waitFor('the language server', () => podnet.topology());
    const drawn = new Promise<Parameters<Parameters<PodnetApi['onDidRenderTopology']>[0]>[0]>((resolve) => {
      const listener = podnet.onDidRenderTopology((message) => {
        if (message.nodes.includes('worker232')) {
          listener.dispose();
          resolve(message);
        }
      });
    });
    await vscode.commands.executeCommand('podnet.openTopology', workspaceFile('cluster-10.100/kube-flannel-cfg.yaml'));
    const message = await Promise.race([
      drawn,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the panel did not report back')), 20_000)),
    ]);
    assert.deepStrictEqual([...message.nodes].sort(), ['master231', 'worker232', 'worker233']);
    assert.ok(message.pods.includes('worker232/default/xiuxian-v1'), message.pods.join(', '));
    assert.ok(message.pods.includes('worker233/default/xiuxian-v2'), message.pods.join(', '));
  });

  test('a packet-path request returns the vxlan hops between the two workers', async () => {
    const podnet = await api();
    const result = await waitFor('the topology', () => podnet.topology(workspaceFile('cluster-10.100/nodes.yaml')));
    const cluster = result.clusters[result.focus].topology.cluster;
    assert.strictEqual(cluster.name, 'cluster-10.100');
    const path = await podnet.packetPath({ clusterId: cluster.id, from: 'xiuxian-v1', to: 'xiuxian-v2' });
    assert.ok(path?.ok, path?.reason);
    assert.deepStrictEqual(path.encapsulation, {
      type: 'vxlan',
      outerSrc: '10.0.0.232',
      outerDst: '10.0.0.233',
      port: 8472,
      vni: 1,
      overhead: 50,
    });
    assert.strictEqual(path.ttl, 62);
    assert.deepStrictEqual(
      path.hops
        .filter((h) => h.action === 'encapsulate' || h.action === 'decapsulate')
        .map((h) => `${h.node} ${h.device} ${h.action}`),
      ['worker232 flannel.1 encapsulate', 'worker233 flannel.1 decapsulate'],
    );
  });
});
