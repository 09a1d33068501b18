// A Topology to its wire form (protocol.ts, TopologyWire) and back: the server sends each repeated
// sentence, file name and device shape once, and leaves out what ids.ts derives; the extension host and
// the webview expand it back into the same Topology. Whatever the encoder cannot derive exactly it sends
// as is, so the round trip is exact for any topology. Pure, no Node or DOM: the webview bundles it too.
import type {
  DeviceShape,
  TextRef,
  TopologyResponse,
  TopologyResult,
  TopologyWire,
  WireDevice,
  WireNode,
  WirePod,
  WireSource,
  WireUnplacedPod,
} from '../protocol';
import { deviceIdInPod, hostDeviceId, hostNamespaceId, isDeviceIdIn, nodeId, podId, podKey, vethName } from './ids';
import type {
  Device,
  DeviceAddress,
  FdbEntry,
  NeighbourEntry,
  NodeTopology,
  PodTopology,
  RouteEntry,
  SourceRef,
  Topology,
  UnplacedPod,
} from './types';

const HOST_NETNS = 'host';

/** What a device's derived fields are where it is listed: in a pod, or on its node (maybe paired with a pod). */
interface DeviceContext {
  /** The id of the namespace the device is in: its id is deviceIdInPod(parentId, name). */
  parentId: string;
  netns: string;
  /** The pod's `namespace/name`, for sentences about the pod. */
  key?: string;
  /** The name the device has when its shape leaves it out (a paired veth's host end). */
  derivedName?: string;
}

/**
 * `T` when the codec places every field of it (`Fields`), else `never`: a field added to a model type
 * does not compile until the codec carries it, so the round trip stays exact. The codec builds objects
 * field by field: copying objects with spreads is several times slower for thousands of pods.
 */
type Placed<T, Fields extends keyof T> = [Exclude<keyof T, Fields>] extends [never] ? T : never;

/**
 * Equality of node table entries, field by field with the fields named: a loop over field names reads
 * thousands of entries of three types through one slow generic lookup. `Fields` must list every key of
 * the entry type (else the declaration does not compile), and topology.wire.test.ts checks that each
 * comparison tells every listed field apart.
 */
type EveryField<T, Fields extends ReadonlyArray<keyof T>> = [Exclude<keyof T, Fields[number]>] extends [never]
  ? Fields
  : never;

export const ROUTE_FIELDS: EveryField<
  RouteEntry,
  ['destination', 'via', 'device', 'onlink', 'protoKernel', 'scopeLink', 'src', 'proto', 'blackhole', 'certainty']
> = ['destination', 'via', 'device', 'onlink', 'protoKernel', 'scopeLink', 'src', 'proto', 'blackhole', 'certainty'];
export const NEIGHBOUR_FIELDS: EveryField<
  NeighbourEntry,
  ['ip', 'ipCertainty', 'lladdr', 'lladdrCertainty', 'device', 'node']
> = ['ip', 'ipCertainty', 'lladdr', 'lladdrCertainty', 'device', 'node'];
export const FDB_FIELDS: EveryField<FdbEntry, ['mac', 'macCertainty', 'device', 'dst', 'dstCertainty', 'node']> = [
  'mac',
  'macCertainty',
  'device',
  'dst',
  'dstCertainty',
  'node',
];

export const sameRoute = (a: RouteEntry, b: RouteEntry): boolean =>
  a.destination === b.destination &&
  a.via === b.via &&
  a.device === b.device &&
  a.onlink === b.onlink &&
  a.protoKernel === b.protoKernel &&
  a.scopeLink === b.scopeLink &&
  a.src === b.src &&
  a.proto === b.proto &&
  a.blackhole === b.blackhole &&
  a.certainty === b.certainty;

export const sameNeighbour = (a: NeighbourEntry, b: NeighbourEntry): boolean =>
  a.ip === b.ip &&
  a.ipCertainty === b.ipCertainty &&
  a.lladdr === b.lladdr &&
  a.lladdrCertainty === b.lladdrCertainty &&
  a.device === b.device &&
  a.node === b.node;

export const sameFdb = (a: FdbEntry, b: FdbEntry): boolean =>
  a.mac === b.mac &&
  a.macCertainty === b.macCertainty &&
  a.device === b.device &&
  a.dst === b.dst &&
  a.dstCertainty === b.dstCertainty &&
  a.node === b.node;

/**
 * The index of `entry` in `table`, which gets it when no entry there is `same`. Entries are found by
 * `first` (a field most entries differ in), then compared: a few candidates each.
 */
function internEntry<T>(
  index: Map<string, number[]>,
  table: T[],
  entry: T,
  first: string,
  same: (a: T, b: T) => boolean,
): number {
  let candidates = index.get(first);
  if (!candidates) index.set(first, (candidates = []));
  for (const at of candidates) if (table[at] === entry || same(table[at], entry)) return at;
  const at = table.push(entry) - 1;
  candidates.push(at);
  return at;
}

type DeviceField =
  | 'id'
  | 'name'
  | 'nameCertainty'
  | 'kind'
  | 'netns'
  | 'addresses'
  | 'mtu'
  | 'mtuCertainty'
  | 'mac'
  | 'master'
  | 'peer'
  | 'facts'
  | 'source';
type PodField =
  | 'id'
  | 'name'
  | 'namespace'
  | 'node'
  | 'hostNetwork'
  | 'staticPod'
  | 'containers'
  | 'address'
  | 'devices'
  | 'owner'
  | 'generatedName'
  | 'placement'
  | 'notes'
  | 'source'
  | 'routes';
type UnplacedField = 'pod' | 'reason' | 'owner' | 'predicted' | 'source';

/** The tables a TopologyWire sends each entry of once, filled as the topology is encoded. */
class Tables {
  readonly texts: Array<string | string[]> = [];
  readonly uris: string[] = [];
  readonly shapes: DeviceShape[] = [];
  readonly routeTable: RouteEntry[] = [];
  readonly neighbourTable: NeighbourEntry[] = [];
  readonly fdbTable: FdbEntry[] = [];
  private readonly routeIndex = new Map<string, number[]>();
  private readonly neighbourIndex = new Map<string, number[]>();
  private readonly fdbIndex = new Map<string, number[]>();
  private readonly textIndex = new Map<string, number>();
  private readonly templateIndex = new Map<string, number>();
  private readonly templatesByBefore = new Map<string, Map<string, number>>();
  private readonly uriIndex = new Map<string, number>();
  private readonly shapesByName = new Map<string | undefined, Map<TextRef, ShapeEntry[]>>();

  text(sentence: string, key?: string): TextRef {
    const at = key ? sentence.indexOf(key) : -1;
    if (at < 0 || !key) return intern(this.textIndex, sentence, sentence, this.texts);
    const before = sentence.slice(0, at);
    const after = sentence.slice(at + key.length);
    if (after.includes(key)) {
      const parts = sentence.split(key);
      return intern(this.templateIndex, JSON.stringify(parts), parts, this.texts);
    }
    // Named once, as in "Host end of <pod>'s veth pair": found by its two parts, no key string built.
    let byAfter = this.templatesByBefore.get(before);
    if (!byAfter) this.templatesByBefore.set(before, (byAfter = new Map<string, number>()));
    return intern(byAfter, after, [before, after], this.texts);
  }

  route(entry: RouteEntry): number {
    return internEntry(this.routeIndex, this.routeTable, entry, entry.destination, sameRoute);
  }

  neighbour(entry: NeighbourEntry): number {
    return internEntry(this.neighbourIndex, this.neighbourTable, entry, entry.ip, sameNeighbour);
  }

  fdb(entry: FdbEntry): number {
    return internEntry(this.fdbIndex, this.fdbTable, entry, entry.mac, sameFdb);
  }

  source(source: SourceRef): WireSource {
    const { start, end } = source.range;
    return [
      intern(this.uriIndex, source.uri, source.uri, this.uris),
      start.line,
      start.character,
      end.line,
      end.character,
    ];
  }

  /** The device's shape, and its addresses when they are its own rather than the shape's. */
  shape(device: Device, name: string | undefined, facts: TextRef[]): Pick<WireDevice, 'shape' | 'addresses'> {
    // Shapes are found by comparing fields, among those of the same name and first fact: building and
    // hashing a key string per device costs more than the whole comparison.
    let byFirstFact = this.shapesByName.get(name);
    if (!byFirstFact) this.shapesByName.set(name, (byFirstFact = new Map<TextRef, ShapeEntry[]>()));
    const first = facts.length > 0 ? facts[0] : -1;
    let candidates = byFirstFact.get(first);
    if (!candidates) byFirstFact.set(first, (candidates = []));
    const found = candidates.find((entry) => sameShape(entry.shape, device, name, facts));
    if (!found) {
      const shape: DeviceShape = {
        nameCertainty: device.nameCertainty,
        kind: device.kind,
        addresses: device.addresses,
        mtu: device.mtu,
        mtuCertainty: device.mtuCertainty,
        facts,
      };
      if (name !== undefined) shape.name = name;
      if (device.mac !== undefined) shape.mac = device.mac;
      if (device.master !== undefined) shape.master = device.master;
      candidates.push({ shape, index: this.shapes.push(shape) - 1 });
      return { shape: this.shapes.length - 1 };
    }
    if (sameAddresses(found.shape.addresses, device.addresses)) return { shape: found.index };
    // Devices of this shape differ in their addresses (a pod's eth0): each sends its own.
    if (found.open === undefined) found.open = this.shapes.push({ ...found.shape, addresses: [] }) - 1;
    return device.addresses.length > 0 ? { shape: found.open, addresses: device.addresses } : { shape: found.open };
  }
}

interface ShapeEntry {
  shape: DeviceShape;
  index: number;
  /** The same shape without addresses, for devices that send their own. */
  open?: number;
}

function sameShape(shape: DeviceShape, device: Device, name: string | undefined, facts: TextRef[]): boolean {
  return (
    shape.kind === device.kind &&
    shape.name === name &&
    shape.nameCertainty === device.nameCertainty &&
    shape.mtu === device.mtu &&
    shape.mtuCertainty === device.mtuCertainty &&
    shape.mac === device.mac &&
    shape.master === device.master &&
    shape.facts.length === facts.length &&
    shape.facts.every((fact, i) => fact === facts[i])
  );
}

function sameAddresses(a: DeviceAddress[], b: DeviceAddress[]): boolean {
  return (
    a.length === b.length && a.every((address, i) => address.cidr === b[i].cidr && address.certainty === b[i].certainty)
  );
}

function intern<T>(index: Map<string, number>, key: string, value: T, table: T[]): number {
  let at = index.get(key);
  if (at === undefined) {
    at = table.push(value) - 1;
    index.set(key, at);
  }
  return at;
}

export function topologyToWire(topology: Topology): TopologyWire {
  const tables = new Tables();
  const { nodes, unplaced, ...rest } = topology;
  return {
    ...rest,
    nodes: nodes.map((node) => nodeToWire(node, tables)),
    unplaced: unplaced.map((pod) => unplacedToWire(pod, tables)),
    texts: tables.texts,
    uris: tables.uris,
    shapes: tables.shapes,
    routeTable: tables.routeTable,
    neighbourTable: tables.neighbourTable,
    fdbTable: tables.fdbTable,
  };
}

export function topologyResultToWire(result: TopologyResult): TopologyResponse {
  return { clusters: result.clusters.map(({ topology }) => topologyToWire(topology)), focus: result.focus };
}

function nodeToWire(node: NodeTopology, tables: Tables): WireNode {
  const { id, devices, pods, source, routes, neighbours, fdb, ...rest } = node;
  // The pod end of each veth pair whose host end is one of the node's devices.
  const podDevices = new PodDevices(pods);
  const paired: boolean[][] = pods.map(() => []);
  const pairs = devices.map((device) => {
    const at = device.peer === undefined ? undefined : podDevices.find(device.peer);
    if (!at || pods[at[0]].devices[at[1]].peer !== device.id) return undefined;
    paired[at[0]][at[1]] = true;
    return at;
  });
  const hostId = hostNamespaceId(node.name);
  const wire: WireNode = {
    ...rest,
    devices: devices.map((device, i) => {
      const pair = pairs[i];
      const pod = pair && pods[pair[0]];
      const context: DeviceContext = pod
        ? { parentId: hostId, netns: HOST_NETNS, key: podKey(pod), derivedName: vethName(pod) }
        : { parentId: hostId, netns: HOST_NETNS };
      const encoded = deviceToWire(device, context, !pair, tables);
      if (pair) encoded.pair = pair;
      return encoded;
    }),
    pods: pods.map((pod, p) => podToWire(node.name, pod, paired[p], tables)),
    routes: routes.map((entry) => tables.route(entry)),
    neighbours: neighbours.map((entry) => tables.neighbour(entry)),
    fdb: fdb.map((entry) => tables.fdb(entry)),
  };
  if (id !== nodeId(node.name)) wire.id = id;
  if (source) wire.source = tables.source(source);
  return wire;
}

/** Finds a node's pod devices by id: looks just past the last one found first (data planes list veths in pod order). */
class PodDevices {
  private readonly ids: string[] = [];
  private readonly places: Array<[number, number]> = [];
  private next = 0;
  private byId: Map<string, [number, number]> | undefined;

  constructor(pods: PodTopology[]) {
    pods.forEach((pod, p) =>
      pod.devices.forEach((device, d) => {
        this.ids.push(device.id);
        this.places.push([p, d]);
      }),
    );
  }

  find(id: string): [number, number] | undefined {
    for (let i = this.next; i < Math.min(this.next + 4, this.ids.length); i++) {
      if (this.ids[i] === id) {
        this.next = i + 1;
        return this.places[i];
      }
    }
    this.byId ??= new Map(this.ids.map((deviceId, i) => [deviceId, this.places[i]]));
    return this.byId.get(id);
  }
}

/** `paired[d]`: the pod's device d is the pod end of a pair whose host end the node lists. */
function podToWire(nodeName: string, pod: Placed<PodTopology, PodField>, paired: boolean[], tables: Tables): WirePod {
  const key = podKey(pod);
  const context: DeviceContext = { parentId: pod.id, netns: key, key };
  const wire: WirePod = {
    name: pod.name,
    namespace: pod.namespace,
    hostNetwork: pod.hostNetwork,
    containers: pod.containers,
    devices: pod.devices.map((device, d) => deviceToWire(device, context, !paired[d], tables)),
  };
  if (pod.id !== podId(nodeName, pod)) wire.id = pod.id;
  if (pod.node !== nodeName) wire.node = pod.node;
  if (pod.staticPod !== undefined) wire.staticPod = pod.staticPod;
  if (pod.address !== undefined) wire.address = pod.address;
  if (pod.owner !== undefined) wire.owner = pod.owner;
  if (pod.generatedName !== undefined) wire.generatedName = pod.generatedName;
  if (pod.placement !== undefined) wire.placement = tables.text(pod.placement, key);
  if (pod.notes !== undefined) wire.notes = pod.notes.map((note) => tables.text(note, key));
  if (pod.source !== undefined) wire.source = tables.source(pod.source);
  if (pod.routes !== undefined) wire.routes = pod.routes;
  return wire;
}

/** `keepPeer`: the device is not one end of a pair, whose peers the decoder derives. */
function deviceToWire(
  device: Placed<Device, DeviceField>,
  context: DeviceContext,
  keepPeer: boolean,
  tables: Tables,
): WireDevice {
  const { id, name, netns, peer, facts, source } = device;
  const wire: WireDevice = tables.shape(
    device,
    name === context.derivedName ? undefined : name,
    facts.map((fact) => tables.text(fact, context.key)),
  );
  if (!isDeviceIdIn(id, context.parentId, name)) wire.id = id;
  if (netns !== context.netns) wire.netns = netns;
  if (keepPeer && peer !== undefined) wire.peer = peer;
  if (source !== undefined) wire.source = tables.source(source);
  return wire;
}

function unplacedToWire(pod: Placed<UnplacedPod, UnplacedField>, tables: Tables): WireUnplacedPod {
  const wire: WireUnplacedPod = { pod: pod.pod, reason: tables.text(pod.reason, pod.pod) };
  if (pod.owner !== undefined) wire.owner = pod.owner;
  if (pod.predicted !== undefined) wire.predicted = pod.predicted;
  if (pod.source !== undefined) wire.source = tables.source(pod.source);
  return wire;
}

// ---- Back from the wire ----

/**
 * The Topology a TopologyWire stands for. Devices of one shape share its addresses and facts arrays, as
 * the wire's own arrays are shared: like every Topology, it is read, never changed.
 */
export function topologyFromWire(wire: TopologyWire): Topology {
  const { nodes, unplaced, texts, uris, shapes, routeTable, neighbourTable, fdbTable, ...rest } = wire;
  const tables = new Decoding(texts, uris, shapes, routeTable, neighbourTable, fdbTable);
  return {
    ...rest,
    nodes: nodes.map((node) => nodeFromWire(node, tables)),
    unplaced: unplaced.map((pod) => unplacedFromWire(pod, tables)),
  };
}

export function topologyResultFromWire(response: TopologyResponse): TopologyResult {
  return { clusters: response.clusters.map((wire) => ({ topology: topologyFromWire(wire) })), focus: response.focus };
}

/** A TopologyWire's tables, read back. */
class Decoding {
  constructor(
    private readonly texts: TopologyWire['texts'],
    private readonly uris: string[],
    readonly shapes: DeviceShape[],
    readonly routes: RouteEntry[],
    readonly neighbours: NeighbourEntry[],
    readonly fdb: FdbEntry[],
  ) {}

  /** Facts of shapes that hold no sentence about their pod, read once: their devices share them. */
  private readonly sharedFacts: Array<string[] | undefined> = [];

  facts(shape: number, key: string | undefined): string[] {
    const cached = this.sharedFacts[shape];
    if (cached) return cached;
    const refs = this.shapes[shape]?.facts ?? [];
    const facts = refs.map((ref) => this.text(ref, key));
    if (refs.every((ref) => typeof this.texts[ref] === 'string')) this.sharedFacts[shape] = facts;
    return facts;
  }

  text(ref: TextRef, key: string | undefined): string {
    const text = this.texts[ref] ?? '';
    return typeof text === 'string' ? text : text.join(key ?? '');
  }

  source(source: WireSource): SourceRef {
    const [uri, startLine, startCharacter, endLine, endCharacter] = source;
    return {
      uri: this.uris[uri] ?? '',
      range: { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } },
    };
  }
}

function nodeFromWire(wire: WireNode, tables: Decoding): NodeTopology {
  const { id, devices, pods, source, routes, neighbours, fdb, ...rest } = wire;
  const nodeName = rest.name;
  const hostNameOf = (device: WireDevice): string =>
    tables.shapes[device.shape].name ?? (device.pair ? vethName(pods[device.pair[0]]) : '');
  const hostIds = devices.map((device) => device.id ?? hostDeviceId(nodeName, hostNameOf(device)));
  // The host end's id for each paired pod device: its peer.
  const hostEnds: string[][] = pods.map(() => []);
  devices.forEach((device, i) => {
    if (device.pair && hostEnds[device.pair[0]]) hostEnds[device.pair[0]][device.pair[1]] = hostIds[i];
  });
  const expandedPods = pods.map((pod, p) => podFromWire(nodeName, pod, hostEnds[p], tables));
  const node: NodeTopology = {
    ...rest,
    id: id ?? nodeId(nodeName),
    devices: devices.map((device, i) => {
      const pair = device.pair;
      const peer = pair ? expandedPods[pair[0]]?.devices[pair[1]]?.id : device.peer;
      const key = pair && pods[pair[0]] ? podKey(pods[pair[0]]) : undefined;
      return deviceFromWire(device, hostIds[i], hostNameOf(device), HOST_NETNS, peer, key, tables);
    }),
    pods: expandedPods,
    // Entries shared by the nodes that list them, as the wire's are: a Topology is read, never changed.
    routes: routes.map((i) => tables.routes[i]),
    neighbours: neighbours.map((i) => tables.neighbours[i]),
    fdb: fdb.map((i) => tables.fdb[i]),
  };
  if (source) node.source = tables.source(source);
  return node;
}

/** `hostEnds[d]`: the id of the host end of the pod's device d, when the node lists it. */
function podFromWire(nodeName: string, wire: WirePod, hostEnds: string[], tables: Decoding): PodTopology {
  const key = podKey(wire);
  const id = wire.id ?? podId(nodeName, wire);
  const pod: Placed<PodTopology, PodField> = {
    id,
    name: wire.name,
    namespace: wire.namespace,
    node: wire.node ?? nodeName,
    hostNetwork: wire.hostNetwork,
    containers: wire.containers,
    devices: wire.devices.map((device, d) => {
      const name = tables.shapes[device.shape].name ?? '';
      const deviceId = device.id ?? deviceIdInPod(id, name);
      return deviceFromWire(device, deviceId, name, key, hostEnds[d] ?? device.peer, key, tables);
    }),
  };
  if (wire.staticPod !== undefined) pod.staticPod = wire.staticPod;
  if (wire.address !== undefined) pod.address = wire.address;
  if (wire.owner !== undefined) pod.owner = wire.owner;
  if (wire.generatedName !== undefined) pod.generatedName = wire.generatedName;
  if (wire.placement !== undefined) pod.placement = tables.text(wire.placement, key);
  if (wire.notes !== undefined) pod.notes = wire.notes.map((note) => tables.text(note, key));
  if (wire.source !== undefined) pod.source = tables.source(wire.source);
  if (wire.routes !== undefined) pod.routes = wire.routes;
  return pod;
}

function deviceFromWire(
  wire: WireDevice,
  id: string,
  name: string,
  netns: string,
  peer: string | undefined,
  key: string | undefined,
  tables: Decoding,
): Device {
  const shape = tables.shapes[wire.shape];
  const device: Placed<Device, DeviceField> = {
    id,
    name,
    nameCertainty: shape.nameCertainty,
    kind: shape.kind,
    netns: wire.netns ?? netns,
    addresses: wire.addresses ?? shape.addresses,
    mtu: shape.mtu,
    mtuCertainty: shape.mtuCertainty,
    facts: tables.facts(wire.shape, key),
  };
  if (shape.mac !== undefined) device.mac = shape.mac;
  if (shape.master !== undefined) device.master = shape.master;
  if (peer !== undefined) device.peer = peer;
  if (wire.source !== undefined) device.source = tables.source(wire.source);
  return device;
}

function unplacedFromWire(wire: WireUnplacedPod, tables: Decoding): UnplacedPod {
  const pod: Placed<UnplacedPod, UnplacedField> = { pod: wire.pod, reason: tables.text(wire.reason, wire.pod) };
  if (wire.owner !== undefined) pod.owner = wire.owner;
  if (wire.predicted !== undefined) pod.predicted = wire.predicted;
  if (wire.source !== undefined) pod.source = tables.source(wire.source);
  return pod;
}
