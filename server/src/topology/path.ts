// Traces a packet between two pods through the topology, hop by hop, as `ip route get`, tcpdump and
// `bridge fdb` would show it on real nodes: which namespace and device it is in, the route that matched,
// where it is encapsulated and decapsulated, and the TTL. Where no path can exist, it says why.

import { type Cluster } from '../model/workspace';
import { dataPlaneOf } from './dataplanes/index';
import { podKey } from './ids';
import { type Endpoint, Tracer } from './tracer';
import { type Hop, type NodeTopology, noPath, type PacketPath, type PodTopology, type Topology } from './types';

export type PodLookup = { pod: PodTopology; node: NodeTopology } | { error: string };

/** Finds a pod by `name` or `namespace/name`; an ambiguous bare name is an error listing the matches. */
export function findPod(topology: Topology, selector: string): PodLookup {
  const all = topology.nodes.flatMap((node) => node.pods.map((pod) => ({ pod, node })));
  const matches = selector.includes('/')
    ? all.filter(({ pod }) => podKey(pod) === selector)
    : all.filter(({ pod }) => pod.name === selector);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1)
    return {
      error: `\`${selector}\` matches ${matches.map(({ pod }) => podKey(pod)).join(', ')}; name it as namespace/name`,
    };
  const unplaced = topology.unplaced.find((u) => u.pod === selector || u.pod.endsWith(`/${selector}`));
  if (unplaced) return { error: `${unplaced.pod} is on no node: ${unplaced.reason}` };
  return { error: `no pod \`${selector}\` in cluster ${topology.cluster.name}` };
}

export function packetPath(cluster: Cluster, topology: Topology, from: string, to: string): PacketPath {
  const fail = (reason: string): PacketPath => noPath(from, to, reason, topology.cluster.backend);
  const source = findPod(topology, from);
  if ('error' in source) return fail(source.error);
  const target = findPod(topology, to);
  if ('error' in target) return fail(target.error);
  for (const { node } of [source, target])
    if (node.problems.length > 0) return fail(`${node.name}: ${node.problems[0]}`);
  const plane = dataPlaneOf(cluster);
  // Only the CNI moves packets between pods: with it unknown, only a pod talking to itself can be traced.
  if (plane.untraceable && source.pod.id !== target.pod.id) return fail(plane.untraceable);
  const src = endpointOf(source);
  if (typeof src === 'string') return fail(src);
  const dst = endpointOf(target);
  if (typeof dst === 'string') return fail(dst);

  const tracer = new Tracer(cluster, topology, plane, src, dst);
  const hops = trace(tracer);
  if (typeof hops === 'string') return fail(hops);
  const encapsulation = hops.find((h) => h.encapsulation)?.encapsulation ?? null;
  const addressNote = addressCertaintyNote(src, dst);
  if (addressNote) tracer.notes.push(addressNote);
  return {
    from: podKey(src.pod),
    to: podKey(dst.pod),
    ok: true,
    backend: topology.cluster.backend,
    hops,
    encapsulation,
    mtu: tracer.pathMtu(hops),
    ttl: hops[hops.length - 1].ttl,
    notes: tracer.notes,
  };
}

function endpointOf({ pod, node }: { pod: PodTopology; node: NodeTopology }): Endpoint | string {
  if (pod.hostNetwork) {
    return node.internalIp
      ? { pod, node, ip: node.internalIp }
      : `${podKey(pod)} uses the host network of ${node.name}, whose IP is unknown ` +
          `(${node.internalIpNote ?? 'no InternalIP'})`;
  }
  if (!pod.address) return `${podKey(pod)} gets no address: ${node.name} has no free pod address or no podCIDR`;
  return { pod, node, ip: pod.address.ip };
}

/** Which pod addresses a live dump tells and which are predicted, when the dump tells any. */
function addressCertaintyNote(...endpoints: Endpoint[]): string | undefined {
  const bridged = endpoints.filter(
    (e, i) => !e.pod.hostNetwork && endpoints.findIndex((other) => other.pod.id === e.pod.id) === i,
  );
  const list = (certainty: string) =>
    bridged
      .filter((e) => (e.pod.address?.certainty === 'known') === (certainty === 'known'))
      .map((e) => `${podKey(e.pod)} ${e.ip}`);
  const observed = list('known');
  if (observed.length === 0) return undefined;
  const predicted = list('inferred');
  return (
    `Pod addresses observed (status.podIP): ${observed.join(', ')}` +
    (predicted.length > 0 ? `; predicted (first free): ${predicted.join(', ')}.` : '.')
  );
}

/** The hops of one packet: the data plane's plumbing on each node, its interconnect between them. */
function trace(t: Tracer): Hop[] | string {
  const { src, dst } = t;
  const { plumbing, interconnect } = t.plane;
  if (src.pod.id === dst.pod.id || (src.pod.hostNetwork && dst.pod.hostNetwork && src.node === dst.node))
    return t.loopback();
  if (!src.pod.hostNetwork) plumbing.leavePod(t);
  if (src.node === dst.node) plumbing.sameNode(t);
  else {
    plumbing.upToHost(t);
    const failed = interconnect.cross(t);
    if (failed) return failed;
    if (!dst.pod.hostNetwork) plumbing.deliver(t);
  }
  return t.hops;
}
