// The flannel DaemonSet and how it fits the objects around it (flannel.md §3.2-3.4). The DaemonSet is
// recognised by the container that runs flanneld, never by its name.
import { isMap, isScalar, isSeq } from 'yaml';
import { jsonLookup, type JsonNode } from '../core/embeddedJson';
import { closestMatch } from '../core/suggest';
import { type OffsetRange } from '../core/text';
import { get, getText, type Located, pairOf } from '../core/yamlAccess';
import { appendToSequence, insertKeyFirst } from '../core/yamlEdit';
import { type CopyOperation, copyOperations } from '../model/cniInstall';
import { runsFlannelCni } from '../model/canal';
import { type FlanneldSetting, flanneldSetting } from '../model/flanneld';
import { type Cluster } from '../model/workspace';
import {
  type ConfigMapFacts,
  type ContainerFacts,
  type DaemonSetFacts,
  type FlagFacts,
  flagsOf,
  isFlagOn,
  isGoTrue,
  NET_CONF_KEY,
  type VolumeFacts,
} from '../model/objects';
import { type RuleId } from './registry';
import { type Finding, preferredFix, type QuickFix, type RuleContext } from './types';

const DEFAULT_NET_CONFIG_PATH = '/etc/kube-flannel/net-conf.json';
const DEFAULT_SUBNET_FILE = '/run/flannel/subnet.env';

export function checkDaemonSet({ cluster, report }: RuleContext): void {
  for (const daemonSet of cluster.facts.daemonSets) {
    if (daemonSet.flannelContainer)
      new FlannelDaemonSetChecker(cluster, daemonSet, daemonSet.flannelContainer, report).run();
  }
}

/** Without trailing slashes; the root stays `/` however many slashes it is written with. */
const trimSlash = (path: string) => (path.length > 1 ? path.replace(/\/+$/, '') || '/' : path);
const dirOf = (path: string) => trimSlash(path.slice(0, path.lastIndexOf('/') + 1) || '/');
const namespaceOf = (object: { namespace?: Located<string> }) => object.namespace?.value ?? 'default';

class FlannelDaemonSetChecker {
  private readonly uri: string;
  private readonly text: string;
  private readonly flags: FlagFacts[];

  constructor(
    private readonly cluster: Cluster,
    private readonly daemonSet: DaemonSetFacts,
    private readonly container: ContainerFacts,
    private readonly report: (finding: Finding) => void,
  ) {
    this.uri = daemonSet.object.uri;
    this.text = cluster.files.find((f) => f.file.uri === this.uri)?.file.text ?? '';
    this.flags = flagsOf([...container.command, ...container.args]);
  }

  run(): void {
    const netConfigPath = this.setting('net-config-path', DEFAULT_NET_CONFIG_PATH);
    const configVolume = this.configVolume(dirOf(netConfigPath.value));
    const configMap = configVolume ? this.checkConfigMapRef(configVolume) : undefined;
    this.checkConfigMount(netConfigPath, configVolume, configMap);
    // In Canal, Calico's CNI plugin serves the pods: no flannel conflist, no subnet.env reader.
    const flannelCni = runsFlannelCni(this.daemonSet, configMap ?? this.cluster.network.configMap);
    if (flannelCni) this.checkSubnetFile(configMap ?? this.cluster.network.configMap);
    this.checkKubeSubnetMgr(configVolume);
    this.checkHostNetwork();
    this.checkPrivileges();
    this.checkPodIdentity();
    if (flannelCni) this.checkConflistName(configMap ?? this.cluster.network.configMap);
  }

  private finding(code: RuleId, range: OffsetRange, message: string, fixes?: QuickFix[]): void {
    this.report({ code, uri: this.uri, range, message, fixes });
  }

  private replace(title: string, range: OffsetRange, newText: string): QuickFix[] {
    return [{ title, edits: [{ uri: this.uri, range, newText }], preferred: true }];
  }

  /** A flanneld flag as flanneld resolves it (command line, then FLANNELD_*), else its default. */
  private setting(flag: string, fallback: string): FlanneldSetting {
    return flanneldSetting(this.daemonSet, flag, this.cluster.facts.configMaps) ?? { value: fallback };
  }

  /** Where a missing thing is reported: the container's volumeMounts key, else its name. */
  private containerAnchor(key = 'volumeMounts'): OffsetRange {
    const pair = pairOf(this.container.node, key);
    if (pair?.key.range) return [pair.key.range[0], pair.key.range[1]];
    return this.container.name?.textRange ?? [this.container.node.range?.[0] ?? 0, this.container.node.range?.[0] ?? 0];
  }

  private mountsOf(volume: string) {
    return this.container.volumeMounts.filter((m) => m.name?.value === volume);
  }

  /** The ConfigMap volume flanneld reads: the one mounted at the net-conf directory, else the first it mounts. */
  private configVolume(netConfDir: string): VolumeFacts | undefined {
    const volumes = this.daemonSet.spec.volumes.filter((v) => v.configMapName && v.name);
    const mountedAt = (v: VolumeFacts) =>
      this.mountsOf(v.name!.value).some((m) => m.mountPath && trimSlash(m.mountPath.value) === netConfDir);
    return volumes.find(mountedAt) ?? volumes.find((v) => this.mountsOf(v.name!.value).length > 0) ?? volumes[0];
  }

  // --- flannel-configmap-ref ---------------------------------------------------------------------

  private checkConfigMapRef(volume: VolumeFacts): ConfigMapFacts | undefined {
    const ref = volume.configMapName!;
    const namespace = namespaceOf(this.daemonSet.object);
    const all = this.cluster.facts.configMaps;
    const sameNamespace = all.filter((c) => namespaceOf(c.object) === namespace);
    // Several manifests of one folder often define the same ConfigMap: the DaemonSet's own file wins.
    const named = sameNamespace.filter((c) => c.object.name?.value === ref.value);
    const configMap = named.find((c) => c.object.uri === this.uri) ?? named[0];
    if (!configMap) {
      const elsewhere = all.find((c) => c.object.name?.value === ref.value);
      const candidates = sameNamespace
        .filter((c) => c.netConf)
        .map((c) => c.object.name?.value)
        .filter((n): n is string => !!n);
      const suggestion =
        closestMatch(ref.value, candidates) ?? (candidates.length === 1 && !elsewhere ? candidates[0] : undefined);
      const where = elsewhere
        ? `ConfigMap "${ref.value}" is in namespace "${namespaceOf(elsewhere.object)}", but the DaemonSet runs ` +
          `in "${namespace}" and pods can only mount ConfigMaps of their own namespace`
        : `No ConfigMap "${ref.value}" exists in namespace "${namespace}" in this workspace`;
      this.finding(
        'flannel-configmap-ref',
        ref.textRange,
        `${where}: the flannel pods stay in ContainerCreating (volume mount fails) and no node gets a pod ` +
          'network. ' +
          (suggestion
            ? `Did you mean "${suggestion}"?`
            : elsewhere
              ? 'Put both in the same namespace.'
              : 'Add the ConfigMap or fix the name.'),
        suggestion && ref.replaceable
          ? this.replace(`Change to "${suggestion}"`, ref.textRange, suggestion)
          : undefined,
      );
      return undefined;
    }
    if (!configMap.netConf && !pairOf(get(configMap.object.node, 'data'), NET_CONF_KEY)) {
      this.finding(
        'flannel-configmap-ref',
        ref.textRange,
        `ConfigMap "${ref.value}" has no "${NET_CONF_KEY}" key: flanneld finds no network configuration and ` +
          `exits at start. Add net-conf.json to its data, or point the volume at flannel's ConfigMap.`,
      );
      return configMap;
    }
    if (volume.items.length > 0 && !volume.items.some((i) => i.key === NET_CONF_KEY)) {
      this.finding(
        'flannel-configmap-ref',
        ref.textRange,
        `The volume's "items" do not project "${NET_CONF_KEY}" from ConfigMap "${ref.value}": only listed ` +
          `keys appear in the mount, so flanneld finds no network configuration and exits. Add it to "items" ` +
          `or drop "items".`,
      );
    }
    return configMap;
  }

  // --- flannel-mount -----------------------------------------------------------------------------

  private checkConfigMount(
    netConfigPath: { value: string; range?: OffsetRange },
    volume: VolumeFacts | undefined,
    configMap: ConfigMapFacts | undefined,
  ): void {
    const dir = dirOf(netConfigPath.value);
    const mounts = this.container.volumeMounts;
    const atDir = mounts.find((m) => m.mountPath && trimSlash(m.mountPath.value) === dir);
    const atFile = mounts.find((m) => m.mountPath?.value === netConfigPath.value && getText(m.node, 'subPath'));
    if (atDir || atFile) {
      this.checkConfigFileName(netConfigPath, volume, configMap, atDir?.name?.value);
      return;
    }
    const shown = `${dir === '/' ? '' : dir}/`;
    const elsewhere = volume?.name ? this.mountsOf(volume.name.value).find((m) => m.mountPath) : undefined;
    if (elsewhere?.mountPath) {
      this.finding(
        'flannel-mount',
        elsewhere.mountPath.textRange,
        `The flannel config volume is mounted at ${elsewhere.mountPath.value}, but flanneld ` +
          `reads ${netConfigPath.value}${netConfigPath.range ? ' (--net-config-path)' : ' (its default)'}: it ` +
          `finds no net-conf.json and exits at start. Mount the volume at ${shown}.`,
        elsewhere.mountPath.replaceable
          ? this.replace(`Mount at ${shown}`, elsewhere.mountPath.textRange, shown)
          : undefined,
      );
      return;
    }
    this.finding(
      'flannel-mount',
      this.containerAnchor(),
      `The flanneld container mounts nothing at ${shown}, where it reads ${netConfigPath.value}: it finds no ` +
        `network configuration and exits at start. Mount the flannel ConfigMap volume at ${shown}.`,
    );
  }

  /** An explicit --net-config-path must name a file the mounted ConfigMap provides. */
  private checkConfigFileName(
    netConfigPath: { value: string; range?: OffsetRange },
    volume: VolumeFacts | undefined,
    configMap: ConfigMapFacts | undefined,
    mountedVolume: string | undefined,
  ): void {
    if (!netConfigPath.range || !volume || !configMap || mountedVolume !== volume.name?.value) return;
    const fileName = netConfigPath.value.slice(netConfigPath.value.lastIndexOf('/') + 1);
    const provided =
      volume.items.length > 0 ? volume.items.map((i) => i.path).filter((p): p is string => !!p) : dataKeys(configMap);
    if (provided.includes(fileName)) return;
    this.finding(
      'flannel-mount',
      netConfigPath.range,
      `--net-config-path names ${fileName}, but the mounted ConfigMap ` +
        `provides ${provided.map((p) => `"${p}"`).join(', ') || 'no files'}: flanneld finds no network ` +
        `configuration and exits at start.`,
    );
  }

  private checkSubnetFile(configMap: ConfigMapFacts | undefined): void {
    const subnetFile = this.setting('subnet-file', DEFAULT_SUBNET_FILE);
    const cni = this.cniSubnetFile(configMap);
    if (cni && cni.value !== subnetFile.value) {
      const explicit = subnetFile.range !== undefined;
      const range = explicit ? subnetFile.range! : cni.range;
      const uri = explicit ? this.uri : cni.uri;
      this.report({
        code: 'flannel-mount',
        uri,
        range,
        message:
          `flanneld writes its subnet file ` +
          `to ${subnetFile.value}${explicit ? ' (--subnet-file)' : ' (its default)'}, but the flannel CNI ` +
          `plugin reads ${cni.value} (cni-conf.json "subnetFile"${cni.explicit ? '' : ', its default'}): every ` +
          `pod fails with "failed to load flannel 'subnet.env' file". Make the two paths equal.`,
      });
    }
    const dir = dirOf(subnetFile.value);
    const mount = this.container.volumeMounts
      .filter(
        (m) =>
          m.mountPath && (dir === trimSlash(m.mountPath.value) || dir.startsWith(trimSlash(m.mountPath.value) + '/')),
      )
      .sort((a, b) => b.mountPath!.value.length - a.mountPath!.value.length)[0];
    const volume = mount ? this.daemonSet.spec.volumes.find((v) => v.name?.value === mount.name?.value) : undefined;
    if (volume?.hostPath) return;
    const why =
      `the flannel CNI plugin runs on the host and reads ${subnetFile.value} there, so every pod fails with ` +
      `"failed to load flannel 'subnet.env' file"`;
    if (mount?.name) {
      this.finding(
        'flannel-mount',
        mount.name.textRange,
        `Volume "${mount.name.value}", mounted at ${mount.mountPath!.value}, is not a hostPath: flanneld ` +
          `writes subnet.env into it, but ${why}. Use a hostPath volume (path: ${dir}).`,
      );
    } else {
      this.finding(
        'flannel-mount',
        subnetFile.range ?? this.containerAnchor(),
        `${dir} is not mounted from the host: flanneld writes subnet.env inside its container only, ` +
          `but ${why}. Mount a hostPath volume (path: ${dir}) at ${dir}.`,
      );
    }
  }

  /** The flannel plugin's subnetFile in cni-conf.json, with its default. */
  private cniSubnetFile(
    configMap: ConfigMapFacts | undefined,
  ): { value: string; explicit: boolean; uri: string; range: OffsetRange } | undefined {
    const json = configMap?.cniConf?.json;
    const plugins = json?.root?.type === 'object' ? jsonLookup(json.root, 'plugins')?.valueNode : undefined;
    const flannel = (plugins?.children ?? []).find(
      (p: JsonNode) => jsonLookup(p, 'type')?.valueNode?.value === 'flannel',
    );
    if (!json || !flannel) return undefined;
    const node = jsonLookup(flannel, 'subnetFile')?.valueNode;
    const uri = configMap!.object.uri;
    if (node?.type === 'string')
      return {
        value: String(node.value),
        explicit: true,
        uri,
        range: json.toFileRange([node.offset + 1, node.offset + node.length - 1]),
      };
    const typeNode = jsonLookup(flannel, 'type')!.valueNode!;
    return {
      value: DEFAULT_SUBNET_FILE,
      explicit: false,
      uri,
      range: json.toFileRange([typeNode.offset, typeNode.offset + typeNode.length]),
    };
  }

  // --- flannel-kube-subnet-mgr -------------------------------------------------------------------

  private checkKubeSubnetMgr(configVolume: VolumeFacts | undefined): void {
    const flag = this.flags.find((f) => f.name === 'kube-subnet-mgr');
    if (isFlagOn(flag)) return;
    if (
      !flag &&
      this.container.env.some((e) => e.name.value === 'FLANNELD_KUBE_SUBNET_MGR' && isGoTrue(e.value?.value))
    )
      return;
    // A deliberate etcd setup: etcd endpoints given and no ConfigMap mounted.
    if (!flag && !configVolume && this.flags.some((f) => f.name === 'etcd-endpoints')) return;
    const why =
      'flanneld ignores the ConfigMap and node podCIDRs and tries etcd at http://127.0.0.1:2379, which a ' +
      'Kubernetes install does not have';
    if (flag) {
      this.finding(
        'flannel-kube-subnet-mgr',
        flag.item.textRange,
        `--kube-subnet-mgr is set to "${flag.value}": ${why}. Use --kube-subnet-mgr.`,
        flag.item.replaceable
          ? this.replace('Change to --kube-subnet-mgr', flag.item.textRange, '--kube-subnet-mgr')
          : undefined,
      );
      return;
    }
    const anchor =
      this.container.command[0]?.textRange ??
      this.keyRange(this.container.node, 'args') ??
      this.containerAnchor('name');
    const target = get(this.container.node, 'args') ?? get(this.container.node, 'command');
    const edits = appendToSequence(this.uri, this.text, target, ['--kube-subnet-mgr']);
    this.finding(
      'flannel-kube-subnet-mgr',
      anchor,
      `flanneld runs without --kube-subnet-mgr (not in command, args or FLANNELD_KUBE_SUBNET_MGR): ${why}. ` +
        `Add --kube-subnet-mgr to its args.`,
      preferredFix('Add --kube-subnet-mgr', edits),
    );
  }

  private keyRange(node: unknown, key: string): OffsetRange | undefined {
    const range = pairOf(node, key)?.key.range;
    return range ? [range[0], range[1]] : undefined;
  }

  // --- flannel-host-network ----------------------------------------------------------------------

  private checkHostNetwork(): void {
    const spec = this.daemonSet.spec;
    if (spec.hostNetwork) return;
    const why =
      "flanneld must create flannel.1 and routes in the node's own network namespace and reach other nodes " +
      'by their IPs; in a pod network it configures only its own pod, so no node gets pod networking';
    const value = spec.hostNetworkNode;
    if (isScalar(value) && value.range) {
      const range: OffsetRange = [value.range[0], value.range[1]];
      this.finding(
        'flannel-host-network',
        range,
        `hostNetwork is ${this.text.slice(range[0], range[1])}: ${why}. Set hostNetwork: true.`,
        this.replace('Set hostNetwork: true', range, 'true'),
      );
      return;
    }
    const template = get(this.daemonSet.object.node, 'spec', 'template');
    const anchor = this.keyRange(template, 'spec') ?? this.daemonSet.object.name?.textRange ?? [0, 0];
    const edits = insertKeyFirst(this.uri, this.text, spec.node, 'hostNetwork: true');
    this.finding(
      'flannel-host-network',
      anchor,
      `The flannel DaemonSet does not set hostNetwork: true: ${why}. Add hostNetwork: true to the pod template spec.`,
      preferredFix('Add hostNetwork: true', edits),
    );
  }

  // --- flannel-privileges ------------------------------------------------------------------------

  /**
   * capabilities.add adds to the runtime's default set: docker's and containerd's hold NET_RAW (for iptables)
   * but not NET_ADMIN; CRI-O's has no NET_RAW from 1.18 (flannel added it in v0.13.0, flannel-versions.md §3a).
   * Checked once per DaemonSet: flannel ≤ v0.12 shipped one DaemonSet per architecture.
   */
  private checkPrivileges(): void {
    const c = this.container;
    const grants = (cap: string) => c.capabilities.includes('ALL') || c.capabilities.includes(cap);
    if (c.privileged === true || (grants('NET_ADMIN') && grants('NET_RAW'))) return;
    const missing = ['NET_ADMIN', 'NET_RAW'].filter((cap) => !grants(cap));
    const capabilities = get(c.node, 'securityContext', 'capabilities');
    const add = get(capabilities, 'add');
    const anchor =
      this.keyRange(capabilities, 'add') ??
      this.keyRange(get(c.node, 'securityContext'), 'capabilities') ??
      this.keyRange(c.node, 'securityContext') ??
      this.containerAnchor('name');
    const edits = isSeq(add) && add.items.length > 0 ? appendToSequence(this.uri, this.text, add, missing) : undefined;
    const fixes = preferredFix(`Add ${missing.join(', ')}`, edits);
    const dropped = c.droppedCapabilities.find((cap) => cap === 'ALL' || cap === 'NET_RAW');
    if (grants('NET_ADMIN') && !dropped) {
      this.report({
        code: 'flannel-privileges',
        uri: this.uri,
        range: anchor,
        severity: 'information',
        message:
          'flanneld gets NET_ADMIN but not NET_RAW: that works on docker and containerd, whose default ' +
          'capabilities include NET_RAW, but fails with "operation not permitted" on runtimes that drop it by ' +
          "default (CRI-O from 1.18). flannel's manifest adds NET_RAW since v0.13.0.",
        fixes,
      });
      return;
    }
    const message = grants('NET_ADMIN')
      ? `capabilities.drop removes ${dropped === 'ALL' ? 'ALL, NET_RAW with them' : 'NET_RAW'} and add does not ` +
        'give it back: flanneld needs NET_RAW for iptables, so it fails with "operation not permitted". Add ' +
        'NET_RAW to securityContext.capabilities.add.'
      : `flanneld is neither privileged nor granted NET_ADMIN: it needs it to create flannel.1, routes and ` +
        `iptables/nftables rules, so it fails at start with "operation not permitted". Add ` +
        `${missing.join(' and ')} to securityContext.capabilities.add.`;
    this.finding('flannel-privileges', anchor, message, fixes);
  }

  // --- flannel-pod-identity ----------------------------------------------------------------------

  private checkPodIdentity(): void {
    const env = this.container.env;
    if (env.some((e) => e.name.value === 'NODE_NAME')) return;
    const expected: Record<string, string> = { POD_NAME: 'metadata.name', POD_NAMESPACE: 'metadata.namespace' };
    const wrong = env.find((e) => expected[e.name.value] !== undefined && e.fieldPath !== expected[e.name.value]);
    const complete = Object.keys(expected).every((name) => env.some((e) => e.name.value === name));
    if (complete && !wrong) return;
    const missing = Object.keys(expected).filter((name) => !env.some((e) => e.name.value === name));
    const detail = wrong
      ? `${wrong.name.value} does not come from fieldRef ${expected[wrong.name.value]}`
      : `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`;
    const why =
      'flanneld finds its node by reading its own pod (or NODE_NAME), otherwise it exits with "env variables ' +
      'POD_NAME and POD_NAMESPACE must be set"';
    this.finding(
      'flannel-pod-identity',
      wrong ? wrong.name.textRange : this.containerAnchor('env'),
      `${detail}: ${why}. Set POD_NAME and POD_NAMESPACE from fieldRefs metadata.name and ` +
        `metadata.namespace, or NODE_NAME from spec.nodeName.`,
    );
  }

  // --- flannel-conflist-name ---------------------------------------------------------------------

  /**
   * Where the other containers really install cni-conf.json (copy operations read from their command
   * lines), checked against the JSON's shape and against the host directories they mount.
   */
  private checkConflistName(configMap: ConfigMapFacts | undefined): void {
    const root = configMap?.cniConf?.json.root;
    if (root?.type !== 'object') return;
    const shape = jsonLookup(root, 'plugins') ? 'list' : jsonLookup(root, 'type') ? 'single' : undefined;
    for (const container of [...this.daemonSet.spec.initContainers, ...this.daemonSet.spec.containers]) {
      if (container === this.container) continue;
      const hostMounts = this.hostMounts(container);
      const directories = container.volumeMounts.flatMap((m) => (m.mountPath ? [m.mountPath.value] : []));
      const operations = copyOperations([...container.command, ...container.args], this.text, directories);
      for (const installed of installedCopies(operations)) {
        const onHost = hostPathOf(installed.target, hostMounts);
        if (onHost === undefined && hostMounts.some((m) => isUnder(CNI_CONF_DIR, m.hostPath))) {
          this.reportNotOnHost(installed, hostMounts);
        } else if (onHost === undefined || dirOf(onHost) === CNI_CONF_DIR) {
          if (shape) this.checkInstalledName(installed, shape);
        }
      }
    }
  }

  /** The hostPath volumes a container mounts, with the path on the host of each mount. */
  private hostMounts(container: ContainerFacts): HostMount[] {
    return container.volumeMounts.flatMap((mount) => {
      const volume = this.daemonSet.spec.volumes.find((v) => v.name?.value === mount.name?.value);
      const hostPath = volume?.hostPath?.value;
      return hostPath && mount.mountPath
        ? [{ mountPath: trimSlash(mount.mountPath.value), hostPath: trimSlash(hostPath) }]
        : [];
    });
  }

  private reportNotOnHost({ destination, range }: CopyOperation, hostMounts: HostMount[]): void {
    const mount = hostMounts.find((m) => isUnder(CNI_CONF_DIR, m.hostPath))!;
    const inContainer = mount.mountPath + CNI_CONF_DIR.slice(mount.hostPath.length);
    this.finding(
      'flannel-conflist-name',
      range,
      `cni-conf.json is installed at ${destination}, which is not on the host: the container mounts the ` +
        `host's ${CNI_CONF_DIR} at ${inContainer}, so the file stays inside the container, the runtime ` +
        `never sees it and pods get no network. Install it under ${inContainer}.`,
    );
  }

  private checkInstalledName({ destination, target, range }: CopyOperation, shape: 'list' | 'single'): void {
    const isList = target.endsWith('.conflist');
    if (shape === 'single' && isList) {
      const replacement = destination.replace(/\.conflist$/, '.conf');
      this.finding(
        'flannel-conflist-name',
        range,
        `cni-conf.json is installed as ${target}, but it is a single network config (top-level "type", ` +
          `no "plugins"): libcni reads a .conflist as a list and fails with "no 'plugins' key", so pods get ` +
          `no network. Install it as a .conf file, or move the plugin into "plugins": [ … ].`,
        destination.endsWith('.conflist') ? this.replace(`Change to ${replacement}`, range, replacement) : undefined,
      );
    } else if (shape === 'list' && !isList) {
      const replacement =
        target !== destination
          ? `${destination.replace(/\/*$/, '/')}10-flannel.conflist` // a directory: name the file
          : /\.(conf|json)$/.test(destination)
            ? destination.replace(/\.(conf|json)$/, '.conflist')
            : `${destination}.conflist`;
      this.finding(
        'flannel-conflist-name',
        range,
        `cni-conf.json is installed as ${target}, but it holds a plugin list: libcni reads only files ending ` +
          `in .conflist as lists, so the runtime ignores or misreads it and pods get no network. Install it ` +
          `as ${replacement}.`,
        this.replace(`Change to ${replacement}`, range, replacement),
      );
    }
  }
}

interface HostMount {
  mountPath: string;
  hostPath: string;
}

const CNI_CONF_DIR = '/etc/cni/net.d';
const isUnder = (path: string, dir: string) => path === dir || path.startsWith(dir === '/' ? '/' : `${dir}/`);

/** The path on the host of a path in the container, when a hostPath mount covers it (the deepest wins). */
function hostPathOf(path: string, mounts: HostMount[]): string | undefined {
  const mount = mounts
    .filter((m) => isUnder(path, m.mountPath))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  return mount ? trimSlash(mount.hostPath + path.slice(mount.mountPath.length)) : undefined;
}

/**
 * The copies that leave cni-conf.json somewhere: followed through intermediate files (`cp … /tmp/x;
 * mv /tmp/x …`), keeping the last place of each copy.
 */
function installedCopies(operations: CopyOperation[]): CopyOperation[] {
  const holders = new Map<string, CopyOperation>();
  for (const operation of operations) {
    const from = holders.get(operation.source);
    if (!from && !/(^|\/)cni-conf\.json$/.test(operation.source)) continue;
    // Moved, or copied on: the intermediate file is not where it ends up.
    if (from) holders.delete(operation.source);
    holders.set(operation.target, operation);
  }
  return [...holders.values()];
}

function dataKeys(configMap: ConfigMapFacts): string[] {
  const data = get(configMap.object.node, 'data');
  return isMap(data)
    ? data.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : '')).filter(Boolean)
    : [];
}
