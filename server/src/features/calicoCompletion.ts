// Completion of the values Calico accepts (calico.md §1-2): an Installation pool's `encapsulation` and
// `natOutgoing`, `bgp`, the keys of `nodeAddressAutodetectionV4`; an IPPool's `ipipMode` and `vxlanMode`;
// calico-node's env values (CALICO_IPV4POOL_IPIP/VXLAN, IP_AUTODETECTION_METHOD, the backend) and
// calico-config's `calico_backend`. Positions come from the text (core/yamlCursor.ts): the value is usually
// half-typed and the document may not parse.
import { type YamlCursor, yamlCursorAt } from '../core/yamlCursor';
import { yamlString } from '../core/yamlEdit';
import { type CompletionResult } from './completion';

interface Choice {
  readonly value: string;
  readonly doc: string;
}

const ENCAPSULATIONS: readonly Choice[] = [
  { value: 'IPIP', doc: 'IP-in-IP between all nodes: `tunl0`, IP protocol 4, 20 bytes per packet. The default.' },
  {
    value: 'IPIPCrossSubnet',
    doc: 'IP-in-IP only between nodes in different subnets; plain routes (via BGP) within a subnet.',
  },
  { value: 'VXLAN', doc: 'VXLAN between all nodes: `vxlan.calico`, VNI 4096, UDP 4789, 50 bytes per packet.' },
  { value: 'VXLANCrossSubnet', doc: 'VXLAN only between nodes in different subnets; plain routes within a subnet.' },
  { value: 'None', doc: 'No encapsulation: the network between nodes must route pod addresses (BGP).' },
];

const POOL_MODES: readonly Choice[] = [
  { value: 'Never', doc: 'Never encapsulate with this protocol. The default.' },
  { value: 'Always', doc: 'Encapsulate all traffic to other nodes.' },
  { value: 'CrossSubnet', doc: 'Encapsulate only traffic to nodes in another subnet.' },
];

const ENABLED: readonly Choice[] = [
  { value: 'Enabled', doc: 'On.' },
  { value: 'Disabled', doc: 'Off.' },
];

const ENV_MODES: readonly Choice[] = [
  { value: 'Always', doc: 'Encapsulate all traffic to other nodes.' },
  { value: 'CrossSubnet', doc: 'Encapsulate only traffic to nodes in another subnet.' },
  { value: 'Never', doc: 'Do not encapsulate with this protocol.' },
];

const BACKENDS: readonly Choice[] = [
  { value: 'bird', doc: 'BIRD runs and exchanges routes over BGP (TCP 179). Needed by IPIP and unencapsulated pools.' },
  { value: 'vxlan', doc: 'No BIRD: Felix programs VXLAN routes itself. Pools must use VXLAN.' },
  { value: 'none', doc: 'No BIRD, no routes between nodes: policy only (as in Canal, where flannel routes).' },
];

/** IP_AUTODETECTION_METHOD: the value is `method` or `method=argument`. */
const AUTODETECTION_METHODS: readonly Choice[] = [
  { value: 'first-found', doc: 'The first address of the first usable interface. The default.' },
  { value: 'kubernetes-internal-ip', doc: "The Node's InternalIP from `status.addresses`." },
  { value: 'interface=', doc: 'The first address of an interface matching the regexes, e.g. `interface=eth1`.' },
  { value: 'skip-interface=', doc: 'Like first-found, skipping interfaces that match the regexes.' },
  { value: 'can-reach=', doc: 'The address of the interface that routes to this IP or host name.' },
  { value: 'cidr=', doc: 'The first address within these CIDRs, e.g. `cidr=10.0.0.0/24`.' },
];

/** Installation nodeAddressAutodetectionV4: at most one of these keys. */
const AUTODETECTION_KEYS: readonly Choice[] = [
  { value: 'firstFound', doc: '`true`: the first address of the first usable interface.' },
  { value: 'kubernetes', doc: "`NodeInternalIP`: the Node's InternalIP." },
  { value: 'interface', doc: 'A regex of interface names, e.g. `eth1`.' },
  { value: 'skipInterface', doc: 'A regex of interface names to pass over.' },
  { value: 'canReach', doc: 'An IP or host name: the interface that routes to it.' },
  { value: 'cidrs', doc: 'A list of CIDRs: the first address within them.' },
];

/** Where a value choice applies: the path above the cursor's entry and the key, or the env variable. */
function valueChoices(cursor: YamlCursor): { choices: readonly Choice[]; detail: string } | undefined {
  const path = cursor.path.join('/');
  const key = cursor.key;
  if (cursor.position !== 'value' || !key) return undefined;
  if (path.endsWith('calicoNetwork/ipPools/-')) {
    if (key === 'encapsulation') return { choices: ENCAPSULATIONS, detail: 'Installation pool encapsulation' };
    if (key === 'natOutgoing') return { choices: ENABLED, detail: 'Installation pool natOutgoing' };
  }
  if (path.endsWith('spec/calicoNetwork') && key === 'bgp') return { choices: ENABLED, detail: 'Installation bgp' };
  if (path === 'spec' || path === 'items/-/spec') {
    if (key === 'ipipMode' || key === 'vxlanMode') return { choices: POOL_MODES, detail: `IPPool ${key}` };
  }
  if ((path === 'data' || path === 'items/-/data') && key === 'calico_backend')
    return { choices: BACKENDS, detail: 'calico-config calico_backend' };
  if (path.endsWith('env/-') && key === 'value') {
    const name = cursor.siblings.get('name') ?? '';
    if (/^CALICO_IPV[46]POOL_(IPIP|VXLAN)$/.test(name)) return { choices: ENV_MODES, detail: name };
    if (/^IP6?_AUTODETECTION_METHOD$/.test(name)) return { choices: AUTODETECTION_METHODS, detail: name };
    if (name === 'CALICO_NETWORKING_BACKEND') return { choices: BACKENDS, detail: name };
  }
  return undefined;
}

/** Values YAML reads back as the same string unquoted; `interface=` stays open for the argument typed next. */
const SAFE_PLAIN = /^[A-Za-z][A-Za-z-]*=?$/;

export function calicoCompletions(text: string, offset: number): CompletionResult[] | undefined {
  const cursor = yamlCursorAt(text, offset);
  if (!cursor) return undefined;
  const values = valueChoices(cursor);
  if (values)
    return values.choices.map((choice) => ({
      label: choice.value,
      kind: 'enum',
      detail: values.detail,
      documentation: choice.doc,
      insertText: cursor.quoted || SAFE_PLAIN.test(choice.value) ? choice.value : yamlString(choice.value),
      range: cursor.range,
    }));
  if (cursor.position === 'key' && cursor.path.join('/').endsWith('calicoNetwork/nodeAddressAutodetectionV4')) {
    const present = [...cursor.siblings.keys()].filter((key) => key !== cursor.current);
    // Calico takes at most one method: with one written, offering another would only make the object invalid.
    if (present.some((key) => AUTODETECTION_KEYS.some((c) => c.value === key))) return [];
    return AUTODETECTION_KEYS.map((choice) => ({
      label: choice.value,
      kind: 'property',
      detail: 'autodetection method',
      documentation: choice.doc,
      insertText: choice.value + (cursor.colonFollows ? '' : ': '),
      range: cursor.range,
    }));
  }
  return undefined;
}
