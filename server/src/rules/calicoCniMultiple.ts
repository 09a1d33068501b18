// cni-multiple: two CNIs installed in one cluster (calico.md §5). The runtime loads the lexically first
// file of /etc/cni/net.d, so pods get addresses from that CNI while the other's agents still run. Reported on
// each installer (DaemonSet, Installation); a warning only when both are shown to run (one file, one
// kustomization, or Node annotations of both), information for manifests kept side by side as alternatives.
import * as path from 'path';
import { byCodeUnits } from '../core/text';
import { get, isMapNode, scalarText, textItems } from '../core/yamlAccess';
import { type K8sObject } from '../core/manifest';
import { type CniEvidence, type CniKind } from '../model/cniDetection';
import { listed, Locator } from '../model/locations';
import { type Cluster } from '../model/workspace';
import { type RuleContext } from './types';

interface Installer {
  readonly cni: CniKind;
  readonly object: K8sObject;
  readonly conflist: string;
}

const NAMES: Record<CniKind, string> = { flannel: 'flannel', calico: 'Calico', canal: 'Canal' };

export function checkCniMultiple({ cluster, report }: RuleContext): void {
  const installers = installersOf(cluster);
  const kinds = new Set(installers.map((i) => i.cni));
  if (kinds.size < 2) return;
  const at = new Locator(cluster);
  const first = [...installers].sort((a, b) => byCodeUnits(a.conflist, b.conflist))[0];
  const together = evidenceTheyRun(cluster, installers);
  for (const installer of installers) {
    const others = installers.filter((o) => o.cni !== installer.cni);
    const describe = (o: Installer) =>
      `${NAMES[o.cni]} (${o.object.kind} ${o.object.name?.value ?? ''} in ` +
      `${at.whereObject(o.object, installer.object.uri)})`;
    const otherText = listed(others.map(describe));
    const loads =
      `the runtime loads the lexically first file of /etc/cni/net.d, ${first.conflist}, so pods get their ` +
      `addresses from ${NAMES[first.cni]}`;
    const base = `${NAMES[installer.cni]} is installed here (${installer.conflist}), and so is ${otherText}.`;
    const modelled = cluster.network.cni.kind;
    const message = together
      ? `${base} The ${loads}, while the other's agents still program their routes, tunnels and iptables ` +
        `rules on every node: pod addresses and routes conflict (${together}). Install one CNI.`
      : `${base} They look like alternatives kept side by side; if both are applied, ${loads}, and the ` +
        `other's routes and rules conflict with it. Podnet models ${NAMES[modelled as CniKind] ?? modelled}.`;
    report({
      code: 'cni-multiple',
      uri: installer.object.uri,
      range: at.anchor(installer.object),
      message,
      ...(together ? {} : { severity: 'information' as const }),
    });
  }
}

/** The DaemonSets and Installations of the evidence: what installs a CNI on the nodes. */
function installersOf(cluster: Cluster): Installer[] {
  const objects = [
    ...cluster.facts.daemonSets.map((d) => d.object),
    ...cluster.facts.calico.filter((c) => c.kind === 'Installation').map((c) => c.object),
  ];
  const installers: Installer[] = [];
  for (const evidence of cluster.network.cni.evidence) {
    const object = objects.find((o) => sameObject(o, evidence));
    // One per CNI and file: flannel's per-architecture DaemonSets are one install.
    const seen = installers.some((i) => i.cni === evidence.cni && i.object.uri === object?.uri);
    if (object && !seen)
      installers.push({ cni: evidence.cni, object, conflist: evidence.conflist ?? `10-${evidence.cni}.conflist` });
  }
  return installers;
}

const sameObject = (object: K8sObject, evidence: CniEvidence) =>
  evidence.source?.uri === object.uri && evidence.source.range[0] === object.range[0];

/** Why both CNIs run, when something shows it; undefined when the manifests may be alternatives. */
function evidenceTheyRun(cluster: Cluster, installers: readonly Installer[]): string | undefined {
  const byKind = new Map<CniKind, Set<string>>();
  for (const i of installers) byKind.set(i.cni, new Set([...(byKind.get(i.cni) ?? []), i.object.uri]));
  const [a, b] = [...byKind.values()];
  if ([...a].some((uri) => b.has(uri))) return 'both are in one file';
  const kustomized = kustomizationResources(cluster);
  for (const resources of kustomized)
    if ([...a].some((u) => resources.has(u)) && [...b].some((u) => resources.has(u)))
      return 'one kustomization applies both';
  const annotated = (prefix: string) =>
    cluster.facts.nodes.some((node) => annotationKeysOf(node.object).some((key) => key.startsWith(prefix)));
  if (annotated('flannel.alpha.coreos.com/') && annotated('projectcalico.org/'))
    return 'the Nodes carry both flannel and Calico annotations';
  return undefined;
}

function annotationKeysOf(object: K8sObject): string[] {
  const annotations = get(object.node, 'metadata', 'annotations');
  return isMapNode(annotations) ? annotations.items.map((pair) => String(scalarText(pair.key)?.value ?? '')) : [];
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The file URIs each kustomization of the cluster lists in `resources`. */
function kustomizationResources(cluster: Cluster): Array<Set<string>> {
  const byPath = new Map(cluster.files.map(({ file }) => [file.path, file.uri]));
  const result: Array<Set<string>> = [];
  for (const { file } of cluster.files) {
    if (!KUSTOMIZATION_FILES.includes(path.posix.basename(file.path))) continue;
    const root = file.documents[0]?.doc.contents;
    const uris = new Set<string>();
    for (const entry of textItems(get(root, 'resources'))) {
      const uri = byPath.get(path.posix.join(path.posix.dirname(file.path), entry.value));
      if (uri) uris.add(uri);
    }
    result.push(uris);
  }
  return result;
}
