import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { workspaceOf } from './helpers';
import { type CompletionResult, completionsAt } from '../../server/src/features/completion';
import { pathToUri } from '../../server/src/model/workspace';

const CURSOR = '§';

function complete(text: string): { items: CompletionResult[]; apply: (label: string) => string } {
  const offset = text.indexOf(CURSOR);
  assert.ok(offset >= 0, 'no cursor marker');
  const clean = text.replace(CURSOR, '');
  const items = completionsAt(workspaceOf({ '/ws/calico.yaml': clean }), pathToUri('/ws/calico.yaml'), offset);
  const apply = (label: string) => {
    const item = items.find((i) => i.label === label);
    assert.ok(item, `no item ${label} in ${items.map((i) => i.label).join(', ')}`);
    return clean.slice(0, item.range[0]) + item.insertText + clean.slice(item.range[1]);
  };
  return { items, apply };
}

const labels = (items: CompletionResult[]) => items.map((i) => i.label);

const installation = (pool: string, network = '') =>
  'apiVersion: operator.tigera.io/v1\nkind: Installation\nmetadata:\n  name: default\nspec:\n  calicoNetwork:\n' +
  network +
  '    ipPools:\n    - cidr: 10.48.0.0/16\n' +
  pool;

test('Installation pool encapsulation: the five values, replacing the half-typed word', () => {
  const { items, apply } = complete(installation(`      encapsulation: VX${CURSOR}\n`));
  assert.deepEqual(labels(items), ['IPIP', 'IPIPCrossSubnet', 'VXLAN', 'VXLANCrossSubnet', 'None']);
  assert.ok(items.every((i) => i.kind === 'enum'));
  assert.match(apply('VXLANCrossSubnet'), /\n {6}encapsulation: VXLANCrossSubnet\n$/);
});

test('Installation natOutgoing and bgp: Enabled or Disabled', () => {
  assert.deepEqual(labels(complete(installation(`      natOutgoing: ${CURSOR}\n`)).items), ['Enabled', 'Disabled']);
  const bgp = complete(installation('', `    bgp: ${CURSOR}\n`));
  assert.deepEqual(labels(bgp.items), ['Enabled', 'Disabled']);
});

test('Installation autodetection: one method key, none once a method is written', () => {
  const empty = complete(installation('', `    nodeAddressAutodetectionV4:\n      ${CURSOR}\n`));
  assert.deepEqual(labels(empty.items), [
    'firstFound',
    'kubernetes',
    'interface',
    'skipInterface',
    'canReach',
    'cidrs',
  ]);
  assert.match(empty.apply('interface'), /nodeAddressAutodetectionV4:\n {6}interface: \n/);
  const written = complete(
    installation('', `    nodeAddressAutodetectionV4:\n      interface: eth1\n      ${CURSOR}\n`),
  );
  assert.deepEqual(written.items, []);
});

test('IPPool ipipMode and vxlanMode: Never, Always, CrossSubnet', () => {
  const pool = (field: string) =>
    'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\n' +
    `spec:\n  cidr: 10.1.0.0/16\n  ${field}: ${CURSOR}\n`;
  assert.deepEqual(labels(complete(pool('ipipMode')).items), ['Never', 'Always', 'CrossSubnet']);
  assert.deepEqual(labels(complete(pool('vxlanMode')).items), ['Never', 'Always', 'CrossSubnet']);
  // Another key of the same spec is no Calico enum.
  assert.deepEqual(complete(pool('blockSize')).items, []);
});

const calicoNode = (name: string, value: string) =>
  'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: calico-node\n  namespace: kube-system\nspec:\n' +
  '  template:\n    spec:\n      containers:\n      - name: calico-node\n        image: calico/node:v3.28.0\n' +
  `        env:\n        - name: ${name}\n          value: ${value}\n`;

test('calico-node env: pool modes, autodetection methods and the backend by variable name', () => {
  assert.deepEqual(labels(complete(calicoNode('CALICO_IPV4POOL_IPIP', `"${CURSOR}"`)).items), [
    'Always',
    'CrossSubnet',
    'Never',
  ]);
  const quoted = complete(calicoNode('CALICO_IPV4POOL_VXLAN', `"Cr${CURSOR}"`));
  assert.match(quoted.apply('CrossSubnet'), /value: "CrossSubnet"\n$/);
  const method = complete(calicoNode('IP_AUTODETECTION_METHOD', `int${CURSOR}`));
  assert.ok(labels(method.items).includes('interface='));
  assert.ok(labels(method.items).includes('kubernetes-internal-ip'));
  assert.match(method.apply('interface='), /value: interface=\n$/);
  assert.deepEqual(labels(complete(calicoNode('CALICO_NETWORKING_BACKEND', CURSOR)).items), ['bird', 'vxlan', 'none']);
  // Any other variable gets nothing from Calico.
  assert.deepEqual(complete(calicoNode('FELIX_LOGSEVERITYSCREEN', CURSOR)).items, []);
});

test('calico-config calico_backend', () => {
  const text =
    `kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: calico-config\n  namespace: kube-system\ndata:\n` +
    `  veth_mtu: "0"\n  calico_backend: "${CURSOR}bird"\n`;
  const { items, apply } = complete(text);
  assert.deepEqual(labels(items), ['bird', 'vxlan', 'none']);
  assert.match(apply('vxlan'), /calico_backend: "vxlan"\n$/);
});
