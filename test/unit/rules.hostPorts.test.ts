// hostport-conflict: more pods ask for a host port than there are nodes they can run on
// (test/fixtures/workloads/nodes.yaml: cp-1 and node-10 are tainted, node-1 and node-2 are not).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { coveredText, type Files, FIXTURES, withCode } from './helpers';

const NODES = fs.readFileSync(path.join(FIXTURES, 'workloads', 'nodes.yaml'), 'utf8');

const ports = (port: string) => `        ports:\n${port}`;
const hostPort = (host: number, protocol?: string) =>
  `        - containerPort: 8080\n          hostPort: ${host}\n${protocol ? `          protocol: ${protocol}\n` : ''}`;

const template = (spec: string, portLines: string) =>
  `  template:\n    metadata:\n      labels:\n        app: x\n    spec:\n${spec}      containers:\n` +
  `      - name: app\n        image: nginx:1.27\n${ports(portLines)}`;

const deployment = (name: string, replicas: number, portLines: string, spec = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${replicas}\n` +
  `  selector:\n    matchLabels:\n      app: x\n${template(spec, portLines)}`;

const daemonSet = (name: string, portLines: string, spec = '') =>
  `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels:\n` +
  `      app: x\n${template(spec, portLines)}`;

const pod = (name: string, node: string, portLines: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  nodeName: ${node}\n  containers:\n  - name: c\n` +
  `    image: nginx:1.27\n    ports:\n${portLines.replace(/^ {4}/gm, '')}`;

const withNodes = (...docs: string[]): Files => ({ '/ws/nodes.yaml': NODES, '/ws/apps.yaml': docs.join('---\n') });

test('hostport-conflict: more replicas than the nodes they can run on, at the hostPort', () => {
  // node-1 and node-2 take them; cp-1 and node-10 are tainted.
  const files = withNodes(deployment('proxy', 3, hostPort(80)));
  const [finding] = withCode(files, 'hostport-conflict');
  assert.equal(finding.severity, 'warning');
  assert.equal(coveredText(files, finding), '80');
  assert.match(
    finding.message,
    /^Deployment proxy's 3 pods ask for host port 80\/TCP and can run on node-1, node-2 only\. One pod per node can hold the port, so one of Deployment proxy's pods stays Pending\. Podnet checked the 4 nodes it knows/,
  );
  assert.deepEqual(withCode(withNodes(deployment('proxy', 2, hostPort(80))), 'hostport-conflict'), []);
  // Without a host port, any number of replicas fit.
  assert.deepEqual(
    withCode(withNodes(deployment('proxy', 9, '        - containerPort: 8080\n')), 'hostport-conflict'),
    [],
  );
});

test('hostport-conflict: two DaemonSets with one port, the later reported; other protocols and ports are apart', () => {
  const files = withNodes(daemonSet('ingress-a', hostPort(443)), daemonSet('ingress-b', hostPort(443)));
  const [finding] = withCode(files, 'hostport-conflict');
  assert.equal(finding.uri.endsWith('apps.yaml'), true);
  assert.equal(coveredText(files, finding), '443');
  assert.ok(files['/ws/apps.yaml'].indexOf('ingress-b') < finding.offsetRange[0], 'reported on the second DaemonSet');
  assert.match(
    finding.message,
    /^4 pods \(2 of DaemonSet ingress-a, 2 of DaemonSet ingress-b\) ask for host port 443\/TCP/,
  );
  assert.match(
    finding.message,
    /can run on node-1, node-2 only\. .* so 2 of DaemonSet ingress-b's pods stay Pending\./,
  );
  assert.deepEqual(
    withCode(withNodes(daemonSet('a', hostPort(443)), daemonSet('b', hostPort(443, 'UDP'))), 'hostport-conflict'),
    [],
  );
  assert.deepEqual(
    withCode(withNodes(daemonSet('a', hostPort(443)), daemonSet('b', hostPort(8443))), 'hostport-conflict'),
    [],
  );
});

test('hostport-conflict: a hostNetwork pod takes every containerPort; reported at the containerPort', () => {
  const hostNetwork = '      hostNetwork: true\n';
  const files = withNodes(
    daemonSet('exporter', '        - containerPort: 9100\n', hostNetwork),
    deployment('metrics', 1, '        - containerPort: 9100\n', hostNetwork),
  );
  const [finding] = withCode(files, 'hostport-conflict');
  assert.equal(coveredText(files, finding), '9100');
  assert.ok(files['/ws/apps.yaml'].indexOf('name: metrics') < finding.offsetRange[0]);
  assert.match(finding.message, /one of Deployment metrics's pods stays Pending/);
});

test('hostport-conflict: two Pods pinned to one node; the kubelet rejects the second', () => {
  const files = withNodes(pod('a', 'node-1', hostPort(80)), pod('b', 'node-1', hostPort(80)));
  const [finding] = withCode(files, 'hostport-conflict');
  assert.equal(coveredText(files, finding), '80');
  assert.ok(files['/ws/apps.yaml'].indexOf('name: b') < finding.offsetRange[0]);
  assert.match(finding.message, /so the kubelet on node-1 rejects Pod b\./);
  assert.deepEqual(
    withCode(withNodes(pod('a', 'node-1', hostPort(80)), pod('b', 'node-2', hostPort(80))), 'hostport-conflict'),
    [],
  );
});

test('hostport-conflict: different host addresses may share a port', () => {
  const at = (ip: string) => `        - containerPort: 8080\n          hostPort: 80\n          hostIP: ${ip}\n`;
  assert.deepEqual(
    withCode(withNodes(pod('a', 'node-1', at('10.0.0.1')), pod('b', 'node-1', at('10.0.0.2'))), 'hostport-conflict'),
    [],
  );
  assert.equal(
    withCode(withNodes(pod('a', 'node-1', at('10.0.0.1')), pod('b', 'node-1', hostPort(80))), 'hostport-conflict')
      .length,
    1,
  );
});

test('hostport-conflict: nodes known by name count a DaemonSet only where it surely runs', () => {
  const options = { knownNodes: ['node-1', 'node-2'] };
  // Their taints are unknown: a DaemonSet that does not tolerate everything may not run there.
  const files = { '/ws/apps.yaml': [daemonSet('a', hostPort(80)), daemonSet('b', hostPort(80))].join('---\n') };
  assert.deepEqual(withCode(files, 'hostport-conflict', options), []);
  const tolerant = '      tolerations:\n      - operator: Exists\n';
  const sure = {
    '/ws/apps.yaml': [daemonSet('a', hostPort(80), tolerant), daemonSet('b', hostPort(80), tolerant)].join('---\n'),
  };
  assert.equal(withCode(sure, 'hostport-conflict', options).length, 1);
  // More replicas than nodes known by name: the scheduler has no other node.
  assert.equal(withCode({ '/ws/apps.yaml': deployment('p', 3, hostPort(80)) }, 'hostport-conflict', options).length, 1);
  // Without any known node: silent.
  assert.deepEqual(withCode({ '/ws/apps.yaml': deployment('p', 3, hostPort(80)) }, 'hostport-conflict'), []);
});
