// The Backend object of net-conf.json (flannel.md §2): flannel reads Backend.Type (lowercased), then the
// chosen backend decodes the same object into its own config struct (case-insensitive keys, unknown
// keys ignored). A missing Backend means udp, not vxlan.
import { type JsonNode, jsonLookup, jsonLookupNonNull, type JsonProperty, jsonProperties } from '../core/embeddedJson';
import { type OffsetRange } from '../core/text';
import { closestMatch } from '../core/suggest';
import { BACKEND_TYPES, type BackendInfo, type BackendOption, BACKENDS } from '../model/backends';
import {
  backendAvailability,
  type BackendAvailability,
  type FlannelVersion,
  formatVersion,
} from '../model/flannelVersion';
import {
  contentRange,
  describeValue,
  isJsonInteger,
  keyRange,
  type NetConfTarget,
  netConfTargets,
  yamlKeyRange,
} from '../model/netConfTarget';
import { type RuleId } from './registry';
import {
  type Finding,
  jsonEdit,
  jsonFinding,
  preferredFix,
  type QuickFix,
  type RuleContext,
  unquoteFix,
} from './types';

const VXLAN_BACKEND = '{"Type": "vxlan"}';
const WIREGUARD_MODES = ['separate', 'auto', 'ipv4', 'ipv6'];
const MIN_DEVICE_MTU = 68;
const MAX_VNI = 16777215;
const IPSEC_MIN_PSK = 96;

export function checkBackend({ cluster, report }: RuleContext): void {
  for (const target of netConfTargets(cluster)) {
    if (target.root.type === 'object') new BackendCheck(target, cluster.network.flannelVersion, report).run();
  }
}

class BackendCheck {
  constructor(
    private readonly target: NetConfTarget,
    /** The deployed flannel release; undefined: the newest. */
    private readonly version: FlannelVersion | undefined,
    private readonly report: (finding: Finding) => void,
  ) {}

  private at(where: JsonNode | OffsetRange, code: RuleId, message: string, fixes: QuickFix[] = []): void {
    this.report(
      jsonFinding(this.target.uri, this.target.conf.json, where, code, message, fixes.length ? { fixes } : {}),
    );
  }

  private fix(title: string, range: OffsetRange, text: string): QuickFix[] {
    return preferredFix(title, jsonEdit(this.target.uri, this.target.conf.json, range, text));
  }

  run(): void {
    const property = jsonLookup(this.target.root, 'Backend');
    const backend = property?.valueNode;
    if (!property || !backend) {
      this.missing();
      return;
    }
    if (backend.type === 'null') {
      this.at(
        backend,
        'backend-type-unknown',
        `\`Backend\` is null: flannel reads an empty backend type and exits with "unknown backend type: ". ` +
          `Set it to ${VXLAN_BACKEND}.`,
        this.fix(`Replace with ${VXLAN_BACKEND}`, [backend.offset, backend.offset + backend.length], VXLAN_BACKEND),
      );
      return;
    }
    if (backend.type !== 'object') {
      this.at(
        backend,
        'json-type',
        `\`Backend\` must be a JSON object such as ${VXLAN_BACKEND}, ` +
          `not ${describeValue(this.target, backend)}: flannel fails with "error decoding Backend property of ` +
          `config" and exits.`,
        backend.type === 'string'
          ? this.fix(
              `Replace with {"Type": "${backend.value}"}`,
              [backend.offset, backend.offset + backend.length],
              `{"Type": ${JSON.stringify(backend.value)}}`,
            )
          : [],
      );
      return;
    }
    const info = this.backendType(property, backend);
    if (info) this.checkOptions(backend, info);
  }

  /** No Backend: flannel's parseBackendType returns udp, although the docs say vxlan. */
  private missing(): void {
    const { root } = this.target;
    const properties = jsonProperties(root);
    const last = properties[properties.length - 1]?.valueNode;
    const at = last ? last.offset + last.length : root.offset + 1;
    const insertion = `${last ? ', ' : ''}"Backend": ${VXLAN_BACKEND}`;
    const edits = jsonEdit(this.target.uri, this.target.conf.json, [at, at], insertion);
    this.report({
      code: 'backend-missing',
      uri: this.target.uri,
      range: yamlKeyRange(this.target.conf),
      message:
        `net-conf.json has no \`Backend\`: flannel then uses the udp backend (not vxlan, whatever the docs ` +
        `say), which is slow, for debugging only and works only on amd64. Add "Backend": ${VXLAN_BACKEND}.`,
      fixes: preferredFix(`Add "Backend": ${VXLAN_BACKEND}`, edits),
    });
  }

  /** Checks Backend.Type; returns the registered backend it names. */
  private backendType(property: JsonProperty, backend: JsonNode): BackendInfo | undefined {
    const typeProperties = jsonProperties(backend).filter((p) => p.key.toLowerCase() === 'type');
    for (const p of typeProperties) {
      if (p.valueNode && p.valueNode.type !== 'string' && p.valueNode.type !== 'null') {
        this.at(
          p.valueNode,
          'json-type',
          `\`Type\` must be a JSON string such as "vxlan", not ${describeValue(this.target, p.valueNode)}: ` +
            `flannel fails with "error decoding Backend property of config" and exits.`,
        );
        return undefined;
      }
    }
    // Type is a plain string field: null leaves the value of an earlier Type.
    const typeNode =
      jsonLookupNonNull(backend, 'Type')?.valueNode ?? typeProperties[typeProperties.length - 1]?.valueNode;
    if (!typeNode || typeNode.type === 'null' || typeNode.value === '') {
      const empty = !backend.children?.length;
      const where: JsonNode | OffsetRange = typeNode ?? (empty ? backend : keyRange(property));
      const what = !typeNode ? (empty ? '`Backend` is empty' : '`Backend` has no `Type`') : '`Type` is empty';
      const fixes = !typeNode
        ? empty
          ? this.fix(`Replace with ${VXLAN_BACKEND}`, [backend.offset, backend.offset + backend.length], VXLAN_BACKEND)
          : this.fix('Add "Type": "vxlan"', [backend.offset + 1, backend.offset + 1], '"Type": "vxlan", ')
        : this.fix('Use vxlan', [typeNode.offset, typeNode.offset + typeNode.length], '"vxlan"');
      this.at(
        where,
        'backend-type-unknown',
        `${what}: flannel reads an empty backend type and exits with "unknown backend type: ". Set "Type": ` +
          `"vxlan" (recommended).`,
        fixes,
      );
      return undefined;
    }
    const written = typeNode.value as string;
    const type = written.toLowerCase();
    const availability = backendAvailability(type, this.version, BACKEND_TYPES);
    if (availability.state !== 'registered') {
      this.unregistered(written, type, typeNode, availability);
      return undefined;
    }
    // Cloud backends of old releases have no entry: registered there, their options are not checked.
    const info = BACKENDS[type];
    if (!info) return undefined;
    this.notRecommended(info, typeNode);
    return info;
  }

  private unregistered(written: string, type: string, typeNode: JsonNode, availability: BackendAvailability): void {
    const range = contentRange(typeNode);
    const exits = `flanneld exits with "unknown backend type: ${type}"`;
    const release = this.version ? `flannel ${formatVersion(this.version)}` : 'flannel';
    if (availability.state === 'removed') {
      const deployed = this.version ? `, and the deployed image \`${this.version.image}\` is newer` : '';
      this.at(
        range,
        'backend-type-unknown',
        `The ${type} backend was removed in flannel ${availability.removed}${deployed}: ${exits}. Use vxlan ` +
          `(or host-gw when all nodes share one L2 network), or pin an image older than ${availability.removed}.`,
      );
    } else if (availability.state === 'not-yet') {
      this.at(
        range,
        'backend-type-unknown',
        `The ${type} backend arrived in flannel ${availability.since}; the deployed image ` +
          `\`${this.version?.image}\` (${release}) does not have it: ${exits}. Upgrade the image or use vxlan.`,
      );
    } else if (this.version?.fork) {
      const message =
        `\`${written}\` is not a backend of upstream ${release}, but the image \`${this.version.image}\` ` +
        `is a fork (tag suffix \`${this.version.fork}\`) that may register it. If it does not, ${exits}.`;
      const { uri, conf } = this.target;
      this.report(jsonFinding(uri, conf.json, range, 'backend-type-unknown', message, { severity: 'warning' }));
    } else {
      const suggestion = closestMatch(written, BACKEND_TYPES);
      this.at(
        range,
        'backend-type-unknown',
        `\`${written}\` is not a flannel backend: ${exits}. ` +
          (suggestion ? `Did you mean \`${suggestion}\`?` : `Use one of ${BACKEND_TYPES.join(', ')}.`),
        suggestion ? this.fix(`Use ${suggestion}`, range, suggestion) : [],
      );
    }
  }

  private notRecommended(info: BackendInfo, typeNode: JsonNode): void {
    if (info.status === 'debugging') {
      this.at(
        contentRange(typeNode),
        'backend-not-recommended',
        `The ${info.type} backend is for debugging only: it encapsulates packets in userspace (slow) and ` +
          `works only on linux/amd64. Use vxlan for production.`,
      );
    } else if (info.status === 'experimental') {
      this.at(
        contentRange(typeNode),
        'backend-not-recommended',
        `flannel's documentation lists the ${info.type} backend as experimental and unsupported. Prefer ` +
          `vxlan (or wireguard when traffic must be encrypted).`,
      );
    }
  }

  private checkOptions(backend: JsonNode, info: BackendInfo): void {
    for (const property of jsonProperties(backend)) {
      const lower = property.key.toLowerCase();
      if (lower === 'type') continue;
      const option = info.options.find((o) => o.key.toLowerCase() === lower);
      if (!option || option.windowsOnly) this.unknownOption(property, info, option);
      else if (property.valueNode) this.checkOptionType(property.valueNode, option, info);
    }
    const value = (key: string) => {
      const node = jsonLookupNonNull(backend, key)?.valueNode;
      return node && info.options.some((o) => o.key === key && !o.windowsOnly) ? node : undefined;
    };
    this.checkValues(backend, info, value);
  }

  private unknownOption(property: JsonProperty, info: BackendInfo, option: BackendOption | undefined): void {
    if (option?.windowsOnly) {
      this.at(
        keyRange(property),
        'backend-option-unknown',
        `\`${property.key}\` is read only by flannel on Windows nodes; on Linux the ${info.type} backend ignores it.`,
      );
      return;
    }
    const linuxKeys = info.options.filter((o) => !o.windowsOnly).map((o) => o.key);
    const suggestion = closestMatch(property.key, linuxKeys);
    const owners = BACKEND_TYPES.filter((t) =>
      BACKENDS[t].options.some((o) => !o.windowsOnly && o.key.toLowerCase() === property.key.toLowerCase()),
    );
    const belongs = owners.length ? ` (it is an option of ${owners.join(', ')})` : '';
    const reads = linuxKeys.length ? `It reads ${linuxKeys.join(', ')}.` : 'It reads no options besides Type.';
    this.at(
      keyRange(property),
      'backend-option-unknown',
      `The ${info.type} backend does not read \`${property.key}\`${belongs}, so flannel silently ignores ` +
        `it. ${suggestion ? `Did you mean \`${suggestion}\`?` : reads}`,
      suggestion ? this.fix(`Rename to ${suggestion}`, keyRange(property), suggestion) : [],
    );
  }

  /** Every occurrence is decoded into the backend's struct, so a wrong type fails even if a later one is right. */
  private checkOptionType(node: JsonNode, option: BackendOption, info: BackendInfo): void {
    if (node.type === 'null') return;
    const decodeError = `error decoding ${info.type} backend config`;
    if (option.key === 'PersistentKeepaliveInterval') {
      if (isJsonInteger(this.target, node)) return;
      const seconds = node.type === 'string' ? /^([0-9]{1,5})s?$/.exec(node.value as string)?.[1] : undefined;
      this.at(
        node,
        'backend-option-invalid',
        `\`PersistentKeepaliveInterval\` must be a JSON integer of seconds such as 25, ` +
          `not ${describeValue(this.target, node)}: flannel decodes it into a duration and fails with ` +
          `"${decodeError}".`,
        unquoteFix(this.target, node, seconds),
      );
      return;
    }
    if (option.type === 'integer' && !isJsonInteger(this.target, node)) {
      const literal =
        node.type === 'string' && /^-?[0-9]{1,9}$/.test(node.value as string) ? String(Number(node.value)) : undefined;
      this.at(
        node,
        'json-type',
        `\`${option.key}\` must be a JSON integer, not ${describeValue(this.target, node)}: flannel fails ` +
          `with "${decodeError}" and exits.`,
        unquoteFix(this.target, node, literal),
      );
    } else if (option.type === 'boolean' && node.type !== 'boolean') {
      const literal =
        node.type === 'string' && /^(true|false)$/.test(node.value as string) ? String(node.value) : undefined;
      this.at(
        node,
        'json-type',
        `\`${option.key}\` must be the JSON boolean true or false, not ${describeValue(this.target, node)}: ` +
          `flannel fails with "${decodeError}" and exits.`,
        unquoteFix(this.target, node, literal),
      );
    } else if (option.type === 'string' && node.type !== 'string') {
      this.at(
        node,
        'json-type',
        `\`${option.key}\` must be a JSON string, not ${describeValue(this.target, node)}: flannel fails ` +
          `with "${decodeError}" and exits.`,
      );
    }
  }

  private checkValues(backend: JsonNode, info: BackendInfo, value: (key: string) => JsonNode | undefined): void {
    const integer = (key: string): { node: JsonNode; n: number } | undefined => {
      const node = value(key);
      return node && isJsonInteger(this.target, node) ? { node, n: node.value as number } : undefined;
    };
    const vni = integer('VNI');
    if (vni && (vni.n < 0 || vni.n > MAX_VNI)) {
      this.at(
        vni.node,
        'backend-option-invalid',
        `\`VNI\` ${vni.n} is outside 0..${MAX_VNI} (24 bits): the kernel refuses to create the VXLAN device ` +
          `("VXLAN ID must be lower than 16777216"), so flanneld fails. Use a VNI such as 1.`,
      );
    }
    for (const key of ['Port', 'ListenPort', 'ListenPortV6']) {
      const port = integer(key);
      // For vxlan, 0 means "the kernel default 8472".
      const lowest = info.type === 'vxlan' ? 0 : 1;
      if (port && (port.n < lowest || port.n > 65535)) {
        this.at(
          port.node,
          'backend-option-invalid',
          `\`${key}\` ${port.n} is not a UDP port (1..65535)` +
            (port.n > 65535
              ? `: it is truncated to 16 bits (${port.n & 0xffff}), so nodes talk on a port nobody configured. `
              : ': flannel cannot listen on it. ') +
            `Use a port in 1..65535${info.defaultPort ? ` (the default is ${info.defaultPort})` : ''}.`,
        );
      }
    }
    const mtu = integer('MTU');
    if (mtu && mtu.n - info.overhead < MIN_DEVICE_MTU) {
      this.at(
        mtu.node,
        'backend-option-invalid',
        `\`MTU\` ${mtu.n} is too small for ${info.type}: it is the underlay (NIC) MTU, and the tunnel device ` +
          `gets ${mtu.n} − ${info.overhead} = ${mtu.n - info.overhead}, below the ${MIN_DEVICE_MTU} that Linux ` +
          `allows, so creating the device fails. Use the NIC's MTU (typically 1500), at ` +
          `least ${MIN_DEVICE_MTU + info.overhead}.`,
      );
    }
    if (info.type === 'wireguard') this.checkWireguard(value);
    if (info.type === 'ipsec') this.checkIpsec(backend, value);
  }

  private checkWireguard(value: (key: string) => JsonNode | undefined): void {
    const mode = value('Mode');
    if (mode?.type === 'string' && !WIREGUARD_MODES.includes(mode.value as string)) {
      const lower = (mode.value as string).toLowerCase();
      const valid = WIREGUARD_MODES.includes(lower);
      this.at(
        contentRange(mode),
        'backend-option-invalid',
        `wireguard \`Mode\` must be exactly ${WIREGUARD_MODES.join(', ')} (case-sensitive), not ` +
          `\`${mode.value}\`: flannel exits with "no valid Mode configured".${valid ? ` Write ${lower}.` : ''}`,
        valid ? this.fix(`Use ${lower}`, contentRange(mode), lower) : [],
      );
    }
    const psk = value('PSK');
    if (psk?.type === 'string' && psk.value !== '' && !/^[A-Za-z0-9+/]{43}=$/.test(psk.value as string)) {
      this.at(
        contentRange(psk),
        'backend-option-invalid',
        '`PSK` is not a WireGuard key (the base64 of 32 bytes, 44 characters ending in "=", as `wg genpsk` ' +
          'prints): flanneld fails with "could not parse psk". Generate one with `wg genpsk`.',
      );
    }
  }

  private checkIpsec(backend: JsonNode, value: (key: string) => JsonNode | undefined): void {
    const psk = value('PSK');
    if (psk && psk.type !== 'string') return; // json-type
    const length = psk ? (psk.value as string).length : 0;
    if (length >= IPSEC_MIN_PSK) return;
    const problem = psk ? `\`PSK\` has ${length} characters` : 'the ipsec backend needs a `PSK`';
    const typeNode = jsonLookupNonNull(backend, 'Type')!.valueNode!;
    this.at(
      psk ? contentRange(psk) : contentRange(typeNode),
      'backend-option-invalid',
      `${problem}: flannel requires a pre-shared key of at least ${IPSEC_MIN_PSK} characters and exits with ` +
        `"config error, password is too short". Generate one, e.g. with \`dd if=/dev/urandom count=48 bs=1 | ` +
        `xxd -p -c 96\`.`,
    );
  }
}
