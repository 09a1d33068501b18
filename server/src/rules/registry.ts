// The rule catalogue (shared/spec/rules.md): ids are public API, used in settings and suppressions.
// Every rule is declared here once: its id, severities, summary and documentation. `RuleId` is derived
// from this declaration, so a finding can only carry a declared id; README's rule tables and the
// `podnet.rules` settings schema in package.json are generated from it (`npm run generate:rules`).

export const SEVERITIES = ['error', 'warning', 'information', 'hint'] as const;

export type Severity = (typeof SEVERITIES)[number];

/** What users can set per rule: a severity, or `off`. */
export const RULE_SETTINGS = ['off', ...SEVERITIES] as const;

export type RuleSetting = (typeof RULE_SETTINGS)[number];

/** Whether a value from outside (user settings, a CLI flag) is a rule setting. */
export const isRuleSetting = (value: unknown): value is RuleSetting =>
  typeof value === 'string' && (RULE_SETTINGS as readonly string[]).includes(value);

/** The groups of the README's rule tables, in their order. */
export const RULE_GROUPS = [
  'YAML and embedded JSON',
  'net-conf.json',
  'Backend',
  'cni-conf.json',
  'Pods, Nodes and names',
  'flannel DaemonSet and cluster',
  'Calico and Canal',
] as const;

export type RuleGroup = (typeof RULE_GROUPS)[number];

/** A rule's documentation, in markdown: shown in the settings and as SARIF rule help. */
export interface RuleDocumentation {
  /** What the rule checks, and why it matters for flannel and Kubernetes. */
  why: string;
  /** A manifest fragment that triggers the rule. */
  example: { language: 'yaml' | 'json'; code: string };
  /** How to fix it. */
  fix: string;
}

/** What every rule declares. */
export interface RuleDeclaration {
  group: RuleGroup;
  severity: Severity;
  /** Severity when flanneld runs with --kube-subnet-mgr, for checks flannel only makes in etcd mode. */
  kubeModeSeverity?: Severity;
  /** One line of markdown: when the rule fires. */
  summary: string;
  documentation: RuleDocumentation;
}

const DECLARATIONS = {
  'yaml-syntax': {
    group: 'YAML and embedded JSON',
    severity: 'error',
    summary: 'The YAML itself does not parse.',
    documentation: {
      why:
        'The file is not valid YAML, so `kubectl apply` rejects the document and nothing in it reaches ' +
        'the cluster. Podnet reports each parse error once, where the parser stopped, and checks nothing ' +
        'else in that document: its objects count for no other rule either. Template sources (Helm, Jinja, ' +
        'Liquid) are not parsed as YAML at all: see `template-source`.',
      example: { language: 'yaml', code: 'spec:\n  nodeName: [node-1\n  containers: []' },
      fix:
        'Repair the YAML at the reported position: close the bracket or quote, fix the indentation, or ' +
        'quote a value that contains `: ` or ` #`.',
    },
  },
  'file-skipped': {
    group: 'YAML and embedded JSON',
    severity: 'information',
    summary: 'The file was not analysed: it is larger than `podnet.maxFileSize`, or it cannot be read.',
    documentation: {
      why:
        'Files larger than `podnet.maxFileSize` characters, and YAML nested deeper than 512 levels, are ' +
        'not analysed, to keep the editor responsive; a file the system refuses to read (permissions, a ' +
        'link to nowhere, a folder named `*.yaml`) cannot be. Nothing in such a file is checked, and its ' +
        'objects (Nodes, the flannel ConfigMap) are not seen by the cross-file rules.',
      example: {
        language: 'yaml',
        code: '# a generated 8 MB manifest with thousands of Pods\napiVersion: v1\nkind: List\nitems: []',
      },
      fix:
        'Raise `podnet.maxFileSize` if the file should be checked, or split it into smaller manifests; for a ' +
        'file that cannot be read, fix what the message names.',
    },
  },
  'template-source': {
    group: 'YAML and embedded JSON',
    severity: 'information',
    summary:
      'A Helm chart, Jinja or Liquid template: not checked as a manifest; check its rendered output with ' +
      '`podnet check -`.',
    documentation: {
      why:
        "A template (the files of a Helm chart's `templates/`, or a file with `{{ … }}` or `{% … %}` actions " +
        'where YAML expects a value) is not what reaches Kubernetes: its actions are not YAML, and its ' +
        'objects depend on values only the renderer knows. Podnet reports no YAML error in it and takes no ' +
        "object from it (so a chart's DaemonSet is never paired with a plain ConfigMap), and says once per " +
        'chart, on its Chart.yaml, how to check what the template renders to.',
      example: {
        language: 'yaml',
        code: 'metadata:\n  name: kube-flannel-cfg\n  namespace: {{ .Release.Namespace }}',
      },
      fix:
        'Check the rendered manifests: `helm template <chart> | podnet check -` (findings name the template ' +
        "files from Helm's `# Source:` comments), or pipe the output of the tool that renders a Jinja or " +
        'Liquid template into `podnet check -`.',
    },
  },
  'podnet-config': {
    group: 'YAML and embedded JSON',
    severity: 'error',
    summary:
      '`.podnet.yaml` is not valid YAML or not in its format (error), or has a key or include Podnet does not ' +
      'use (warning).',
    documentation: {
      why:
        '`.podnet.yaml` at the root of the repository names clusters for the editor and `podnet check`. A ' +
        'file that is not YAML is ignored as a whole, and an entry without a `name` or an `include` list is ' +
        'ignored, so the files it meant to group are grouped by folder instead: cross-file checks such as ' +
        '`cluster-cidr-mismatch` may then compare the wrong files or none. Unknown keys (a typo of ' +
        '`include`) and includes that take no file are warnings; a `.podnet.yaml` below the root is ignored ' +
        '(information).',
      example: { language: 'yaml', code: 'clusters:\n  - name: prod\n    includes: [clusters/prod]' },
      fix:
        'Give each cluster a `name` and an `include` list of folders, files or globs relative to ' +
        '`.podnet.yaml`: `clusters: [{name: prod, include: [clusters/prod, scripts/install]}]`.',
    },
  },
  'json-syntax': {
    group: 'YAML and embedded JSON',
    severity: 'error',
    summary:
      'net-conf.json or cni-conf.json is not strict JSON (comments, trailing commas, single quotes, bare ' +
      'words, truncation).',
    documentation: {
      why:
        "flanneld decodes `net-conf.json` with Go's strict `encoding/json`, and the runtime reads " +
        '`cni-conf.json` the same way. A `# comment`, a trailing comma, single quotes or an unquoted ' +
        'value make flanneld exit at start (`error parsing subnet config`) or the CNI config unusable, ' +
        'although YAML accepted the block scalar.',
      example: {
        language: 'yaml',
        code:
          'net-conf.json: |\n  {\n    "Network": "10.244.0.0/16",  # pod network\n' +
          '    "Backend": {"Type": "vxlan"},\n  }',
      },
      fix:
        'Write strict JSON: remove comments and trailing commas, use double quotes. The quick fixes ' +
        'remove comments and trailing commas.',
    },
  },
  'json-type': {
    group: 'YAML and embedded JSON',
    severity: 'error',
    summary: 'A key has the wrong JSON type for flannel or CNI (e.g. "SubnetLen": "24").',
    documentation: {
      why:
        'Go decodes each key into a typed field: a string where flannel expects a number or boolean is ' +
        'an unmarshal error, and flanneld exits with `json: cannot unmarshal string into Go struct ' +
        'field`. CNI plugins fail the same way for their keys.',
      example: { language: 'json', code: '{"Network": "10.244.0.0/16", "SubnetLen": "24", "EnableIPv4": "true"}' },
      fix:
        'Write numbers and booleans unquoted (`"SubnetLen": 24`); the quick fix does it when the value ' +
        'is unambiguous.',
    },
  },
  'json-duplicate-key': {
    group: 'YAML and embedded JSON',
    severity: 'warning',
    summary: 'The same key twice, also when only the case differs; flannel keeps the last.',
    documentation: {
      why:
        "Go's JSON decoder matches keys case-insensitively and keeps the last of duplicates, so " +
        '`Network` followed by `network` silently uses the second value. Whoever edits the first one ' +
        'sees no effect. It still decodes every occurrence, so an earlier value it cannot decode fails ' +
        'flannel (reported as well); and for a boolean or number, a later `null` changes nothing.',
      example: { language: 'json', code: '{"Network": "10.244.0.0/16", "network": "10.42.0.0/16"}' },
      fix: 'Keep one spelling of the key, with the value you mean.',
    },
  },
  'netconf-unknown-key': {
    group: 'net-conf.json',
    severity: 'warning',
    summary: 'A key flannel ignores (typo, removed Networks/IPv6Networks).',
    documentation: {
      why:
        'flannel ignores keys it does not know, without a word: a typo such as `SubnetLenght`, or the ' +
        'removed `Networks`/`IPv6Networks` (multi-cluster CIDR, gone since 2024), leaves the setting at ' +
        'its default. Keys newer than the deployed flanneld image (read from its tag) are ignored the same ' +
        'way: the dual-stack keys before v0.15.0, `EnableNFTables` before v0.25.0 (false is harmless), ' +
        '`Networks` before v0.20.0 and from v0.21.0.',
      example: { language: 'json', code: '{"Networks": ["10.244.0.0/16"], "Backend": {"Type": "vxlan"}}' },
      fix:
        'Use the key flannel reads (`Network`, `IPv6Network`, `SubnetLen`, …); the did-you-mean quick ' +
        'fix renames it.',
    },
  },
  'network-missing': {
    group: 'net-conf.json',
    severity: 'error',
    summary: 'IPv4 is enabled but Network is absent, empty or 0.0.0.0/0.',
    documentation: {
      why:
        "With IPv4 enabled (the default), flannel needs `Network`, the CIDR that holds every node's pod " +
        "subnet. Without it, or with `0.0.0.0/0`, flanneld cannot check the node's podCIDR and exits " +
        '(`please define a correct Network parameter`); no pod on that node gets a network.',
      example: { language: 'json', code: '{"Backend": {"Type": "vxlan"}}' },
      fix:
        "Set `Network` to the cluster's pod CIDR, the same as kube-controller-manager's `--cluster-cidr` " +
        '(kubeadm `podSubnet`), e.g. `"Network": "10.244.0.0/16"`.',
    },
  },
  'ipv6-network-missing': {
    group: 'net-conf.json',
    severity: 'error',
    summary: 'EnableIPv6 is true but IPv6Network is absent.',
    documentation: {
      why:
        '`EnableIPv6: true` makes flannel set up the IPv6 side, which needs `IPv6Network`; without it ' +
        'flanneld exits at start (`please define a correct IPv6Network parameter`).',
      example: {
        language: 'json',
        code: '{"Network": "10.244.0.0/16", "EnableIPv6": true, "Backend": {"Type": "vxlan"}}',
      },
      fix:
        'Add `IPv6Network` with the cluster\'s IPv6 pod CIDR (e.g. `"fd00:10:244::/56"`), or remove ' + '`EnableIPv6`.',
    },
  },
  'no-address-family': {
    group: 'net-conf.json',
    severity: 'error',
    summary: 'Both EnableIPv4 and EnableIPv6 are false.',
    documentation: {
      why:
        'Both `EnableIPv4` and `EnableIPv6` are false: the configuration parses, but flanneld then has ' +
        'no address family to run and exits with `none defined stack`.',
      example: {
        language: 'json',
        code: '{"EnableIPv4": false, "Network": "10.244.0.0/16", "Backend": {"Type": "vxlan"}}',
      },
      fix: 'Remove `"EnableIPv4": false` (IPv4 is on by default), or enable IPv6 with an `IPv6Network`.',
    },
  },
  'cidr-invalid': {
    group: 'net-conf.json',
    severity: 'error',
    summary: 'A CIDR or IP that does not parse, or of the wrong family.',
    documentation: {
      why:
        'flannel parses `Network`, `IPv6Network`, `SubnetMin`/`SubnetMax` and `IPv6SubnetMin`/`Max` from ' +
        "the raw JSON text with Go's `net.ParseCIDR`/`ParseIP`, whenever the key is present (even with the " +
        'family disabled, even when a later duplicate overrides it): anything else (a typo, an empty string, ' +
        'an escape such as `\\/` or `\\u0031`, which flannel does not decode, an IPv6 range in `Network`) ' +
        'makes flanneld exit with `invalid CIDR address` or `invalid IPv4 CIDR format`.',
      example: { language: 'json', code: '{"Network": "10.244.0.0/33", "Backend": {"Type": "vxlan"}}' },
      fix:
        'Write a valid CIDR of the right family as plain text, without JSON escapes: IPv4 in `Network`, IPv6 ' +
        'in `IPv6Network`, plain IPv4 addresses in `SubnetMin`/`SubnetMax`.',
    },
  },
  'cidr-host-bits': {
    group: 'net-conf.json',
    severity: 'warning',
    summary: 'Host bits set in a CIDR; flannel silently uses the masked network.',
    documentation: {
      why:
        "A CIDR such as `10.244.1.7/16` has bits set beyond its prefix. Go's `ParseCIDR` silently masks " +
        'them, so flannel uses `10.244.0.0/16`; the value written is not the network used, which usually ' +
        'hides a typo.',
      example: { language: 'json', code: '{"Network": "10.244.1.7/16", "Backend": {"Type": "vxlan"}}' },
      fix: 'Write the network address (`10.244.0.0/16`); the quick fix masks the host bits.',
    },
  },
  'network-too-small': {
    group: 'net-conf.json',
    severity: 'error',
    kubeModeSeverity: 'warning',
    summary: 'IPv4 prefix longer than /28 (IPv6 /124) with automatic SubnetLen.',
    documentation: {
      why:
        'With automatic `SubnetLen`, flannel needs room for at least four node subnets: an IPv4 ' +
        '`Network` longer than /28 (IPv6 /124) is refused in etcd mode (`network is too small`). With ' +
        '`--kube-subnet-mgr` flannel skips this check, hence a warning there, but such a Network still ' +
        'holds only a handful of pods.',
      example: { language: 'json', code: '{"Network": "10.244.0.0/29", "Backend": {"Type": "vxlan"}}' },
      fix: 'Use a larger Network, such as `10.244.0.0/16`, matching the cluster CIDR.',
    },
  },
  'subnetlen-range': {
    group: 'net-conf.json',
    severity: 'error',
    kubeModeSeverity: 'warning',
    summary: 'SubnetLen over 30 (IPv6 126) or under prefix+2.',
    documentation: {
      why:
        'In etcd mode flannel hands each node a `/SubnetLen` out of `Network` and refuses a SubnetLen ' +
        'over 30 (IPv6 126) or one that leaves fewer than four subnets (under prefix + 2). In kube mode ' +
        'the check is skipped and SubnetLen is not used at all, hence a warning there.',
      example: {
        language: 'json',
        code: '{"Network": "10.244.0.0/16", "SubnetLen": 31, "Backend": {"Type": "vxlan"}}',
      },
      fix: 'Pick a SubnetLen between the Network prefix + 2 and 30 (24 is usual), or leave it out.',
    },
  },
  'subnet-range': {
    group: 'net-conf.json',
    severity: 'error',
    kubeModeSeverity: 'warning',
    summary: 'SubnetMin/SubnetMax outside the Network, off a SubnetLen boundary, or Min above Max.',
    documentation: {
      why:
        '`SubnetMin`/`SubnetMax` bound the node subnets flannel allocates in etcd mode: they must lie ' +
        'inside `Network`, on a SubnetLen boundary, and Min must not be above Max (flannel accepts that, ' +
        'then runs out of subnets at runtime). In kube mode they are unused, hence a warning there.',
      example: {
        language: 'json',
        code: '{"Network": "10.244.0.0/16", "SubnetMin": "10.245.0.0", "Backend": {"Type": "vxlan"}}',
      },
      fix:
        'Use addresses inside Network that start a subnet (`10.244.10.0` for /24 subnets), with Min ≤ ' +
        'Max, or remove them.',
    },
  },
  'subnet-settings-ignored': {
    group: 'net-conf.json',
    severity: 'information',
    summary: 'SubnetLen/SubnetMin/SubnetMax have no effect in kube mode.',
    documentation: {
      why:
        "With `--kube-subnet-mgr`, each node's subnet is its Node's `spec.podCIDR`, assigned by " +
        'kube-controller-manager; flannel never reads `SubnetLen`, `SubnetMin` or `SubnetMax` then. ' +
        'Setting them suggests a control they do not give.',
      example: {
        language: 'json',
        code: '{"Network": "10.244.0.0/16", "SubnetLen": 26, "Backend": {"Type": "vxlan"}}',
      },
      fix:
        "Remove them, and set the node subnet size with kube-controller-manager's " +
        '`--node-cidr-mask-size` instead.',
    },
  },
  'ipv6-backend-unsupported': {
    group: 'net-conf.json',
    severity: 'warning',
    summary: 'EnableIPv6 with a backend other than vxlan, host-gw or wireguard.',
    documentation: {
      why:
        'Only the vxlan, host-gw and wireguard backends carry IPv6: with any other backend flannel keeps ' +
        'the IPv4 side only, so dual-stack pods get no working IPv6 route between nodes.',
      example: {
        language: 'json',
        code:
          '{"Network": "10.244.0.0/16", "EnableIPv6": true, "IPv6Network": "fd00::/56",\n' +
          ' "Backend": {"Type": "ipip"}}',
      },
      fix: 'Use `vxlan`, `host-gw` or `wireguard` for dual-stack, or turn IPv6 off.',
    },
  },
  'backend-missing': {
    group: 'Backend',
    severity: 'warning',
    summary: 'No Backend: flannel falls back to udp, not vxlan.',
    documentation: {
      why:
        "Without `Backend`, flannel's code falls back to the `udp` backend (its docs say vxlan, but the " +
        'code has always said udp): a userspace tunnel meant for debugging, slow and amd64-only.',
      example: { language: 'json', code: '{"Network": "10.244.0.0/16"}' },
      fix: 'Add `"Backend": {"Type": "vxlan"}`; the quick fix inserts it.',
    },
  },
  'backend-type-unknown': {
    group: 'Backend',
    severity: 'error',
    summary: 'Backend is {}/null, Type is missing or not a registered backend.',
    documentation: {
      why:
        'flannel looks the backend up by `Type`, lowercased; an empty, missing or unregistered type ' +
        "makes flanneld exit with `unknown backend type`. Podnet judges by the release the DaemonSet's " +
        'flanneld image tag deploys (the newest when the tag tells none): the cloud backends `aws-vpc`, `gce` ' +
        'and `ali-vpc` exist until v0.19.x and were removed in v0.20.0; `ipip`, `ipsec`, `tencent-vpc` and ' +
        '`wireguard` arrived in v0.10.0, v0.11.0, v0.14.0 and v0.16.0. An image whose tag marks a fork ' +
        '(`v0.9.0-txvpc`) may register its own backend, so that is a warning.',
      example: { language: 'json', code: '{"Network": "10.244.0.0/16", "Backend": {"Type": "vxlna"}}' },
      fix:
        'Use a registered type: `vxlan` (recommended), `host-gw`, `wireguard`, `udp`, `ipip`, `ipsec`, ' +
        '`alloc`, `extension` or `tencent-vpc`; the did-you-mean quick fix corrects typos.',
    },
  },
  'backend-option-unknown': {
    group: 'Backend',
    severity: 'warning',
    summary: 'A key the chosen backend does not read.',
    documentation: {
      why:
        'Each backend decodes only its own keys from the `Backend` object and ignores the rest, so an ' +
        'option meant for another backend (`VNI` on host-gw, `DirectRouting` on udp) or a typo has no ' +
        'effect.',
      example: { language: 'json', code: '{"Network": "10.244.0.0/16", "Backend": {"Type": "host-gw", "VNI": 4096}}' },
      fix: 'Remove the key, or use the backend it belongs to; the did-you-mean quick fix renames typos.',
    },
  },
  'backend-option-invalid': {
    group: 'Backend',
    severity: 'error',
    summary: 'A backend option value outside what works (VNI, port, MTU, wireguard Mode/PSK, ipsec PSK, keepalive).',
    documentation: {
      why:
        'Backend options outside what works make flanneld fail or build a broken overlay: a VNI outside ' +
        "0..16777215, a port outside 1..65535, an `MTU` (the underlay's) too small for the tunnel, a " +
        'wireguard `Mode` other than `separate`/`auto`/`ipv4`/`ipv6` or a malformed PSK, an ipsec PSK ' +
        'under 96 characters, a non-integer `PersistentKeepaliveInterval`.',
      example: {
        language: 'json',
        code: '{"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan", "VNI": 16777216}}',
      },
      fix: "Use a value in the range the message gives, or remove the option to get flannel's default.",
    },
  },
  'backend-not-recommended': {
    group: 'Backend',
    severity: 'information',
    summary: 'udp (debugging only) and the experimental backends.',
    documentation: {
      why:
        'flannel documents `udp` as for debugging only (and it runs only on amd64), and `alloc`, `ipip`, ' +
        '`ipsec` and `tencent-vpc` as experimental and unsupported.',
      example: { language: 'json', code: '{"Network": "10.244.0.0/16", "Backend": {"Type": "udp"}}' },
      fix:
        'Prefer `vxlan`, or `host-gw` when all nodes share one L2 network; turn this rule off if the ' +
        'choice is deliberate.',
    },
  },
  'cni-version': {
    group: 'cni-conf.json',
    severity: 'error',
    summary:
      'cniVersion is not one of the exact supported strings; a warning when a conflist has none (libcni ' +
      'v0.7.x rejects it).',
    documentation: {
      why:
        'The runtime and the flannel, bridge and portmap plugins compare `cniVersion` by exact string ' +
        'against 0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0 and 1.1.0: `"1.0"` fails with `incompatible ' +
        'CNI versions` and pods stay in ContainerCreating. A plugin list without `cniVersion` is rejected ' +
        "by libcni v0.7.x, the one of kubelet's dockershim path from Kubernetes 1.16 and of CRI-O's ocicni " +
        'of that time (node NotReady, `Error validating CNI config`); libcni v0.8.0 and later read it as ' +
        '0.1.0 (a warning). A list below 0.3.0 loads with every libcni (information).',
      example: { language: 'json', code: '{"name": "cbr0", "cniVersion": "1.0", "plugins": [{"type": "flannel"}]}' },
      fix:
        'Use one of the exact versions, e.g. `"0.3.1"` as flannel\'s manifest does; the quick fix ' +
        'suggests the nearest.',
    },
  },
  'cni-name': {
    group: 'cni-conf.json',
    severity: 'error',
    summary: 'name missing or not matching `^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$`.',
    documentation: {
      why:
        'libcni requires a network `name` matching `^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$`; without one the ' +
        'conflist is not loaded and no pod on the node gets a network.',
      example: { language: 'json', code: '{"cniVersion": "0.3.1", "name": "cbr 0", "plugins": [{"type": "flannel"}]}' },
      fix: 'Give the list a simple name such as `"cbr0"`.',
    },
  },
  'cni-plugins': {
    group: 'cni-conf.json',
    severity: 'error',
    summary:
      'plugins missing/empty/not an array, an entry without type, portmap first, a bad flannel delegate, ' +
      'hairpinMode with promiscMode.',
    documentation: {
      why:
        'The conflist must hold a non-empty `plugins` array, each entry with a `type`. `portmap` must be ' +
        "chained after flannel (first, it fails `must be called as chained plugin`); flannel's " +
        '`delegate` must have a string `type` and no `name` or `ipam` (flannel sets those); the bridge ' +
        'refuses `hairpinMode` with `promiscMode`.',
      example: {
        language: 'json',
        code: '{"name": "cbr0", "cniVersion": "0.3.1", "plugins": [{"type": "portmap"}, {"type": "flannel"}]}',
      },
      fix:
        'Follow flannel\'s manifest: `[{"type": "flannel", "delegate": {"hairpinMode": true, ' +
        '"isDefaultGateway": true}}, {"type": "portmap", "capabilities": {"portMappings": true}}]`.',
    },
  },
  'name-invalid': {
    group: 'Pods, Nodes and names',
    severity: 'error',
    summary: 'A name or spec.nodeName that Kubernetes rejects (DNS-1123 subdomain; Namespaces: DNS-1123 label).',
    documentation: {
      why:
        'The API server rejects Pods, Nodes, DaemonSets and ConfigMaps whose name, and Pods and controllers ' +
        "whose pod template's `spec.nodeName`, is not a DNS-1123 subdomain (lowercase letters, digits, `-` " +
        'and `.`, at most ' +
        '253 characters); Namespace names must be DNS-1123 labels (no dots, at most 63). `kubectl apply` ' +
        'fails.',
      example: { language: 'yaml', code: 'kind: Pod\nmetadata:\n  name: Web_Frontend' },
      fix: 'Use a lowercase name of letters, digits and `-`; the quick fix lowercases when that suffices.',
    },
  },
  'nodename-unknown': {
    group: 'Pods, Nodes and names',
    severity: 'warning',
    summary: "spec.nodeName (a Pod's or a pod template's) names no node the workspace knows.",
    documentation: {
      why:
        'A Pod with `spec.nodeName` bypasses the scheduler and is bound to that exact node: if no node has ' +
        'the name, no kubelet runs it and the pod garbage collector deletes it; a controller whose pod ' +
        'template sets it recreates such pods endlessly, and a DaemonSet runs none. Podnet compares it ' +
        "with the cluster's Node objects and " +
        '`podnet.knownNodes`, and says nothing when it knows no node at all.',
      example: { language: 'yaml', code: 'kind: Pod\nspec:\n  nodeName: worker-01   # the Node is worker-1' },
      fix:
        'Correct the name (the quick fix offers the closest node), add the Node to `podnet.knownNodes` ' +
        'if it exists outside the workspace, or suppress with `# podnet-disable-next-line ' +
        'nodename-unknown`.',
    },
  },
  'podcidr-outside-network': {
    group: 'Pods, Nodes and names',
    severity: 'error',
    summary: "A Node's podCIDR is not inside flannel's Network: flannel exits at start.",
    documentation: {
      why:
        "In kube mode flannel takes each node's subnet from `spec.podCIDR(s)` and, since v0.18, exits " +
        "when flannel's `Network` does not contain it (`subnet … doesn't contain … PodCIDR of the " +
        "node`): that node's pods get no network. Often a typo such as 10.224 for 10.244, or a ConfigMap " +
        'left at the default. When the flanneld image is older than v0.18 the finding is only a note: ' +
        'flanneld starts, but upgrading it breaks the node.',
      example: {
        language: 'yaml',
        code: 'kind: Node\nmetadata:\n  name: node-1\nspec:\n  podCIDR: 10.224.1.0/24   # Network is 10.244.0.0/16',
      },
      fix:
        'Make `Network` contain the cluster CIDR that kube-controller-manager allocates from ' +
        "(`--cluster-cidr`, kubeadm `podSubnet`), or correct the Node's podCIDR.",
    },
  },
  'podcidr-overlap': {
    group: 'Pods, Nodes and names',
    severity: 'error',
    summary: "Two Nodes' podCIDRs overlap.",
    documentation: {
      why:
        'Each node routes its podCIDR to its own `cni0` bridge and flannel routes it to that node: when ' +
        "two nodes' ranges overlap, pods on both can get the same address and one node's routes shadow " +
        "the other's.",
      example: {
        language: 'yaml',
        code:
          'kind: Node\nmetadata:\n  name: node-2\nspec:\n' +
          '  podCIDR: 10.244.1.0/24   # node-1 has 10.244.1.0/24 too',
      },
      fix:
        'Give each node its own range; let kube-controller-manager allocate them ' + '(`--allocate-node-cidrs=true`).',
    },
  },
  'pod-unschedulable': {
    group: 'Pods, Nodes and names',
    severity: 'warning',
    summary:
      "A Pod's or a controller's pods fit none of the nodes the workspace knows (nodeSelector, required node " +
      'affinity, taints), or the kubelet of the node they are pinned to rejects them.',
    documentation: {
      why:
        'The scheduler binds a pod only to a node that has every label its `nodeSelector` names, meets its ' +
        'required node affinity and carries no NoSchedule or NoExecute taint it does not tolerate; otherwise ' +
        "the pod stays Pending (`0/3 nodes are available: 3 node(s) didn't match Pod's node " +
        "affinity/selector`). A pod pinned with `nodeName` skips the scheduler and the node's kubelet rejects " +
        'it instead. Podnet checks Pods and the pod templates of Deployments, ReplicaSets, ' +
        'ReplicationControllers, StatefulSets, Jobs and CronJobs against the Node objects and ' +
        '`podnet.knownNodes`, and names the nodes it checked. It judges only what it knows: a Node object ' +
        "lists its node's labels, but a node known only by name has unknown labels and taints (only " +
        '`kubernetes.io/hostname`, its name, is known), and then it says nothing. Silent when the workspace ' +
        'knows no node.',
      example: {
        language: 'yaml',
        code:
          'kind: Deployment\nspec:\n  template:\n    spec:\n      nodeSelector:\n' +
          '        disktype: nvme   # the Nodes have disktype ssd or hdd\n' +
          '      containers:\n      - {name: web, image: nginx}',
      },
      fix:
        'Correct the selector or the affinity to labels the nodes carry, label a node (`kubectl label node ' +
        '<node> disktype=nvme`), or add the toleration the taint asks for. If the workspace lists only some ' +
        'nodes, add the others (Node objects or `podnet.knownNodes`).',
    },
  },
  'daemonset-no-node': {
    group: 'Pods, Nodes and names',
    severity: 'warning',
    summary:
      'A DaemonSet runs on none of the nodes the workspace knows; information when only an architecture or ' +
      'OS selector keeps it off.',
    documentation: {
      why:
        "The DaemonSet controller creates a pod on each node whose labels meet the template's nodeSelector " +
        'and required node affinity and whose NoSchedule and NoExecute taints the pod tolerates (it adds the ' +
        'node-condition tolerations itself, not the control-plane one). When no node qualifies, the ' +
        'DaemonSet runs nothing and says nothing. Skipping the control-plane nodes is normal and not ' +
        'reported; only no node at all is. A DaemonSet for an architecture or OS the cluster does not have ' +
        "(flannel's v0.11–v0.12 per-architecture DaemonSets) is reported as information. Podnet judges only " +
        'the labels and taints Node objects give, as for `pod-unschedulable`.',
      example: {
        language: 'yaml',
        code:
          'kind: DaemonSet\nspec:\n  template:\n    spec:\n      nodeSelector:\n' +
          '        node-role.kubernetes.io/edge: ""   # no Node has this label\n' +
          '      containers:\n      - {name: agent, image: busybox}',
      },
      fix:
        'Correct the selector, label the nodes it should run on, or add the tolerations for their taints ' +
        '(`- operator: Exists` tolerates every taint, as kube-proxy and flannel do).',
    },
  },
  'hostport-conflict': {
    group: 'Pods, Nodes and names',
    severity: 'warning',
    summary:
      'More pods ask for one host port and protocol than there are nodes they can run on: the extra ones stay ' +
      'Pending (or are rejected by the kubelet).',
    documentation: {
      why:
        'A host port (`hostPort`, or every `containerPort` of a `hostNetwork` pod) can be held by one pod per ' +
        'node for the same protocol, on the same address or on all of them. The scheduler places the next pod ' +
        'on another node; when the pods asking for the port can run on fewer nodes than there are pods ' +
        '(replicas above the node count, two DaemonSets, pods pinned with `nodeName` to one node), the extra ' +
        'ones stay Pending, and the kubelet rejects a pinned one. Reported at the host port of the pod that ' +
        'comes last in the workspace, only where the workspace knows the nodes, and counting a DaemonSet only ' +
        'on the nodes where it surely runs.',
      example: {
        language: 'yaml',
        code:
          'kind: Deployment\nspec:\n  replicas: 3   # the cluster has 2 nodes\n  template:\n    spec:\n' +
          '      containers:\n      - name: proxy\n        image: nginx\n        ports:\n' +
          '        - containerPort: 8080\n          hostPort: 80',
      },
      fix:
        'Lower the replicas to the node count, use a DaemonSet, pick another port, or reach the pods through ' +
        'a Service instead of a host port.',
    },
  },
  'statefulset-name-too-long': {
    group: 'Pods, Nodes and names',
    severity: 'error',
    summary: 'A StatefulSet name longer than 52 characters: its pods cannot be created.',
    documentation: {
      why:
        'The StatefulSet controller labels each pod `controller-revision-hash=<name>-<hash>`, the hash having ' +
        'up to 10 characters (10 for about 3 revisions in 4), and label values hold at most 63 characters; ' +
        "each pod's hostname and `statefulset.kubernetes.io/pod-name` label, `<name>-<ordinal>`, hold 63 too. " +
        'The API server accepts such a StatefulSet (up to 63 characters), but its pod creations fail ' +
        '(`FailedCreate ... must be no ' +
        'more than 63 characters`, kubernetes/kubernetes#64023) for each revision whose label is too long.',
      example: {
        language: 'yaml',
        code: 'kind: StatefulSet\nmetadata:\n  name: analytics-clickhouse-shard-replica-europe-west-primary-01',
      },
      fix: 'Use a StatefulSet name of at most 52 characters.',
    },
  },
  'flannel-configmap-ref': {
    group: 'flannel DaemonSet and cluster',
    severity: 'error',
    summary: "The DaemonSet's config volume names a ConfigMap that is missing or lacks net-conf.json.",
    documentation: {
      why:
        'The flannel DaemonSet mounts its config from a ConfigMap volume; if no ConfigMap of that name ' +
        "exists in the DaemonSet's namespace, or it has no `net-conf.json`, the pods cannot start or " +
        'flanneld finds no configuration (`failed to read net conf`).',
      example: {
        language: 'yaml',
        code:
          'volumes:\n- name: flannel-cfg\n  configMap:\n' +
          '    name: kube-flannel-config   # the ConfigMap is kube-flannel-cfg',
      },
      fix:
        'Point `configMap.name` at the flannel ConfigMap (`kube-flannel-cfg`) in the same namespace, ' +
        'with a `net-conf.json` key.',
    },
  },
  'flannel-mount': {
    group: 'flannel DaemonSet and cluster',
    severity: 'warning',
    summary:
      'Config volume not mounted at the `--net-config-path` directory, subnet file mismatch, or /run/flannel ' +
      'not a hostPath.',
    documentation: {
      why:
        'flanneld reads `--net-config-path` (default `/etc/kube-flannel/net-conf.json`), so the config ' +
        'volume must be mounted at that directory; it writes `--subnet-file`, which the CNI plugin reads ' +
        'from its `subnetFile` (default `/run/flannel/subnet.env`), so the two must match and ' +
        '`/run/flannel` must be a hostPath. Otherwise flanneld finds no config, or pods fail with ' +
        '`loadFlannelSubnetEnv failed`.',
      example: {
        language: 'yaml',
        code:
          'volumeMounts:\n- name: flannel-cfg\n' +
          '  mountPath: /etc/flannel/   # --net-config-path is /etc/kube-flannel/net-conf.json',
      },
      fix:
        'Mount the config volume at the directory of `--net-config-path`, and keep `--subnet-file`, the ' +
        "cni-conf `subnetFile` and the `/run/flannel` hostPath in agreement, as flannel's manifest does.",
    },
  },
  'flannel-kube-subnet-mgr': {
    group: 'flannel DaemonSet and cluster',
    severity: 'warning',
    summary: '`--kube-subnet-mgr` is absent: flanneld ignores the ConfigMap and tries etcd.',
    documentation: {
      why:
        'Without `--kube-subnet-mgr` (in args, command, or `FLANNELD_KUBE_SUBNET_MGR`), flanneld ignores ' +
        'the ConfigMap and Node podCIDRs and tries to read its config from etcd at 127.0.0.1, which a ' +
        'Kubernetes install does not have.',
      example: {
        language: 'yaml',
        code: 'containers:\n- name: kube-flannel\n  command: [/opt/bin/flanneld]\n  args: [--ip-masq]',
      },
      fix: 'Add `--kube-subnet-mgr` to the flanneld args; the quick fix appends it.',
    },
  },
  'flannel-host-network': {
    group: 'flannel DaemonSet and cluster',
    severity: 'error',
    summary: 'The flannel DaemonSet is not hostNetwork: true.',
    documentation: {
      why:
        "flanneld configures the node's own network (the `flannel.1` device, routes, iptables), which it " +
        "can only do in the host's network namespace; without `hostNetwork: true` it changes a pod's " +
        'namespace instead and pods across nodes cannot reach each other.',
      example: { language: 'yaml', code: 'spec:\n  template:\n    spec:\n      hostNetwork: false' },
      fix: 'Set `hostNetwork: true` in the pod template; the quick fix adds it.',
    },
  },
  'flannel-privileges': {
    group: 'flannel DaemonSet and cluster',
    severity: 'warning',
    summary:
      'Neither privileged nor NET_ADMIN, or NET_RAW dropped; information when only NET_RAW is not added (CRI-O ' +
      'lacks it).',
    documentation: {
      why:
        'Creating tunnel devices, routes and iptables rules needs `NET_ADMIN`, and iptables needs `NET_RAW` ' +
        "(or a privileged container). `capabilities.add` adds to the runtime's default set: docker and " +
        'containerd include `NET_RAW`, CRI-O from 1.18 does not, so `NET_ADMIN` alone (flannel up to v0.12.0) ' +
        'is information; no `NET_ADMIN`, or a `drop` of `ALL` or `NET_RAW` not added back, makes flanneld fail ' +
        'with `operation not permitted`.',
      example: {
        language: 'yaml',
        code: 'securityContext:\n  capabilities:\n    add: [NET_ADMIN]\n    drop: [ALL]',
      },
      fix: 'Add both `NET_ADMIN` and `NET_RAW` to `securityContext.capabilities.add`, or run privileged.',
    },
  },
  'flannel-pod-identity': {
    group: 'flannel DaemonSet and cluster',
    severity: 'warning',
    summary: 'Neither POD_NAME and POD_NAMESPACE from fieldRefs, nor NODE_NAME.',
    documentation: {
      why:
        'In kube mode flanneld finds its own Node through `POD_NAME` and `POD_NAMESPACE` (from fieldRefs ' +
        '`metadata.name`/`metadata.namespace`) or `NODE_NAME` (from `spec.nodeName`); without them it ' +
        'cannot tell which node it runs on.',
      example: { language: 'yaml', code: 'env:\n- name: POD_NAME\n  value: kube-flannel' },
      fix:
        'Set `POD_NAME` and `POD_NAMESPACE` from `fieldRef`s, or `NODE_NAME` from `fieldRef: {fieldPath: ' +
        'spec.nodeName}`.',
    },
  },
  'flannel-conflist-name': {
    group: 'flannel DaemonSet and cluster',
    severity: 'warning',
    summary:
      'cni-conf.json installed under a name that does not fit its shape (a plugin list not as .conflist, a ' +
      'single config as .conflist), or outside the mounted host CNI directory.',
    documentation: {
      why:
        "The destination is read from the install container's `cp`/`mv`/`install` command, also inside " +
        '`sh -c` scripts. The runtime reads a file in `/etc/cni/net.d` as a plugin list only when its name ends ' +
        'in `.conflist`, and as a single network config (top-level `type`, as flannel ≤ v0.9 ships) otherwise: ' +
        "a mismatch leaves pods without a network. A copy to a path that is not under the mount of the host's " +
        '`/etc/cni/net.d` stays inside the container. A destination that cannot be read (a variable, a ' +
        'PowerShell script, an installer binary) is not checked.',
      example: {
        language: 'yaml',
        code: 'args: [-f, /etc/kube-flannel/cni-conf.json, /etc/cni/net.d/10-flannel.conf]   # "plugins": [ … ]',
      },
      fix:
        "Install a plugin list as `/etc/cni/net.d/10-flannel.conflist`, as flannel's manifest does, and a " +
        'single config as `10-flannel.conf`, in the directory where the host CNI directory is mounted.',
    },
  },
  'cluster-cidr-mismatch': {
    group: 'flannel DaemonSet and cluster',
    severity: 'error',
    summary: "`--cluster-cidr` (or kubeadm podSubnet) is not inside flannel's Network.",
    documentation: {
      why:
        'kube-controller-manager hands out node podCIDRs from `--cluster-cidr` (kubeadm ' +
        "`networking.podSubnet`); when that range is not inside flannel's `Network`, the podCIDRs are " +
        'not either, and flanneld exits on every node. A common cause is editing one of the two and not ' +
        'the other.',
      example: {
        language: 'yaml',
        code:
          'kind: ClusterConfiguration\nnetworking:\n' +
          '  podSubnet: 10.42.0.0/16   # flannel Network is 10.244.0.0/16',
      },
      fix: "Make the two agree: set flannel's `Network` to the cluster CIDR, or the cluster CIDR inside " + 'Network.',
    },
  },
  'service-cidr-overlap': {
    group: 'flannel DaemonSet and cluster',
    severity: 'error',
    summary: "The service CIDR overlaps flannel's Network or a podCIDR.",
    documentation: {
      why:
        'Service ClusterIPs (`--service-cluster-ip-range`, kubeadm `serviceSubnet`) are virtual ' +
        'addresses that kube-proxy translates; when they overlap the pod network, traffic meant for a ' +
        'pod or a Service goes to the wrong one.',
      example: {
        language: 'yaml',
        code:
          'kind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.244.0.0/16\n' + '  serviceSubnet: 10.244.128.0/20',
      },
      fix:
        "Choose a service range outside flannel's Network and every podCIDR (kubeadm's default is " +
        '`10.96.0.0/12`).',
    },
  },
  'node-ip-in-pod-network': {
    group: 'flannel DaemonSet and cluster',
    severity: 'error',
    summary: "A Node's InternalIP lies inside flannel's Network.",
    documentation: {
      why:
        'flannel routes its whole `Network` to the overlay; a node whose own InternalIP lies inside it ' +
        'has its host traffic captured by those routes, and nodes lose each other.',
      example: {
        language: 'yaml',
        code:
          'kind: Node\nstatus:\n  addresses:\n  - type: InternalIP\n' +
          '    address: 10.244.0.5   # inside Network 10.244.0.0/16',
      },
      fix: "Choose a pod Network that does not contain the nodes' addresses.",
    },
  },
  'allocate-node-cidrs-off': {
    group: 'flannel DaemonSet and cluster',
    severity: 'warning',
    summary: 'kube-controller-manager without `--allocate-node-cidrs=true` while Nodes carry no podCIDR.',
    documentation: {
      why:
        "In kube mode flannel allocates nothing itself: it needs each Node's podCIDR, which " +
        'kube-controller-manager assigns only with `--allocate-node-cidrs=true` and `--cluster-cidr`. ' +
        'With neither, and no podCIDR on the Nodes, flanneld crash-loops with `pod cidr not assigned`.',
      example: { language: 'yaml', code: 'command:\n- kube-controller-manager\n- --cluster-cidr=10.244.0.0/16' },
      fix:
        'Add `--allocate-node-cidrs=true` (kubeadm does it when `podSubnet` is set), or give every Node ' +
        'a podCIDR.',
    },
  },
  'duplicate-config': {
    group: 'flannel DaemonSet and cluster',
    severity: 'warning',
    summary:
      'Several flannel DaemonSets, flannel ConfigMaps, ClusterConfigurations or cluster CIDRs in one cluster: says ' +
      'which one Podnet models; an error when one kubeadm config file gives a kind twice.',
    documentation: {
      why:
        'flanneld reads one ConfigMap and kube-controller-manager one cluster CIDR, and Podnet models one of ' +
        'each: the ConfigMap the flannel DaemonSet mounts (from its own file when several define it), else the ' +
        'first by file path; the first flannel DaemonSet by file path; the first kube-controller-manager ' +
        '`--cluster-cidr`, else the first ClusterConfiguration. When a cluster holds several, each one says ' +
        'where the others are and which one is modelled, and an unmodelled net-conf.json whose Network differs ' +
        'says what it would not contain. A warning where the cluster really gets two: the same namespace and ' +
        'name with different content (the one applied last replaces the other), flannel DaemonSets that run ' +
        'on the same nodes (two flanneld per node), kube-controller-managers with different `--cluster-cidr`. ' +
        'Information where only one takes effect: a ConfigMap no flannel DaemonSet mounts, whole manifests ' +
        'kept side by side as alternatives, ClusterConfigurations in separate files. DaemonSets whose node ' +
        "selectors split the nodes (flannel's per-architecture DaemonSets) are not reported. kubeadm rejects " +
        'a config file with a kind twice (`kind "ClusterConfiguration" is specified twice in YAML file`): ' +
        'an error.',
      example: {
        language: 'yaml',
        code:
          '# kube-flannel.yml has kube-flannel-cfg with Network 10.244.0.0/16; this file too:\n' +
          'kind: ConfigMap\nmetadata:\n  name: kube-flannel-cfg\n  namespace: kube-flannel\ndata:\n' +
          '  net-conf.json: |\n    {"Network": "10.42.0.0/16", "Backend": {"Type": "vxlan"}}',
      },
      fix:
        'Keep one of each in the cluster folder: delete or move the copies and alternatives you do not apply ' +
        '(or map them to their own cluster with `podnet.clusters`), give a kubeadm config file one document ' +
        'per kind, and make the cluster CIDRs agree.',
    },
  },
  'cni-multiple': {
    group: 'Calico and Canal',
    severity: 'warning',
    summary:
      'Two CNIs installed in one cluster (flannel and Calico, Calico and Canal): says which config file the ' +
      'runtime loads first; information when the manifests look like alternatives.',
    documentation: {
      why:
        'Each CNI installer writes its config file to `/etc/cni/net.d`, and the container runtime loads the ' +
        'lexically first: `10-calico.conflist` before `10-canal.conflist` before `10-flannel.conflist` ' +
        "(an installer's `CNI_CONF_NAME` renames its file). Pods get their addresses from that CNI only, while " +
        "the other's agents still program routes, tunnels and iptables rules on every node: pods take " +
        "addresses from an unexpected range and traffic between the two CNIs' pods and routes conflicts. " +
        "Canal's own calico-node and flanneld are one CNI. A warning when both are shown to run (in one file, " +
        'in one kustomization, or Node annotations of both in a live dump); information when the manifests ' +
        'only sit side by side, as repositories keep alternatives to apply one of.',
      example: {
        language: 'yaml',
        code:
          '# one file applies both CNIs\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: kube-flannel-ds\n' +
          'spec:\n  template:\n    spec:\n      containers:\n      - name: kube-flannel\n' +
          '        image: docker.io/flannel/flannel:v0.25.1\n        command: [/opt/bin/flanneld]\n---\n' +
          'apiVersion: apps/v1\nkind: DaemonSet\n' +
          'metadata:\n  name: calico-node\nspec:\n  template:\n    spec:\n      containers:\n' +
          '      - name: calico-node\n        image: docker.io/calico/node:v3.28.0',
      },
      fix:
        "Install one CNI per cluster: delete the other's DaemonSet and its file in `/etc/cni/net.d` on every " +
        'node, or move alternative manifests out of the cluster folder (or map them to their own cluster).',
    },
  },
  'calico-setting-invalid': {
    group: 'Calico and Canal',
    severity: 'error',
    summary:
      'A value Calico refuses: an encapsulation, mode, autodetection method, block size or selector it does ' +
      'not take; information for a `calico_backend` it reads as bird.',
    documentation: {
      why:
        'calico-node exits at start on a `CALICO_IPV4POOL_IPIP`/`_VXLAN` other than ``/off/never/always/' +
        'crosssubnet/cross-subnet (any case: "Unrecognized IPIP mode"), an `IP_AUTODETECTION_METHOD` that is ' +
        'not `first-found`, `kubernetes-internal-ip`, `interface=…`, `skip-interface=…`, `can-reach=…` or ' +
        '`cidr=…` ("Invalid IP autodetection method"; a bare `eth1` is the usual slip), a block size outside ' +
        '20..32 (IPv4) or 116..128 (IPv6) ("Invalid blocksize"), a node selector it cannot parse, or ' +
        '`NO_DEFAULT_POOLS=true` together with a pool CIDR. Calico refuses an IPPool with a mode other than ' +
        '`Always`, `CrossSubnet` or `Never`, IPIP on an IPv6 pool, or such a block size or selector; the ' +
        'operator refuses an Installation whose `encapsulation`, `natOutgoing` or `bgp` is not one of its ' +
        'values. A `calico_backend` other than `bird`, `vxlan` or `none` runs BIRD, as `bird` does: ' +
        'information.',
      example: {
        language: 'yaml',
        code:
          'kind: DaemonSet\nmetadata:\n  name: calico-node\nspec:\n  template:\n    spec:\n      containers:\n' +
          '      - name: calico-node\n        env:\n        - name: IP_AUTODETECTION_METHOD\n' +
          '          value: eth1   # interface=eth1',
      },
      fix:
        'Use one of the values the message lists; for an interface name, `interface=eth1` (the quick fix ' +
        'writes it).',
    },
  },
  'calico-encapsulation-conflict': {
    group: 'Calico and Canal',
    severity: 'error',
    summary: 'IPIP and VXLAN both enabled on one pool: Calico refuses it.',
    documentation: {
      why:
        'A pool encapsulates with IPIP or with VXLAN, not both: Calico refuses a pool whose `ipipMode` and ' +
        "`vxlanMode` are both `Always` or `CrossSubnet`, and calico-node exits at start when its default pool's " +
        '`CALICO_IPV4POOL_IPIP` and `CALICO_IPV4POOL_VXLAN` both enable one.',
      example: {
        language: 'yaml',
        code: 'kind: IPPool\nspec:\n  cidr: 10.80.0.0/16\n  ipipMode: Always\n  vxlanMode: CrossSubnet',
      },
      fix: 'Set one of them to `Never`. The quick fixes keep VXLAN (preferred: routes need no BGP) or keep IPIP.',
    },
  },
  'calico-pool-cidr': {
    group: 'Calico and Canal',
    severity: 'error',
    summary:
      'A pool CIDR Calico refuses: not a CIDR, host bits set, inside 169.254.0.0/16 or fe80::/10, or smaller ' +
      'than one block; information for host bits in `CALICO_IPV4POOL_CIDR`, which calico-node masks.',
    documentation: {
      why:
        'Calico refuses an IPPool (and the operator an Installation pool) whose `cidr` does not parse, has host ' +
        'bits set (`10.244.1.0/16`), overlaps the link-local ranges 169.254.0.0/16 or fe80::/10, or has a ' +
        'prefix longer than its block size ("IP pool size is too small"). calico-node exits at start on an ' +
        '`CALICO_IPV4POOL_CIDR` that does not parse, or when its default pool is refused; host bits there are ' +
        'masked silently, so they are only information.',
      example: { language: 'yaml', code: 'kind: IPPool\nspec:\n  cidr: 10.244.1.0/16' },
      fix: 'Write the network address (the quick fix masks the CIDR), and a pool at least as large as one block.',
    },
  },
  'calico-pool-overlap': {
    group: 'Calico and Canal',
    severity: 'error',
    summary: 'Two Calico pools overlap: Calico refuses the second.',
    documentation: {
      why:
        'Calico refuses to create a pool that overlaps an existing one, so of two overlapping IPPools (or ' +
        'Installation pools) only the first one applied exists.',
      example: {
        language: 'yaml',
        code:
          'kind: IPPool\nmetadata:\n  name: a\nspec:\n  cidr: 10.80.0.0/16\n---\nkind: IPPool\nmetadata:\n' +
          '  name: b\nspec:\n  cidr: 10.80.64.0/20',
      },
      fix: 'Give each pool its own range, or delete the one you do not use.',
    },
  },
  'calico-pool-outside-cluster-cidr': {
    group: 'Calico and Canal',
    severity: 'warning',
    summary:
      "A Calico pool not within kubeadm's podSubnet or `--cluster-cidr`: the operator refuses it (error); " +
      'a manifest install works with components disagreeing (warning).',
    documentation: {
      why:
        'The operator checks its pools against the kubeadm podSubnet and refuses one outside it ("IPPool … ' +
        'is not within the platform\'s configured pod network CIDR(s)"). calico.yaml and IPPool objects are ' +
        "not checked, and pods get addresses outside the cluster CIDR: kube-proxy's `--cluster-cidr` " +
        'masquerade treats their traffic as external, and Node podCIDRs go unused.',
      example: {
        language: 'yaml',
        code: '- name: CALICO_IPV4POOL_CIDR\n  value: "10.244.0.0/16"   # kubeadm podSubnet: 10.2.0.0/16',
      },
      fix: 'Make the pool lie within the cluster CIDR (ideally equal to it), or change the cluster CIDR.',
    },
  },
  'calico-pool-network-overlap': {
    group: 'Calico and Canal',
    severity: 'error',
    summary: "A Calico pool overlaps the Service CIDR or the nodes' own addresses.",
    documentation: {
      why:
        'Calico does not check this. Pod addresses inside the Service range are captured by kube-proxy; a pool ' +
        "that holds the nodes' own subnet makes Calico route node addresses to pods, and nodes lose each " +
        'other. Node addresses come from Node InternalIPs and `projectcalico.org/IPv4Address` (with its ' +
        "prefix). calico-node's default pool (no `CALICO_IPV4POOL_CIDR`) avoids the host's subnets by itself, " +
        'so it is not reported.',
      example: {
        language: 'yaml',
        code: '- name: CALICO_IPV4POOL_CIDR\n  value: "192.168.0.0/16"   # the nodes are 192.168.1.10-12',
      },
      fix: "Choose a pool range that overlaps neither the Service CIDR nor the nodes' network.",
    },
  },
  'calico-node-selector': {
    group: 'Calico and Canal',
    severity: 'warning',
    summary: "A pool's nodeSelector matches no known node; information when some nodes' labels are not known.",
    documentation: {
      why:
        'A node takes addresses only from pools whose `nodeSelector` matches its labels. A selector that ' +
        'matches no node leaves the pool unused, and, when it is the only pool, pods get no address ' +
        '(`failed to request IP`). Checked only when the workspace knows the nodes (Node objects, ' +
        '`podnet.knownNodes`); the message says which label no node has.',
      example: {
        language: 'yaml',
        code: "kind: IPPool\nspec:\n  cidr: 10.80.0.0/18\n  nodeSelector: rack == 'r1'   # no node has label rack",
      },
      fix: 'Label the nodes the pool is for, or correct the selector.',
    },
  },
  'calico-routing-missing': {
    group: 'Calico and Canal',
    severity: 'error',
    summary:
      'An IPIP (before Calico 3.33) or unencapsulated pool while BIRD does not run, or the BGP mesh is off ' +
      "with no BGPPeer: nodes get no routes to each other's pods.",
    documentation: {
      why:
        "Routes to other nodes' blocks of an IPIP pool (up to Calico 3.32) and of an unencapsulated pool are " +
        'programmed by BIRD from BGP. With `calico_backend: vxlan` or `none` (or an Installation `bgp: ' +
        'Disabled`) BIRD does not run, and with BGPConfiguration `nodeToNodeMeshEnabled: false` and no ' +
        'BGPPeer it has no peer: pods reach only pods on their own node. From 3.33 Felix programs IPIP ' +
        'routes itself (`programClusterRoutes`), so only unencapsulated pools need BIRD; the release comes ' +
        'from the calico/node image tag (none visible: the newest). An unencapsulated pool may get its ' +
        'routes from the network instead (static or cloud routes), and peers may be defined elsewhere: ' +
        'those cases are warnings.',
      example: {
        language: 'yaml',
        code: 'calico_backend: "vxlan"   # while calico-node has CALICO_IPV4POOL_IPIP "Always"',
      },
      fix:
        'Use VXLAN with `calico_backend: vxlan` (`CALICO_IPV4POOL_VXLAN`), or run BIRD (`calico_backend: bird`, ' +
        'Installation `bgp: Enabled`) with the mesh or BGPPeers.',
    },
  },
  'calico-mtu': {
    group: 'Calico and Canal',
    severity: 'warning',
    summary: "A configured Calico MTU larger than the NIC's (1500 assumed) minus the encapsulation overhead.",
    documentation: {
      why:
        'Encapsulation adds 20 bytes (IPIP), 50 (VXLAN) or 60 (WireGuard) to each packet. A pod MTU ' +
        '(`veth_mtu`, Installation `mtu`, `FELIX_*MTU`) above the NIC MTU minus that overhead makes full-size ' +
        'packets too large for the wire: they are fragmented or dropped, and connections stall on large ' +
        'transfers. `veth_mtu: "0"` (auto-detect) is not reported; a value above 1500 means larger NICs, ' +
        'which manifests do not tell, so it is not checked.',
      example: { language: 'yaml', code: 'veth_mtu: "1500"   # IPIP pool: at most 1480 on a 1500 NIC' },
      fix: 'Set the MTU to the NIC MTU minus the overhead (1480 IPIP, 1450 VXLAN, 1440 WireGuard), or 0 to detect it.',
    },
  },
} as const satisfies Record<string, RuleDeclaration>;

/** A declared rule id: findings, settings and suppressions can only name these. */
export type RuleId = keyof typeof DECLARATIONS;

export interface RuleMeta extends RuleDeclaration {
  id: RuleId;
}

/** Every rule id, in declaration order (the order of the README tables). */
export const RULE_IDS = Object.keys(DECLARATIONS) as readonly RuleId[];

function metaOf(id: RuleId): RuleMeta {
  const declaration: RuleDeclaration = DECLARATIONS[id];
  return { id, ...declaration };
}

const META = Object.fromEntries(RULE_IDS.map((id) => [id, metaOf(id)])) as Record<RuleId, RuleMeta>;

/** Every rule's metadata, in declaration order. */
export const RULES: readonly RuleMeta[] = RULE_IDS.map((id) => META[id]);

/** Whether a string from outside (a setting, a suppression comment, a CLI flag) is a declared rule id. */
export const isRuleId = (id: string): id is RuleId => Object.prototype.hasOwnProperty.call(DECLARATIONS, id);

export const ruleMeta = (id: RuleId): RuleMeta => META[id];
