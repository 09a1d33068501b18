import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { type Files, flannelConfigMap, flannelManifest, loadExample, workspaceOf } from './helpers';
import { hoverAt, type HoverResult } from '../../server/src/features/hover';
import { pathToUri } from '../../server/src/model/workspace';

/**
 * Hovers at the `nth` occurrence of `needle` in `file` (1 character in), and returns the hover with its
 * covered text.
 */
function hover(
  files: Files,
  file: string,
  needle: string,
  nth = 0,
  delta = 1,
): (HoverResult & { covered: string }) | undefined {
  const text = files[file];
  let index = -1;
  for (let i = 0; i <= nth; i++) index = text.indexOf(needle, index + 1);
  assert.ok(index >= 0, `${needle} not in ${file}`);
  const result = hoverAt(workspaceOf(files), pathToUri(file), index + delta);
  return result && { ...result, covered: text.slice(result.range[0], result.range[1]) };
}

const includesAll = (markdown: string, parts: string[]) => {
  for (const part of parts) assert.ok(markdown.includes(part), `missing ${JSON.stringify(part)} in:\n${markdown}`);
};

const cluster100 = loadExample('cluster-10.100');

test('hover on a Pod nodeName shows the node addressing (cluster-10.100, worker232)', () => {
  const h = hover(cluster100, '/ws/cluster-10.100/network-cni-test.yaml', 'worker232');
  assert.ok(h);
  assert.equal(h.covered, 'worker232');
  includesAll(h.markdown, [
    '**Node worker232**',
    'podCIDR: `10.100.1.0/24`',
    '`cni0` gateway: `10.100.1.1`',
    '`10.100.1.2` – `10.100.1.254` (253)',
    '`flannel.1` `10.100.1.0/32`',
    'pod MTU 1450',
    'underlay MTU 1500 (assumed',
    'InternalIP): `10.0.0.232`',
    '(1): xiuxian\\-v1',
  ]);
  assert.ok(!h.markdown.includes('inferred'));
  assert.ok(!h.markdown.includes('flannel defaults assumed'));
});

test('hover on a Node metadata.name shows the same facts', () => {
  const h = hover(cluster100, '/ws/cluster-10.100/nodes.yaml', 'name: worker233', 0, 7);
  assert.ok(h);
  assert.equal(h.covered, 'worker233');
  includesAll(h.markdown, [
    'podCIDR: `10.100.2.0/24`',
    '`10.100.2.1`',
    '`10.100.2.2` – `10.100.2.254` (253)',
    '`10.0.0.233`',
    'xiuxian\\-v2',
  ]);
});

test('a node without a Node object gets an inferred podCIDR and the assumed-defaults note', () => {
  const files = loadExample('seed-single-node');
  const h = hover(files, '/ws/seed-single-node/pod-to-pod-single-node.yml', 'k8s-worker1');
  assert.ok(h);
  assert.equal(h.covered, "'k8s-worker1'");
  includesAll(h.markdown, [
    'podCIDR: `10.244.1.0/24` (inferred',
    '`cni0` gateway: `10.244.1.1` (inferred)',
    '(253) (inferred)',
    '`flannel.1` `10.244.1.0/32` (inferred)',
    'mypod1',
    'mypod2',
    'node IP: unknown',
    'flannel defaults assumed (no kube-flannel ConfigMap in this cluster)',
  ]);
});

test('hover on a Pod metadata.name shows its node and range', () => {
  const h = hover(cluster100, '/ws/cluster-10.100/network-cni-test.yaml', 'xiuxian-v1');
  assert.ok(h);
  assert.equal(h.covered, 'xiuxian-v1');
  includesAll(h.markdown, [
    '**Pod xiuxian\\-v1**',
    'node: worker232',
    '`10.100.1.0/24`',
    '`10.100.1.2` – `10.100.1.254` (253)',
  ]);

  const pods = {
    ...cluster100,
    '/ws/cluster-10.100/pods.yaml':
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: loose\nspec:\n  containers: []\n---\napiVersion: ' +
      'v1\nkind: Pod\nmetadata:\n  name: lost\nspec:\n  nodeName: worker999\n---\napiVersion: v1\nkind: ' +
      'Pod\nmetadata:\n  name: hostnet\nspec:\n  hostNetwork: true\n  nodeName: worker232\n',
  };
  const loose = hover(pods, '/ws/cluster-10.100/pods.yaml', 'loose');
  assert.ok(loose?.markdown.includes('no spec.nodeName'), 'no container: the API server refuses it');
  const run = (selector: string) => ({
    ...cluster100,
    '/ws/cluster-10.100/run.yaml':
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: probe\nspec:\n  nodeSelector: {${selector}}\n` +
      '  containers:\n  - name: probe\n    image: busybox\n',
  });
  const pinned = hover(run('kubernetes.io/hostname: worker233'), '/ws/cluster-10.100/run.yaml', 'probe');
  assert.ok(pinned?.markdown.includes('node: worker233'), pinned?.markdown);
  const nowhere = hover(run('disk: none'), '/ws/cluster-10.100/run.yaml', 'probe');
  assert.ok(nowhere?.markdown.includes('node: none: no node it can run on'), nowhere?.markdown);
  const lost = hover(pods, '/ws/cluster-10.100/pods.yaml', 'lost');
  assert.ok(lost?.markdown.includes('worker999, which no Node object'));
  const hostnet = hover(pods, '/ws/cluster-10.100/pods.yaml', 'hostnet');
  includesAll(hostnet!.markdown, ['hostNetwork: true', '`10.0.0.232`']);
  const unknownNode = hover(pods, '/ws/cluster-10.100/pods.yaml', 'worker999');
  includesAll(unknownNode!.markdown, ['No Node object or declared node is named worker999', 'master231']);
});

test('hover on Network shows node subnets and pods per node; range is the token', () => {
  const files = loadExample('flannel-upstream');
  const file = '/ws/flannel-upstream/kube-flannel.yml';
  const value = hover(files, file, '"10.244.0.0/16"');
  assert.ok(value);
  assert.equal(value.covered, '"10.244.0.0/16"');
  includesAll(value.markdown, [
    '`10.244.0.0` – `10.244.255.255` (65,536 addresses)',
    '256 node subnets of /24',
    '253 pods per node',
    'ignored in kube mode',
    'Backend: `vxlan`',
  ]);
  const key = hover(files, file, '"Network"');
  assert.equal(key?.covered, '"Network"');
  assert.equal(key?.markdown, value.markdown);
});

test('keys match case-insensitively and a missing Backend means udp', () => {
  const files = { '/ws/cm.yaml': flannelConfigMap('{\n  "network": "10.0.0.0/8"\n}') };
  const h = hover(files, '/ws/cm.yaml', '"network"');
  assert.ok(h);
  assert.equal(h.covered, '"network"');
  includesAll(h.markdown, ['`10.0.0.0/8`', '65,536 node subnets of /24', 'Backend: missing, so flannel uses **udp**']);
  assert.ok(!h.markdown.includes('flannel defaults assumed'));
});

const etcdDaemonSet = [
  'apiVersion: apps/v1',
  'kind: DaemonSet',
  'metadata:',
  '  name: flannel',
  '  namespace: kube-flannel',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '      - name: flannel',
  '        command: ["/opt/bin/flanneld"]',
  '        args: ["--ip-masq"]',
  '',
].join('\n');

test("etcd mode: SubnetLen/SubnetMin/SubnetMax hovers show flannel's defaults", () => {
  const files = {
    '/ws/cm.yaml': flannelConfigMap(
      '{\n  "Network": "10.3.0.0/16",\n  "SubnetLen": 24,\n  "Backend": {"Type": "vxlan"}\n}',
    ),
    '/ws/ds.yaml': etcdDaemonSet,
  };
  const h = hover(files, '/ws/cm.yaml', 'SubnetLen');
  assert.ok(h);
  assert.equal(h.covered, '"SubnetLen"');
  includesAll(h.markdown, [
    '256 node subnets of /24, SubnetLen 24',
    'SubnetMin `10.3.1.0` (default: the first subnet is skipped)',
    'SubnetMax `10.3.255.0` (default: start of the last subnet)',
    '255 subnets',
  ]);
  assert.ok(!h.markdown.includes('ignored'));

  const auto = {
    '/ws/cm.yaml': flannelConfigMap(
      '{\n  "Network": "10.3.0.0/24",\n  "SubnetMin": "10.3.0.64",\n  "Backend": {"Type": "vxlan"}\n}',
    ),
    '/ws/ds.yaml': etcdDaemonSet,
  };
  const min = hover(auto, '/ws/cm.yaml', '"10.3.0.64"');
  assert.equal(min?.covered, '"10.3.0.64"');
  includesAll(min!.markdown, [
    '4 node subnets of /26, SubnetLen 26 (auto',
    'SubnetMin `10.3.0.64` to SubnetMax `10.3.0.192`',
    '3 subnets',
    '61 pods per node',
  ]);
});

test('kube mode: SubnetLen is reported as ignored', () => {
  const files = {
    '/ws/cm.yaml': flannelConfigMap(
      '{\n  "Network": "10.3.0.0/16",\n  "SubnetLen": 25,\n  "Backend": {"Type": "vxlan"}\n}',
    ),
  };
  const h = hover(files, '/ws/cm.yaml', '25');
  assert.equal(h?.covered, '25');
  includesAll(h!.markdown, ['ignored in kube mode', 'in etcd mode they would be SubnetLen /25']);
});

test('hover on Backend Type describes what the backend builds', () => {
  const vxlan = hover(cluster100, '/ws/cluster-10.100/kube-flannel-cfg.yaml', '"vxlan"');
  assert.equal(vxlan?.covered, '"vxlan"');
  includesAll(vxlan!.markdown, [
    '**flannel backend `vxlan`**',
    '`flannel.1`',
    'UDP port 8472',
    '50 bytes',
    'pod MTU 1450 = underlay 1500 (assumed',
  ]);
  const key = hover(cluster100, '/ws/cluster-10.100/kube-flannel-cfg.yaml', '"Type"');
  assert.equal(key?.covered, '"Type"');

  const hostGw = {
    '/ws/cm.yaml': flannelConfigMap('{\n  "Network": "10.1.0.0/16",\n  "Backend": {"Type": "host-gw", "MTU": 9000}\n}'),
  };
  const h = hover(hostGw, '/ws/cm.yaml', 'host-gw');
  includesAll(h!.markdown, ['`host-gw`', 'device on each node: none', 'pod MTU 9000', 'L2 segment']);
  const unknown = hover(
    { '/ws/cm.yaml': flannelConfigMap('{\n  "Network": "10.1.0.0/16",\n  "Backend": {"Type": "vxlna"}\n}') },
    '/ws/cm.yaml',
    'vxlna',
  );
  includesAll(unknown!.markdown, ['not a flannel backend', 'did you mean `vxlan`']);
  // A cloud backend follows the deployed image: valid on v0.9.0, removed on the newest.
  const aliVpc = (image: string) =>
    hover(
      { '/ws/kf.yml': flannelManifest(image, '{"Network": "10.1.0.0/16", "Backend": {"Type": "ali-vpc"}}') },
      '/ws/kf.yml',
      'ali-vpc',
    )!.markdown;
  includesAll(aliVpc('quay.io/coreos/flannel:v0.9.0-amd64'), ['cloud backend of flannel v0.9.0']);
  includesAll(aliVpc('ghcr.io/flannel-io/flannel:v0.28.9'), ['removed from flannel in v0.20.0']);
});

test('hover on --cluster-cidr, a Node podCIDR and kubeadm podSubnet', () => {
  const kcm = hover(cluster100, '/ws/cluster-10.100/kube-controller-manager.yaml', '--cluster-cidr');
  assert.equal(kcm?.covered, '--cluster-cidr=10.100.0.0/16');
  includesAll(kcm!.markdown, [
    '`10.100.0.0/16`',
    '65,536 addresses',
    '256 node subnets of /24',
    '253 pods per node',
    "inside flannel's Network `10.100.0.0/16`",
  ]);

  const podCidr = hover(cluster100, '/ws/cluster-10.100/nodes.yaml', '"10.100.1.0/24"');
  assert.equal(podCidr?.covered, '"10.100.1.0/24"');
  includesAll(podCidr!.markdown, [
    '**Node worker232 podCIDR**',
    'gateway `10.100.1.1`',
    '`10.100.1.2` – `10.100.1.254` (253 per node)',
    "inside flannel's Network",
  ]);
  const single = hover(cluster100, '/ws/cluster-10.100/nodes.yaml', '10.100.2.0/24');
  assert.equal(single?.covered, '10.100.2.0/24');

  const kubeadm = {
    '/ws/cm.yaml': flannelConfigMap('{\n  "Network": "10.100.0.0/16",\n  "Backend": {"Type": "vxlan"}\n}'),
    '/ws/kubeadm.yaml':
      'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.244.0.0/16\n',
  };
  const h = hover(kubeadm, '/ws/kubeadm.yaml', '10.244.0.0/16');
  assert.equal(h?.covered, '10.244.0.0/16');
  includesAll(h!.markdown, ['kubeadm', '256 node subnets of /24', "**not inside** flannel's Network `10.100.0.0/16`"]);
});

test('manifest values in hovers are escaped', () => {
  const files = {
    ...cluster100,
    '/ws/cluster-10.100/evil.yaml': [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: <img src=x onerror=alert(1)>',
      'spec:',
      '  nodeName: worker232',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      "  name: '[x](command:foo)'",
      'spec:',
      '  nodeName: worker232',
      '',
    ].join('\n'),
  };
  const node = hover(files, '/ws/cluster-10.100/nodes.yaml', 'name: worker232', 0, 7);
  assert.ok(node);
  includesAll(node.markdown, ['\\<img src\\=x onerror\\=alert\\(1\\)\\>', '\\[x\\]\\(command\\:foo\\)']);
  assert.ok(!/(^|[^\\])<img/.test(node.markdown), 'a raw <img> tag');
  assert.ok(!node.markdown.includes('](command:'));
  const pod = hover(files, '/ws/cluster-10.100/evil.yaml', '<img');
  assert.ok(pod);
  assert.equal(pod.covered, '<img src=x onerror=alert(1)>');
  assert.ok(pod.markdown.startsWith('**Pod \\<img'));
  const link = hover(files, '/ws/cluster-10.100/evil.yaml', "'[x]");
  assert.ok(link && !link.markdown.includes('command:'));
});

test('the pod list of a node is capped', () => {
  const pods = Array.from(
    { length: 13 },
    (_, i) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  nodeName: worker233\n`,
  ).join('---\n');
  const files = { ...cluster100, '/ws/cluster-10.100/many.yaml': pods };
  const h = hover(files, '/ws/cluster-10.100/nodes.yaml', 'name: worker233', 0, 7);
  includesAll(h!.markdown, ['(14): p0, p1', 'p9, and 4 more']);
  assert.ok(!h!.markdown.includes('p10'));
});

test('no hover where there is nothing to explain', () => {
  assert.equal(hover(cluster100, '/ws/cluster-10.100/network-cni-test.yaml', 'containers'), undefined);
  assert.equal(hover(cluster100, '/ws/cluster-10.100/kube-flannel-cfg.yaml', '"EnableNFTables"'), undefined);
  assert.equal(hoverAt(workspaceOf(cluster100), 'file:///nowhere.yaml', 0), undefined);
});
