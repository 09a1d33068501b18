// What each flannel backend reads and builds (flannel.md §2). One table shared by rules, hovers,
// completion and the network model.

export type OptionType = 'integer' | 'boolean' | 'string';

export interface BackendOption {
  key: string;
  type: OptionType;
  doc: string;
  /** Read only by the Windows build of flannel. */
  windowsOnly?: boolean;
}

export interface BackendInfo {
  type: string;
  /** Bytes the encapsulation adds; FLANNEL_MTU = underlay MTU − overhead. */
  overhead: number;
  /** Name of the tunnel device flanneld creates, if any. */
  device?: (vni: number) => string;
  /** UDP port of the encapsulation, if any. */
  defaultPort?: number;
  options: BackendOption[];
  supportsIPv6: boolean;
  status: 'recommended' | 'supported' | 'debugging' | 'experimental';
  summary: string;
  requirements: string;
}

const mtuOption = (overhead: number): BackendOption => ({
  key: 'MTU',
  type: 'integer',
  doc: `MTU of the underlay (the node's NIC), not of the pods: pods get MTU − ${overhead}.`,
});

export const BACKENDS: Record<string, BackendInfo> = {
  vxlan: {
    type: 'vxlan',
    overhead: 50,
    device: (vni) => `flannel.${vni}`,
    defaultPort: 8472,
    options: [
      { key: 'VNI', type: 'integer', doc: 'VXLAN network identifier (default 1); the device is named flannel.<VNI>.' },
      { key: 'Port', type: 'integer', doc: 'UDP port of the VXLAN traffic; 0 or absent means the Linux default 8472.' },
      mtuOption(50),
      { key: 'GBP', type: 'boolean', doc: 'VXLAN Group Based Policy.' },
      { key: 'Learning', type: 'boolean', doc: 'Kernel MAC learning on the VXLAN device.' },
      {
        key: 'DirectRouting',
        type: 'boolean',
        doc: 'Route directly (no encapsulation) to nodes on the same L2 subnet.',
      },
      { key: 'MacPrefix', type: 'string', doc: 'Windows only.', windowsOnly: true },
      { key: 'Name', type: 'string', doc: 'Windows only.', windowsOnly: true },
    ],
    supportsIPv6: true,
    status: 'recommended',
    summary:
      'Encapsulates pod traffic in VXLAN (UDP) between nodes through the flannel.<VNI> device; 50 bytes of overhead.',
    requirements: 'UDP 8472 (or the configured Port) open between all nodes.',
  },
  'host-gw': {
    type: 'host-gw',
    overhead: 0,
    options: [
      { key: 'Name', type: 'string', doc: 'Windows only.', windowsOnly: true },
      { key: 'DNSServerList', type: 'string', doc: 'Windows only.', windowsOnly: true },
    ],
    supportsIPv6: true,
    status: 'supported',
    summary: "No tunnel: each node routes other nodes' pod subnets via their node IP on the NIC; no overhead.",
    requirements: 'All nodes on one L2 segment, no NAT between them.',
  },
  udp: {
    type: 'udp',
    overhead: 28,
    device: () => 'flannel0',
    defaultPort: 8285,
    options: [{ key: 'Port', type: 'integer', doc: 'UDP port (default 8285).' }],
    supportsIPv6: false,
    status: 'debugging',
    summary: 'Userspace UDP encapsulation through the flannel0 TUN device; slow, for debugging only.',
    requirements: 'linux/amd64 only; UDP 8285 open between nodes.',
  },
  wireguard: {
    type: 'wireguard',
    overhead: 80,
    device: () => 'flannel-wg',
    defaultPort: 51820,
    options: [
      { key: 'ListenPort', type: 'integer', doc: 'UDP port of the (IPv4) tunnel, default 51820.' },
      { key: 'ListenPortV6', type: 'integer', doc: 'UDP port of the IPv6 tunnel in separate mode, default 51821.' },
      mtuOption(80),
      { key: 'PSK', type: 'string', doc: 'Optional pre-shared key, base64 of 32 bytes (`wg genpsk`).' },
      {
        key: 'PersistentKeepaliveInterval',
        type: 'integer',
        doc: 'Keepalive interval in whole seconds (a JSON integer, not "25s").',
      },
      { key: 'Mode', type: 'string', doc: 'separate (default), auto, ipv4 or ipv6; case-sensitive.' },
    ],
    supportsIPv6: true,
    status: 'supported',
    summary: 'Encrypts pod traffic with WireGuard through the flannel-wg device; 80 bytes of overhead.',
    requirements: 'UDP 51820 (and 51821 for IPv6) open; WireGuard in the kernel (≥ 5.6) or as a module.',
  },
  ipip: {
    type: 'ipip',
    overhead: 20,
    device: () => 'flannel.ipip',
    options: [{ key: 'DirectRouting', type: 'boolean', doc: 'Route directly to nodes on the same L2 subnet.' }],
    supportsIPv6: false,
    status: 'experimental',
    summary: 'IP-in-IP encapsulation through the flannel.ipip device; 20 bytes of overhead; IPv4 only.',
    requirements: 'IP protocol 4 allowed between nodes.',
  },
  ipsec: {
    type: 'ipsec',
    overhead: 77,
    options: [
      { key: 'PSK', type: 'string', doc: 'Required pre-shared key of at least 96 characters.' },
      { key: 'UDPEncap', type: 'boolean', doc: 'Encapsulate ESP in UDP (8 more bytes of overhead).' },
      { key: 'ESPProposal', type: 'string', doc: 'IKE/ESP proposal, default aes128gcm16-sha256-prfsha256-ecp256.' },
    ],
    supportsIPv6: false,
    status: 'experimental',
    summary: 'Encrypts traffic with IPsec (strongSwan, xfrm); no tunnel device; 77 bytes of overhead.',
    requirements: 'ESP (protocol 50), UDP 500 and UDP 4500 open between nodes.',
  },
  alloc: {
    type: 'alloc',
    overhead: 0,
    options: [],
    supportsIPv6: false,
    status: 'experimental',
    summary: 'Only allocates subnets; builds no data path.',
    requirements: 'Something else must route pod traffic.',
  },
  extension: {
    type: 'extension',
    overhead: 0,
    options: ['PreStartupCommand', 'PostStartupCommand', 'SubnetAddCommand', 'SubnetRemoveCommand'].map((key) => ({
      key,
      type: 'string' as const,
      doc: 'Command run without a shell; $VAR references are expanded.',
    })),
    supportsIPv6: false,
    status: 'experimental',
    summary: 'Runs your commands to set up the data path.',
    requirements: "The commands' own.",
  },
  'tencent-vpc': {
    type: 'tencent-vpc',
    overhead: 0,
    options: [
      { key: 'AccessKeyID', type: 'string', doc: 'Tencent Cloud access key id.' },
      { key: 'AccessKeySecret', type: 'string', doc: 'Tencent Cloud access key secret.' },
    ],
    supportsIPv6: false,
    status: 'experimental',
    summary: 'Programs Tencent Cloud VPC routes.',
    requirements: 'Tencent Cloud; at most 50 route entries.',
  },
};

export const BACKEND_TYPES = Object.keys(BACKENDS);

export const DEFAULT_UNDERLAY_MTU = 1500;
