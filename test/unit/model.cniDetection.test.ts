// Which CNI a cluster runs: told by its manifests (Canal counting as Canal, not as flannel plus Calico), by
// the user's setting, or by `.podnet.yaml`; with two installed, the one whose conflist the runtime loads.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { type ClusterNetwork } from '../../server/src/model/network';
import { type Files, loadFixture, coveredText, loadExample, withCode, workspaceOf } from './helpers';
import { type WorkspaceOptions } from '../../server/src/model/workspace';

function networkOf(files: Files, options: Partial<WorkspaceOptions> = {}): ClusterNetwork {
  const clusters = workspaceOf(files, options).clusters();
  assert.equal(clusters.length, 1, clusters.map((c) => c.name).join(', '));
  return clusters[0].network;
}

const cniOf = (files: Files, options: Partial<WorkspaceOptions> = {}) => {
  const { cni } = networkOf(files, options);
  return { kind: cni.kind, from: cni.from, evidence: cni.evidence.map((e) => [e.cni, e.what, e.conflist]) };
};

test('flannel: its DaemonSet and its ConfigMap with net-conf.json', () => {
  assert.deepEqual(cniOf(loadExample('flannel-upstream')), {
    kind: 'flannel',
    from: 'manifests',
    evidence: [
      ['flannel', 'DaemonSet kube-flannel/kube-flannel-ds runs flanneld', '10-flannel.conflist'],
      ['flannel', 'ConfigMap kube-flannel/kube-flannel-cfg has net-conf.json', '10-flannel.conflist'],
    ],
  });
});

test('calico by the operator (an Installation) and by calico.yaml (calico-node with calico-config)', () => {
  assert.deepEqual(cniOf(loadExample('calico-operator')), {
    kind: 'calico',
    from: 'manifests',
    evidence: [['calico', 'Installation default installs Calico through the operator', '10-calico.conflist']],
  });
  assert.deepEqual(cniOf(loadFixture('calico-manifest')).evidence, [
    ['calico', 'DaemonSet kube-system/calico-node runs calico-node', '10-calico.conflist'],
    ['calico', "ConfigMap kube-system/calico-config is Calico's configuration", '10-calico.conflist'],
  ]);
  // IPPool objects alone tell Calico too.
  const pools = cniOf({
    '/ws/c/pools.yaml': loadFixture('calico-ippools')['/ws/calico-ippools/ippools.yaml'],
  });
  assert.equal(pools.kind, 'calico');
  assert.deepEqual(
    pools.evidence.map(([, what]) => what),
    ['IPPool rack-pool is a Calico pool', 'IPPool edge-pool is a Calico pool', 'IPPool retired-pool is a Calico pool'],
  );
});

test('canal: its DaemonSet (calico-node beside flanneld) and canal-config are Canal, not flannel plus Calico', () => {
  const detected = cniOf(loadExample('canal-lab'));
  assert.equal(detected.kind, 'canal');
  assert.deepEqual(
    detected.evidence.map(([cni, , conflist]) => [cni, conflist]),
    [
      ['canal', '10-canal.conflist'],
      ['canal', '10-canal.conflist'],
    ],
  );
  const network = networkOf(loadExample('canal-lab'));
  assert.equal(network.calico?.install, 'canal');
  assert.equal(network.calico?.backend.value, 'none');
  assert.deepEqual(network.calico?.pools, [], 'host-local usePodCidr: no Calico pool');
});

test('a DaemonSet running calico-node beside flanneld is Canal whatever its name', () => {
  const files = loadExample('canal-lab');
  const renamed = {
    ...files,
    '/ws/canal-lab/canal.yaml': files['/ws/canal-lab/canal.yaml']
      .replace(
        'name: canal\n  namespace: kube-system\n  labels',
        'name: rke2-canal\n  namespace: kube-system\n  labels',
      )
      .replace('"k8s,canal"', '"k8s"'),
  };
  assert.ok(renamed['/ws/canal-lab/canal.yaml'].includes('rke2-canal'));
  const detected = cniOf(renamed);
  assert.equal(detected.kind, 'canal');
  assert.deepEqual(detected.evidence[0].slice(0, 2), [
    'canal',
    'DaemonSet kube-system/rke2-canal runs Canal (calico-node and flanneld)',
  ]);
});

/** An example's manifests without the `.podnet.yaml` that names its CNI. */
const manifestsOf = (folder: string): Files =>
  Object.fromEntries(Object.entries(loadExample(folder)).filter(([file]) => !file.endsWith('/.podnet.yaml')));

test('unknown: nothing tells a CNI, and nothing is assumed', () => {
  // The example names its CNI in .podnet.yaml; without it, nothing does.
  const network = networkOf(manifestsOf('seed-multi-node'));
  assert.deepEqual([network.cni.kind, network.cni.from, network.cni.evidence], ['unknown', 'none', []]);
  assert.equal(network.calico, undefined);
});

test('two CNIs: the one whose conflist sorts first is modelled (the runtime loads it), the evidence keeps both', () => {
  const files = { ...loadExample('flannel-upstream'), ...loadFixture('calico-manifest') };
  // One cluster: the calico manifest beside flannel's.
  const together: Files = {};
  for (const [file, text] of Object.entries(files)) together[`/ws/mixed/${path.basename(file)}`] = text;
  const detected = cniOf(together);
  assert.equal(detected.kind, 'calico', '10-calico.conflist sorts before 10-flannel.conflist');
  assert.deepEqual([...new Set(detected.evidence.map(([cni]) => cni))].sort(), ['calico', 'flannel']);
  // CNI_CONF_NAME of install-cni decides the name: renamed after flannel's, flannel wins.
  const renamed = { ...together };
  renamed['/ws/mixed/calico.yaml'] = renamed['/ws/mixed/calico.yaml'].replace(
    '10-calico.conflist',
    '20-calico.conflist',
  );
  const second = cniOf(renamed);
  assert.equal(second.kind, 'flannel');
  assert.ok(
    second.evidence.some(([, what, conflist]) => /calico-node/.test(what!) && conflist === '20-calico.conflist'),
  );
});

test('the podnet.cni setting (and --cni) wins over the manifests', () => {
  const detected = cniOf(loadExample('flannel-upstream'), { cni: 'calico' });
  assert.deepEqual([detected.kind, detected.from], ['calico', 'setting']);
  assert.equal(detected.evidence.length, 2, 'the evidence stays');
  // Named calico with no Calico object: calico-node's default pool, predicted, nothing refused.
  const network = networkOf(loadExample('seed-multi-node'), { cni: 'calico' });
  assert.equal(network.calico?.pools[0].shape, 'default');
  assert.equal(network.calico?.pools[0].cidrText.value, '192.168.0.0/16');
});

test(".podnet.yaml's cni names the CNI of the clusters below it; the setting wins over it", () => {
  const files = { ...manifestsOf('seed-multi-node'), '/ws/.podnet.yaml': 'cni: canal\n' };
  assert.deepEqual(cniOf(files).kind, 'canal');
  assert.deepEqual(cniOf(files).from, 'project-config');
  assert.deepEqual(cniOf(files, { cni: 'flannel' }).from, 'setting');
  assert.deepEqual(cniOf({ ...files, '/ws/.podnet.yaml': 'cni: auto\n' }).from, 'none');
  assert.deepEqual(withCode(files, 'podnet-config'), []);
  // The deepest .podnet.yaml above a cluster names its CNI: the example's own wins over the root's.
  assert.deepEqual(cniOf({ ...loadExample('seed-multi-node'), '/ws/.podnet.yaml': 'cni: canal\n' }).kind, 'flannel');
});

test(".podnet.yaml's cni naming a CNI Podnet does not model: a podnet-config error at the name, not used", () => {
  const files = { ...loadExample('flannel-upstream'), '/ws/.podnet.yaml': 'cni: calcio\n' };
  const [problem] = withCode(files, 'podnet-config');
  assert.equal(coveredText(files, problem), 'calcio');
  assert.equal(problem.severity, 'error');
  assert.match(problem.message, /did you mean `calico`/);
  assert.equal(cniOf(files).kind, 'flannel');
});
