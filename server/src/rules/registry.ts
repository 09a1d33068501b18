// The rule catalogue (shared/spec/rules.md): ids are public API, used in settings and suppressions.
// Every rule is declared here once: its id, severities, summary and documentation. `RuleId` is derived
// from this declaration, so a finding can only carry a declared id; README's rule tables and the
// `podnet.rules` settings schema in package.json are generated from it (`npm run generate:rules`).

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** The groups of the README's rule tables, in their order. */
export const RULE_GROUPS = [
  'YAML and embedded JSON',
  'net-conf.json',
  'Backend',
  'cni-conf.json',
  'Pods, Nodes and names',
  'flannel DaemonSet and cluster',
] as const;

export type RuleGroup = (typeof RULE_GROUPS)[number];

/** What every rule declares. */
export interface RuleDeclaration {
  group: RuleGroup;
  severity: Severity;
  /** Severity when flanneld runs with --kube-subnet-mgr, for checks flannel only makes in etcd mode. */
  kubeModeSeverity?: Severity;
  /** One line of markdown: when the rule fires. */
  summary: string;
}

const DECLARATIONS = {
  'yaml-syntax': {
    group: 'YAML and embedded JSON',
    severity: 'error',
    summary: 'The YAML itself does not parse.',
  },
  'file-skipped': {
    group: 'YAML and embedded JSON',
    severity: 'information',
    summary: 'The file is larger than `podnet.maxFileSize` and was not analysed.',
  },
  'json-syntax': {
    group: 'YAML and embedded JSON',
    severity: 'error',
    summary:
      'net-conf.json or cni-conf.json is not strict JSON (comments, trailing commas, single quotes, bare ' +
      'words, truncation).',
  },
  'json-type': {
    group: 'YAML and embedded JSON',
    severity: 'error',
    summary: 'A key has the wrong JSON type for flannel or CNI (e.g. "SubnetLen": "24").',
  },
  'json-duplicate-key': {
    group: 'YAML and embedded JSON',
    severity: 'warning',
    summary: 'The same key twice, also when only the case differs; flannel keeps the last.',
  },
  'netconf-unknown-key': {
    group: 'net-conf.json',
    severity: 'warning',
    summary: 'A key flannel ignores (typo, removed Networks/IPv6Networks).',
  },
  'network-missing': {
    group: 'net-conf.json',
    severity: 'error',
    summary: 'IPv4 is enabled but Network is absent, empty or 0.0.0.0/0.',
  },
  'ipv6-network-missing': {
    group: 'net-conf.json',
    severity: 'error',
    summary: 'EnableIPv6 is true but IPv6Network is absent.',
  },
  'no-address-family': {
    group: 'net-conf.json',
    severity: 'error',
    summary: 'Both EnableIPv4 and EnableIPv6 are false.',
  },
  'cidr-invalid': {
    group: 'net-conf.json',
    severity: 'error',
    summary: 'A CIDR or IP that does not parse, or of the wrong family.',
  },
  'cidr-host-bits': {
    group: 'net-conf.json',
    severity: 'warning',
    summary: 'Host bits set in a CIDR; flannel silently uses the masked network.',
  },
  'network-too-small': {
    group: 'net-conf.json',
    severity: 'error',
    kubeModeSeverity: 'warning',
    summary: 'IPv4 prefix longer than /28 (IPv6 /124) with automatic SubnetLen.',
  },
  'subnetlen-range': {
    group: 'net-conf.json',
    severity: 'error',
    kubeModeSeverity: 'warning',
    summary: 'SubnetLen over 30 (IPv6 126) or under prefix+2.',
  },
  'subnet-range': {
    group: 'net-conf.json',
    severity: 'error',
    kubeModeSeverity: 'warning',
    summary: 'SubnetMin/SubnetMax outside the Network, off a SubnetLen boundary, or Min above Max.',
  },
  'subnet-settings-ignored': {
    group: 'net-conf.json',
    severity: 'information',
    summary: 'SubnetLen/SubnetMin/SubnetMax have no effect in kube mode.',
  },
  'ipv6-backend-unsupported': {
    group: 'net-conf.json',
    severity: 'warning',
    summary: 'EnableIPv6 with a backend other than vxlan, host-gw or wireguard.',
  },
  'backend-missing': {
    group: 'Backend',
    severity: 'warning',
    summary: 'No Backend: flannel falls back to udp, not vxlan.',
  },
  'backend-type-unknown': {
    group: 'Backend',
    severity: 'error',
    summary: 'Backend is {}/null, Type is missing or not a registered backend.',
  },
  'backend-option-unknown': {
    group: 'Backend',
    severity: 'warning',
    summary: 'A key the chosen backend does not read.',
  },
  'backend-option-invalid': {
    group: 'Backend',
    severity: 'error',
    summary: 'A backend option value outside what works (VNI, port, MTU, wireguard Mode/PSK, ipsec PSK, keepalive).',
  },
  'backend-not-recommended': {
    group: 'Backend',
    severity: 'information',
    summary: 'udp (debugging only) and the experimental backends.',
  },
  'cni-version': {
    group: 'cni-conf.json',
    severity: 'error',
    summary: 'cniVersion is not one of the exact supported strings; warning below 0.3.0 in a conflist.',
  },
  'cni-name': {
    group: 'cni-conf.json',
    severity: 'error',
    summary: 'name missing or not matching `^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$`.',
  },
  'cni-plugins': {
    group: 'cni-conf.json',
    severity: 'error',
    summary:
      'plugins missing/empty/not an array, an entry without type, portmap first, a bad flannel delegate, ' +
      'hairpinMode with promiscMode.',
  },
  'name-invalid': {
    group: 'Pods, Nodes and names',
    severity: 'error',
    summary: 'A name or spec.nodeName that Kubernetes rejects (DNS-1123 subdomain; Namespaces: DNS-1123 label).',
  },
  'nodename-unknown': {
    group: 'Pods, Nodes and names',
    severity: 'warning',
    summary: 'spec.nodeName names no node the workspace knows.',
  },
  'podcidr-outside-network': {
    group: 'Pods, Nodes and names',
    severity: 'error',
    summary: "A Node's podCIDR is not inside flannel's Network: flannel exits at start.",
  },
  'podcidr-overlap': {
    group: 'Pods, Nodes and names',
    severity: 'error',
    summary: "Two Nodes' podCIDRs overlap.",
  },
  'flannel-configmap-ref': {
    group: 'flannel DaemonSet and cluster',
    severity: 'error',
    summary: "The DaemonSet's config volume names a ConfigMap that is missing or lacks net-conf.json.",
  },
  'flannel-mount': {
    group: 'flannel DaemonSet and cluster',
    severity: 'warning',
    summary:
      'Config volume not mounted at the `--net-config-path` directory, subnet file mismatch, or /run/flannel ' +
      'not a hostPath.',
  },
  'flannel-kube-subnet-mgr': {
    group: 'flannel DaemonSet and cluster',
    severity: 'warning',
    summary: '`--kube-subnet-mgr` is absent: flanneld ignores the ConfigMap and tries etcd.',
  },
  'flannel-host-network': {
    group: 'flannel DaemonSet and cluster',
    severity: 'error',
    summary: 'The flannel DaemonSet is not hostNetwork: true.',
  },
  'flannel-privileges': {
    group: 'flannel DaemonSet and cluster',
    severity: 'warning',
    summary: 'Neither privileged nor both NET_ADMIN and NET_RAW.',
  },
  'flannel-pod-identity': {
    group: 'flannel DaemonSet and cluster',
    severity: 'warning',
    summary: 'Neither POD_NAME and POD_NAMESPACE from fieldRefs, nor NODE_NAME.',
  },
  'flannel-conflist-name': {
    group: 'flannel DaemonSet and cluster',
    severity: 'warning',
    summary: 'cni-conf.json is installed under a name that does not end in .conflist.',
  },
  'cluster-cidr-mismatch': {
    group: 'flannel DaemonSet and cluster',
    severity: 'error',
    summary: "`--cluster-cidr` (or kubeadm podSubnet) is not inside flannel's Network.",
  },
  'service-cidr-overlap': {
    group: 'flannel DaemonSet and cluster',
    severity: 'error',
    summary: "The service CIDR overlaps flannel's Network or a podCIDR.",
  },
  'node-ip-in-pod-network': {
    group: 'flannel DaemonSet and cluster',
    severity: 'error',
    summary: "A Node's InternalIP lies inside flannel's Network.",
  },
  'allocate-node-cidrs-off': {
    group: 'flannel DaemonSet and cluster',
    severity: 'warning',
    summary: 'kube-controller-manager without `--allocate-node-cidrs=true` while Nodes carry no podCIDR.',
  },
} as const satisfies Record<string, RuleDeclaration>;

/** A declared rule id: findings, settings and suppressions can only name these. */
export type RuleId = keyof typeof DECLARATIONS;

export interface RuleMeta extends RuleDeclaration {
  id: RuleId;
}

/** Every rule id, in declaration order (the order of the README tables). */
export const RULE_IDS = Object.keys(DECLARATIONS) as RuleId[];

const META = Object.fromEntries(
  RULE_IDS.map((id): [RuleId, RuleMeta] => [id, { id, ...(DECLARATIONS[id] as RuleDeclaration) }]),
) as Record<RuleId, RuleMeta>;

/** Every rule's metadata, in declaration order. */
export const RULES: readonly RuleMeta[] = RULE_IDS.map((id) => META[id]);

/** Whether a string from outside (a setting, a suppression comment, a CLI flag) is a declared rule id. */
export const isRuleId = (id: string): id is RuleId => Object.prototype.hasOwnProperty.call(DECLARATIONS, id);

export const ruleMeta = (id: RuleId): RuleMeta => META[id];
