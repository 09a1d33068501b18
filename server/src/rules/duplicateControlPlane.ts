// duplicate-config for the control plane: a kubeadm config file that gives a kind twice (kubeadm refuses
// it: cmd/kubeadm/app/util SplitYAMLDocuments), ClusterConfigurations in several files, and
// kube-controller-manager cluster CIDRs that disagree. Podnet takes the cluster CIDR from the first
// kube-controller-manager --cluster-cidr, else the first ClusterConfiguration (clusterCidrOf).
import { formatCidr, networkOf, parseCidr } from '../core/cidr';
import { type K8sObject } from '../core/manifest';
import { type OffsetRange } from '../core/text';
import { get, getText, isMapNode, itemsOf, type Located } from '../core/yamlAccess';
import { clusterCidrOf } from '../model/network';
import { type ClusterConfigurationFacts } from '../model/objects';
import { type Cluster } from '../model/workspace';
import { listed, Locator } from '../model/locations';
import { type Severity } from './registry';
import { type RuleContext } from './types';

export function checkControlPlaneDuplicates(context: RuleContext): void {
  const check = new ControlPlaneDuplicates(context);
  check.kubeadmFiles();
  check.clusterConfigurations();
  check.controllerManagers();
}

class ControlPlaneDuplicates {
  private readonly cluster: Cluster;
  private readonly report: RuleContext['report'];
  private readonly at: Locator;

  constructor({ cluster, report }: RuleContext) {
    this.cluster = cluster;
    this.report = report;
    this.at = new Locator(cluster);
  }

  private finding(object: K8sObject, range: OffsetRange, severity: Severity, message: string): void {
    this.report({ code: 'duplicate-config', uri: object.uri, range, severity, message });
  }

  /**
   * A kubeadm config file (its documents all kubeadm's or component configs, as `kubeadm init --config`
   * takes) that gives a kind twice: kubeadm refuses the whole file.
   */
  kubeadmFiles(): void {
    for (const { file } of this.cluster.files) {
      const objects = file.objects;
      // Whether every object is kubeadm's first: a file of other objects fails at its first one.
      if (!objects.every((o) => KUBEADM_FILE_GROUPS.some((group) => o.apiVersion.startsWith(group)))) continue;
      if (!objects.some((o) => o.apiVersion.startsWith('kubeadm.k8s.io/'))) continue;
      const first = new Map<string, K8sObject>();
      for (const object of objects) {
        const earlier = first.get(object.kind);
        if (!earlier) {
          first.set(object.kind, object);
          continue;
        }
        const kind = getText(object.node, 'kind');
        const used =
          object.kind === 'ClusterConfiguration' ? ' Podnet reads the first ClusterConfiguration of the file.' : '';
        this.finding(
          object,
          kind?.textRange ?? this.at.anchor(object),
          'error',
          `kubeadm rejects this file: invalid configuration: kind "${object.kind}" is specified twice in YAML ` +
            `file (the first at ${this.at.where(object.uri, this.at.anchor(earlier)[0], object.uri)}). Keep one ` +
            `${object.kind} document per file.${used}`,
        );
      }
    }
  }

  /** ClusterConfigurations in several files: kubeadm read one of them; Podnet takes the first by path. */
  clusterConfigurations(): void {
    const configs = this.cluster.facts.clusterConfigurations;
    const firstOfFile = configs.filter((c, i) => configs.findIndex((o) => o.object.uri === c.object.uri) === i);
    if (firstOfFile.length < 2) return;
    const chosen = clusterCidrOf(this.cluster.facts);
    const describe = (c: ClusterConfigurationFacts) =>
      c.podSubnet ? `podSubnet ${c.podSubnet.value}` : 'no podSubnet';
    for (const config of firstOfFile) {
      const from = config.object.uri;
      const others = firstOfFile
        .filter((c) => c !== config)
        .map((c) => `${this.at.whereObject(c.object, from)} (${describe(c)})`);
      const model =
        chosen?.object === config.object
          ? 'Podnet predicts node podCIDRs from this one (the first by file path with a podSubnet).'
          : chosen
            ? `Podnet predicts node podCIDRs from ${chosen.source} at ${this.at.whereObject(chosen.object, from)}` +
              (chosen.object.kind === 'ClusterConfiguration'
                ? ' (the first by file path with a podSubnet).'
                : ' (what runs).')
            : '';
      this.finding(
        config.object,
        this.at.anchor(config.object),
        'information',
        `One of ${firstOfFile.length} kubeadm ClusterConfigurations in this cluster, in separate files ` +
          `(this one: ${describe(config)}; ${others.length === 1 ? 'the other' : 'the others'}: ${listed(others)}): ` +
          `\`kubeadm init --config\` reads one ` +
          `file. ${model} cluster-cidr-mismatch checks every podSubnet against flannel's Network.`,
      );
    }
  }

  /**
   * kube-controller-manager's --cluster-cidr against the other sources of the cluster CIDR: two static
   * Pods with different ranges hand out podCIDRs from whichever the elected leader has; a kubeadm
   * ClusterConfiguration that says otherwise is not what runs.
   */
  controllerManagers(): void {
    const chosen = clusterCidrOf(this.cluster.facts);
    if (chosen?.object.kind !== 'Pod') return;
    const text = formatCidr(chosen.cidr);
    const first = (value: string | undefined) => {
      const cidr = parseCidr(value?.split(',')[0]?.trim() ?? '');
      return cidr ? formatCidr(networkOf(cidr)) : undefined;
    };
    const kcms = this.cluster.facts.controllerManagers.flatMap((kcm) => {
      const flag = kcm.flags.find((f) => f.name === 'cluster-cidr');
      const cidr = first(flag?.value);
      return flag && cidr ? [{ kcm, flag, cidr }] : [];
    });
    if (kcms.some((k) => k.cidr !== text)) {
      for (const { kcm, flag, cidr } of kcms) {
        const others = kcms
          .filter((k) => k.kcm !== kcm)
          .map((k) => `${k.flag.value} at ${this.at.whereObject(k.kcm.object, kcm.object.uri)}`);
        const model =
          kcm.object === chosen.object
            ? 'Podnet predicts podCIDRs from this one (the first by file path).'
            : `Podnet predicts podCIDRs from ${text} at ${this.at.whereObject(chosen.object, kcm.object.uri)} ` +
              '(the first by file path).';
        this.finding(
          kcm.object,
          flag.valueRange,
          'warning',
          `${kcms.length} kube-controller-manager manifests in this cluster, with different --cluster-cidr: ` +
            `${cidr} here, ${listed(others)}. Only the elected leader allocates node podCIDRs, so nodes get ` +
            `them from whichever range the current leader has. ${model}`,
        );
      }
    }
    for (const config of this.cluster.facts.clusterConfigurations) {
      const value = kubeadmClusterCidr(config);
      const cidr = first(value?.value);
      if (!value || !cidr || cidr === text) continue;
      this.finding(
        config.object,
        value.textRange,
        'information',
        `kube-controller-manager at ${this.at.whereObject(chosen.object, config.object.uri)} runs with ` +
          `--cluster-cidr ${text}, not ${value.value}: Podnet predicts node podCIDRs from the flag, which is what ` +
          `runs.${value === config.podSubnet ? " cluster-cidr-mismatch checks both against flannel's Network." : ''}`,
      );
    }
  }
}

/** The API groups of the documents `kubeadm init --config` reads: its own and the component configs. */
const KUBEADM_FILE_GROUPS = ['kubeadm.k8s.io/', 'kubelet.config.k8s.io/', 'kubeproxy.config.k8s.io/'];

/**
 * The cluster CIDR a ClusterConfiguration gives kube-controller-manager: `controllerManager.extraArgs`
 * (a map until v1beta3, a list of name/value from v1beta4) overrides `networking.podSubnet`.
 */
function kubeadmClusterCidr(config: ClusterConfigurationFacts): Located<string> | undefined {
  const extraArgs = get(config.object.node, 'controllerManager', 'extraArgs');
  if (isMapNode(extraArgs)) {
    const value = getText(extraArgs, 'cluster-cidr');
    if (value) return value;
  }
  for (const item of itemsOf(extraArgs))
    if (getText(item, 'name')?.value === 'cluster-cidr') return getText(item, 'value') ?? config.podSubnet;
  return config.podSubnet;
}
