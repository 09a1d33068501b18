// Generators for the fuzz tests: the bundled examples with bytes flipped and lines dropped, duplicated,
// reordered or spliced with YAML/JSON fragments; and random manifests with net-conf.json embedded in
// every YAML scalar style. Every input is a set of files forming one workspace.
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { EXAMPLES, type Files } from './helpers';

/** Every example YAML file, keyed by /ws/<folder>/<name>, grouped by folder (one cluster each). */
export function exampleClusters(): Files[] {
  const clusters: Files[] = [];
  for (const folder of fs.readdirSync(EXAMPLES).sort()) {
    const dir = path.join(EXAMPLES, folder);
    if (!fs.statSync(dir).isDirectory()) continue;
    const files: Files = {};
    for (const name of fs.readdirSync(dir).sort()) {
      if (/\.ya?ml$/.test(name)) files[`/ws/${folder}/${name}`] = fs.readFileSync(path.join(dir, name), 'utf8');
    }
    clusters.push(files);
  }
  return clusters;
}

/** Text that is likely to confuse a YAML or JSON reader when spliced in anywhere. */
const FRAGMENTS = [
  ': ',
  '- ',
  '-',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  '#',
  '# podnet-disable-next-line',
  '&a ',
  '*a',
  '*b',
  '<<: *a',
  '---',
  '...',
  '\t',
  '\r\n',
  '\r',
  '\n',
  '|',
  '>',
  '|-',
  '? ',
  '!!str ',
  '!!binary ',
  '%YAML 1.2\n',
  '\ufeff',
  '\u0000',
  '\ud800',
  '😀',
  ',',
  '//',
  '/*',
  '*/',
  'null',
  '{}',
  '[]',
  '"Backend": {"Type": "vxlan"}',
  '"Network": "10.244.0.0/16"',
  'kind: List\nitems:\n',
  'nodeName: ',
  'podCIDR: 10.244.1.0/24',
  '10.0.0.0/33',
  '::/0',
  '999.1.1.1',
  'kind: Node',
  'apiVersion: v1',
];

type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'drop' | 'duplicate'; line: number }
  | { op: 'swap'; a: number; b: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'truncate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constantFrom('drop' as const, 'duplicate' as const), line: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 8, unit: 'binary' })),
  }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

/** Applies one mutation. Byte flips work on the UTF-8 bytes and decode as Node does (bad bytes become U+FFFD). */
export function applyMutation(text: string, m: Mutation): string {
  if (m.op === 'flip') {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length === 0) return text;
    bytes[m.at % bytes.length] ^= 1 << m.bit;
    return bytes.toString('utf8');
  }
  if (m.op === 'insert') {
    const at = m.at % (text.length + 1);
    return text.slice(0, at) + m.text + text.slice(at);
  }
  if (m.op === 'truncate') return text.slice(0, m.at % (text.length + 1));
  const lines = text.split('\n');
  if (m.op === 'swap') {
    const a = m.a % lines.length;
    const b = m.b % lines.length;
    [lines[a], lines[b]] = [lines[b], lines[a]];
  } else {
    const line = m.line % lines.length;
    if (m.op === 'drop') lines.splice(line, 1);
    else lines.splice(line, 0, lines[line]);
  }
  return lines.join('\n');
}

/** An example cluster with one to six mutations in one or two of its files. */
export function mutatedExample(clusters: Files[]): fc.Arbitrary<Files> {
  return fc
    .record({
      cluster: fc.integer({ min: 0, max: clusters.length - 1 }),
      edits: fc.array(fc.record({ file: fc.nat(), mutation }), { minLength: 1, maxLength: 6 }),
    })
    .map(({ cluster, edits }) => {
      const files = { ...clusters[cluster] };
      const names = Object.keys(files);
      for (const { file, mutation: m } of edits) {
        const name = names[file % names.length];
        files[name] = applyMutation(files[name], m);
      }
      return files;
    });
}

// ---------------------------------------------------------------------------------------------------
// Random manifests

const octet = fc.integer({ min: 0, max: 300 });
const cidr = fc.oneof(
  fc
    .tuple(octet, octet, octet, octet, fc.integer({ min: -1, max: 40 }))
    .map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}/${p}`),
  fc.constantFrom(
    '10.244.0.0/16',
    '10.100.0.0/16',
    '10.244.1.0/24',
    'fd00::/48',
    '::/0',
    '0.0.0.0/0',
    '10.0.0.1',
    '',
    'x/y',
  ),
  fc.string({ maxLength: 12 }),
);
const ip = fc.oneof(
  fc.tuple(octet, octet, octet, octet).map((o) => o.join('.')),
  fc.constantFrom('fd00::1', '', 'not-an-ip'),
);
const hostile = fc.constantFrom(
  '<img src=x onerror=alert(1)>',
  '[x](https://evil)',
  '[run](command:workbench.action.terminal.new)',
  '`a`',
  '"q"',
  "'s'",
  'a: b',
  '# c',
  '&x',
  '*x',
  '{a}',
  '- z',
  'É',
  '😀',
);
const name = fc.oneof(
  fc.constantFrom('worker1', 'worker2', 'node-a', 'web', 'kube-flannel-cfg', 'kube-flannel-ds'),
  fc.string({ maxLength: 10 }),
  hostile,
);

/** A flannel net-conf.json value: mostly plausible keys with odd values, sometimes any JSON at all. */
const netConfValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {
        Network: cidr,
        IPv6Network: cidr,
        EnableIPv4: fc.oneof(fc.boolean(), fc.constant('true')),
        EnableIPv6: fc.boolean(),
        SubnetLen: fc.oneof(fc.integer({ min: -2, max: 140 }), fc.constant('24')),
        SubnetMin: cidr,
        SubnetMax: cidr,
        Backend: fc.oneof(
          fc.record(
            {
              Type: fc.oneof(
                fc.constantFrom('vxlan', 'host-gw', 'wireguard', 'udp', 'ipsec', 'ipip', 'alloc', 'VXLAN', 'gre'),
                fc.string({ maxLength: 6 }),
              ),
              VNI: fc.integer({ min: -1, max: 1 << 25 }),
              Port: fc.integer({ min: -1, max: 70000 }),
              DirectRouting: fc.boolean(),
              MTU: fc.integer({ min: 0, max: 70000 }),
              PSK: fc.string({ maxLength: 70 }),
              Mode: fc.constantFrom('separate', 'auto', 'ipv4', 'bogus'),
            },
            { requiredKeys: ['Type'] },
          ),
          fc.constantFrom(null, {}, [], 'vxlan'),
        ),
        network: cidr,
        Networks: fc.array(cidr, { maxLength: 2 }),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** JSON text, sometimes broken the ways people break it (comments, trailing commas, single quotes, truncation). */
const jsonText = fc
  .tuple(netConfValue, fc.constantFrom(0, 2, 4), fc.array(mutation, { maxLength: 2 }))
  .map(([value, indent, mutations]) => mutations.reduce(applyMutation, JSON.stringify(value, null, indent) ?? 'null'));

/** `key: <json>` in one YAML scalar style, indented by `indent`. */
export function embed(key: string, json: string, style: string, indent: string): string {
  const block = (header: string) =>
    `${indent}${key}: ${header}\n${json
      .split('\n')
      .map((l) => `${indent}  ${l}`)
      .join('\n')}`;
  switch (style) {
    case 'literal':
      return block('|');
    case 'literal-strip':
      return block('|-');
    case 'folded':
      return block('>');
    case 'double':
      return `${indent}${key}: ${JSON.stringify(json)}`;
    case 'single':
      return `${indent}${key}: '${json.replace(/'/g, "''").split('\n').join(`\n${indent}  `)}'`;
    default:
      return `${indent}${key}: ${json.replace(/\n/g, ' ')}`;
  }
}

export const SCALAR_STYLES = ['plain', 'single', 'double', 'literal', 'literal-strip', 'folded'] as const;
const style = fc.constantFrom(...SCALAR_STYLES);

const configMap = fc
  .record({ name, netConf: jsonText, cniConf: jsonText, netStyle: style, cniStyle: style })
  .map((c) =>
    [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      `  name: ${c.name}`,
      '  namespace: kube-flannel',
      'data:',
      embed('cni-conf.json', c.cniConf, c.cniStyle, '  '),
      embed('net-conf.json', c.netConf, c.netStyle, '  '),
    ].join('\n'),
  );

const node = fc
  .record({ name, podCIDR: cidr, ip })
  .map((n) =>
    [
      'apiVersion: v1',
      'kind: Node',
      'metadata:',
      `  name: ${n.name}`,
      'spec:',
      `  podCIDR: ${n.podCIDR}`,
      `  podCIDRs: [${JSON.stringify(n.podCIDR)}]`,
      'status:',
      '  addresses:',
      '  - type: InternalIP',
      `    address: ${n.ip}`,
    ].join('\n'),
  );

const pod = fc
  .record({ name, nodeName: name, hostNetwork: fc.boolean(), podIP: ip })
  .map((p) =>
    [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      `  name: ${p.name}`,
      'spec:',
      `  nodeName: ${p.nodeName}`,
      `  hostNetwork: ${p.hostNetwork}`,
      '  containers:',
      '  - name: c',
      '    image: nginx',
      'status:',
      `  podIP: ${p.podIP}`,
    ].join('\n'),
  );

const daemonSet = fc
  .record({
    name,
    args: fc.array(
      fc.constantFrom('--ip-masq', '--kube-subnet-mgr', '--iface=eth0', '--net-config-path=/x', '--etcd-endpoints=x'),
      { maxLength: 4 },
    ),
    cm: name,
  })
  .map((d) =>
    [
      'apiVersion: apps/v1',
      'kind: DaemonSet',
      'metadata:',
      `  name: ${d.name}`,
      'spec:',
      '  template:',
      '    spec:',
      '      hostNetwork: true',
      '      containers:',
      '      - name: kube-flannel',
      '        command: ["/opt/bin/flanneld"]',
      `        args: ${JSON.stringify(d.args)}`,
      '        volumeMounts:',
      '        - name: flannel-cfg',
      '          mountPath: /etc/kube-flannel/',
      '      volumes:',
      '      - name: flannel-cfg',
      '        configMap:',
      `          name: ${d.cm}`,
    ].join('\n'),
  );

const controlPlane = fc
  .record({ cidr, service: cidr, allocate: fc.boolean() })
  .map((c) =>
    [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: kube-controller-manager',
      '  namespace: kube-system',
      'spec:',
      '  containers:',
      '  - name: kube-controller-manager',
      '    command:',
      '    - kube-controller-manager',
      `    - --allocate-node-cidrs=${c.allocate}`,
      `    - --cluster-cidr=${c.cidr}`,
      `    - --service-cluster-ip-range=${c.service}`,
    ].join('\n'),
  );

const oddDocument = fc.constantFrom(
  '',
  '---',
  'just a scalar',
  '- a\n- b',
  '? [a]: b',
  '1: x',
  'kind: Frobnicator\napiVersion: x/v1',
  'a: &a [*a]',
  '{',
  'kind: List\napiVersion: v1\nitems: 3',
);

const document = fc.oneof(configMap, node, pod, daemonSet, controlPlane, oddDocument);

/** A workspace of one to three files, each holding one to four documents, sometimes with CRLF line ends. */
export const randomWorkspace: fc.Arbitrary<Files> = fc
  .array(
    fc.record({
      docs: fc.array(document, { minLength: 1, maxLength: 4 }),
      crlf: fc.boolean(),
      mutations: fc.array(mutation, { maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map((files) => {
    const result: Files = {};
    files.forEach((f, i) => {
      const text = f.mutations.reduce(applyMutation, f.docs.join('\n---\n') + '\n');
      result[`/ws/c/f${i}.yaml`] = f.crlf ? text.replace(/\r?\n/g, '\r\n') : text;
    });
    return result;
  });
