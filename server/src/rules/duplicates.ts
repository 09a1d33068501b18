// duplicate-config for flannel: where a cluster holds several flannel DaemonSets or ConfigMaps, Podnet models
// one of each (network.ts: the first flannel DaemonSet by file path, the ConfigMap it mounts); this says so
// on each, names the one modelled and why, and what an unmodelled net-conf.json would change (issue 12,
// point 7). The control plane's duplicates are in duplicateControlPlane.ts.
import * as path from 'path';
import { type Cidr, containsCidr, formatCidr, networkOf, parseCidr } from '../core/cidr';
import { type K8sObject } from '../core/manifest';
import { type OffsetRange } from '../core/text';
import { get, getText, itemsOf, textItems } from '../core/yamlAccess';
import { interpretNetConf } from '../model/netconf';
import { nodeSelectionOf, sameSelection, selectionsDisjoint, selectsEveryNode } from '../model/nodeSelection';
import { type ConfigMapFacts, type DaemonSetFacts } from '../model/objects';
import { type Cluster } from '../model/workspace';
import { listed, Locator } from '../model/locations';
import { type Severity } from './registry';
import { type RuleContext } from './types';

export function checkDuplicates(context: RuleContext): void {
  new FlannelDuplicates(context).run();
}

/** How one object relates to another of the same role. */
type Relation = 'replaces' | 'runs-beside' | 'copy' | 'may-run-beside' | 'coexists';
const WARNING_RELATIONS: readonly Relation[] = ['replaces', 'runs-beside'];

const namespaceOf = (object: K8sObject) => object.namespace?.value ?? 'default';
const sameKey = (a: K8sObject, b: K8sObject) =>
  a.name !== undefined && a.name.value === b.name?.value && namespaceOf(a) === namespaceOf(b);
const nameOf = (object: K8sObject) => object.name?.value ?? `<unnamed ${object.kind}>`;
const mounts = (daemonSet: DaemonSetFacts, configMap: ConfigMapFacts) =>
  namespaceOf(daemonSet.object) === namespaceOf(configMap.object) &&
  daemonSet.spec.volumes.some((v) => v.configMapName?.value === configMap.object.name?.value);

/** Whether two ConfigMaps give flannel the same files. */
const sameContent = (a: ConfigMapFacts, b: ConfigMapFacts) =>
  a.netConf?.json.text === b.netConf?.json.text && a.cniConf?.json.text === b.cniConf?.json.text;

const SAME_NAMES = 'objects of the same namespace and name replace each other (the one applied last stays)';

/** What each relation says: a lead before the list of objects, a consequence after it. */
const DAEMONSET_RELATIONS: Partial<Record<Relation, [string, string]>> = {
  replaces: ['Same namespace and name, other content', '; whichever is applied last replaces the other'],
  'runs-beside': [
    'Running on nodes this one runs on too',
    '; each such node gets two flanneld, managing the same flannel device, routes, iptables rules and ' +
      '/run/flannel/subnet.env',
  ],
  'may-run-beside': ['Perhaps on the same nodes (node selectors Podnet cannot tell apart)', ''],
  copy: ['Written again, the same', ''],
};
const CONFIGMAP_RELATIONS: Partial<Record<Relation, [string, string]>> = {
  replaces: ['Same namespace and name, other content', '; whichever is applied last replaces the other'],
  copy: ['Same namespace, name and content', ''],
  coexists: ['Besides this one', ''],
};

/** A warning when the cluster really gets two of them, else information. */
const severityOf = (related: Array<[Relation, unknown]>): Severity =>
  related.some(([relation]) => WARNING_RELATIONS.includes(relation)) ? 'warning' : 'information';

/** The relation of every pair, listed for both of its members; members without one are left out. */
function pairwise<T>(items: readonly T[], relate: (a: T, b: T) => Relation | undefined): Map<T, Array<[Relation, T]>> {
  const relations = new Map<T, Array<[Relation, T]>>();
  const add = (item: T, entry: [Relation, T]) => relations.set(item, [...(relations.get(item) ?? []), entry]);
  items.forEach((a, i) => {
    for (const b of items.slice(i + 1)) {
      const relation = relate(a, b);
      if (!relation) continue;
      add(a, [relation, b]);
      add(b, [relation, a]);
    }
  });
  return relations;
}

class FlannelDuplicates {
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

  run(): void {
    let daemonSets = this.cluster.facts.daemonSets.filter((d) => d.flannelContainer);
    let configMaps = this.cluster.facts.configMaps.filter((c) => c.netConf);
    if (daemonSets.length < 2 && configMaps.length < 2) return;
    // A kustomize patch is merged into the object it names, not applied beside it.
    const patches = kustomizePatches(this.cluster);
    if (patches.size > 0) {
      const applied = (object: K8sObject) => !patches.has(this.at.fileOf(object.uri)?.path ?? '');
      daemonSets = daemonSets.filter((d) => applied(d.object));
      configMaps = configMaps.filter((c) => applied(c.object));
    }
    const alternatives = this.alternativeManifests(daemonSets, configMaps);
    // Objects of two such manifests are alternatives: one note per manifest says so.
    const apart = (a: K8sObject, b: K8sObject) => a.uri !== b.uri && alternatives.has(a.uri) && alternatives.has(b.uri);
    if (alternatives.size > 1) this.reportAlternatives(alternatives, daemonSets);
    this.daemonSets(daemonSets, apart);
    this.configMaps(configMaps, apart);
  }

  /**
   * The files that hold a whole flannel install (a DaemonSet and the ConfigMap it mounts), when there
   * are at least two: flannel's own folders and many home-lab repositories keep several side by side
   * (kube-flannel.yml, kube-flannel-aliyun.yml, a copy for another release), to apply one of.
   */
  private alternativeManifests(
    daemonSets: DaemonSetFacts[],
    configMaps: ConfigMapFacts[],
  ): Map<string, ConfigMapFacts> {
    const manifests = new Map<string, ConfigMapFacts>();
    for (const daemonSet of daemonSets) {
      const own = configMaps.find((c) => c.object.uri === daemonSet.object.uri && mounts(daemonSet, c));
      if (own && !manifests.has(own.object.uri)) manifests.set(own.object.uri, own);
    }
    return manifests.size > 1 ? manifests : new Map<string, ConfigMapFacts>();
  }

  private reportAlternatives(manifests: Map<string, ConfigMapFacts>, daemonSets: DaemonSetFacts[]): void {
    const modelled = this.cluster.network.configMap;
    const uris = [...manifests.keys()];
    const inFile = (uri: string) => daemonSets.filter((d) => d.object.uri === uri);
    for (const [uri, configMap] of manifests) {
      const others = uris.filter((u) => u !== uri);
      const clashes = new Set<string>();
      for (const other of others) {
        const otherMap = manifests.get(other)!;
        if (sameKey(configMap.object, otherMap.object) && !sameContent(configMap, otherMap)) clashes.add(SAME_NAMES);
        for (const a of inFile(uri))
          for (const b of inFile(other)) {
            const relation = this.daemonSetRelation(a, b);
            if (relation === 'replaces') clashes.add(SAME_NAMES);
            else if (relation === 'runs-beside') clashes.add('their DaemonSets run two flanneld on the same nodes');
            else if (relation === 'may-run-beside')
              clashes.add('their DaemonSets may run two flanneld on the same nodes');
          }
      }
      const together = clashes.size > 0 ? ` Applied together, ${[...clashes].join(', and ')}.` : '';
      const isModelled = modelled?.object.uri === uri;
      const model = isModelled
        ? `Podnet models this one (${this.alternativeReason()}).`
        : modelled
          ? `Podnet models the one in ${this.at.whereObject(modelled.object)} (${this.alternativeReason()}).`
          : '';
      const network = isModelled ? '' : this.networkNote(configMap);
      this.finding(
        configMap.object,
        this.at.anchor(configMap.object),
        'information',
        `This file is one of ${manifests.size} flannel manifests in this cluster, each a DaemonSet with the ` +
          `ConfigMap it mounts (${others.length === 1 ? 'the other' : 'the others'}: ` +
          `${listed(others.map((u) => this.at.whereObject(manifests.get(u)!.object)))}): ` +
          `alternatives, to apply one of.${together} ${model}${network}`,
      );
    }
  }

  private daemonSetRelation(a: DaemonSetFacts, b: DaemonSetFacts): Relation | undefined {
    if (sameKey(a.object, b.object)) return this.at.text(a.object) === this.at.text(b.object) ? 'copy' : 'replaces';
    const selectionA = nodeSelectionOf(a.spec.scheduling);
    const selectionB = nodeSelectionOf(b.spec.scheduling);
    if (selectionsDisjoint(selectionA, selectionB)) return undefined;
    // A DaemonSet that asks nothing of nodes runs on the other's nodes too; differing selectors that
    // Podnet cannot prove apart may still split the nodes by labels it does not know.
    return selectsEveryNode(selectionA) || selectsEveryNode(selectionB) || sameSelection(selectionA, selectionB)
      ? 'runs-beside'
      : 'may-run-beside';
  }

  private daemonSets(daemonSets: DaemonSetFacts[], apart: (a: K8sObject, b: K8sObject) => boolean): void {
    const relations = pairwise(daemonSets, (a, b) =>
      apart(a.object, b.object) ? undefined : this.daemonSetRelation(a, b),
    );
    const modelled = this.cluster.network.flannelDaemonSet;
    for (const [daemonSet, related] of relations) {
      const from = daemonSet.object.uri;
      const model =
        modelled === daemonSet
          ? 'Podnet models this one (the first by file path).'
          : modelled
            ? `Podnet models ${nameOf(modelled.object)} at ${this.at.whereObject(modelled.object, from)} ` +
              '(the first by file path).'
            : '';
      this.finding(
        daemonSet.object,
        this.at.anchor(daemonSet.object),
        severityOf(related),
        `One of ${daemonSets.length} flannel DaemonSets in this cluster. ` +
          `${this.describe(related, from, DAEMONSET_RELATIONS)} ${model}`,
      );
    }
  }

  private configMaps(configMaps: ConfigMapFacts[], apart: (a: K8sObject, b: K8sObject) => boolean): void {
    const relations = pairwise(configMaps, (a, b): Relation | undefined => {
      if (apart(a.object, b.object)) return undefined;
      if (!sameKey(a.object, b.object)) return 'coexists';
      return sameContent(a, b) ? 'copy' : 'replaces';
    });
    const modelled = this.cluster.network.configMap;
    for (const [configMap, related] of relations) {
      const from = configMap.object.uri;
      // Any DaemonSet: one that runs flanneld from a script (Windows) is not recognised as flannel's.
      const readers = this.cluster.facts.daemonSets.filter((d) => mounts(d, configMap)).map((d) => nameOf(d.object));
      const read =
        configMap === modelled
          ? ''
          : readers.length > 0
            ? ` The DaemonSet ${readers.join(', ')} mounts a ConfigMap of this name.`
            : ' No DaemonSet in this cluster mounts it, and flanneld reads only the ConfigMap its DaemonSet mounts.';
      const model =
        configMap === modelled
          ? `Podnet models this one: ${this.configMapReason()}.`
          : modelled
            ? `Podnet models ${nameOf(modelled.object)} at ${this.at.whereObject(modelled.object, from)}: ` +
              `${this.configMapReason()}.`
            : '';
      this.finding(
        configMap.object,
        this.at.anchor(configMap.object),
        severityOf(related),
        `One of ${configMaps.length} flannel ConfigMaps (with net-conf.json) in this cluster. ` +
          `${this.describe(related, from, CONFIGMAP_RELATIONS)} ${model}${read}` +
          `${configMap === modelled ? '' : this.networkNote(configMap)}`,
      );
    }
  }

  /** The related objects, grouped by how they relate: `Others: a at x, b at y.` per group. */
  private describe<T extends { object: K8sObject }>(
    related: Array<[Relation, T]>,
    from: string,
    texts: Partial<Record<Relation, [string, string]>>,
  ): string {
    const sentences: string[] = [];
    for (const [relation, [lead, consequence]] of Object.entries(texts) as Array<[Relation, [string, string]]>) {
      const others = related
        .filter(([r]) => r === relation)
        .map(([, other]) => `${nameOf(other.object)} at ${this.at.whereObject(other.object, from)}`);
      if (others.length > 0) sentences.push(`${lead}: ${listed(others)}${consequence}.`);
    }
    return sentences.join(' ');
  }

  /** Why the modelled manifest is the one, among alternative manifests. */
  private alternativeReason(): string {
    const { configMap, flannelDaemonSet } = this.cluster.network;
    return flannelDaemonSet && configMap && flannelDaemonSet.object.uri === configMap.object.uri
      ? `its DaemonSet ${nameOf(flannelDaemonSet.object)} is the first flannel DaemonSet by file path`
      : this.configMapReason();
  }

  /** Why the modelled ConfigMap is the one (see flannelConfigMapOf). */
  private configMapReason(): string {
    const { configMap, flannelDaemonSet } = this.cluster.network;
    if (!configMap || !flannelDaemonSet || !mounts(flannelDaemonSet, configMap)) return 'the first by file path';
    const reason = `the one the flannel DaemonSet ${nameOf(flannelDaemonSet.object)} mounts`;
    const named = this.cluster.facts.configMaps.filter((c) => c.netConf && sameKey(c.object, configMap.object));
    if (named.length < 2) return reason;
    return configMap.object.uri === flannelDaemonSet.object.uri
      ? `${reason}, from the DaemonSet's own file`
      : `${reason}, the first by file path of those so named`;
  }

  /**
   * What an unmodelled ConfigMap's Network would mean, were it the one flanneld reads: the rules compare
   * the modelled one with the cluster CIDR and the Nodes' podCIDRs; this compares this one.
   */
  private networkNote(configMap: ConfigMapFacts): string {
    const modelled = this.cluster.network.netConf.network;
    const network = interpretNetConf(configMap.netConf?.json.root).network;
    if (!network || !modelled || formatCidr(network) === formatCidr(modelled)) return '';
    const differs = ` Its Network ${formatCidr(network)} differs from the modelled ${formatCidr(modelled)}`;
    const { outside, compared } = this.outsideOf(network);
    if (outside.length > 0)
      return (
        `${differs} and does not contain ${listed(outside)}: were flanneld to read this one, those nodes' ` +
        `podCIDRs would lie outside its Network, and flanneld (v0.18 and later) exits on such a node.`
      );
    return compared ? `${differs}, but contains the cluster CIDR and every Node podCIDR known.` : `${differs}.`;
  }

  /** The cluster CIDRs and Node podCIDRs (IPv4) that `network` does not contain, and whether any was known. */
  private outsideOf(network: Cidr): { outside: string[]; compared: boolean } {
    const { facts } = this.cluster;
    const outside: string[] = [];
    let compared = false;
    const isOutside = (text: string) => {
      const cidr = parseCidr(text.trim());
      if (cidr?.family !== 4) return false;
      compared = true;
      return !containsCidr(network, networkOf(cidr));
    };
    const check = (value: string | undefined, describe: (text: string) => string) => {
      for (const part of (value ?? '').split(',')) if (isOutside(part)) outside.push(describe(part.trim()));
    };
    for (const kcm of facts.controllerManagers) {
      const flag = kcm.flags.find((f) => f.name === 'cluster-cidr');
      check(flag?.value, (t) => `kube-controller-manager --cluster-cidr ${t} (${this.at.whereObject(kcm.object)})`);
    }
    for (const config of facts.clusterConfigurations)
      check(config.podSubnet?.value, (t) => `kubeadm podSubnet ${t} (${this.at.whereObject(config.object)})`);
    const nodes = facts.nodes.filter((node) => node.podCIDRs.filter((c) => isOutside(c.value)).length > 0);
    if (nodes.length > 0) {
      const names = nodes.slice(0, 3).map((n) => nameOf(n.object));
      if (nodes.length > 3) names.push(`${nodes.length - 3} more`);
      outside.push(`the podCIDR of ${nodes.length === 1 ? 'Node' : 'Nodes'} ${names.join(', ')}`);
    }
    return { outside, compared };
  }
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The files the cluster's kustomizations name as patches (`patchesStrategicMerge`, `patches[].path`). */
function kustomizePatches(cluster: Cluster): Set<string> {
  const patches = new Set<string>();
  for (const { file } of cluster.files) {
    if (!KUSTOMIZATION_FILES.includes(path.posix.basename(file.path))) continue;
    const root = file.documents[0]?.doc.contents;
    const named = [
      ...textItems(get(root, 'patchesStrategicMerge')),
      ...itemsOf(get(root, 'patches')).flatMap((item) => getText(item, 'path') ?? []),
    ];
    for (const entry of named) patches.add(path.posix.join(path.posix.dirname(file.path), entry.value));
  }
  return patches;
}
