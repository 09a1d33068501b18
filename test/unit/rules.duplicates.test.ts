// duplicate-config: several flannel DaemonSets or ConfigMaps, ClusterConfigurations or cluster CIDRs in one
// cluster; a kind given twice in one kubeadm config file.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { type Diagnostic, DEFAULT_SETTINGS } from '../../server/src/engine';
import { hoverAt } from '../../server/src/features/hover';
import { nodeSelectionOf, selectionsDisjoint } from '../../server/src/model/nodeSelection';
import { schedulingOf } from '../../server/src/model/schedulingSpec';
import { pathToUri } from '../../server/src/model/workspace';
import { parseWithYaml } from '../../server/src/core/manifestDocument';
import {
  coveredText,
  diagnose,
  EXAMPLES,
  type Files,
  FIXTURES,
  flannelConfigMap,
  flannelManifest,
  loadExample,
  mutate,
  withCode,
  workspaceOf,
} from './helpers';

const NET_CONF = '{\n  "Network": "10.244.0.0/16",\n  "Backend": {"Type": "vxlan"}\n}';
const IMAGE = 'quay.io/coreos/flannel:v0.14.0';
const MANIFEST = flannelManifest(IMAGE, NET_CONF);
const KUBEADM = [
  'apiVersion: kubeadm.k8s.io/v1beta3',
  'kind: ClusterConfiguration',
  'networking:',
  '  podSubnet: 10.244.0.0/16',
  '',
].join('\n');
/** A ConfigMap-only file of the same namespace and name as the manifest's, as a separate edit of Network. */
const OVERRIDE = flannelConfigMap(NET_CONF.replace('10.244.0.0/16', '10.42.0.0/16')).replace(
  'namespace: kube-flannel',
  'namespace: kube-system',
);

const duplicates = (files: Files): Diagnostic[] => withCode(files, 'duplicate-config');
const fixture = (...parts: string[]) => fs.readFileSync(path.join(FIXTURES, ...parts), 'utf8');
const at = (files: Files, file: string) => duplicates(files).filter((d) => d.uri === pathToUri(file));

test('one flannel manifest, one ClusterConfiguration, one kube-controller-manager: nothing to say', () => {
  assert.deepEqual(duplicates({ '/ws/c/kube-flannel.yml': MANIFEST, '/ws/c/kubeadm.yaml': KUBEADM }), []);
  for (const folder of fs.readdirSync(EXAMPLES).filter((f) => fs.statSync(path.join(EXAMPLES, f)).isDirectory()))
    assert.deepEqual(duplicates(loadExample(folder)), [], folder);
});

test('two ConfigMaps of one namespace and name with different Networks: a warning on each, the other checked', () => {
  const files = {
    '/ws/c/kube-flannel.yml': MANIFEST,
    '/ws/c/kube-flannel-cfg.yaml': OVERRIDE,
    '/ws/c/kubeadm.yaml': KUBEADM,
  };
  const found = duplicates(files);
  assert.equal(found.length, 2, JSON.stringify(found.map((d) => d.message)));
  for (const d of found) {
    assert.equal(d.severity, 'warning');
    assert.equal(coveredText(files, d), 'kube-flannel-cfg');
    assert.match(d.message, /Same namespace and name, other content: .*; whichever is applied last replaces the other/);
    assert.match(d.message, /the one the flannel DaemonSet kube-flannel-ds mounts, from the DaemonSet's own file/);
  }
  // The model keeps the DaemonSet's own ConfigMap, though the other file sorts first.
  const cluster = workspaceOf(files).clusters()[0];
  assert.equal(cluster.network.configMap?.object.uri, pathToUri('/ws/c/kube-flannel.yml'));
  const [modelled] = at(files, '/ws/c/kube-flannel.yml');
  assert.match(
    modelled.message,
    /other content: kube-flannel-cfg at kube-flannel-cfg\.yaml:4; .*Podnet models this one/,
  );
  const [other] = at(files, '/ws/c/kube-flannel-cfg.yaml');
  assert.match(other.message, /Podnet models kube-flannel-cfg at kube-flannel\.yml:4/);
  // The Network the rules did not compare is compared here, with what it would break.
  assert.match(
    other.message,
    /Network 10\.42\.0\.0\/16 differs from the modelled 10\.244\.0\.0\/16 and does not contain kubeadm podSubnet 10\.244\.0\.0\/16 \(kubeadm\.yaml:2\)/,
  );
  assert.deepEqual(withCode(files, 'cluster-cidr-mismatch'), [], 'the modelled Network agrees with kubeadm');
});

test('a kustomize patch of the ConfigMap is merged into it, not applied beside it: no finding', () => {
  for (const list of ['patchesStrategicMerge:\n- kube-flannel-cfg.yaml', 'patches:\n- path: kube-flannel-cfg.yaml']) {
    const kustomization =
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n' +
      `resources:\n- kube-flannel.yml\n${list}\n`;
    const files = {
      '/ws/c/kube-flannel.yml': MANIFEST,
      '/ws/c/kube-flannel-cfg.yaml': OVERRIDE,
      '/ws/c/kustomization.yaml': kustomization,
    };
    assert.deepEqual(duplicates(files), [], list);
  }
});

test('the same ConfigMap written twice, or a second one no DaemonSet mounts: information', () => {
  const copy = { '/ws/c/kube-flannel.yml': MANIFEST, '/ws/c/cfg-copy.yaml': flannelManifest(IMAGE, NET_CONF) };
  // Each file holding a DaemonSet and its ConfigMap is an alternative manifest (tested below); here the
  // copy is the ConfigMap alone.
  const copyOnly = { ...copy, '/ws/c/cfg-copy.yaml': OVERRIDE.replace('10.42.0.0/16', '10.244.0.0/16') };
  const same = duplicates(copyOnly);
  assert.equal(same.length, 2);
  for (const d of same) {
    assert.equal(d.severity, 'information');
    assert.match(d.message, /Same namespace, name and content/);
  }
  const unmounted = {
    '/ws/c/kube-flannel.yml': MANIFEST,
    '/ws/c/old-net-conf.yaml': OVERRIDE.replace('name: kube-flannel-cfg', 'name: kube-flannel-cfg-old'),
  };
  const found = duplicates(unmounted);
  assert.deepEqual(
    found.map((d) => d.severity),
    ['information', 'information'],
  );
  const [old] = at(unmounted, '/ws/c/old-net-conf.yaml');
  assert.equal(coveredText(unmounted, old), 'kube-flannel-cfg-old');
  assert.match(
    old.message,
    /No DaemonSet in this cluster mounts it, and flanneld reads only the ConfigMap its DaemonSet mounts/,
  );
  // No cluster CIDR nor podCIDR is known: the differing Network is named, nothing more is claimed.
  assert.match(old.message, /Its Network 10\.42\.0\.0\/16 differs from the modelled 10\.244\.0\.0\/16\.$/);
});

test('a Windows flannel beside the Linux one: information; its DaemonSet runs flanneld from a script', () => {
  const files = {
    '/ws/c/kube-flannel.yml': MANIFEST,
    '/ws/c/flannel-windows.yaml': fixture('cni-install', 'windows-flannel-overlay.yaml'),
  };
  const found = duplicates(files);
  assert.deepEqual(
    found.map((d) => [coveredText(files, d), d.severity]),
    [
      ['kube-flannel-windows-cfg', 'information'],
      ['kube-flannel-cfg', 'information'],
    ],
  );
  assert.match(found[0].message, /The DaemonSet kube-flannel-ds-windows-amd64 mounts a ConfigMap of this name/);
});

test("per-architecture DaemonSets split the nodes: no finding (flannel's v0.11–v0.12 manifests)", () => {
  for (const parts of [
    ['flannel-v0.12', 'kube-flannel.yml'],
    ['duplicates', 'per-arch-affinity', 'kube-flannel.yml'],
  ]) {
    const files = { '/ws/c/kube-flannel.yml': fixture(...parts) };
    const cluster = workspaceOf(files).clusters()[0];
    assert.ok(cluster.facts.daemonSets.filter((d) => d.flannelContainer).length >= 2, parts.join('/'));
    assert.deepEqual(duplicates(files), [], parts.join('/'));
  }
});

test('two flannel DaemonSets on the same nodes: a warning on each; selectors Podnet cannot split: information', () => {
  const arm = fixture('flannel-v0.12', 'kube-flannel.yml');
  // The v0.13 single DaemonSet applied beside the per-arch ones it replaced: both run on amd64 nodes.
  const files = { '/ws/c/kube-flannel.yml': `${arm}---\n${MANIFEST.split('---\n')[1]}` };
  const found = duplicates(files);
  assert.deepEqual(
    found.map((d) => [coveredText(files, d), d.severity]),
    [
      ['kube-flannel-ds-amd64', 'warning'],
      ['kube-flannel-ds-arm64', 'warning'],
      ['kube-flannel-ds', 'warning'],
    ],
  );
  assert.match(
    found[0].message,
    /Running on nodes this one runs on too: kube-flannel-ds at line \d+; each such node gets two flanneld/,
  );
  assert.match(found[2].message, /too: kube-flannel-ds-amd64 at line 42, kube-flannel-ds-arm64 at line 113;/);
  assert.match(found[0].message, /Podnet models this one \(the first by file path\)/);
  assert.match(found[2].message, /One of 3 flannel DaemonSets/);

  const pools = (pool: string) =>
    MANIFEST.replace('kube-flannel-ds\n', `kube-flannel-ds-${pool}\n`).replace(
      '      hostNetwork: true',
      `      nodeSelector:\n        pool-${pool}: "true"\n      hostNetwork: true`,
    );
  const split = { '/ws/c/kube-flannel.yml': `${pools('a')}---\n${pools('b').split('---\n')[1]}` };
  assert.deepEqual(
    duplicates(split).map((d) => d.severity),
    ['information', 'information'],
  );
  assert.match(duplicates(split)[0].message, /Perhaps on the same nodes/);
});

test('node selections: beta and stable arch labels are one label for In; NotIn and DoesNotExist are not merged', () => {
  const selection = (yaml: string) => nodeSelectionOf(schedulingOf(parseWithYaml(yaml)[0].contents, false));
  const beta = selection('nodeSelector:\n  beta.kubernetes.io/arch: amd64');
  const stable = selection('nodeSelector:\n  kubernetes.io/arch: arm64');
  assert.ok(selectionsDisjoint(beta, stable));
  assert.ok(!selectionsDisjoint(beta, selection('nodeSelector:\n  kubernetes.io/arch: amd64')));
  const notAmd = selection(
    'affinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n' +
      '      - matchExpressions:\n        - {key: kubernetes.io/arch, operator: NotIn, values: [amd64]}',
  );
  assert.ok(selectionsDisjoint(notAmd, selection('nodeSelector:\n  kubernetes.io/arch: amd64')));
  // A node without the beta label matches NotIn on it: not provably apart.
  assert.ok(!selectionsDisjoint(beta, notAmd));
  assert.ok(!selectionsDisjoint(selection('{}'), stable));
});

test('whole manifests side by side are alternatives: information once per file, naming the one modelled', () => {
  const newer = flannelManifest('docker.io/flannel/flannel:v0.22.3', NET_CONF.replace('10.244', '10.42'))
    .replaceAll('namespace: kube-system', 'namespace: kube-flannel')
    .replace('name: kube-flannel-ds\n', 'name: kube-flannel-ds\n');
  const files = {
    '/ws/c/kube-flannel-v0.14.yml': MANIFEST,
    '/ws/c/kube-flannel.yml': newer,
    '/ws/c/kubeadm.yaml': KUBEADM,
  };
  const found = duplicates(files);
  assert.deepEqual(
    found.map((d) => [path.basename(d.uri), coveredText(files, d), d.severity]),
    [
      ['kube-flannel-v0.14.yml', 'kube-flannel-cfg', 'information'],
      ['kube-flannel.yml', 'kube-flannel-cfg', 'information'],
    ],
  );
  assert.match(found[0].message, /one of 2 flannel manifests .*\(the other: kube-flannel\.yml:4\)/);
  assert.match(found[0].message, /Applied together, their DaemonSets run two flanneld on the same nodes/);
  assert.match(
    found[0].message,
    /Podnet models this one \(its DaemonSet kube-flannel-ds is the first flannel DaemonSet by file path\)/,
  );
  assert.match(found[1].message, /Podnet models the one in kube-flannel-v0\.14\.yml:4/);
  assert.match(found[1].message, /Network 10\.42\.0\.0\/16 .*does not contain kubeadm podSubnet 10\.244\.0\.0\/16/);
});

test('ClusterConfigurations in two files: information on each kind, naming the one podCIDRs come from', () => {
  const files = {
    '/ws/c/kube-flannel.yml': MANIFEST,
    '/ws/c/kubeadm.yaml': KUBEADM,
    '/ws/c/kubeadm-old.yaml': KUBEADM.replace('10.244.0.0/16', '10.42.0.0/16'),
  };
  const found = duplicates(files);
  assert.deepEqual(
    found.map((d) => [path.basename(d.uri), coveredText(files, d), d.severity]),
    [
      ['kubeadm-old.yaml', 'ClusterConfiguration', 'information'],
      ['kubeadm.yaml', 'ClusterConfiguration', 'information'],
    ],
  );
  assert.match(found[0].message, /Podnet predicts node podCIDRs from this one \(the first by file path/);
  assert.match(
    found[1].message,
    /this one: podSubnet 10\.244\.0\.0\/16; the other: kubeadm-old\.yaml:2 \(podSubnet 10\.42/,
  );
  // Both podSubnets are still checked against flannel's Network.
  assert.equal(withCode(files, 'cluster-cidr-mismatch').length, 1);
});

test('a kind twice in one kubeadm config file: the error kubeadm gives, at the second kind', () => {
  const file = '/ws/c/kubeadm-init.yaml';
  const files = { [file]: fixture('duplicates', 'kubeadm-notes', 'kubeadm-init.yaml') };
  const found = duplicates(files);
  assert.deepEqual(
    found.map((d) => [coveredText(files, d), d.severity, d.range.start.line + 1]),
    [
      ['InitConfiguration', 'error', 30],
      ['ClusterConfiguration', 'error', 51],
    ],
  );
  assert.match(found[0].message, /invalid configuration: kind "InitConfiguration" is specified twice in YAML file/);
  assert.match(found[0].message, /the first at line 5/);
  assert.match(found[1].message, /Podnet reads the first ClusterConfiguration/);
  // Each kind once is fine, and so is a manifest that is no kubeadm config file.
  const once = { [file]: files[file].split('# kubeadm config print')[0] };
  assert.deepEqual(duplicates(once), []);
  const manifests = { [file]: `${KUBEADM}---\n${MANIFEST}---\n${OVERRIDE.replace('kube-flannel-cfg', 'other')}` };
  assert.deepEqual(
    duplicates(manifests).filter((d) => d.severity === 'error'),
    [],
  );
});

test('kube-controller-manager sources that disagree: warning between static Pods, information against kubeadm', () => {
  const base = loadExample('cluster-10.100');
  const kcm = '/ws/cluster-10.100/kube-controller-manager.yaml';
  const second = mutate(base, kcm, '--cluster-cidr=10.100.0.0/16', '--cluster-cidr=10.101.0.0/16')[kcm];
  const files = { ...base, '/ws/cluster-10.100/master2-kube-controller-manager.yaml': second };
  const found = duplicates(files);
  assert.deepEqual(
    found.map((d) => [coveredText(files, d), d.severity]),
    [
      ['10.100.0.0/16', 'warning'],
      ['10.101.0.0/16', 'warning'],
    ],
  );
  assert.match(found[0].message, /Only the elected leader allocates node podCIDRs/);
  assert.match(found[1].message, /Podnet predicts podCIDRs from 10\.100\.0\.0\/16 at kube-controller-manager\.yaml:/);

  const kubeadm = { ...base, '/ws/cluster-10.100/kubeadm.yaml': KUBEADM.replace('10.244.0.0/16', '10.96.64.0/18') };
  const [d] = duplicates(kubeadm);
  assert.equal(d.severity, 'information');
  assert.equal(coveredText(kubeadm, d), '10.96.64.0/18');
  assert.match(d.message, /runs with --cluster-cidr 10\.100\.0\.0\/16, not 10\.96\.64\.0\/18/);
  // controllerManager.extraArgs overrides podSubnet, as kubeadm writes it into the static Pod.
  const extra =
    KUBEADM.replace('10.244.0.0/16', '10.96.64.0/18') +
    'controllerManager:\n  extraArgs:\n    cluster-cidr: 10.100.0.0/16\n';
  assert.deepEqual(duplicates({ ...base, '/ws/cluster-10.100/kubeadm.yaml': extra }), []);
});

test('the severity can be set like any rule, and off silences it', () => {
  const files = { '/ws/c/kube-flannel.yml': MANIFEST, '/ws/c/kube-flannel-cfg.yaml': OVERRIDE };
  const severities = (setting: 'off' | 'hint') =>
    diagnose(files, { ...DEFAULT_SETTINGS, rules: { 'duplicate-config': setting } })
      .filter((d) => d.code === 'duplicate-config')
      .map((d) => d.severity);
  assert.deepEqual(severities('hint'), ['hint', 'hint']);
  assert.deepEqual(severities('off'), []);
});

test('hover on the net-conf.json Podnet does not model says so', () => {
  const files: Files = { '/ws/c/kube-flannel.yml': MANIFEST, '/ws/c/kube-flannel-cfg.yaml': OVERRIDE };
  const workspace = workspaceOf(files);
  const hover = (file: string) =>
    hoverAt(workspace, pathToUri(file), files[file].indexOf('"Network"') + 3)?.markdown ?? '';
  assert.match(hover('/ws/c/kube-flannel-cfg.yaml'), /Not the ConfigMap Podnet models for this cluster/);
  assert.doesNotMatch(hover('/ws/c/kube-flannel.yml'), /Not the ConfigMap/);
});
