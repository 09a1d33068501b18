// Predicted output of the tools people run on a node (`ip -c a`, `ip route`, `route -n`, `ip neigh show
// dev flannel.1`, `bridge fdb show dev flannel.1`, `brctl show`), in the tools' own format, for every CNI.
// Values that no manifest can tell are written as <placeholders>; interface indexes follow the usual
// creation order.
import { formatAddress, formatIp, maskOf, parseCidr, podSubnetOf } from '../core/cidr';
import { nicChoice } from './dataplanes/nicNotes';
import { type Device, type NodeTopology, type RouteEntry, type Topology } from './types';

export type ToolView = 'ip-addr' | 'ip-route' | 'route-n' | 'ip-neigh' | 'bridge-fdb' | 'brctl';

export const TOOL_VIEWS: readonly ToolView[] = ['ip-addr', 'ip-route', 'route-n', 'ip-neigh', 'bridge-fdb', 'brctl'];

const header = (node: NodeTopology, command: string) =>
  `# ${command} on ${node.name}, as Podnet predicts it: <…> marks values manifests cannot tell.\n`;

export function toolOutput(topology: Topology, node: NodeTopology, view: ToolView): string {
  switch (view) {
    case 'ip-addr':
      return header(node, 'ip -c a') + nicNotes(topology, node, true) + vtepNote(topology, node) + ipAddr(node);
    case 'ip-route':
      return (
        header(node, 'ip route') + nicNotes(topology, node, false) + node.routes.map(formatRoute).join('\n') + '\n'
      );
    case 'route-n':
      return header(node, 'route -n') + nicNotes(topology, node, false) + routeN(node);
    case 'ip-neigh':
      return ipNeigh(topology, node);
    case 'bridge-fdb':
      return bridgeFdb(topology, node);
    case 'brctl':
      return header(node, 'brctl show') + brctl(topology, node);
  }
}

/** Comment lines on the NIC: its name is assumed (no --iface), its address is unknown (no Node object…). */
function nicNotes(topology: Topology, node: NodeTopology, withAddress: boolean): string {
  const nic = node.devices.find((d) => d.kind === 'nic');
  if (!nic) return '';
  const lines: string[] = [];
  if (nic.nameCertainty !== 'known') lines.push(`# ${nic.name}: name assumed; ${nicChoice(topology.cluster.cni)}.`);
  if (withAddress && !node.internalIp && node.internalIpNote)
    lines.push(`# ${nic.name}: node IP not shown: ${node.internalIpNote}.`);
  return lines.map((l) => l + '\n').join('');
}

/** Devices in the order the kernel usually numbers them: lo, the NIC, the tunnel, cni0, then veths. */
function hostDevicesInOrder(node: NodeTopology): Device[] {
  const rank: Record<string, number> = {
    loopback: 0,
    nic: 1,
    vxlan: 2,
    wireguard: 2,
    ipip: 2,
    tun: 2,
    bridge: 3,
    'veth-host': 4,
    'veth-pod': 5,
  };
  return [...node.devices].sort((a, b) => rank[a.kind] - rank[b.kind]);
}

function ipAddr(node: NodeTopology): string {
  return hostDevicesInOrder(node)
    .map((device, index) => formatDevice(device, index + 1))
    .join('');
}

function formatDevice(device: Device, index: number): string {
  const lines: string[] = [];
  const name =
    device.kind === 'veth-host' ? `${device.name}@if2` : device.name === 'tunl0' ? 'tunl0@NONE' : device.name;
  switch (device.kind) {
    case 'loopback':
      lines.push(
        `${index}: lo: <LOOPBACK,UP,LOWER_UP> mtu ${device.mtu} qdisc noqueue state UNKNOWN group default qlen 1000`,
      );
      lines.push('    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00');
      lines.push('    inet 127.0.0.1/8 scope host lo', '       valid_lft forever preferred_lft forever');
      break;
    case 'nic':
      lines.push(
        `${index}: ${name}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu ${device.mtu} qdisc fq_codel state UP ` +
          `group default qlen 1000`,
      );
      lines.push(`    link/ether <mac of ${device.name}> brd ff:ff:ff:ff:ff:ff`);
      for (const address of device.addresses)
        lines.push(
          `    inet ${withPrefix(address.cidr)} scope global ${device.name}`,
          '       valid_lft forever preferred_lft forever',
        );
      break;
    case 'bridge':
      lines.push(
        `${index}: ${name}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu ${device.mtu} qdisc noqueue state UP group ` +
          `default qlen 1000`,
      );
      lines.push(`    link/ether <mac of ${device.name}> brd ff:ff:ff:ff:ff:ff`);
      for (const address of device.addresses)
        lines.push(
          `    inet ${address.cidr}${broadcastOf(address.cidr)} scope global ${device.name}`,
          '       valid_lft forever preferred_lft forever',
        );
      break;
    case 'veth-host':
      // A routed veth (Calico's cali…) has no master: it is on no bridge.
      lines.push(
        `${index}: ${name}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu ${device.mtu} qdisc noqueue ` +
          `${device.master ? `master ${device.master} ` : ''}state UP group default`,
      );
      lines.push(`    link/ether ${device.mac ?? '<mac>'} brd ff:ff:ff:ff:ff:ff link-netns cni-<uuid>`);
      break;
    case 'tun':
      lines.push(
        `${index}: ${name}: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu ${device.mtu} qdisc fq_codel state ` +
          `UNKNOWN group default qlen 500`,
      );
      lines.push('    link/none');
      for (const address of device.addresses)
        lines.push(
          `    inet ${address.cidr} scope global ${device.name}`,
          '       valid_lft forever preferred_lft forever',
        );
      break;
    default: {
      if (device.name === 'tunl0') {
        // Calico's IPIP device is the kernel's fallback tunnel: no local or remote address of its own.
        lines.push(
          `${index}: ${name}: <NOARP,UP,LOWER_UP> mtu ${device.mtu} qdisc noqueue state UNKNOWN group default ` +
            'qlen 1000',
          '    link/ipip 0.0.0.0 brd 0.0.0.0',
        );
        for (const address of device.addresses)
          lines.push(`    inet ${address.cidr} scope global tunl0`, '       valid_lft forever preferred_lft forever');
        break;
      }
      const flags = device.kind === 'vxlan' ? '<BROADCAST,MULTICAST,UP,LOWER_UP>' : '<POINTOPOINT,NOARP,UP,LOWER_UP>';
      lines.push(`${index}: ${name}: ${flags} mtu ${device.mtu} qdisc noqueue state UNKNOWN group default`);
      lines.push(
        device.kind === 'vxlan'
          ? `    link/ether ${device.mac ?? '<vtep mac of this node>'} brd ff:ff:ff:ff:ff:ff`
          : device.kind === 'ipip'
            ? '    link/ipip <node IP> brd 0.0.0.0'
            : '    link/none',
      );
      for (const address of device.addresses)
        lines.push(
          `    inet ${address.cidr} scope global ${device.name}`,
          '       valid_lft forever preferred_lft forever',
        );
    }
  }
  return lines.join('\n') + '\n';
}

/** A NIC's address: with its prefix when Calico's annotation tells it, else `<prefix>`. */
const withPrefix = (cidr: string): string => (cidr.includes('/') ? cidr : `${cidr}/<prefix>`);

function broadcastOf(cidrText: string): string {
  const cidr = parseCidr(cidrText);
  const broadcast = cidr && podSubnetOf(cidr).broadcast;
  return broadcast ? ` brd ${formatAddress(broadcast)}` : '';
}

export function formatRoute(route: RouteEntry): string {
  if (route.blackhole)
    return ['blackhole', route.destination, ...(route.proto ? ['proto', route.proto] : [])].join(' ');
  const parts = [route.destination];
  if (route.via) parts.push('via', route.via);
  parts.push('dev', route.device);
  if (route.protoKernel) parts.push('proto', 'kernel');
  if (route.proto) parts.push('proto', route.proto);
  if (route.scopeLink) parts.push('scope', 'link');
  if (route.src) parts.push('src', route.src);
  if (route.onlink) parts.push('onlink');
  return parts.join(' ');
}

function tunnelName(topology: Topology, node: NodeTopology): string {
  return node.devices.find((d) => d.kind === 'vxlan')?.name ?? `flannel.${topology.cluster.vni ?? 1}`;
}

/** Where flannel.1's MAC comes from, when a live Node's annotation gives it. */
function vtepNote(topology: Topology, node: NodeTopology): string {
  const vtep = node.devices.find((d) => d.kind === 'vxlan' && d.mac);
  if (!vtep) return '';
  if (topology.cluster.cni === 'calico')
    return `# ${vtep.name}: MAC ${vtep.mac}; ${vtep.facts.find((f) => f.startsWith('MAC')) ?? ''}\n`;
  return `# ${vtep.name}: MAC observed, from the backend-data annotation of ${node.name}'s Node.\n`;
}

/** `route -n`: the kernel's IPv4 table as net-tools prints it (metrics are not told by manifests: 0). */
function routeN(node: NodeTopology): string {
  const lines = [
    'Kernel IP routing table',
    'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
  ];
  for (const route of node.routes) {
    const { destination, genmask, prefix } = netmaskOf(route.destination);
    const gateway = route.via ?? '0.0.0.0';
    const flags = 'U' + (route.via ? 'G' : '') + (prefix === 32 ? 'H' : '');
    const iface = route.blackhole ? '*' : route.device;
    lines.push(
      `${destination.padEnd(15)} ${gateway.padEnd(15)} ${genmask.padEnd(15)} ${flags.padEnd(5)} ${'0'.padEnd(6)} ` +
        `${'0'.padEnd(2)} ${'0'.padStart(7)} ${iface}`,
    );
  }
  return lines.join('\n') + '\n';
}

function netmaskOf(destination: string): { destination: string; genmask: string; prefix?: number } {
  if (destination === 'default') return { destination: '0.0.0.0', genmask: '0.0.0.0', prefix: 0 };
  const cidr = parseCidr(destination.includes('/') ? destination : `${destination}/32`);
  if (!cidr || cidr.family !== 4) return { destination, genmask: '<netmask>' };
  return {
    destination: formatIp(4, cidr.address),
    genmask: formatIp(4, maskOf(4, cidr.prefix)),
    prefix: cidr.prefix,
  };
}

/** Which peers' MACs (and FDB destinations) a live dump tells: `# observed: …` lines. */
function observedNote(peers: readonly string[], what: string): string {
  return peers.length > 0 ? `# observed ${what} of ${peers.join(', ')}, from their Nodes' flannel annotations.\n` : '';
}

function ipNeigh(topology: Topology, node: NodeTopology): string {
  if (topology.cluster.cni === 'calico' || topology.cluster.cni === 'canal') return ipNeighAll(topology, node);
  const device = tunnelName(topology, node);
  const top = header(node, `ip neigh show dev ${device}`);
  if (topology.cluster.backend !== 'vxlan')
    return top + `# no ${device}: the ${topology.cluster.backend} backend programs no VXLAN neighbours\n`;
  const observed = node.neighbours.filter((n) => n.lladdrCertainty === 'known').map((n) => n.node);
  return (
    top +
    observedNote(observed, 'VTEP MACs (backend-data)') +
    node.neighbours.map((n) => `${n.ip} lladdr ${n.lladdr} PERMANENT`).join('\n') +
    (node.neighbours.length ? '\n' : '')
  );
}

/** `ip neigh show`: the permanent entries the CNI programs (Felix's per pod, VXLAN peers'; flannel.1's in Canal). */
function ipNeighAll(topology: Topology, node: NodeTopology): string {
  const top = header(node, 'ip neigh show');
  if (node.neighbours.length === 0) return top + '# no permanent neighbour entries: no local pod and no VXLAN peer\n';
  return top + node.neighbours.map((n) => `${n.ip} dev ${n.device} lladdr ${n.lladdr} PERMANENT`).join('\n') + '\n';
}

/** `bridge fdb show`, restricted to Calico's vxlan.calico. */
function calicoFdb(node: NodeTopology): string {
  const top = header(node, 'bridge fdb show dev vxlan.calico');
  if (!node.devices.some((d) => d.name === 'vxlan.calico'))
    return top + '# no vxlan.calico: no pool of this node uses VXLAN\n';
  return (
    top +
    node.fdb.map((f) => `${f.mac} dev ${f.device} dst ${f.dst} self permanent`).join('\n') +
    (node.fdb.length ? '\n' : '')
  );
}

function bridgeFdb(topology: Topology, node: NodeTopology): string {
  if (topology.cluster.cni === 'calico') return calicoFdb(node);
  const device = tunnelName(topology, node);
  const top = header(node, `bridge fdb show dev ${device}`);
  if (topology.cluster.backend !== 'vxlan')
    return top + `# no ${device}: the ${topology.cluster.backend} backend programs no VXLAN forwarding entries\n`;
  const macs = node.fdb.filter((f) => f.macCertainty === 'known').map((f) => f.node);
  const publicIps = new Set(topology.nodes.filter((n) => n.publicIp).map((n) => n.name));
  const dsts = node.fdb.filter((f) => publicIps.has(f.node)).map((f) => f.node);
  return (
    top +
    observedNote(macs, 'VTEP MACs (backend-data)') +
    observedNote(dsts, 'public IPs (public-ip)') +
    node.fdb.map((f) => `${f.mac} dst ${f.dst} self permanent`).join('\n') +
    (node.fdb.length ? '\n' : '')
  );
}

function brctl(topology: Topology, node: NodeTopology): string {
  const lines = ['bridge name\tbridge id\t\tSTP enabled\tinterfaces'];
  const bridge = node.devices.find((d) => d.kind === 'bridge');
  if (!bridge && topology.cluster.cni !== 'flannel')
    return (
      lines.join('\n') +
      (topology.cluster.cni === 'unknown'
        ? '\n# CNI unknown: no bridge is predicted\n'
        : "\n# no bridge: Calico's CNI plugin joins each pod by a cali veth that the host routes to\n")
    );
  if (!bridge)
    return lines.join('\n') + '\n# no cni0 yet: the bridge plugin creates it when the first pod starts on this node\n';
  const veths = node.devices
    .filter((d) => d.kind === 'veth-host' && d.master === bridge.name)
    .map((d) => d.name)
    .sort();
  lines.push(`${bridge.name}\t\t8000.<mac of cni0>\tno\t\t${veths[0] ?? ''}`);
  for (const veth of veths.slice(1)) lines.push(`\t\t\t\t\t\t\t${veth}`);
  return lines.join('\n') + '\n';
}
