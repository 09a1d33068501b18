// cni-multiple: two CNIs in one cluster; a warning when both are shown to run, else information.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { coveredText, type Files, FIXTURES, withCode } from './helpers';
import { CALICO, calicoManifest } from './calicoFixtures';

const flannelDaemonSet =
  'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: kube-flannel-ds\n  namespace: kube-flannel\nspec:\n' +
  '  template:\n    spec:\n      hostNetwork: true\n      containers:\n      - name: kube-flannel\n' +
  '        image: docker.io/flannel/flannel:v0.25.1\n        command: [/opt/bin/flanneld]\n' +
  '        args: [--ip-masq, --kube-subnet-mgr]\n';
const multiple = (files: Files) => withCode(files, 'cni-multiple');

test('flannel and Calico in one file: a warning on each installer, saying 10-calico.conflist is loaded first', () => {
  const files = { [CALICO]: `${calicoManifest()[CALICO]}---\n${flannelDaemonSet}` };
  const found = multiple(files);
  assert.deepEqual(
    found.map((d) => [d.severity, coveredText(files, d)]),
    [
      ['warning', 'calico-node'],
      ['warning', 'kube-flannel-ds'],
    ],
  );
  assert.match(found[0].message, /10-calico\.conflist, so pods get their addresses from Calico/);
  assert.match(found[0].message, /both are in one file/);
});

test('side by side in one folder: information, as alternatives', () => {
  const files = { ...calicoManifest(), '/ws/calico/kube-flannel.yml': flannelDaemonSet };
  const found = multiple(files);
  assert.deepEqual(
    found.map((d) => d.severity),
    ['information', 'information'],
  );
  assert.match(found[0].message, /look like alternatives/);
});

test('one kustomization applying both: warning', () => {
  const files = {
    ...calicoManifest(),
    '/ws/calico/kube-flannel.yml': flannelDaemonSet,
    '/ws/calico/kustomization.yaml': 'resources:\n- calico.yaml\n- kube-flannel.yml\n',
  };
  assert.deepEqual(
    multiple(files).map((d) => d.severity),
    ['warning', 'warning'],
  );
  assert.match(multiple(files)[0].message, /one kustomization applies both/);
});

test("Canal's calico-node and flanneld are one CNI; one CNI alone is not reported", () => {
  const canal = { '/ws/canal/canal.yaml': fs.readFileSync(path.join(FIXTURES, 'canal', 'canal.yaml'), 'utf8') };
  assert.deepEqual(multiple(canal), []);
  assert.deepEqual(multiple(calicoManifest()), []);
});
