// The rule catalogue (shared/spec/rules.md): ids are public API, used in settings and suppressions.
// Every rule's metadata lives here and nowhere else; README's rule table is generated from it.

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RuleMeta {
  id: string;
  group:
    | 'YAML and embedded JSON'
    | 'net-conf.json'
    | 'Backend'
    | 'cni-conf.json'
    | 'Pods, Nodes and names'
    | 'flannel DaemonSet and cluster';
  severity: Severity;
  /** Severity when flanneld runs with --kube-subnet-mgr, for checks flannel only makes in etcd mode. */
  kubeModeSeverity?: Severity;
  /** One line: when the rule fires. */
  summary: string;
}

const rule = (
  id: string,
  group: RuleMeta['group'],
  severity: Severity,
  summary: string,
  kubeModeSeverity?: Severity,
): RuleMeta => ({ id, group, severity, summary, kubeModeSeverity });

const ALL: RuleMeta[] = [
  rule('yaml-syntax', 'YAML and embedded JSON', 'error', 'The YAML itself does not parse.'),
  rule(
    'file-skipped',
    'YAML and embedded JSON',
    'information',
    'The file is larger than podnet.maxFileSize and was not analysed.',
  ),
  rule(
    'json-syntax',
    'YAML and embedded JSON',
    'error',
    'net-conf.json or cni-conf.json is not strict JSON (comments, trailing commas, single quotes, bare ' +
      'words, truncation).',
  ),
  rule(
    'json-type',
    'YAML and embedded JSON',
    'error',
    'A key has the wrong JSON type for flannel or CNI (e.g. "SubnetLen": "24").',
  ),
  rule(
    'json-duplicate-key',
    'YAML and embedded JSON',
    'warning',
    'The same key twice, also when only the case differs; flannel keeps the last.',
  ),

  rule(
    'netconf-unknown-key',
    'net-conf.json',
    'warning',
    'A key flannel ignores (typo, removed Networks/IPv6Networks).',
  ),
  rule('network-missing', 'net-conf.json', 'error', 'IPv4 is enabled but Network is absent, empty or 0.0.0.0/0.'),
  rule('ipv6-network-missing', 'net-conf.json', 'error', 'EnableIPv6 is true but IPv6Network is absent.'),
  rule('no-address-family', 'net-conf.json', 'error', 'Both EnableIPv4 and EnableIPv6 are false.'),
  rule('cidr-invalid', 'net-conf.json', 'error', 'A CIDR or IP that does not parse, or of the wrong family.'),
  rule(
    'cidr-host-bits',
    'net-conf.json',
    'warning',
    'Host bits set in a CIDR; flannel silently uses the masked network.',
  ),
  rule(
    'network-too-small',
    'net-conf.json',
    'error',
    'IPv4 prefix longer than /28 (IPv6 /124) with automatic SubnetLen.',
    'warning',
  ),
  rule('subnetlen-range', 'net-conf.json', 'error', 'SubnetLen over 30 (IPv6 126) or under prefix+2.', 'warning'),
  rule(
    'subnet-range',
    'net-conf.json',
    'error',
    'SubnetMin/SubnetMax outside the Network, off a SubnetLen boundary, or Min above Max.',
    'warning',
  ),
  rule(
    'subnet-settings-ignored',
    'net-conf.json',
    'information',
    'SubnetLen/SubnetMin/SubnetMax have no effect in kube mode.',
  ),
  rule(
    'ipv6-backend-unsupported',
    'net-conf.json',
    'warning',
    'EnableIPv6 with a backend other than vxlan, host-gw or wireguard.',
  ),

  rule('backend-missing', 'Backend', 'warning', 'No Backend: flannel falls back to udp, not vxlan.'),
  rule('backend-type-unknown', 'Backend', 'error', 'Backend is {}/null, Type is missing or not a registered backend.'),
  rule('backend-option-unknown', 'Backend', 'warning', 'A key the chosen backend does not read.'),
  rule(
    'backend-option-invalid',
    'Backend',
    'error',
    'A backend option value outside what works (VNI, port, MTU, wireguard Mode/PSK, ipsec PSK, keepalive).',
  ),
  rule('backend-not-recommended', 'Backend', 'information', 'udp (debugging only) and the experimental backends.'),

  rule(
    'cni-version',
    'cni-conf.json',
    'error',
    'cniVersion is not one of the exact supported strings; warning below 0.3.0 in a conflist.',
  ),
  rule('cni-name', 'cni-conf.json', 'error', 'name missing or not matching ^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$.'),
  rule(
    'cni-plugins',
    'cni-conf.json',
    'error',
    'plugins missing/empty/not an array, an entry without type, portmap first, a bad flannel delegate, ' +
      'hairpinMode with promiscMode.',
  ),

  rule(
    'name-invalid',
    'Pods, Nodes and names',
    'error',
    'A name or spec.nodeName that Kubernetes rejects (DNS-1123 subdomain; Namespaces: DNS-1123 label).',
  ),
  rule('nodename-unknown', 'Pods, Nodes and names', 'warning', 'spec.nodeName names no node the workspace knows.'),
  rule(
    'podcidr-outside-network',
    'Pods, Nodes and names',
    'error',
    "A Node's podCIDR is not inside flannel's Network: flannel exits at start.",
  ),
  rule('podcidr-overlap', 'Pods, Nodes and names', 'error', "Two Nodes' podCIDRs overlap."),

  rule(
    'flannel-configmap-ref',
    'flannel DaemonSet and cluster',
    'error',
    "The DaemonSet's config volume names a ConfigMap that is missing or lacks net-conf.json.",
  ),
  rule(
    'flannel-mount',
    'flannel DaemonSet and cluster',
    'warning',
    'Config volume not mounted at the --net-config-path directory, subnet file mismatch, or /run/flannel not ' +
      'a hostPath.',
  ),
  rule(
    'flannel-kube-subnet-mgr',
    'flannel DaemonSet and cluster',
    'warning',
    '--kube-subnet-mgr is absent: flanneld ignores the ConfigMap and tries etcd.',
  ),
  rule(
    'flannel-host-network',
    'flannel DaemonSet and cluster',
    'error',
    'The flannel DaemonSet is not hostNetwork: true.',
  ),
  rule(
    'flannel-privileges',
    'flannel DaemonSet and cluster',
    'warning',
    'Neither privileged nor both NET_ADMIN and NET_RAW.',
  ),
  rule(
    'flannel-pod-identity',
    'flannel DaemonSet and cluster',
    'warning',
    'Neither POD_NAME and POD_NAMESPACE from fieldRefs, nor NODE_NAME.',
  ),
  rule(
    'flannel-conflist-name',
    'flannel DaemonSet and cluster',
    'warning',
    'cni-conf.json is installed under a name that does not end in .conflist.',
  ),
  rule(
    'cluster-cidr-mismatch',
    'flannel DaemonSet and cluster',
    'error',
    "--cluster-cidr (or kubeadm podSubnet) is not inside flannel's Network.",
  ),
  rule(
    'service-cidr-overlap',
    'flannel DaemonSet and cluster',
    'error',
    "The service CIDR overlaps flannel's Network or a podCIDR.",
  ),
  rule(
    'node-ip-in-pod-network',
    'flannel DaemonSet and cluster',
    'error',
    "A Node's InternalIP lies inside flannel's Network.",
  ),
  rule(
    'allocate-node-cidrs-off',
    'flannel DaemonSet and cluster',
    'warning',
    'kube-controller-manager without --allocate-node-cidrs=true while Nodes carry no podCIDR.',
  ),
];

export const RULES: ReadonlyMap<string, RuleMeta> = new Map(ALL.map((meta) => [meta.id, meta]));

export const RULE_IDS: readonly string[] = ALL.map((meta) => meta.id);

export function ruleMeta(id: string): RuleMeta {
  const meta = RULES.get(id);
  if (!meta) throw new Error(`unknown rule id ${id}`);
  return meta;
}
