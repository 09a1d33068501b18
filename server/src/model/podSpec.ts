// The facts of a pod spec (a Pod's, or a DaemonSet's template): values read once, YAML nodes looked up
// again when asked, from the object down a path. They hold no node themselves, so the document may give
// up its tree (see releaseTree) and only the values stay in memory.
import { isMap, isNode, isSeq, type Node, type YAMLMap } from 'yaml';
import type { K8sObject } from '../core/manifest';
import { get, getBool, getText, itemsOf, type Located, textItems } from '../core/yamlAccess';
import type { ContainerFacts, EnvFacts, PodSpecFacts, VolumeFacts, VolumeMountFacts } from './objects';
import { type SchedulingSpec, schedulingOf } from './schedulingSpec';

/** The items of a sequence with their index in it (null items skipped), so that facts can find them again. */
function indexedItems(node: unknown): Array<[Node, number]> {
  return isSeq(node)
    ? node.items.flatMap((item, index) => (isNode(item) ? [[item, index] as [Node, number]] : []))
    : [];
}

export class PodSpec implements PodSpecFacts {
  readonly nodeName?: Located<string>;
  readonly hostNetwork: boolean;
  readonly serviceAccountName?: string;
  readonly containers: ContainerFacts[];
  readonly initContainers: ContainerFacts[];
  readonly volumes: VolumeFacts[];
  readonly scheduling: SchedulingSpec;

  constructor(
    private readonly object: K8sObject,
    private readonly path: readonly string[],
  ) {
    const map = this.node;
    this.nodeName = getText(map, 'nodeName');
    this.hostNetwork = getBool(map, 'hostNetwork') === true;
    this.serviceAccountName = getText(map, 'serviceAccountName')?.value;
    const containers = (list: ContainerList) =>
      indexedItems(get(map, list)).flatMap(([item, index]) =>
        isMap(item) ? [new Container(this, list, index, item)] : [],
      );
    this.containers = containers('containers');
    this.initContainers = containers('initContainers');
    this.volumes = indexedItems(get(map, 'volumes')).map(([volume, index]) => new Volume(this, index, volume));
    this.scheduling = schedulingOf(map, this.hostNetwork);
  }

  get node(): YAMLMap | undefined {
    const spec = get(this.object.node, ...this.path);
    return isMap(spec) ? spec : undefined;
  }

  get hostNetworkNode(): Node | undefined {
    return get(this.node, 'hostNetwork');
  }
}

type ContainerList = 'containers' | 'initContainers';

class Container implements ContainerFacts {
  readonly name?: Located<string>;
  readonly image?: Located<string>;
  readonly command: Array<Located<string>>;
  readonly args: Array<Located<string>>;
  readonly env: EnvFacts[];
  readonly volumeMounts: VolumeMountFacts[];
  readonly privileged?: boolean;
  readonly capabilities: string[];
  readonly droppedCapabilities: string[];

  constructor(
    private readonly spec: PodSpec,
    private readonly list: ContainerList,
    private readonly index: number,
    node: YAMLMap,
  ) {
    this.name = getText(node, 'name');
    this.image = getText(node, 'image');
    this.command = textItems(get(node, 'command'));
    this.args = textItems(get(node, 'args'));
    this.env = itemsOf(get(node, 'env')).flatMap((entry) => {
      const name = getText(entry, 'name');
      if (!name) return [];
      const refName = getText(entry, 'valueFrom', 'configMapKeyRef', 'name')?.value;
      const refKey = getText(entry, 'valueFrom', 'configMapKeyRef', 'key')?.value;
      return [
        {
          name,
          value: getText(entry, 'value'),
          fieldPath: getText(entry, 'valueFrom', 'fieldRef', 'fieldPath')?.value,
          configMapKeyRef: refName && refKey ? { name: refName, key: refKey } : undefined,
        },
      ];
    });
    this.volumeMounts = indexedItems(get(node, 'volumeMounts')).map(([mount, i]) => new VolumeMount(this, i, mount));
    this.privileged = getBool(node, 'securityContext', 'privileged');
    const capabilities = (list: 'add' | 'drop') =>
      textItems(get(node, 'securityContext', 'capabilities', list)).map((c) =>
        c.value.toUpperCase().replace(/^CAP_/, ''),
      );
    this.capabilities = capabilities('add');
    this.droppedCapabilities = capabilities('drop');
  }

  get node(): YAMLMap {
    return get(this.spec.node, this.list, this.index) as YAMLMap;
  }
}

class VolumeMount implements VolumeMountFacts {
  readonly name?: Located<string>;
  readonly mountPath?: Located<string>;

  constructor(
    private readonly container: Container,
    private readonly index: number,
    node: Node,
  ) {
    this.name = getText(node, 'name');
    this.mountPath = getText(node, 'mountPath');
  }

  get node(): Node {
    return get(this.container.node, 'volumeMounts', this.index) as Node;
  }
}

class Volume implements VolumeFacts {
  readonly name?: Located<string>;
  readonly configMapName?: Located<string>;
  readonly hostPath?: Located<string>;
  readonly items: Array<{ key?: string; path?: string }>;

  constructor(
    private readonly spec: PodSpec,
    private readonly index: number,
    node: Node,
  ) {
    this.name = getText(node, 'name');
    this.configMapName = getText(node, 'configMap', 'name');
    this.hostPath = getText(node, 'hostPath', 'path');
    this.items = itemsOf(get(node, 'configMap', 'items')).map((item) => ({
      key: getText(item, 'key')?.value,
      path: getText(item, 'path')?.value,
    }));
  }

  get node(): Node {
    return get(this.spec.node, 'volumes', this.index) as Node;
  }
}
