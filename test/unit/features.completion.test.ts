import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { type Files, FIXTURES, flannelConfigMap, loadExample, workspaceOf } from './helpers';
import { type CompletionResult, completionsAt } from '../../server/src/features/completion';
import { pathToUri } from '../../server/src/model/workspace';

const CURSOR = '§';

/** Completes at the cursor marker in `text` (stored as /ws/a.yaml next to `others`). */
function complete(
  text: string,
  others: Files = {},
): { items: CompletionResult[]; text: string; offset: number; covered: (item: CompletionResult) => string } {
  const offset = text.indexOf(CURSOR);
  assert.ok(offset >= 0, 'no cursor marker');
  const clean = text.replace(CURSOR, '');
  const items = completionsAt(workspaceOf({ ...others, '/ws/a.yaml': clean }), pathToUri('/ws/a.yaml'), offset);
  return { items, text: clean, offset, covered: (item) => clean.slice(item.range[0], item.range[1]) };
}

/** Applies a completion and returns the new text. */
const apply = (text: string, item: CompletionResult) =>
  text.slice(0, item.range[0]) + item.insertText + text.slice(item.range[1]);
const labels = (items: CompletionResult[]) => items.map((i) => i.label);

test('net-conf keys not yet present, after an opening quote', () => {
  const { items, text, covered } = complete(flannelConfigMap('{\n  "Network": "10.244.0.0/16",\n  "Ba§\n}'));
  assert.ok(!labels(items).includes('Network'));
  for (const key of [
    'IPv6Network',
    'EnableIPv4',
    'EnableIPv6',
    'EnableNFTables',
    'SubnetLen',
    'SubnetMin',
    'SubnetMax',
    'IPv6SubnetLen',
    'IPv6SubnetMin',
    'IPv6SubnetMax',
    'Backend',
  ]) {
    assert.ok(labels(items).includes(key), key);
  }
  const backend = items.find((i) => i.label === 'Backend')!;
  assert.equal(backend.kind, 'property');
  assert.equal(covered(backend), 'Ba');
  assert.equal(backend.insertText, 'Backend": ');
  assert.ok(apply(text, backend).includes('\n      "Backend": \n'));
});

test('net-conf keys: auto-closed quote, bare word, empty line, existing colon', () => {
  const closed = complete(flannelConfigMap('{\n  "Network": "10.244.0.0/16",\n  "Ba§"\n}'));
  const a = closed.items.find((i) => i.label === 'Backend')!;
  assert.equal(closed.covered(a), 'Ba"');
  assert.ok(apply(closed.text, a).includes('\n      "Backend": \n'));

  const bare = complete(flannelConfigMap('{\n  "Network": "10.244.0.0/16",\n  Ba§\n}'));
  const b = bare.items.find((i) => i.label === 'Backend')!;
  assert.equal(bare.covered(b), 'Ba');
  assert.equal(b.insertText, '"Backend": ');

  const empty = complete(flannelConfigMap('{\n  "Network": "10.244.0.0/16",\n  §\n}'));
  const c = empty.items.find((i) => i.label === 'SubnetLen')!;
  assert.equal(c.range[0], c.range[1]);
  assert.equal(c.range[0], empty.offset);
  assert.equal(c.insertText, '"SubnetLen": ');

  const renaming = complete(flannelConfigMap('{\n  "Subnet§Len": 24\n}'));
  const d = renaming.items.find((i) => i.label === 'SubnetMin')!;
  assert.equal(renaming.covered(d), 'SubnetLen"');
  assert.equal(d.insertText, 'SubnetMin"');
  assert.ok(labels(renaming.items).includes('SubnetLen'), 'the key being edited is offered again');
});

test('keys already present are recognised case-insensitively', () => {
  const { items } = complete(
    flannelConfigMap('{\n  "network": "10.244.0.0/16",\n  "backend": {"Type": "vxlan"},\n  "§"\n}'),
  );
  assert.ok(!labels(items).includes('Network'));
  assert.ok(!labels(items).includes('Backend'));
  assert.ok(labels(items).includes('EnableIPv6'));
});

test('cursor in the YAML indentation of the block scalar still completes', () => {
  const text =
    'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: cfg\ndata:\n  net-conf.json: |\n    {\n      ' +
    '"Network": "10.244.0.0/16",\n  §    \n    }\n';
  const { items } = complete(text);
  assert.ok(labels(items).includes('Backend'));
});

test("inside Backend: Type and the chosen backend's options", () => {
  const { items, covered } = complete(
    flannelConfigMap('{\n  "Network": "10.244.0.0/16",\n  "Backend": {"Type": "vxlan", "D§"}\n}'),
  );
  assert.deepEqual(labels(items), ['VNI', 'Port', 'MTU', 'GBP', 'Learning', 'DirectRouting', 'MacPrefix', 'Name']);
  const direct = items.find((i) => i.label === 'DirectRouting')!;
  assert.equal(covered(direct), 'D"');
  assert.equal(direct.insertText, 'DirectRouting": ');
  assert.equal(direct.detail, 'boolean');

  const untyped = complete(flannelConfigMap('{\n  "Backend": {\n    §\n  }\n}'));
  assert.deepEqual(labels(untyped.items), ['Type']);
});

test('backend types at the value of Type', () => {
  const quoted = complete(flannelConfigMap('{\n  "Network": "10.244.0.0/16",\n  "Backend": {"Type": "vx§"}\n}'));
  assert.deepEqual(labels(quoted.items), [
    'vxlan',
    'host-gw',
    'udp',
    'wireguard',
    'ipip',
    'ipsec',
    'alloc',
    'extension',
    'tencent-vpc',
  ]);
  const vxlan = quoted.items[0];
  assert.equal(vxlan.kind, 'enum');
  assert.equal(quoted.covered(vxlan), 'vx"');
  assert.equal(vxlan.insertText, 'vxlan"');
  assert.ok(vxlan.documentation?.includes('VXLAN'));
  assert.ok(apply(quoted.text, vxlan).includes('{"Type": "vxlan"}'));

  const bare = complete(flannelConfigMap('{\n  "Backend": {"Type": §}\n}'));
  const hostGw = bare.items.find((i) => i.label === 'host-gw')!;
  assert.equal(hostGw.insertText, '"host-gw"');
  assert.equal(hostGw.range[0], bare.offset);
  assert.ok(apply(bare.text, hostGw).includes('{"Type": "host-gw"}'));
});

test('no completion at other net-conf values', () => {
  assert.deepEqual(complete(flannelConfigMap('{\n  "Network": "10.2§44.0.0/16"\n}')).items, []);
});

const cluster100 = loadExample('cluster-10.100');
const others = Object.fromEntries(
  Object.entries(cluster100).filter(([file]) => !file.endsWith('network-cni-test.yaml')),
);
const podText = (value: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  nodeName: ${value}\n  containers: []\n`;

test('node names at an empty spec.nodeName, with podCIDR details', () => {
  const moved = Object.fromEntries(
    Object.entries(others).map(([file, text]) => [file.replace('/ws/cluster-10.100/', '/ws/'), text]),
  );
  const { items, offset } = complete(podText(CURSOR), moved);
  assert.deepEqual(labels(items), ['master231', 'worker232', 'worker233']);
  const worker = items[1];
  assert.equal(worker.kind, 'reference');
  assert.equal(worker.detail, '10.100.1.0/24');
  assert.deepEqual(worker.range, [offset, offset]);
  assert.equal(worker.insertText, 'worker232');
  assert.ok(worker.documentation?.includes('10.0.0.232'));
});

test('node names replace the typed word, inside quotes too', () => {
  const moved = Object.fromEntries(
    Object.entries(others).map(([file, text]) => [file.replace('/ws/cluster-10.100/', '/ws/'), text]),
  );
  const plain = complete(podText(`wor${CURSOR}`), moved);
  assert.equal(plain.covered(plain.items[0]), 'wor');
  assert.ok(apply(plain.text, plain.items[1]).includes('nodeName: worker232\n'));

  const quoted = complete(podText(`'wor${CURSOR}'`), moved);
  assert.equal(quoted.covered(quoted.items[0]), 'wor');
  assert.ok(apply(quoted.text, quoted.items[2]).includes("nodeName: 'worker233'\n"));
});

test('inferred podCIDRs are marked, and the half-typed name is not offered as a node', () => {
  const { items } = complete(podText(`k8s${CURSOR}`), {
    '/ws/other.yaml': podText('k8s-worker1').replace('name: p', 'name: q'),
  });
  assert.deepEqual(labels(items), ['k8s-worker1']);
  assert.match(items[0].detail ?? '', /^10\.244\.\d+\.0\/24 \(inferred\)$/);
});

test('no completion elsewhere in a Pod', () => {
  assert.deepEqual(
    complete(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${CURSOR}\nspec:\n  nodeName: x\n`).items,
    [],
  );
});

// ---------------------------------------------------------------------------------------------------
// Pod templates and node selection (test/fixtures/workloads/nodes.yaml: cp-1, node-1, node-2, node-10)

const NODES = { '/ws/nodes.yaml': fs.readFileSync(path.join(FIXTURES, 'workloads', 'nodes.yaml'), 'utf8') };

/** A Deployment whose pod template spec holds `spec` (already indented by 6). */
const deployment = (spec: string) =>
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n' +
  `${spec}      containers:\n      - name: web\n        image: nginx:1.27\n`;

const affinityExpression = (expression: string) =>
  '      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n' +
  `            nodeSelectorTerms:\n            - matchExpressions:\n              - ${expression}\n`;

test('node names at a pod template nodeName (DaemonSet, Deployment)', () => {
  const ds = deployment(`      nodeName: no${CURSOR}\n`).replace('kind: Deployment', 'kind: DaemonSet');
  const { items, covered } = complete(ds, NODES);
  assert.deepEqual(labels(items), ['cp-1', 'node-1', 'node-2', 'node-10']);
  assert.equal(covered(items[0]), 'no');
  assert.equal(items[1].detail, '10.244.1.0/24');
});

test('nodeSelector keys: the labels the nodes carry, a half-typed key completed with its colon', () => {
  const { items, text, covered } = complete(
    deployment(`      nodeSelector:\n        kubernetes.io/os: linux\n        dis${CURSOR}\n`),
    NODES,
  );
  assert.deepEqual(labels(items), [
    'kubernetes.io/hostname',
    'kubernetes.io/arch',
    'node-role.kubernetes.io/control-plane',
    'disktype',
    'gpu',
  ]);
  const disktype = items.find((i) => i.label === 'disktype')!;
  assert.equal(covered(disktype), 'dis');
  assert.equal(disktype.detail, 'on 2 nodes');
  assert.ok(disktype.documentation?.includes('`ssd` on node\\-1'));
  assert.ok(apply(text, disktype).includes('        disktype: \n'));
  // A colon already there is kept as it is.
  const typed = complete(deployment(`      nodeSelector:\n        dis${CURSOR}: ssd\n`), NODES);
  assert.equal(typed.items.find((i) => i.label === 'disktype')?.insertText, 'disktype');
});

test('nodeSelector values: those the nodes have for the key, quoted where YAML would not read a string', () => {
  const disk = complete(deployment(`      nodeSelector:\n        disktype: ${CURSOR}\n`), NODES);
  assert.deepEqual(
    disk.items.map((i) => [i.label, i.detail]),
    [
      ['ssd', 'on node-1'],
      ['hdd', 'on node-2'],
    ],
  );
  const gpu = complete(deployment(`      nodeSelector:\n        gpu: ${CURSOR}\n`), NODES);
  assert.equal(gpu.items[0].insertText, '"true"');
  const quoted = complete(deployment(`      nodeSelector:\n        gpu: "t${CURSOR}"\n`), NODES);
  assert.equal(quoted.covered(quoted.items[0]), 't');
  assert.equal(quoted.items[0].insertText, 'true');
  const role = complete(
    deployment(`      nodeSelector:\n        node-role.kubernetes.io/control-plane: ${CURSOR}\n`),
    NODES,
  );
  assert.deepEqual(labels(role.items), ['""']);
  assert.equal(role.items[0].insertText, '""');
});

test('node affinity: label keys, operators, and the values of the expression key, block or flow', () => {
  const key = complete(deployment(affinityExpression(`key: g${CURSOR}`)), NODES);
  assert.ok(labels(key.items).includes('gpu'));
  assert.equal(key.items.find((i) => i.label === 'gpu')?.insertText, 'gpu');
  const operator = complete(deployment(affinityExpression(`key: gpu\n                operator: ${CURSOR}`)), NODES);
  assert.deepEqual(labels(operator.items), ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']);
  const block = complete(
    deployment(
      affinityExpression(
        `key: disktype\n                operator: In\n                values:\n                - ${CURSOR}`,
      ),
    ),
    NODES,
  );
  assert.deepEqual(labels(block.items), ['ssd', 'hdd']);
  const flow = complete(
    deployment(affinityExpression(`{key: kubernetes.io/arch, operator: In, values: [amd64, ${CURSOR}]}`)),
    NODES,
  );
  assert.deepEqual(flow.items, [], 'a flow mapping item is not followed');
  const flowValues = complete(
    deployment(
      affinityExpression(
        `key: kubernetes.io/arch\n                operator: In\n                values: [amd64, a${CURSOR}]`,
      ),
    ),
    NODES,
  );
  assert.deepEqual(labels(flowValues.items), ['amd64', 'arm64']);
  assert.equal(flowValues.covered(flowValues.items[0]), 'a');
});

test('matchFields: metadata.name and the node names', () => {
  const fields = (rest: string) =>
    deployment(
      '      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n' +
        `            nodeSelectorTerms:\n            - matchFields:\n              - ${rest}\n`,
    );
  assert.deepEqual(labels(complete(fields(`key: ${CURSOR}`), NODES).items), ['metadata.name']);
  const values = complete(
    fields(`key: metadata.name\n                operator: In\n                values:\n                - ${CURSOR}`),
    NODES,
  );
  assert.deepEqual(labels(values.items), ['cp-1', 'node-1', 'node-2', 'node-10']);
  assert.deepEqual(labels(complete(fields(`key: metadata.name\n                operator: ${CURSOR}`), NODES).items), [
    'In',
    'NotIn',
  ]);
});

test('no selector completion outside a pod spec, nor without known nodes', () => {
  assert.deepEqual(complete(`metadata:\n  labels:\n    dis${CURSOR}\n`, NODES).items, []);
  assert.deepEqual(complete(`spec:\n  selector:\n    nodeSelector:\n      dis${CURSOR}\n`, NODES).items, []);
  assert.deepEqual(complete(deployment(`      nodeSelector:\n        dis${CURSOR}\n`)).items, []);
  // Nodes known by name: their hostname label only.
  const knownOnly = completionsAt(
    workspaceOf({ '/ws/a.yaml': deployment('      nodeSelector:\n        kub\n') }, { knownNodes: ['n1'] }),
    pathToUri('/ws/a.yaml'),
    deployment('      nodeSelector:\n        kub\n').indexOf('kub\n') + 3,
  );
  assert.deepEqual(labels(knownOnly), ['kubernetes.io/hostname']);
});
