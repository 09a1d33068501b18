// Ids of what the topology draws, built and taken apart here only. An id is a `/`-separated path:
//   node              <node>
//   pod               <node>/<namespace>/<pod>
//   host device       <node>/host/<device>
//   pod device        <node>/<namespace>/<pod>/<device>
//   hidden pods       <node>/pods
//   the wire, the tunnel overlay, the cluster title: `wire`, `tunnel`, `cluster`
// Names come from manifests and may hold anything, so each segment escapes `%` and `/`, and a name that
// equals a reserved word of its position (a namespace called `host`, a node called `wire`) has its first
// character escaped: every id parses back to the names it was built from. Ordinary names read as is.
// Pure, no Node or DOM: the webview bundles it too.

export const WIRE_ID = 'wire';
export const TUNNEL_ID = 'tunnel';
export const CLUSTER_ID = 'cluster';
const HOST = 'host';
const PODS = 'pods';

export interface PodRef {
  namespace: string;
  name: string;
}

export type TopologyId =
  | { kind: 'node'; node: string }
  | { kind: 'pod'; node: string; pod: PodRef }
  | { kind: 'device'; node: string; pod?: PodRef; device: string }
  | { kind: 'pods'; node: string }
  | { kind: 'wire' }
  | { kind: 'tunnel' }
  | { kind: 'cluster' };

const NODE_RESERVED: readonly string[] = [WIRE_ID, TUNNEL_ID, CLUSTER_ID];
const NAMESPACE_RESERVED: readonly string[] = [HOST];
/** Whether the name is its own segment: no `%` or `/` (a search, not a RegExp: thousands of pods each build ids). */
const isPlain = (name: string): boolean => name.indexOf('%') < 0 && name.indexOf('/') < 0;

/** Topologies build ids for thousands of pods: ordinary names (no `%`, `/`) are taken as they are. */
function segment(name: string, reserved: readonly string[] = []): string {
  const escaped = isPlain(name) ? name : name.replace(/[%/]/g, (ch) => (ch === '%' ? '%25' : '%2F'));
  return reserved.length > 0 && reserved.includes(escaped)
    ? `%${escaped.charCodeAt(0).toString(16)}${escaped.slice(1)}`
    : escaped;
}

/** The name a segment stands for, or undefined for text no constructor here builds. */
function unsegment(text: string): string | undefined {
  if (/%(?![0-9a-fA-F]{2})/.test(text)) return undefined;
  return text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export const nodeId = (node: string): string => segment(node, NODE_RESERVED);

export const podId = (node: string, pod: PodRef): string =>
  `${nodeId(node)}/${segment(pod.namespace, NAMESPACE_RESERVED)}/${segment(pod.name)}`;

/** The id of the node's host namespace: its devices' ids extend it as a pod's devices' extend the pod's. */
export const hostNamespaceId = (node: string): string => `${nodeId(node)}/${HOST}`;

export const hostDeviceId = (node: string, device: string): string => deviceIdInPod(hostNamespaceId(node), device);

export const podDeviceId = (node: string, pod: PodRef, device: string): string =>
  deviceIdInPod(podId(node, pod), device);

/** podDeviceId for a pod whose id is already built: thousands of pods, each with its devices. */
export const deviceIdInPod = (pod: string, device: string): string => `${pod}/${segment(device)}`;

/** Whether `id` is deviceIdInPod(`parent`, `device`), found without building that id. */
export function isDeviceIdIn(id: string, parent: string, device: string): boolean {
  if (!isPlain(device)) return id === deviceIdInPod(parent, device);
  return (
    id.length === parent.length + 1 + device.length &&
    id.charCodeAt(parent.length) === 47 /* / */ &&
    id.startsWith(parent) &&
    id.endsWith(device)
  );
}

/** The box standing for the pods of a node that are not drawn one by one. */
export const hiddenPodsId = (node: string): string => `${nodeId(node)}/${PODS}`;

/**
 * The host end of a pod's veth pair; its real name (veth + random hex) cannot be known. Outside the
 * default namespace the stand-in holds the namespace, so that same-named pods of two namespaces on
 * one node get two devices (and two ids).
 */
export const vethName = (pod: PodRef): string =>
  pod.namespace === 'default' ? `veth<${pod.name}>` : `veth<${podKey(pod)}>`;

/** `namespace/name`: how people name a pod (CLI `--from`, the panel's pickers, hop descriptions). Not an id. */
export const podKey = (pod: PodRef): string => `${pod.namespace}/${pod.name}`;

const pod = (namespace: string, name: string): PodRef => ({ namespace, name });

export function parseId(id: string): TopologyId | undefined {
  if (id === WIRE_ID) return { kind: 'wire' };
  if (id === TUNNEL_ID) return { kind: 'tunnel' };
  if (id === CLUSTER_ID) return { kind: 'cluster' };
  const raw = id.split('/');
  const names = raw.map(unsegment);
  if (names.some((n) => n === undefined)) return undefined;
  const [node, second, third, fourth] = names as string[];
  switch (raw.length) {
    case 1:
      return { kind: 'node', node };
    case 2:
      return raw[1] === PODS ? { kind: 'pods', node } : undefined;
    case 3:
      return raw[1] === HOST ? { kind: 'device', node, device: third } : { kind: 'pod', node, pod: pod(second, third) };
    case 4:
      return raw[1] === HOST ? undefined : { kind: 'device', node, pod: pod(second, third), device: fourth };
    default:
      return undefined;
  }
}

/** The node an id belongs to, if any. */
export function nodeOfId(id: string): string | undefined {
  const parsed = parseId(id);
  return parsed && 'node' in parsed ? parsed.node : undefined;
}

/** The pod box a pod's device (its eth0, its lo) is drawn in. */
export function podIdOfDevice(id: string): string | undefined {
  const parsed = parseId(id);
  return parsed?.kind === 'device' && parsed.pod ? podId(parsed.node, parsed.pod) : undefined;
}
