// Static pods of the control plane: the manifests kubeadm writes to /etc/kubernetes/manifests. kubelet runs
// them itself on its own node, with no scheduler, so the files carry no spec.nodeName; the mirror pod in the
// API is bound to that node (kubernetes-workloads.md §1.6). kubeadm's are hostNetwork: they take the node's
// IP and get no veth. Which node holds the file is not in the file: it is told by the Node labels kubeadm
// sets (§3.4), or by the cluster having one node, or by a node named like a control plane.
import type { NodeFacts, PodFacts } from './objects';

const COMPONENTS = new Set(['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd']);
/** The role labels kubeadm puts on control-plane nodes; `master` before kubeadm 1.25. */
const ROLE_LABELS = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

const looksLikeControlPlane = (name: string): boolean => /master|control|(^|[-.])cp\d*([-.]|$)/i.test(name);
const looksLikeWorker = (name: string): boolean => /worker|minion|agent/i.test(name);

const baseName = (path: string) => path.split('/').pop() ?? path;
/** `registry.k8s.io/kube-apiserver-amd64:v1.31.4` → `kube-apiserver`. */
const imageName = (image: string) =>
  baseName(image.split('@')[0].replace(/:[^/]*$/, '')).replace(/-(amd64|arm64|arm|ppc64le|s390x)$/, '');

/** The control-plane component a Pod runs when it is one of kubeadm's static pod manifests, else undefined. */
export function controlPlaneComponentOf(pod: PodFacts): string | undefined {
  if (pod.spec.nodeName || !pod.spec.hostNetwork || pod.object.namespace?.value !== 'kube-system') return undefined;
  for (const container of pod.spec.containers) {
    const command = baseName(container.command[0]?.value ?? '');
    if (COMPONENTS.has(command)) return command;
    const image = imageName(container.image?.value ?? '');
    if (COMPONENTS.has(image)) return image;
  }
  return undefined;
}

/** Whether kubeadm labelled the Node as a control plane. */
export const hasControlPlaneRole = (node: NodeFacts): boolean => node.labels.some(([key]) => ROLE_LABELS.includes(key));

interface NodeLike {
  readonly name: string;
  readonly facts?: NodeFacts;
}

/** The control-plane node, with how it was told; or, when it cannot be told, why. */
export type ControlPlaneNode = { readonly name: string; readonly how: string } | { readonly why: string };

/**
 * `declared`: the nodes come from Node objects or settings, so a lone node is the whole cluster; nodes known
 * only from the pods' nodeNames say nothing of the nodes no pod names.
 */
export function controlPlaneNodeOf(nodes: readonly NodeLike[], declared: boolean): ControlPlaneNode {
  const labelled = nodes.filter((n) => n.facts && hasControlPlaneRole(n.facts));
  if (labelled.length === 1)
    return { name: labelled[0].name, how: 'the node labelled node-role.kubernetes.io/control-plane' };
  if (labelled.length > 1) return several(labelled, 'are labelled node-role.kubernetes.io/control-plane');
  const named = nodes.filter((n) => looksLikeControlPlane(n.name));
  if (named.length === 1) return { name: named[0].name, how: 'the node named like a control plane' };
  if (named.length > 1) return several(named, 'are named like a control plane');
  if (isSoleNode(nodes, declared)) return { name: nodes[0].name, how: 'the only node of the cluster' };
  if (nodes.length === 0) return { why: 'the cluster has no known node to run it on' };
  const which = declared ? 'no Node is' : 'no Node object in the workspace is';
  return {
    why:
      `${which} labelled node-role.kubernetes.io/control-plane or named like a control plane, so Podnet ` +
      'cannot tell which node runs it',
  };
}

function several(nodes: readonly NodeLike[], what: string): ControlPlaneNode {
  const names = nodes.slice(0, 5).map((n) => n.name);
  return {
    why:
      `${nodes.length} nodes ${what} (${names.join(', ')}${nodes.length > 5 ? ', …' : ''}): each runs its own ` +
      `copy from its /etc/kubernetes/manifests, and Podnet cannot tell which node this file comes from`,
  };
}

/** Where a control-plane static pod runs: a node name, or why no node can be named. */
export type StaticPodHome = { readonly component: string } & ControlPlaneNode;

/** Undefined for a Pod that is not a control-plane static pod (it stays with the scheduler). */
export function staticPodNode(pod: PodFacts, nodes: readonly NodeLike[], declared: boolean): StaticPodHome | undefined {
  const component = controlPlaneComponentOf(pod);
  return component ? { component, ...controlPlaneNodeOf(nodes, declared) } : undefined;
}

/** A single-node cluster (minikube, kind, k3s on one host): its one node is the control plane. */
const isSoleNode = (nodes: readonly NodeLike[], declared: boolean): boolean =>
  declared && nodes.length === 1 && !looksLikeWorker(nodes[0].name);

/**
 * The nodes known to be control planes: labelled or named so, or the one node of a single-node cluster.
 * They register first, so kube-controller-manager gives them the first podCIDRs.
 */
export function controlPlaneNodes<T extends NodeLike>(nodes: readonly T[], declared: boolean): T[] {
  if (isSoleNode(nodes, declared)) return [...nodes];
  return nodes.filter((n) => (n.facts !== undefined && hasControlPlaneRole(n.facts)) || looksLikeControlPlane(n.name));
}
