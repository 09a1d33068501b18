// The examples calico-operator and canal-lab against what their README says a real cluster shows; Canal
// (flannel between nodes, Calico on each node); a cluster whose CNI is unknown; the tool views every CNI
// prints (route -n, ip a of cali veths, brctl without a bridge, vxlan.calico's FDB); the panel's scene.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildTopology } from '../../server/src/topology/build';
import { caliName } from '../../server/src/topology/dataplanes/calicoPods';
import { CNI_UNKNOWN_NOTE } from '../../server/src/topology/dataplanes/unknown';
import { packetPath } from '../../server/src/topology/path';
import { buildScene } from '../../server/src/topology/scene';
import { sceneToSvg } from '../../server/src/topology/svg';
import { formatRoute, toolOutput } from '../../server/src/topology/tools';
import { type Topology } from '../../server/src/topology/types';
import { calicoLab, nodeOf, withModes } from './calicoLab';
import { type Files, loadExample, mutate, workspaceOf } from './helpers';

function clusterOf(files: Files) {
  const [cluster] = workspaceOf(files).clusters();
  return { cluster, topology: buildTopology(cluster) };
}

const routes = (topology: Topology, node: string) => nodeOf(topology, node).routes.map(formatRoute);

test('calico-operator: worker-a has tunl0 10.48.77.0/32 mtu 1480 and the README block routes', () => {
  const { cluster, topology } = clusterOf(loadExample('calico-operator'));
  assert.equal(topology.cluster.cni, 'calico');
  assert.deepEqual(topology.cluster.calico?.pools, [
    {
      name: 'default-ipv4-ippool',
      cidr: '10.48.0.0/16',
      blockSize: 26,
      encapsulation: 'IPIPCrossSubnet',
      disabled: false,
    },
  ]);
  const workerA = nodeOf(topology, 'worker-a');
  const tunl0 = workerA.devices.find((d) => d.name === 'tunl0')!;
  assert.deepEqual([tunl0.addresses[0].cidr, tunl0.mtu], ['10.48.77.0/32', 1480]);
  assert.ok(routes(topology, 'worker-a').includes('10.48.12.64/26 via 10.10.0.10 dev eth0 proto bird'));
  // The Installation tells no version: the newest release (3.32) is taken, where BIRD programs IPIP routes, as
  // the README's cluster printed; marked inferred, since from 3.33 Felix does (proto 80).
  const ipip = workerA.routes.find((r) => r.destination === '10.48.140.192/26')!;
  assert.equal(formatRoute(ipip), '10.48.140.192/26 via 10.10.1.12 dev tunl0 proto bird onlink');
  assert.equal(ipip.certainty, 'inferred');
  // A cali veth per pod with its /32 route; storefront's 3 pods and the DaemonSet's on worker-a.
  const veths = workerA.devices.filter((d) => d.kind === 'veth-host');
  assert.equal(veths.length, 4);
  for (const pod of workerA.pods) {
    const hostEnd = workerA.devices.find((d) => d.id === pod.devices.find((e) => e.name === 'eth0')!.peer)!;
    assert.ok(routes(topology, 'worker-a').includes(`${pod.address!.ip} dev ${hostEnd.name} scope link`));
    // Predicted pods' generated names hide their hash: the veth name is a stand-in.
    assert.equal(hostEnd.nameCertainty, 'placeholder');
  }
  const workerB = nodeOf(topology, 'worker-b');
  const db0 = workerB.pods.find((p) => p.name === 'orders-db-0')!;
  assert.ok(
    workerB.devices.some((d) => d.name === caliName('cali', 'shop', 'orders-db-0') && d.nameCertainty === 'known'),
    "a StatefulSet pod's name is known, so is its veth's",
  );
  assert.match(db0.address!.ip, /^10\.48\.140\.19[3-9]$/);
  assert.deepEqual(nodeOf(topology, 'cp-a').pods, [], 'the tainted control plane runs none of them');
  // A packet from storefront to orders-db crosses subnets: IPIP.
  const path = packetPath(cluster, topology, 'storefront-1', 'orders-db-0');
  assert.ok(path.ok, path.reason);
  assert.deepEqual(path.encapsulation, { type: 'ipip', outerSrc: '10.10.0.11', outerDst: '10.10.1.12', overhead: 20 });
  assert.ok(topology.notes.some((n) => /version not visible/.test(n)));
});

test('canal-lab on vm-3: host-gw route via enp0s8, curl by its cali veth; no cni0, no flannel.1, no blackhole', () => {
  const { cluster, topology } = clusterOf(loadExample('canal-lab'));
  assert.equal(topology.cluster.cni, 'canal');
  const vm3 = nodeOf(topology, 'vm-3');
  const curl = vm3.pods.find((p) => p.name === 'curl')!;
  assert.deepEqual(curl.address, { ip: '10.32.2.2', certainty: 'inferred' }, 'host-local: .2 first');
  assert.deepEqual(
    curl.devices.find((d) => d.name === 'eth0')!.addresses.map((a) => a.cidr),
    ['10.32.2.2/32'],
  );
  assert.deepEqual(curl.routes?.map(formatRoute), [
    'default via 169.254.1.1 dev eth0',
    '169.254.1.1 dev eth0 scope link',
  ]);
  const veth = caliName('cali', 'lab', 'curl');
  assert.ok(routes(topology, 'vm-3').includes('10.32.1.0/24 via 192.168.60.12 dev enp0s8'));
  assert.ok(routes(topology, 'vm-3').includes(`10.32.2.2 dev ${veth} scope link`));
  assert.ok(!vm3.devices.some((d) => d.name === 'cni0' || d.name === 'flannel.1' || d.kind === 'bridge'));
  assert.ok(!vm3.routes.some((r) => r.blackhole));
  assert.equal(vm3.devices.find((d) => d.name === veth)!.mac, 'ee:ee:ee:ee:ee:ee');
  const path = packetPath(cluster, topology, 'curl', 'echo');
  assert.ok(path.ok, path.reason);
  assert.equal(path.encapsulation, null);
  assert.equal(path.hops[1].device, veth);
  assert.equal(path.ttl, 62);
});

test("Canal with flannel's vxlan: flannel.1 between nodes (VNI 1, UDP 8472), cali veths at both ends", () => {
  const files = mutate(loadExample('canal-lab'), '/ws/canal-lab/canal.yaml', '"Type": "host-gw"', '"Type": "vxlan"');
  const { cluster, topology } = clusterOf(files);
  const vm3 = nodeOf(topology, 'vm-3');
  assert.ok(vm3.devices.some((d) => d.name === 'flannel.1'));
  assert.ok(routes(topology, 'vm-3').includes('10.32.1.0/24 via 10.32.1.0 dev flannel.1 onlink'));
  assert.equal(vm3.fdb.length, 2);
  const path = packetPath(cluster, topology, 'curl', 'echo');
  assert.ok(path.ok, path.reason);
  assert.equal(path.encapsulation?.vni, 1);
  assert.equal(path.encapsulation?.port, 8472);
  assert.equal(path.hops[1].device, caliName('cali', 'lab', 'curl'));
  assert.equal(path.hops.at(-2)!.device, caliName('cali', 'lab', 'echo'));
  assert.ok(!path.hops.some((h) => h.device === 'cni0'));
  assert.equal(path.mtu, 1450);
});

test('CNI unknown: nodes, NIC and known addresses only, no CNI device, a note saying how to name it', () => {
  // The seed example without the .podnet.yaml that names its CNI.
  const manifests = Object.entries(loadExample('seed-single-node')).filter(([f]) => !f.endsWith('/.podnet.yaml'));
  const { cluster, topology } = clusterOf(Object.fromEntries(manifests));
  assert.equal(topology.cluster.cni, 'unknown');
  assert.deepEqual(topology.notes, [CNI_UNKNOWN_NOTE]);
  assert.match(CNI_UNKNOWN_NOTE, /podnet\.cni setting, or `cni: flannel` \(calico, canal\) in \.podnet\.yaml/);
  const worker = topology.nodes[0];
  assert.deepEqual(
    worker.devices.map((d) => d.kind),
    ['loopback', 'nic'],
  );
  assert.ok(
    worker.pods.every((p) => p.address === undefined && p.devices.length === 0),
    'no predicted address',
  );
  const path = packetPath(cluster, topology, 'mypod1', 'mypod2');
  assert.equal(path.ok, false);
  assert.equal(path.reason, CNI_UNKNOWN_NOTE);
  assert.match(toolOutput(topology, worker, 'brctl'), /CNI unknown/);
  // The seed example names flannel in its own .podnet.yaml.
  const named = clusterOf(loadExample('seed-single-node')).topology;
  assert.equal(named.cluster.cni, 'flannel');
  assert.ok(named.nodes[0].devices.some((d) => d.name === 'cni0'));
});

test('route -n prints every route as net-tools does, for flannel and Calico', () => {
  const flannel = clusterOf(loadExample('cluster-10.100')).topology;
  const master = toolOutput(flannel, nodeOf(flannel, 'master231'), 'route-n').split('\n');
  assert.ok(master.includes('Destination     Gateway         Genmask         Flags Metric Ref    Use Iface'));
  assert.ok(master.includes('10.100.1.0      10.100.1.0      255.255.255.0   UG    0      0        0 flannel.1'));
  const calico = clusterOf(calicoLab()).topology;
  const n1 = toolOutput(calico, nodeOf(calico, 'n1'), 'route-n').split('\n');
  assert.ok(n1.includes('10.70.10.0      0.0.0.0         255.255.255.192 U     0      0        0 *'), 'the blackhole');
  assert.ok(
    n1.includes(
      `10.70.10.1      0.0.0.0         255.255.255.255 UH    0      0        0 ${caliName('cali', 'shop', 'web-a')}`,
    ),
  );
  assert.ok(n1.includes('10.70.30.128    10.0.2.13       255.255.255.192 UG    0      0        0 tunl0'));
});

test("every view prints Calico's devices: cali veths in ip a, no bridge in brctl, vxlan.calico's FDB", () => {
  const calico = clusterOf(withModes(calicoLab(), 'Never', 'Always', 'vxlan')).topology;
  const n1 = nodeOf(calico, 'n1');
  const ipA = toolOutput(calico, n1, 'ip-addr');
  const veth = caliName('cali', 'shop', 'web-a');
  assert.match(
    ipA,
    new RegExp(`^\\d+: ${veth}@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP`, 'm'),
  );
  assert.doesNotMatch(ipA, /master/);
  assert.match(ipA, /^ {4}link\/ether ee:ee:ee:ee:ee:ee brd ff:ff:ff:ff:ff:ff link-netns cni-<uuid>$/m);
  assert.match(ipA, /^\d+: vxlan\.calico: .* mtu 1450 /m);
  assert.match(ipA, /^ {4}inet 10\.70\.10\.0\/32 scope global vxlan\.calico$/m);
  assert.match(ipA, /^ {4}inet 10\.0\.1\.11\/24 scope global eth0$/m, 'the NIC with the prefix Calico annotates');
  assert.match(toolOutput(calico, n1, 'brctl'), /# no bridge: Calico's CNI plugin joins each pod by a cali veth/);
  const fdb = toolOutput(calico, n1, 'bridge-fdb');
  assert.match(fdb, /^66(:[0-9a-f]{2}){5} dev vxlan\.calico dst 10\.0\.1\.12 self permanent$/m);
  assert.match(
    toolOutput(calico, n1, 'ip-neigh'),
    /^10\.70\.20\.64 dev vxlan\.calico lladdr 66(:[0-9a-f]{2}){5} PERMANENT$/m,
  );
  assert.match(toolOutput(calico, n1, 'ip-route'), /^blackhole 10\.70\.10\.0\/26 proto 80$/m);
  const ipip = clusterOf(calicoLab()).topology;
  assert.match(
    toolOutput(ipip, nodeOf(ipip, 'n1'), 'ip-addr'),
    /^\d+: tunl0@NONE: <NOARP,UP,LOWER_UP> mtu 1480 .*\n {4}link\/ipip 0\.0\.0\.0 brd 0\.0\.0\.0$/m,
  );
  assert.match(
    toolOutput(ipip, nodeOf(ipip, 'n1'), 'ip-addr'),
    /^# eth0: name assumed; calico-node uses the interface/m,
  );
});

test('the scene draws Calico and Canal nodes without a bridge and does not fail', () => {
  for (const files of [loadExample('calico-operator'), loadExample('canal-lab'), calicoLab()]) {
    const { topology } = clusterOf(files);
    const scene = buildScene(topology, { width: 1200 });
    // The veths attach to the host's routing (a bar standing for the node), not to a bridge device.
    const bars = scene.elements.filter((e) => 'classes' in e && e.classes.includes('bridge-bar'));
    assert.ok(bars.length > 0 && bars.every((e) => 'classes' in e && e.classes.includes('routing')));
    assert.ok(!JSON.stringify(scene).includes('/host/cni0'));
    assert.match(sceneToSvg(scene), /^<svg/);
  }
  const title = (files: Files) =>
    buildScene(clusterOf(files).topology).elements.find((e) => 'classes' in e && e.classes.includes('title'));
  assert.match(
    JSON.stringify(title(loadExample('calico-operator'))),
    /Calico · pool 10\.48\.0\.0\/16 \/26 blocks · IPIP CrossSubnet/,
  );
  assert.match(JSON.stringify(title(loadExample('canal-lab'))), /Canal · flannel host-gw between nodes/);
});
