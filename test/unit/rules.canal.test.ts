import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { diagnose, type Files, FIXTURES, mutate, single, workspaceOf } from './helpers';

const FILE = '/ws/canal/canal.yaml';
const canal = (): Files => ({ [FILE]: fs.readFileSync(path.join(FIXTURES, 'canal', 'canal.yaml'), 'utf8') });
const edit = (from: string, to: string, files = canal()): Files => mutate(files, FILE, from, to);
const loud = (files: Files) =>
  diagnose(files)
    .filter((d) => d.severity === 'error' || d.severity === 'warning')
    .map((d) => `${d.code}: ${d.message}`);

test('Canal: no subnet-file or flannel-CNI finding on its install (Calico CNI, no /run/flannel)', () => {
  assert.deepEqual(loud(canal()), []);
});

test('Canal: a cni-conf.json in canal-config is read by nothing, so the cni rules stay silent', () => {
  const files = edit(
    '  net-conf.json: |\n',
    '  cni-conf.json: |\n    {"name": "cbr0", "plugins": [{"type": "flannel"}]}\n  net-conf.json: |\n',
  );
  assert.deepEqual(loud(files), []);
});

test('Canal: net-conf.json and the flanneld rules still apply', () => {
  const noBackend = edit(',\n      "Backend": {\n        "Type": "vxlan"\n      }\n', '\n');
  assert.equal(single(noBackend, 'backend-missing').severity, 'warning');
  const noKsm = edit('"--ip-masq", "--kube-subnet-mgr"]', '"--ip-masq"]');
  assert.equal(single(noKsm, 'flannel-kube-subnet-mgr').severity, 'warning');
  const elsewhere = edit('              mountPath: /etc/kube-flannel/\n', '              mountPath: /etc/flannel/\n');
  assert.match(single(elsewhere, 'flannel-mount').message, /mounted at \/etc\/flannel\//);
});

/** Replaces every occurrence of `from`. */
const everywhere = (files: Files, from: string, to: string): Files => ({ [FILE]: files[FILE].split(from).join(to) });

test('Canal is recognised by calico-node beside flanneld, or by CLUSTER_TYPE, whatever the names', () => {
  const renamed = everywhere(everywhere(canal(), 'canal-config', 'net-config'), 'name: canal\n', 'name: node-agent\n');
  assert.deepEqual(loud(renamed), []);
  // Without Calico's CNI template and calico-node, CLUSTER_TYPE still says Canal.
  const byType = everywhere(everywhere(renamed, 'cni_network_config', 'cni_template'), 'calico-node', 'policy');
  assert.deepEqual(loud(byType), []);
  // A flannel cni-conf.json in a ConfigMap other than canal-config is installed and reads subnet.env.
  const withCniConf = everywhere(
    byType,
    '  net-conf.json: |\n',
    '  cni-conf.json: |\n    {"name": "cbr0", "cniVersion": "0.3.1", "plugins": [{"type": "flannel"}]}\n' +
      '  net-conf.json: |\n',
  );
  assert.match(single(withCniConf, 'flannel-mount').message, /\/run\/flannel is not mounted from the host/);
  // Without any of them it is plain flannel, whose CNI plugin reads /run/flannel/subnet.env.
  const flannel = everywhere(byType, 'CLUSTER_TYPE', 'OTHER_TYPE');
  assert.match(single(flannel, 'flannel-mount').message, /\/run\/flannel is not mounted from the host/);
});

test('Canal over etcd chains through the flannel plugin, which reads subnet.env: /run/flannel is needed', () => {
  const files = edit('"type": "calico",\n', '"type": "flannel",\n          "delegate": {"type": "calico"},\n');
  assert.match(single(files, 'flannel-mount').message, /\/run\/flannel is not mounted from the host/);
});

const network = (files: Files) => workspaceOf(files).clusters()[0].network;

test("Canal's --iface and --ip-masq come from canal-config through FLANNELD_* env", () => {
  assert.equal(network(canal()).nodes.length, 0);
  const withNode = {
    ...canal(),
    '/ws/canal/node.yaml': 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\nspec:\n  podCIDR: 10.244.1.0/24\n',
  };
  assert.equal(network(withNode).nodes[0].iface, 'ens4');
  assert.equal(network(edit('canal_iface: "ens4"', 'canal_iface: ""', withNode)).nodes[0].iface, 'eth0');

  // A flag on the command line wins over its env variable (flagutil.SetFlagsFromEnv), as in Calico's manifest.
  assert.equal(network(edit('masquerade: "true"', 'masquerade: "false"')).ipMasq, true);
  const envOnly = edit('"--ip-masq", "--kube-subnet-mgr"]', '"--kube-subnet-mgr"]');
  assert.equal(network(envOnly).ipMasq, true);
  assert.equal(network(edit('masquerade: "true"', 'masquerade: "false"', envOnly)).ipMasq, false);
  assert.equal(network(edit('masquerade: "true"', 'masquerade: ""', envOnly)).ipMasq, false);
});
