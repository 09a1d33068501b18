import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { coveredText, flannelManifest, loadExample, withCode } from './helpers';

const withNodes = (nodes: string) => ({ ...loadExample('cluster-10.100'), '/ws/cluster-10.100/nodes.yaml': nodes });
const node = (name: string, podCIDR: string, ip: string) =>
  `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${name}\nspec:\n  podCIDR: ${podCIDR}\nstatus:\n  ` +
  `addresses:\n  - {type: InternalIP, address: ${ip}}\n`;

test('podcidr-outside-network: the 10.224 vs 10.244 typo of flannel issue #1983', () => {
  const files = withNodes(node('worker232', '10.224.1.0/24', '10.0.0.232'));
  const [diagnostic] = withCode(files, 'podcidr-outside-network');
  assert.equal(diagnostic.severity, 'error');
  assert.equal(coveredText(files, diagnostic), '10.224.1.0/24');
  assert.match(diagnostic.message, /10\.100\.0\.0\/16/);
});

test('podcidr-outside-network: reported once when podCIDR and podCIDRs agree, silent when inside', () => {
  const files = withNodes(
    `apiVersion: v1\nkind: Node\nmetadata:\n  name: w\nspec:\n  podCIDR: 10.9.1.0/24\n  podCIDRs: [10.9.1.0/24]\n`,
  );
  assert.equal(withCode(files, 'podcidr-outside-network').length, 1);
  assert.equal(withCode(loadExample('cluster-10.100'), 'podcidr-outside-network').length, 0);
});

test('podcidr-outside-network: never with assumed flannel defaults', () => {
  const files = { '/ws/x/nodes.yaml': node('w', '10.9.1.0/24', '192.168.1.1') };
  assert.equal(withCode(files, 'podcidr-outside-network').length, 0);
});

test('podcidr-overlap: two nodes with overlapping ranges', () => {
  const files = withNodes(node('a', '10.100.1.0/24', '10.0.0.1') + '---\n' + node('b', '10.100.1.128/25', '10.0.0.2'));
  const [diagnostic] = withCode(files, 'podcidr-overlap');
  assert.equal(coveredText(files, diagnostic), '10.100.1.128/25');
  assert.equal(withCode(loadExample('cluster-10.100'), 'podcidr-overlap').length, 0);
});

test('node-ip-in-pod-network: a node address inside Network', () => {
  const files = withNodes(node('a', '10.100.1.0/24', '10.100.200.5'));
  const [diagnostic] = withCode(files, 'node-ip-in-pod-network');
  assert.equal(coveredText(files, diagnostic), '10.100.200.5');
});

test('podcidr-outside-network: only a note before flannel v0.18, which does not check', () => {
  const outside = (image: string) => {
    const files = {
      '/ws/old/kube-flannel.yml': flannelManifest(image, '{"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan"}}'),
      '/ws/old/nodes.yaml': node('worker1', '10.224.1.0/24', '10.0.0.11'),
    };
    return withCode(files, 'podcidr-outside-network');
  };
  const [old] = outside('rancher/mirrored-flannelcni-flannel:v0.17.0');
  assert.equal(old.severity, 'information');
  assert.match(old.message, /flannel v0\.17\.0 does not check this .* arrived in v0\.18\.0/);
  assert.equal(outside('rancher/mirrored-flannelcni-flannel:v0.18.0')[0].severity, 'error');
  assert.equal(outside('ghcr.io/flannel-io/flannel:latest')[0].severity, 'error');
});
