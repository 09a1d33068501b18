import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyFixAndCheck, coveredText, type Files, loadExample, mutate, single, withCode, withCodes } from './helpers';
import { type Diagnostic } from '../../server/src/engine';
import { type RuleId } from '../../server/src/rules/registry';

const DIR = '/ws/cluster-10.100';
const KCM = `${DIR}/kube-controller-manager.yaml`;
const CFG = `${DIR}/kube-flannel-cfg.yaml`;
const NODES = `${DIR}/nodes.yaml`;
const CODES: RuleId[] = ['cluster-cidr-mismatch', 'service-cidr-overlap', 'allocate-node-cidrs-off'];
const base = (): Files => loadExample('cluster-10.100');

const mine = (files: Files) => withCodes(files, CODES);
/** Applies the fix (the preferred one unless titled); none of this module's codes may remain. */
const fixClears = (files: Files, diagnostic: Diagnostic, title?: RegExp): Files =>
  applyFixAndCheck(files, diagnostic, { codes: CODES, title }).fixed;

const KUBEADM = [
  'apiVersion: kubeadm.k8s.io/v1beta4',
  'kind: ClusterConfiguration',
  'networking:',
  '  podSubnet: 10.100.0.0/16',
  '  serviceSubnet: 10.200.0.0/16',
  '',
].join('\n');

test('the kubeadm example cluster is consistent', () => {
  assert.deepEqual(mine(base()), []);
  assert.deepEqual(mine({ ...base(), [`${DIR}/kubeadm.yaml`]: KUBEADM }), []);
});

test("cluster-cidr-mismatch: --cluster-cidr outside flannel's Network, with two fixes", () => {
  const files = mutate(base(), KCM, '--cluster-cidr=10.100.0.0/16', '--cluster-cidr=10.10.0.0/16');
  const d = single(files, 'cluster-cidr-mismatch');
  assert.equal(d.severity, 'error');
  assert.equal(coveredText(files, d), '10.10.0.0/16');
  assert.match(d.message, /10\.100\.0\.0\/16/);
  const flannelFixed = fixClears(files, d);
  assert.match(flannelFixed[CFG], /"Network": "10\.10\.0\.0\/16"/);
  const kcmFixed = fixClears(files, d, /Change kube-controller-manager/);
  assert.equal(kcmFixed[KCM], base()[KCM]);
});

test('cluster-cidr-mismatch: a cluster CIDR inside a larger Network is fine', () => {
  assert.deepEqual(mine(mutate(base(), KCM, '--cluster-cidr=10.100.0.0/16', '--cluster-cidr=10.100.0.0/17')), []);
  const larger = mutate(base(), KCM, '--cluster-cidr=10.100.0.0/16', '--cluster-cidr=10.100.0.0/15');
  assert.equal(coveredText(larger, single(larger, 'cluster-cidr-mismatch')), '10.100.0.0/15');
});

test('cluster-cidr-mismatch: dual-stack values are checked per family', () => {
  // flannel without IPv6: the IPv6 half is not flannel's business.
  assert.deepEqual(
    mine(mutate(base(), KCM, '--cluster-cidr=10.100.0.0/16', '--cluster-cidr=10.100.0.0/16,fd00:10::/48')),
    [],
  );
  const v6 = mutate(
    base(),
    CFG,
    '"EnableNFTables": false,',
    '"EnableNFTables": false,\n      "EnableIPv6": true,\n      "IPv6Network": "fd00:10::/48",',
  );
  const files = mutate(v6, KCM, '--cluster-cidr=10.100.0.0/16', '--cluster-cidr=10.100.0.0/16,fd00:20::/48');
  const d = single(files, 'cluster-cidr-mismatch');
  assert.equal(coveredText(files, d), 'fd00:20::/48');
  assert.match(d.message, /IPv6Network/);
  assert.match(fixClears(files, d)[CFG], /"IPv6Network": "fd00:20::\/48"/);
});

test('cluster-cidr-mismatch: kubeadm networking.podSubnet', () => {
  const files = {
    ...base(),
    [`${DIR}/kubeadm.yaml`]: KUBEADM.replace('podSubnet: 10.100.0.0/16', 'podSubnet: "10.244.0.0/16"'),
  };
  const d = single(files, 'cluster-cidr-mismatch');
  assert.equal(coveredText(files, d), '10.244.0.0/16');
  assert.match(d.message, /kubeadm networking.podSubnet/);
  fixClears(files, d, /Change kubeadm/);
});

test("cluster-cidr-mismatch: silent when flannel's net-conf is only assumed", () => {
  const files = mutate(base(), KCM, '--cluster-cidr=10.100.0.0/16', '--cluster-cidr=10.10.0.0/16');
  delete files[CFG];
  assert.deepEqual(withCode(files, 'cluster-cidr-mismatch'), []);
});

test("service-cidr-overlap: the service range overlaps flannel's Network", () => {
  const files = mutate(
    base(),
    KCM,
    '--service-cluster-ip-range=10.200.0.0/16',
    '--service-cluster-ip-range=10.100.128.0/17',
  );
  const d = single(files, 'service-cidr-overlap');
  assert.equal(d.severity, 'error');
  assert.equal(coveredText(files, d), '10.100.128.0/17');
  assert.match(d.message, /flannel's Network 10\.100\.0\.0\/16/);
});

test('service-cidr-overlap: dual-stack service range, second half overlapping', () => {
  const files = mutate(
    base(),
    KCM,
    '--service-cluster-ip-range=10.200.0.0/16',
    '--service-cluster-ip-range=fd00:200::/108,10.100.2.0/24',
  );
  const d = single(files, 'service-cidr-overlap');
  assert.equal(coveredText(files, d), '10.100.2.0/24');
  assert.match(d.message, /worker233/);
});

test('service-cidr-overlap: a Node podCIDR, even without a flannel ConfigMap', () => {
  const files = mutate(
    base(),
    KCM,
    '--service-cluster-ip-range=10.200.0.0/16',
    '--service-cluster-ip-range=10.100.1.0/24',
  );
  delete files[CFG];
  const d = single(files, 'service-cidr-overlap');
  assert.equal(coveredText(files, d), '10.100.1.0/24');
  assert.match(d.message, /worker232 podCIDR 10\.100\.1\.0\/24/);
  assert.doesNotMatch(d.message, /flannel's Network/);
});

test('service-cidr-overlap: not a Node podCIDR under Calico, whose IPAM does not use it', () => {
  // calico-operator with a worker whose podCIDR lies in the service range: Calico pods take pool addresses.
  const files = loadExample('calico-operator');
  files['/ws/calico-operator/extra-node.yaml'] =
    'apiVersion: v1\nkind: Node\nmetadata:\n  name: worker-c\nspec:\n  podCIDR: 10.99.3.0/24\n';
  assert.deepEqual(withCode(files, 'service-cidr-overlap'), []);
  // The same node under flannel's name is a finding.
  files['/ws/calico-operator/.podnet.yaml'] = 'cni: flannel\n';
  assert.match(single(files, 'service-cidr-overlap').message, /worker-c podCIDR 10\.99\.3\.0\/24/);
});

test('service-cidr-overlap: kubeadm networking.serviceSubnet', () => {
  const files = {
    ...base(),
    [`${DIR}/kubeadm.yaml`]: KUBEADM.replace(
      'serviceSubnet: 10.200.0.0/16',
      'serviceSubnet: fd00:96::/108,10.100.0.0/24',
    ),
  };
  const d = single(files, 'service-cidr-overlap');
  assert.equal(coveredText(files, d), '10.100.0.0/24');
});

const withoutPodCidr = (files: Files) =>
  mutate(files, NODES, '  podCIDR: 10.100.2.0/24\n  podCIDRs: ["10.100.2.0/24"]\n', '');

test('allocate-node-cidrs-off: absent while a Node has no podCIDR, fixed by adding the flag', () => {
  const files = withoutPodCidr(mutate(base(), KCM, '    - --allocate-node-cidrs=true\n', ''));
  const d = single(files, 'allocate-node-cidrs-off');
  assert.equal(d.severity, 'warning');
  assert.equal(coveredText(files, d), 'kube-controller-manager');
  assert.match(d.message, /worker233/);
  const fixed = fixClears(files, d);
  assert.match(fixed[KCM], /- --use-service-account-credentials=true\n {4}- --allocate-node-cidrs=true/);
});

test('allocate-node-cidrs-off: explicitly false', () => {
  const files = withoutPodCidr(mutate(base(), KCM, '--allocate-node-cidrs=true', '--allocate-node-cidrs=false'));
  const d = single(files, 'allocate-node-cidrs-off');
  assert.equal(coveredText(files, d), '--allocate-node-cidrs=false');
  fixClears(files, d);
});

test('allocate-node-cidrs-off: silent when every Node has a podCIDR, or flannel runs in etcd mode', () => {
  assert.deepEqual(mine(mutate(base(), KCM, '    - --allocate-node-cidrs=true\n', '')), []);
  assert.deepEqual(mine(withoutPodCidr(base())), []);

  const files = withoutPodCidr(mutate(base(), KCM, '    - --allocate-node-cidrs=true\n', ''));
  const upstream = loadExample('flannel-upstream')['/ws/flannel-upstream/kube-flannel.yml'];
  const daemonSet = upstream
    .slice(upstream.indexOf('apiVersion: apps/v1'))
    .replace('        - --kube-subnet-mgr\n', '');
  assert.deepEqual(withCode({ ...files, [`${DIR}/flannel-ds.yaml`]: daemonSet }, 'allocate-node-cidrs-off'), []);
});
