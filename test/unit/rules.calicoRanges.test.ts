// calico-pool-outside-cluster-cidr and calico-pool-network-overlap: a pool against the cluster's ranges.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { coveredText, type Files, withCode } from './helpers';
import { addEnv, calicoManifest, installation, kubeadm, node, withEnv } from './calicoFixtures';

const KUBEADM = '/ws/calico/kubeadm.yaml';
const NODES = '/ws/calico/nodes.yaml';
const outside = (files: Files) => withCode(files, 'calico-pool-outside-cluster-cidr');
const overlap = (files: Files) => withCode(files, 'calico-pool-network-overlap');

test('calico.yaml pool outside kubeadm podSubnet: warning at CALICO_IPV4POOL_CIDR; inside: nothing', () => {
  const files = { ...calicoManifest(), [KUBEADM]: kubeadm('10.2.0.0/16') };
  const [finding] = outside(files);
  assert.equal(finding.severity, 'warning');
  assert.equal(coveredText(files, finding), '10.60.0.0/16');
  assert.match(finding.message, /not within kubeadm networking\.podSubnet 10\.2\.0\.0\/16/);
  assert.deepEqual(outside({ ...calicoManifest(), [KUBEADM]: kubeadm('10.60.0.0/15') }), []);
  // No cluster CIDR visible: nothing to compare with.
  assert.deepEqual(outside(calicoManifest()), []);
});

test('an Installation pool outside the podSubnet: error, as the operator refuses it', () => {
  const files = {
    '/ws/op/installation.yaml': installation('ipPools:\n- cidr: 192.168.0.0/16\n  encapsulation: VXLAN'),
    '/ws/op/kubeadm.yaml': kubeadm('10.244.0.0/16'),
  };
  const [finding] = outside(files);
  assert.equal(finding.severity, 'error');
  assert.equal(coveredText(files, finding), '192.168.0.0/16');
  assert.match(finding.message, /operator refuses it/);
});

test('a pool overlapping the Service range or a node address: error at the pool CIDR', () => {
  const service = { ...calicoManifest(), [KUBEADM]: kubeadm('10.60.0.0/16', '10.60.128.0/20') };
  const [finding] = overlap(service);
  assert.equal(coveredText(service, finding), '10.60.0.0/16');
  assert.match(finding.message, /Service range 10\.60\.128\.0\/20 \(kubeadm serviceSubnet\)/);
  const nodes = {
    ...withEnv('CALICO_IPV4POOL_CIDR', '192.168.0.0/16'),
    [NODES]:
      node('lab-w1', '192.168.56.11') +
      '---\n' +
      node('lab-w2', '10.0.0.5', {}, 'projectcalico.org/IPv4Address: 192.168.57.4/24'),
  };
  const [onNodes] = overlap(nodes);
  assert.match(onNodes.message, /lab-w1's InternalIP 192\.168\.56\.11, lab-w2's subnet 192\.168\.57\.0\/24/);
  assert.deepEqual(overlap({ ...calicoManifest(), [NODES]: node('lab-w1', '192.168.56.11') }), []);
});

test("calico-node's default pool (no CALICO_IPV4POOL_CIDR) and policy-only installs are not checked", () => {
  const unset = calicoManifest();
  const text = unset['/ws/calico/calico.yaml'].replace(/ {12}- name: CALICO_IPV4POOL_CIDR\n.*\n/, '');
  const files = { '/ws/calico/calico.yaml': text, [NODES]: node('lab-w1', '192.168.56.11') };
  assert.deepEqual(overlap(files), []);
  const policyOnly = { ...addEnv('USE_POD_CIDR', 'true'), [KUBEADM]: kubeadm('10.2.0.0/16', '10.60.0.0/20') };
  assert.deepEqual([...outside(policyOnly), ...overlap(policyOnly)], []);
});
