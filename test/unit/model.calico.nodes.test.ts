// What Calico says or is predicted to build per node: the node address and tunnel addresses from its
// annotations, blocks from BlockAffinity objects or the tunnel address, else a predicted block (marked so)
// for the nodes a pool's nodeSelector matches; pods addressed in the node's block. Canal keeps flannel's
// host-local addressing on the podCIDR.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { formatAddress, formatCidr } from '../../server/src/core/cidr';
import { type ClusterNetwork, type NodeNetwork } from '../../server/src/model/network';
import { type Files, loadFixture, loadExample, workspaceOf } from './helpers';

const networkOf = (files: Files): ClusterNetwork => workspaceOf(files).clusters()[0].network;
const node = (network: ClusterNetwork, name: string): NodeNetwork => network.nodes.find((n) => n.name === name)!;

const blocksOf = (n: NodeNetwork) =>
  n.calico?.blocks.map((b) => [formatCidr(b.cidr), b.pool, b.certainty, b.certainty === 'observed' ? b.from : '']);
const tunnelsOf = (n: NodeNetwork) =>
  n.calico?.tunnelAddresses.map((t) => [t.device, formatAddress(t.ip), t.certainty]);
const podIps = (n: NodeNetwork) =>
  [...n.podAddresses].map(([pod, address]) => [pod.object.name?.value ?? '', formatAddress(address.ip), address.from]);

test("calico-operator: each node's address, tunl0 address and block from its annotations", () => {
  const network = networkOf(loadExample('calico-operator'));
  const workerA = node(network, 'worker-a');
  assert.deepEqual(blocksOf(workerA), [
    ['10.48.77.0/26', 'default-ipv4-ippool', 'observed', 'tunnel address annotation'],
  ]);
  assert.deepEqual(tunnelsOf(workerA), [['tunl0', '10.48.77.0', 'observed']]);
  const address = workerA.calico?.address;
  assert.deepEqual(
    [address && formatAddress(address.ip), address?.prefix, address?.certainty],
    ['10.10.0.11', 24, 'observed'],
  );
  assert.deepEqual(workerA.calico?.pools, ['default-ipv4-ippool']);
  assert.deepEqual(blocksOf(node(network, 'cp-a'))?.[0].slice(0, 1), ['10.48.12.64/26']);
  assert.deepEqual(blocksOf(node(network, 'worker-b'))?.[0].slice(0, 1), ['10.48.140.192/26']);
  assert.equal(workerA.calico?.vxlanMac, undefined, 'no VXLAN pool: no vxlan.calico');
});

test('calico-operator: pods take the addresses after tunl0 in the block, no bridge, IPIP MTU', () => {
  const network = networkOf(loadExample('calico-operator'));
  const workerA = node(network, 'worker-a');
  assert.equal(formatAddress(workerA.firstPodAddress!), '10.48.77.1');
  assert.equal(formatAddress(workerA.lastPodAddress!), '10.48.77.63');
  assert.equal(workerA.gateway, undefined, 'no cni0');
  assert.equal(workerA.tunnel, undefined, 'no flannel.1');
  assert.equal(workerA.podCidr, undefined, 'Calico IPAM ignores podCIDRs: none predicted');
  assert.equal(workerA.podMtu, 1480);
  const ips = podIps(workerA);
  assert.ok(ips.length >= 3);
  for (const [, ip, from] of ips) {
    assert.match(ip, /^10\.48\.77\.\d+$/);
    assert.equal(from, 'predicted');
  }
  assert.equal(ips[0][1], '10.48.77.1');
});

test('no annotations: the next free block of the first matching pool in node order, predicted and said so', () => {
  const network = networkOf(loadFixture('calico-manifest'));
  // The env pool is 10.60.0.0/16 in /24 blocks for nodes with pool == 'main' (lab-w2 is `spare`).
  assert.deepEqual(blocksOf(node(network, 'lab-cp')), [['10.60.0.0/24', 'default-ipv4-ippool', 'predicted', '']]);
  assert.deepEqual(blocksOf(node(network, 'lab-w1')), [['10.60.1.0/24', 'default-ipv4-ippool', 'predicted', '']]);
  assert.match(node(network, 'lab-w1').calico!.blocks[0].from, /^predicted: .*hash of its name/);
  assert.deepEqual(blocksOf(node(network, 'lab-w2')), [], 'no pool matches lab-w2: no block, no pod address');
  assert.deepEqual(node(network, 'lab-w2').calico?.pools, []);
  assert.deepEqual(tunnelsOf(node(network, 'lab-w1')), [['tunl0', '10.60.1.0', 'predicted']]);
  assert.deepEqual(
    podIps(node(network, 'lab-w1')).filter(([name]) => name === 'web'),
    [['web', '10.60.1.1', 'predicted']],
  );
});

test('BlockAffinity (confirmed) and tunnel annotations are observed; predictions skip the blocks they hold', () => {
  const network = networkOf(loadFixture('calico-ippools'));
  assert.deepEqual(blocksOf(node(network, 'r1-a')), [
    ['10.80.0.0/27', 'rack-pool', 'observed', 'BlockAffinity r1-a-10-80-0-0-27'],
  ]);
  assert.deepEqual(blocksOf(node(network, 'r2-a')), [
    ['10.80.0.96/27', 'rack-pool', 'observed', 'tunnel address annotation'],
  ]);
  assert.deepEqual(tunnelsOf(node(network, 'r2-a')), [['vxlan.calico', '10.80.0.96', 'observed']]);
  // r1-b's affinity is only pending: predicted, the next /27 not held.
  assert.deepEqual(blocksOf(node(network, 'r1-b')), [['10.80.0.32/27', 'rack-pool', 'predicted', '']]);
  // edge-1 is not in rack-pool (!has(edge)) but in the legacy edge-pool.
  assert.deepEqual(blocksOf(node(network, 'edge-1')), [['10.80.64.0/26', 'edge-pool', 'predicted', '']]);
  assert.deepEqual(blocksOf(node(network, 'lonely')), [], 'rack r9 matches no pool; the disabled pool gives none');
  // VTEP MAC: the Node's own, else 0x66 and the first 5 bytes of SHA-1 of the name.
  assert.deepEqual(node(network, 'r1-a').calico?.vxlanMac, { mac: '66:aa:bb:cc:dd:ee', certainty: 'observed' });
  const sha = createHash('sha1').update('r1-b').digest();
  const expected = ['66', ...[...sha.subarray(0, 5)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
  assert.deepEqual(node(network, 'r1-b').calico?.vxlanMac, { mac: expected, certainty: 'predicted' });
  assert.equal(node(network, 'r1-b').podMtu, 1450, 'a VXLAN pool: 50 bytes off 1500');
});

test('an unparsable nodeSelector matches no node and is recorded for the rules', () => {
  const files = {
    '/ws/c/pool.yaml':
      'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\nspec:\n  cidr: 10.5.0.0/16\n' +
      "  nodeSelector: rack = 'r1'\n",
    '/ws/c/nodes.yaml': 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  labels:\n    rack: r1\n',
  };
  const network = networkOf(files);
  assert.deepEqual(node(network, 'n1').calico?.blocks, []);
  assert.match(network.calico!.invalid[0].message, /is not a Calico selector .*matches no node/);
});

test('canal-lab: flannel podCIDR addressing unchanged (host-local, curl on vm-3 gets 10.32.2.2)', () => {
  const network = networkOf(loadExample('canal-lab'));
  const vm3 = node(network, 'vm-3');
  assert.deepEqual(
    podIps(vm3).filter(([name]) => name === 'curl'),
    [['curl', '10.32.2.2', 'predicted']],
  );
  assert.equal(formatCidr(vm3.podCidr!), '10.32.2.0/24');
  assert.deepEqual(vm3.calico?.blocks, []);
  assert.deepEqual(
    podIps(node(network, 'vm-2')).filter(([name]) => name === 'echo'),
    [['echo', '10.32.1.2', 'predicted']],
  );
});

test('flannel clusters get no Calico state', () => {
  const network = networkOf(loadExample('cluster-10.100'));
  assert.equal(network.cni.kind, 'flannel');
  assert.equal(network.calico, undefined);
  assert.ok(network.nodes.every((n) => n.calico === undefined));
});
