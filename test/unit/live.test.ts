// What a live cluster says wins over prediction (kubectl get -o yaml dumps): a pod's status.podIP and
// hostIP, live pods standing for their controller's pods, and flannel's Node annotations (VTEP MAC,
// public IP, backend) in bridge fdb, ip neigh, ip addr and the packet path. Values carry their certainty.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { hoverAt } from '../../server/src/features/hover';
import { annotationKeyPrefix, flannelNodeStateOf, normaliseMac, podStatusOf } from '../../server/src/model/liveState';
import { pathToUri } from '../../server/src/model/workspace';
import { buildTopology } from '../../server/src/topology/build';
import { packetPath } from '../../server/src/topology/path';
import { toolOutput } from '../../server/src/topology/tools';
import { formatTraceroute, predictTraceroute } from '../../server/src/topology/traceroute';
import { type Topology } from '../../server/src/topology/types';
import { type Files, flannelConfigMap, loadExample, workspaceOf } from './helpers';

const CONFIG = flannelConfigMap('{"Network": "10.100.0.0/16", "Backend": {"Type": "vxlan"}}');

interface NodeSpec {
  name: string;
  ip?: string;
  podCIDR: string;
  /** flannel annotations, written as kubectl prints them. */
  annotations?: Record<string, string>;
}

function nodeDoc({ name, ip, podCIDR, annotations }: NodeSpec): string {
  const lines = ['apiVersion: v1', 'kind: Node', 'metadata:'];
  if (annotations) {
    lines.push('  annotations:');
    for (const [key, value] of Object.entries(annotations)) lines.push(`    ${key}: '${value}'`);
  }
  lines.push(`  name: ${name}`, 'spec:', `  podCIDR: ${podCIDR}`);
  if (ip) lines.push('status:', '  addresses:', `  - {type: InternalIP, address: ${ip}}`);
  return lines.join('\n') + '\n';
}

const flannelAnnotations = (mac: string, publicIp: string, extra: Record<string, string> = {}) => ({
  'flannel.alpha.coreos.com/backend-data': `{"VNI":1,"VtepMAC":"${mac}"}`,
  'flannel.alpha.coreos.com/backend-type': 'vxlan',
  'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
  'flannel.alpha.coreos.com/public-ip': publicIp,
  ...extra,
});

/** A Pod as `kubectl get pod -o yaml` prints it, trimmed; `status` lines go under `status:`. */
function podDoc(name: string, node: string, status: string[] = [], extra: string[] = []): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    '  namespace: default',
    ...extra,
    'spec:',
    `  nodeName: ${node}`,
    '  containers:',
    '  - name: app',
    '    image: nginx:1.27',
    ...(status.length > 0 ? ['status:', ...status.map((l) => `  ${l}`)] : []),
    '',
  ].join('\n');
}

const running = (podIP: string, hostIP: string) => [
  `hostIP: ${hostIP}`,
  'hostIPs:',
  `- ip: ${hostIP}`,
  'phase: Running',
  `podIP: ${podIP}`,
  'podIPs:',
  `- ip: ${podIP}`,
];

const WORKER_A: NodeSpec = { name: 'worker-a', ip: '10.0.0.232', podCIDR: '10.100.1.0/24' };
const WORKER_B: NodeSpec = { name: 'worker-b', ip: '10.0.0.233', podCIDR: '10.100.2.0/24' };

function topologyOf(files: Files): { topology: Topology; cluster: ReturnType<typeof clusterOf> } {
  const cluster = clusterOf(files);
  return { topology: buildTopology(cluster), cluster };
}

function clusterOf(files: Files) {
  const clusters = workspaceOf(files).clusters();
  assert.equal(clusters.length, 1);
  return clusters[0];
}

const nodeOf = (topology: Topology, name: string) => {
  const node = topology.nodes.find((n) => n.name === name);
  assert.ok(node, name);
  return node;
};
const podOf = (topology: Topology, name: string) => {
  const pod = topology.nodes.flatMap((n) => n.pods).find((p) => p.name === name);
  assert.ok(pod, name);
  return pod;
};

// ---------------------------------------------------------------------------------------------------
// Reading the dump

test('status.podIPs, podIP and hostIP are read from a Pod; a manifest without status has none', () => {
  const [pod] = workspaceOf({
    '/ws/p.yaml': podDoc('web', 'worker-a', [...running('10.100.1.9', '10.0.0.232')]),
  }).clusters()[0].facts.pods;
  assert.deepEqual(pod.status, { phase: 'Running', podIPs: ['10.100.1.9'], hostIP: '10.0.0.232' });
  const single = workspaceOf({ '/ws/p.yaml': podDoc('web', 'worker-a', ['podIP: 10.100.1.7']) }).clusters()[0];
  assert.deepEqual(single.facts.pods[0].status?.podIPs, ['10.100.1.7']);
  const manifest = workspaceOf({ '/ws/p.yaml': podDoc('web', 'worker-a') }).clusters()[0];
  assert.equal(manifest.facts.pods[0].status, undefined);
  assert.equal(podStatusOf(manifest.facts.pods[0].object), undefined);
});

test("flannel's annotation prefix is normalised as flanneld does (its own test cases)", () => {
  assert.equal(annotationKeyPrefix('flannel.alpha.coreos.com'), 'flannel.alpha.coreos.com/');
  assert.equal(annotationKeyPrefix('flannel.alpha.coreos.com/'), 'flannel.alpha.coreos.com/');
  assert.equal(annotationKeyPrefix('flannel.alpha.coreos.com/prefix'), 'flannel.alpha.coreos.com/prefix-');
  assert.equal(annotationKeyPrefix('flannel.alpha.coreos.com/prefix-'), 'flannel.alpha.coreos.com/prefix-');
  assert.equal(annotationKeyPrefix('org.com'), 'org.com/');
  assert.equal(annotationKeyPrefix('org9.com'), 'org9.com/');
  assert.equal(annotationKeyPrefix('org.com/9'), 'org.com/9-');
  for (const bad of ['org', 'org/', 'org/prefix', 'org.COM', 'org.com/PREFIX', 'a.b/c/d'])
    assert.equal(annotationKeyPrefix(bad), undefined, bad);
});

test('backend-data VtepMAC: any key case, the last duplicate, the MAC forms Go reads; junk is no fact', () => {
  const state = (data: string) => {
    const files = { '/ws/n.yaml': nodeDoc({ ...WORKER_A, annotations: { 'x.io/backend-data': data } }) };
    return flannelNodeStateOf(clusterOf(files).facts.nodes[0], 'x.io/')?.vtepMac;
  };
  assert.equal(state('{"VNI":1,"VtepMAC":"D6:49:D4:7F:6C:6F"}'), 'd6:49:d4:7f:6c:6f');
  assert.equal(state('{"vtepmac":"aa:bb:cc:dd:ee:01","VtepMAC":"aa-bb-cc-dd-ee-02"}'), 'aa:bb:cc:dd:ee:02');
  assert.equal(normaliseMac('d649.d47f.6c6f'), 'd6:49:d4:7f:6c:6f');
  for (const junk of ['{"VNI":1', '{"VNI":1}', '{"VtepMAC":"d6:49:d4:7f:6c"}', '[1]', '{"VtepMAC":42}'])
    assert.equal(state(junk), undefined, junk);
  assert.equal(normaliseMac('d6:49-d4:7f:6c:6f'), undefined);
});

// ---------------------------------------------------------------------------------------------------
// Pod addresses

test('status.podIP is the pod address (known); predicted pods on the node pass over it', () => {
  const files = {
    '/ws/flannel.yaml': CONFIG,
    '/ws/nodes.yaml': [nodeDoc(WORKER_A), nodeDoc(WORKER_B)].join('---\n'),
    // The live pod holds .2, the first address host-local would give; the manifest pod gets .3.
    '/ws/live.yaml': podDoc('live', 'worker-a', running('10.100.1.2', '10.0.0.232')),
    '/ws/planned.yaml': podDoc('planned', 'worker-a'),
  };
  const { topology } = topologyOf(files);
  assert.deepEqual(podOf(topology, 'live').address, { ip: '10.100.1.2', certainty: 'known' });
  assert.deepEqual(podOf(topology, 'planned').address, { ip: '10.100.1.3', certainty: 'inferred' });
  const eth0 = podOf(topology, 'live').devices.find((d) => d.name === 'eth0')!;
  assert.deepEqual(eth0.addresses, [{ cidr: '10.100.1.2/24', certainty: 'known' }]);
  assert.match(eth0.facts.join(' '), /Address observed: the pod's status\.podIP/);
  assert.match(topology.notes.join(' '), /status\.podIP are known; the others are predicted/);
});

test('a podIP outside the node podCIDR is shown as observed, with a note; a finished pod holds no address', () => {
  const files = {
    '/ws/flannel.yaml': CONFIG,
    '/ws/nodes.yaml': nodeDoc(WORKER_A),
    '/ws/stale.yaml': podDoc('stale', 'worker-a', running('10.244.0.5', '10.0.0.232')),
    '/ws/done.yaml': podDoc('done', 'worker-a', ['phase: Succeeded', 'podIP: 10.100.1.2']),
    '/ws/planned.yaml': podDoc('planned', 'worker-a'),
  };
  const { topology } = topologyOf(files);
  const stale = podOf(topology, 'stale');
  assert.deepEqual(stale.address, { ip: '10.244.0.5', certainty: 'known' });
  assert.match(stale.notes?.[0] ?? '', /status\.podIP 10\.244\.0\.5 is outside worker-a's podCIDR 10\.100\.1\.0\/24/);
  assert.equal(podOf(topology, 'done').address, undefined);
  assert.deepEqual(podOf(topology, 'planned').address, { ip: '10.100.1.2', certainty: 'inferred' });
});

test("a node without a Node object takes its IP from its pods' status.hostIP", () => {
  const files = {
    '/ws/flannel.yaml': CONFIG,
    '/ws/live.yaml': podDoc('live', 'worker-x', running('10.100.0.7', '192.168.5.20')),
  };
  const { topology } = topologyOf(files);
  const node = nodeOf(topology, 'worker-x');
  assert.equal(node.internalIp, '192.168.5.20');
  const nic = node.devices.find((d) => d.kind === 'nic')!;
  assert.match(nic.facts[0], /Node IP 192\.168\.5\.20 \(status\.hostIP of pod default\/live\)/);
});

// ---------------------------------------------------------------------------------------------------
// Live pods and their controllers

test('a live pod owned through its ReplicaSet takes the place of a predicted pod of the Deployment', () => {
  const deployment = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: shop, namespace: default}',
    'spec:',
    '  replicas: 2',
    '  selector: {matchLabels: {app: shop}}',
    '  template:',
    '    metadata: {labels: {app: shop}}',
    '    spec:',
    '      containers: [{name: shop, image: shop:1}]',
    '',
  ].join('\n');
  const owner = [
    '  ownerReferences:',
    '  - apiVersion: apps/v1',
    '    blockOwnerDeletion: true',
    '    controller: true',
    '    kind: ReplicaSet',
    '    name: shop-7c5ddbdf54',
    '    uid: 9d0c3b8e-52f1-4c1a-8f0e-6a7b1c2d3e4f',
  ];
  const files = {
    '/ws/flannel.yaml': CONFIG,
    '/ws/nodes.yaml': [nodeDoc(WORKER_A), nodeDoc(WORKER_B)].join('---\n'),
    '/ws/deployment.yaml': deployment,
    '/ws/dump.yaml': podDoc('shop-7c5ddbdf54-x2k9p', 'worker-a', running('10.100.1.5', '10.0.0.232'), owner),
  };
  const { topology } = topologyOf(files);
  const pods = topology.nodes.flatMap((n) => n.pods.map((p) => `${p.name} ${n.name} ${p.owner?.kind}`));
  assert.deepEqual(pods, ['shop-7c5ddbdf54-x2k9p worker-a ReplicaSet', 'shop-2 worker-b Deployment']);
});

// ---------------------------------------------------------------------------------------------------
// flannel's Node annotations

test('bridge fdb, ip neigh and ip addr show the VTEP MACs and public IPs of live Nodes (seed 003)', () => {
  const files = {
    '/ws/flannel.yaml': CONFIG,
    '/ws/nodes.yaml': [
      nodeDoc({
        name: 'master231',
        ip: '10.0.0.231',
        podCIDR: '10.100.0.0/24',
        annotations: flannelAnnotations('d6:63:4b:8b:13:7c', '10.0.0.231'),
      }),
      nodeDoc({ ...WORKER_A, annotations: flannelAnnotations('d6:49:d4:7f:6c:6f', '10.0.0.232') }),
      nodeDoc({ ...WORKER_B, annotations: flannelAnnotations('7e:05:32:ed:ce:c8', '10.0.0.233') }),
    ].join('---\n'),
  };
  const { topology } = topologyOf(files);
  const master = nodeOf(topology, 'master231');
  const fdb = toolOutput(topology, master, 'bridge-fdb');
  assert.match(fdb, /^d6:49:d4:7f:6c:6f dst 10\.0\.0\.232 self permanent$/m);
  assert.match(fdb, /^7e:05:32:ed:ce:c8 dst 10\.0\.0\.233 self permanent$/m);
  assert.doesNotMatch(fdb, /<vtep mac/);
  const neigh = toolOutput(topology, master, 'ip-neigh');
  assert.match(neigh, /^10\.100\.1\.0 lladdr d6:49:d4:7f:6c:6f PERMANENT$/m);
  assert.match(neigh, /^10\.100\.2\.0 lladdr 7e:05:32:ed:ce:c8 PERMANENT$/m);
  assert.match(toolOutput(topology, master, 'ip-addr'), /^ {4}link\/ether d6:63:4b:8b:13:7c brd ff:ff:ff:ff:ff:ff$/m);
  assert.deepEqual(
    master.fdb.map((f) => [f.mac, f.macCertainty, f.dst, f.dstCertainty]),
    [
      ['d6:49:d4:7f:6c:6f', 'known', '10.0.0.232', 'known'],
      ['7e:05:32:ed:ce:c8', 'known', '10.0.0.233', 'known'],
    ],
  );
  assert.equal(master.devices.find((d) => d.kind === 'vxlan')?.mac, 'd6:63:4b:8b:13:7c');
});

test('public-ip-overwrite wins over public-ip: FDB destination and outer address, with a note', () => {
  const overwritten = flannelAnnotations('7e:05:32:ed:ce:c8', '10.0.0.233', {
    'flannel.alpha.coreos.com/public-ip-overwrite': '203.0.113.33',
  });
  const files = {
    '/ws/flannel.yaml': CONFIG,
    '/ws/nodes.yaml': [
      nodeDoc({ ...WORKER_A, annotations: flannelAnnotations('d6:49:d4:7f:6c:6f', '10.0.0.232') }),
      nodeDoc({ ...WORKER_B, annotations: overwritten }),
    ].join('---\n'),
    '/ws/a.yaml': podDoc('a', 'worker-a'),
    '/ws/b.yaml': podDoc('b', 'worker-b'),
  };
  const { topology, cluster } = topologyOf(files);
  assert.match(
    toolOutput(topology, nodeOf(topology, 'worker-a'), 'bridge-fdb'),
    /^7e:05:32:ed:ce:c8 dst 203\.0\.113\.33 /m,
  );
  assert.equal(nodeOf(topology, 'worker-b').publicIp, '203.0.113.33');
  const path = packetPath(cluster, topology, 'a', 'b');
  assert.equal(path.encapsulation?.outerDst, '203.0.113.33');
  assert.equal(path.encapsulation?.innerDstMac, '7e:05:32:ed:ce:c8');
  assert.ok(
    topology.notes.some((n) => /public-ip-overwrite 203\.0\.113\.33 differs from public-ip 10\.0\.0\.233/.test(n)),
  );
});

test('a mixed workspace: each value says whether it is known, inferred or a placeholder', () => {
  const files = {
    '/ws/flannel.yaml': CONFIG,
    '/ws/nodes.yaml': [
      nodeDoc({ ...WORKER_A, annotations: flannelAnnotations('d6:49:d4:7f:6c:6f', '10.0.0.232') }),
      nodeDoc(WORKER_B),
    ].join('---\n'),
    '/ws/a.yaml': podDoc('a', 'worker-a', running('10.100.1.9', '10.0.0.232')),
    '/ws/b.yaml': podDoc('b', 'worker-b'),
  };
  const { topology, cluster } = topologyOf(files);
  const a = nodeOf(topology, 'worker-a');
  const b = nodeOf(topology, 'worker-b');
  assert.deepEqual(
    b.fdb.map((f) => [f.mac, f.macCertainty, f.dstCertainty]),
    [['d6:49:d4:7f:6c:6f', 'known', 'known']],
  );
  assert.deepEqual(
    a.neighbours.map((n) => [n.lladdr, n.lladdrCertainty, n.ipCertainty]),
    [['<vtep mac of worker-b>', 'placeholder', 'known']],
  );
  assert.match(toolOutput(topology, b, 'ip-addr'), /link\/ether <vtep mac of this node>/);
  assert.equal(podOf(topology, 'a').address?.certainty, 'known');
  assert.equal(podOf(topology, 'b').address?.certainty, 'inferred');
  const path = packetPath(cluster, topology, 'a', 'b');
  assert.deepEqual(
    [path.encapsulation?.innerSrcMac, path.encapsulation?.innerDstMac],
    ['d6:49:d4:7f:6c:6f', '<vtep mac of worker-b>'],
  );
  assert.ok(
    path.notes.includes(
      'Pod addresses observed (status.podIP): default/a 10.100.1.9; predicted (first free): default/b 10.100.2.2.',
    ),
  );
  assert.match(formatTraceroute(predictTraceroute(cluster, topology, 'a', 'b')), /pod addresses are predicted/);
});

test("a Node's backend-type other than net-conf.json's is told, not hidden", () => {
  const files = {
    '/ws/flannel.yaml': CONFIG,
    '/ws/nodes.yaml': [
      nodeDoc({ ...WORKER_A, annotations: { 'flannel.alpha.coreos.com/backend-type': 'host-gw' } }),
      nodeDoc(WORKER_B),
    ].join('---\n'),
  };
  const { topology } = topologyOf(files);
  const note = topology.notes.find((n) => n.includes('registered the host-gw backend'));
  assert.ok(note, topology.notes.join('\n'));
  assert.match(note, /net-conf\.json here says vxlan/);
  // Without net-conf.json the assumed vxlan is no fact to compare with.
  const assumed = topologyOf({ '/ws/nodes.yaml': files['/ws/nodes.yaml'] }).topology;
  assert.ok(!assumed.notes.some((n) => n.includes('registered the')));
});

test("flanneld's --kube-annotation-prefix names the annotations it reads", () => {
  const daemonSet = [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata: {name: kube-flannel-ds, namespace: kube-flannel}',
    'spec:',
    '  template:',
    '    spec:',
    '      hostNetwork: true',
    '      containers:',
    '      - name: kube-flannel',
    '        image: ghcr.io/flannel-io/flannel:v0.26.4',
    '        command: [/opt/bin/flanneld]',
    '        args: [--ip-masq, --kube-subnet-mgr, --kube-annotation-prefix=example.com/net]',
    '',
  ].join('\n');
  const annotations = {
    'example.com/net-backend-data': '{"VNI":1,"VtepMAC":"0a:00:00:00:00:01"}',
    'flannel.alpha.coreos.com/backend-data': '{"VNI":1,"VtepMAC":"0a:00:00:00:00:02"}',
  };
  const files = {
    '/ws/flannel.yaml': CONFIG,
    '/ws/ds.yaml': daemonSet,
    '/ws/nodes.yaml': [nodeDoc({ ...WORKER_A, annotations }), nodeDoc(WORKER_B)].join('---\n'),
  };
  const { topology } = topologyOf(files);
  assert.equal(nodeOf(topology, 'worker-b').fdb[0].mac, '0a:00:00:00:00:01');
});

// ---------------------------------------------------------------------------------------------------
// Hovers

test('hovers mark observed values: a pod its status.podIP, a node its flannel annotations', () => {
  const files = loadExample('live-dump');
  const file = '/ws/live-dump/nodes-and-pods.yaml';
  const workspace = workspaceOf(files);
  const at = (needle: string, nth = 0) => {
    let index = -1;
    for (let i = 0; i <= nth; i++) index = files[file].indexOf(needle, index + 1);
    return hoverAt(workspace, pathToUri(file), index + 1)?.markdown ?? '';
  };
  const podHover = at('xiuxian-v1\n');
  assert.match(podHover, /address: `10\.100\.1\.9` \(observed: status\.podIP\)/);
  assert.match(podHover, /status\.hostIP: `10\.0\.0\.232` \(observed\)/);
  const nodeHover = at('worker233\n    resourceVersion');
  assert.match(
    nodeHover,
    /observed in flannel's Node annotations: backend `vxlan`, VTEP MAC `7e:05:32:ed:ce:c8` on `flannel\.1`, public IP `10\.0\.0\.233` \(public-ip\)/,
  );
  // A pod of a manifest is predicted, and says so.
  const planned = workspaceOf({
    '/ws/flannel.yaml': CONFIG,
    '/ws/nodes.yaml': nodeDoc(WORKER_A),
    '/ws/p.yaml': podDoc('planned', 'worker-a'),
  });
  const text = podDoc('planned', 'worker-a');
  const hover = hoverAt(planned, pathToUri('/ws/p.yaml'), text.indexOf('planned') + 1)?.markdown ?? '';
  assert.match(hover, /address: `10\.100\.1\.2` \(predicted: host-local gives the first free address/);
});
