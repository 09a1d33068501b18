// net-conf.json as flannel reads it (flannel.md §1): Go's encoding/json into subnet.Config (case-insensitive
// keys, last duplicate wins, unknown keys ignored), then CheckNetworkConfig, which only etcd mode runs.
// The etcd-only checks are reported in both modes; the engine lowers them to warnings in kube mode.
// Go decodes every occurrence of a key in turn, so a value it cannot decode fails flannel even when a later
// duplicate overrides it; and the IP and CIDR fields are decoded whenever present, whatever EnableIPv4/6 say.
import {
  type Cidr,
  formatAddress,
  formatCidr,
  formatIp,
  hasHostBits,
  type IpAddress,
  maskOf,
  networkOf,
  parseCidr,
  parseIp,
  sizeOf,
} from '../core/cidr';
import {
  hasJsonEscape,
  type JsonNode,
  jsonLookup,
  jsonLookupNonNull,
  type JsonProperty,
  jsonProperties,
} from '../core/embeddedJson';
import { type OffsetRange } from '../core/text';
import { closestMatch } from '../core/suggest';
import { BACKENDS } from '../model/backends';
import { formatVersion, netConfKeyAvailability } from '../model/flannelVersion';
import { effectiveSubnetLen, nullKeepsNetConfValue } from '../model/netconf';
import {
  contentRange,
  describeValue,
  isJsonInteger,
  keyRange,
  literalOf,
  type NetConfTarget,
  netConfTargets,
  yamlKeyRange,
} from '../model/netConfTarget';
import { type Cluster } from '../model/workspace';
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

type KeyKind = 'cidr' | 'ip4' | 'ip6' | 'bool' | 'uint' | 'object';

/** subnet.Config's fields (pkg/subnet/config.go). */
const NETCONF_KEYS: Record<string, KeyKind> = {
  Network: 'cidr',
  IPv6Network: 'cidr',
  EnableIPv4: 'bool',
  EnableIPv6: 'bool',
  EnableNFTables: 'bool',
  SubnetLen: 'uint',
  SubnetMin: 'ip4',
  SubnetMax: 'ip4',
  IPv6SubnetLen: 'uint',
  IPv6SubnetMin: 'ip6',
  IPv6SubnetMax: 'ip6',
  Backend: 'object',
};
const CANONICAL = new Map(Object.keys(NETCONF_KEYS).map((key) => [key.toLowerCase(), key]));
/** The multi-CIDR keys (v0.20.0 – v0.24.x) and the single-CIDR key that replaces each. */
const MULTI_CIDR_KEYS: Record<string, string> = { networks: 'Network', ipv6networks: 'IPv6Network' };
const SUBNET_KEYS = ['SubnetLen', 'SubnetMin', 'SubnetMax', 'IPv6SubnetLen', 'IPv6SubnetMin', 'IPv6SubnetMax'];

export function checkNetConf({ cluster, report }: RuleContext): void {
  for (const target of netConfTargets(cluster)) new NetConfCheck(target, cluster, report).run();
}

class NetConfCheck {
  constructor(
    private readonly target: NetConfTarget,
    private readonly cluster: Cluster,
    private readonly report: (finding: Finding) => void,
  ) {}

  private at(where: JsonNode | OffsetRange, code: RuleId, message: string, fixes?: QuickFix[]): void {
    this.report(
      jsonFinding(this.target.uri, this.target.conf.json, where, code, message, fixes?.length ? { fixes } : {}),
    );
  }

  /** For absent keys: the net-conf.json key in the YAML. */
  private atYamlKey(code: RuleId, message: string): void {
    this.report({ code, uri: this.target.uri, range: yamlKeyRange(this.target.conf), message });
  }

  private replaceFix(title: string, range: OffsetRange, text: string): QuickFix[] {
    return preferredFix(title, jsonEdit(this.target.uri, this.target.conf.json, range, text));
  }

  run(): void {
    const { root } = this.target;
    if (root.type !== 'object') {
      this.at(
        root,
        'json-type',
        `net-conf.json must be a JSON object ({ "Network": …, "Backend": … }), ` +
          `not ${describeValue(this.target, root)}: flannel fails with "cannot unmarshal ${root.type} into Go ` +
          `value of type subnet.Config" and exits.`,
      );
      return;
    }
    const properties = jsonProperties(root);
    properties.forEach((property, index) => {
      if (this.notReadByRelease(property)) return;
      const canonical = CANONICAL.get(property.key.toLowerCase());
      // The occurrence that overrides this one (a null does not override a plain bool or number).
      const later = properties
        .slice(index + 1)
        .find(
          (p) =>
            p.key.toLowerCase() === property.key.toLowerCase() &&
            !(p.valueNode?.type === 'null' && nullKeepsNetConfValue(p.key, false)),
        );
      if (!canonical) this.unknownKey(property);
      else if (property.valueNode && this.hasRightType(canonical, property.valueNode, later))
        this.checkFormat(canonical, property.valueNode, later);
    });
    this.checkFamilies();
    this.checkSubnetSettingsIgnored();
    this.checkIPv6Backend();
  }

  /** Reports a key the deployed release does not read (or reads differently); true when it is handled. */
  private notReadByRelease(property: JsonProperty): boolean {
    const version = this.cluster.network.flannelVersion;
    const availability = netConfKeyAvailability(property.key, version);
    const replacement = MULTI_CIDR_KEYS[property.key.toLowerCase()];
    if (availability.state === 'read') return replacement !== undefined; // Networks in v0.20.x: honoured
    const deployed = version ? ` (the deployed image is ${formatVersion(version)})` : '';
    const single = replacement ? ` Put a single CIDR in \`${replacement}\` instead.` : '';
    let message: string;
    if (availability.state === 'removed') {
      message =
        `\`${property.key}\` was removed in flannel ${availability.release} (multi-CIDR support was dropped)` +
        `${deployed}: flannel now ignores it silently.${single}`;
    } else if (availability.state === 'discarded') {
      message =
        `From flannel ${availability.release}${deployed}, \`${property.key}\` in net-conf.json is ignored: ` +
        `flannel resets it after reading the file and fills it only from the ClusterCIDR API.${single}`;
    } else {
      // A false flag the release does not know changes nothing: false is what it does anyway.
      if (property.valueNode?.type === 'boolean' && property.valueNode.value === false) return true;
      message =
        `\`${property.key}\` is read from flannel ${availability.release}; the deployed image ` +
        `${version ? formatVersion(version) : ''} silently ignores it, so it has no effect. Upgrade the ` +
        'image or remove the key.';
    }
    this.at(keyRange(property), 'netconf-unknown-key', message);
    return true;
  }

  private unknownKey(property: JsonProperty): void {
    const suggestion = closestMatch(property.key, Object.keys(NETCONF_KEYS));
    const hint = suggestion
      ? ` Did you mean \`${suggestion}\`?`
      : ` flannel reads ${Object.keys(NETCONF_KEYS).join(', ')}.`;
    const fixes = suggestion ? this.replaceFix(`Rename to ${suggestion}`, keyRange(property), suggestion) : [];
    this.at(
      keyRange(property),
      'netconf-unknown-key',
      `flannel does not know the key \`${property.key}\` and silently ignores it, so its value has no effect.${hint}`,
      fixes,
    );
  }

  /** Every occurrence is decoded, so a wrong type fails even when a later duplicate (`later`) is right. */
  private hasRightType(key: string, value: JsonNode, later: JsonProperty | undefined): boolean {
    const kind = NETCONF_KEYS[key];
    const target = this.target;
    const fails = (expected: string, goError: string, fixes: QuickFix[] = []) =>
      this.at(
        value,
        'json-type',
        `\`${key}\` must be ${expected}, not ${describeValue(target, value)}: flannel fails with ` +
          `"${goError}" and exits.${overriddenNote(later)}`,
        fixes,
      );
    switch (kind) {
      case 'cidr':
      case 'ip4':
      case 'ip6': {
        // A pointer field (IPv6SubnetMin/Max) takes null as "unset"; the others parse the literal "null".
        if (value.type === 'string' || (kind === 'ip6' && value.type === 'null')) return true;
        const example =
          key === 'Network'
            ? '"10.244.0.0/16"'
            : key === 'IPv6Network'
              ? '"fd00:10:244::/56"'
              : kind === 'ip6'
                ? '"fd00:10:244:1::"'
                : '"10.244.1.0"';
        fails(
          `a JSON string such as ${example}`,
          kind === 'cidr' ? 'invalid CIDR address' : 'invalid IP address format',
        );
        return false;
      }
      case 'bool': {
        if (value.type === 'boolean' || value.type === 'null') return true;
        const literal =
          value.type === 'string' && /^(true|false)$/.test(String(value.value)) ? String(value.value) : undefined;
        fails(
          'the JSON boolean true or false',
          `json: cannot unmarshal ${value.type} into Go struct field Config.${key} of type bool`,
          unquoteFix(target, value, literal),
        );
        return false;
      }
      case 'uint': {
        if (isJsonInteger(target, value, true) || value.type === 'null') return true;
        const literal =
          value.type === 'string' && /^(0|[1-9][0-9]{0,2})$/.test(String(value.value))
            ? String(value.value)
            : undefined;
        fails(
          'a whole, non-negative JSON number such as 24',
          `json: cannot unmarshal ${value.type === 'number' ? `number ${literalOf(target, value)}` : value.type} ` +
            `into Go struct field Config.${key} of type uint`,
          unquoteFix(target, value, literal),
        );
        return false;
      }
      default:
        return true; // Backend: checked with the backend.
    }
  }

  private checkFormat(key: string, value: JsonNode, later: JsonProperty | undefined): void {
    if (value.type !== 'string') return;
    if (hasJsonEscape(value)) {
      this.escapedAddress(key, value, later);
      return;
    }
    const text = value.value as string;
    const kind = NETCONF_KEYS[key];
    const overridden = overriddenNote(later);
    if (kind === 'cidr') {
      if (text === '') {
        this.emptyNetwork(key as 'Network' | 'IPv6Network', value, later);
        return;
      }
      const cidr = parseCidr(text);
      if (!cidr) {
        this.at(
          contentRange(value),
          'cidr-invalid',
          `\`${text}\` is not a valid CIDR (address/prefix, ` +
            `e.g. ${key === 'Network' ? '10.244.0.0/16' : 'fd00:10:244::/56'}): flannel fails with "invalid ` +
            `CIDR address: ${text}" and exits.${overridden}`,
        );
      } else if (key === 'Network' && cidr.family === 6) {
        this.at(
          contentRange(value),
          'cidr-invalid',
          `\`Network\` must be an IPv4 CIDR: flannel fails with "invalid IPv4 CIDR format" and exits.${overridden} ` +
            `Put IPv6 ranges in \`IPv6Network\` with "EnableIPv6": true.`,
        );
      } else if (key === 'IPv6Network' && cidr.family === 4) {
        // flannel parses it (no family check) and uses it only when it is the value kept and IPv6 is on.
        if (later || !this.boolValue('EnableIPv6', false)) return;
        this.at(
          contentRange(value),
          'cidr-invalid',
          `\`IPv6Network\` must be an IPv6 CIDR: flannel does not check the family and then computes IPv6 ` +
            `subnets from an IPv4 range, which fails later in confusing ways. Use an IPv6 CIDR such as ` +
            `fd00:10:244::/56, and put IPv4 ranges in \`Network\`.`,
        );
      } else if (hasHostBits(cidr) && cidr.prefix > 0 && !later) {
        const masked = formatCidr(networkOf(cidr));
        this.at(
          contentRange(value),
          'cidr-host-bits',
          `\`${text}\` has host bits set: flannel silently uses the network ${masked}, which may not be what ` +
            `you meant. Write ${masked}.`,
          this.replaceFix(`Replace with ${masked}`, contentRange(value), masked),
        );
      }
      return;
    }
    const ip = parseIp(text);
    if (kind === 'ip4' && (!ip || ip.family === 6)) {
      const error = ip ? 'invalid IPv4 address format' : 'invalid IP address format';
      this.at(
        contentRange(value),
        'cidr-invalid',
        `\`${key}\` must be an IPv4 address such as 10.244.1.0, not ${quotedText(text)}: flannel fails with ` +
          `"${error}" and exits.${overridden}`,
      );
    } else if (kind === 'ip6' && !ip) {
      this.at(
        contentRange(value),
        'cidr-invalid',
        `\`${key}\` must be an IPv6 address such as fd00:10:244:1::, not ${quotedText(text)}: flannel fails ` +
          `with "invalid IP address format" and exits.${overridden}`,
      );
    }
  }

  /**
   * flannel's IP and CIDR decoders (pkg/ip `UnmarshalJSON`) trim the quotes off the raw JSON bytes and parse
   * what is left, without decoding escapes: `"10.244.0.0\/16"` reaches net.ParseCIDR with its backslash.
   */
  private escapedAddress(key: string, value: JsonNode, later: JsonProperty | undefined): void {
    const raw = literalOf(this.target, value).replace(/^"+|"+$/g, '');
    const escape = /\\(u[0-9a-fA-F]{4}|.)/.exec(raw)?.[0] ?? '\\';
    const kind = NETCONF_KEYS[key];
    const decoded = value.value as string;
    const goError = kind === 'cidr' ? `invalid CIDR address: ${raw}` : 'invalid IP address format';
    const plain = kind === 'cidr' ? parseCidr(decoded) !== undefined : parseIp(decoded) !== undefined;
    const plainText = /^[0-9A-Fa-f.:/]+$/.test(decoded) && plain ? decoded : undefined;
    this.at(
      contentRange(value),
      'cidr-invalid',
      `\`${key}\` is written with the JSON escape \`${escape}\`: flannel reads the raw bytes of this value and ` +
        `does not decode JSON escapes, so it sees \`${raw}\` and fails with "${goError}" and exits.` +
        `${overriddenNote(later)} Write it as plain text${plainText ? `: ${plainText}` : ', without backslashes'}.`,
      plainText ? this.replaceFix(`Replace with ${plainText}`, contentRange(value), plainText) : [],
    );
  }

  /**
   * An empty Network/IPv6Network: network-missing when it is the value flannel keeps for an enabled family;
   * otherwise flannel still decodes it and fails ("invalid CIDR address: "), whatever EnableIPv4/6 say.
   */
  private emptyNetwork(key: 'Network' | 'IPv6Network', value: JsonNode, later: JsonProperty | undefined): void {
    const enable = key === 'Network' ? 'EnableIPv4' : 'EnableIPv6';
    const enabled = this.boolValue(enable, key === 'Network');
    if (enabled && !later) return; // network-missing / ipv6-network-missing
    const why = later
      ? `even though a later \`${later.key}\` overrides it`
      : key === 'Network'
        ? 'even with "EnableIPv4": false'
        : 'even when "EnableIPv6" is not true';
    this.at(
      value,
      'cidr-invalid',
      `\`${key}\` is empty: flannel decodes \`${key}\` whenever the key is present, ${why}, and fails with ` +
        `"invalid CIDR address: " and exits. ${later ? 'Remove this one.' : `Remove the key or set a CIDR.`}`,
    );
  }

  private lookup(key: string): JsonProperty | undefined {
    return jsonLookup(this.target.root, key);
  }

  /** A bool field as flannel ends up with it: null leaves it as it was. */
  private boolValue(key: string, fallback: boolean): boolean {
    const value = jsonLookupNonNull(this.target.root, key)?.valueNode;
    return value?.type === 'boolean' ? (value.value as boolean) : fallback;
  }

  private checkFamilies(): void {
    const enableIPv4 = this.boolValue('EnableIPv4', true);
    const enableIPv6 = this.boolValue('EnableIPv6', false);
    if (!enableIPv4 && !enableIPv6) {
      this.at(
        jsonLookupNonNull(this.target.root, 'EnableIPv4')!.valueNode!,
        'no-address-family',
        'Both EnableIPv4 and EnableIPv6 are false: flanneld has no address family to set up and exits with ' +
          '"none defined stack". Remove "EnableIPv4": false (IPv4 is on by default) or set "EnableIPv6": true.',
      );
      return;
    }
    if (enableIPv4) {
      const network = this.networkOf('Network', 4);
      if (network) this.checkSubnets(network, 4);
    }
    if (enableIPv6) {
      const network = this.networkOf('IPv6Network', 6);
      if (network) this.checkSubnets(network, 6);
    }
  }

  /** The (masked) network of an enabled family; reports it missing when absent, empty or /0. */
  private networkOf(key: 'Network' | 'IPv6Network', family: 4 | 6): Cidr | undefined {
    const property = this.lookup(key);
    const code = family === 4 ? 'network-missing' : 'ipv6-network-missing';
    const flannelError = `"please define a correct ${key} parameter in the flannel config"`;
    const clusterCidr = this.cluster.network.clusterCidr;
    const example =
      family === 4
        ? clusterCidr?.cidr.family === 4
          ? `${formatCidr(clusterCidr.cidr)} (${clusterCidr.source})`
          : "the cluster's pod CIDR, e.g. 10.244.0.0/16"
        : "the cluster's IPv6 pod CIDR, e.g. fd00:10:244::/56";
    const why = family === 4 ? 'IPv4 is enabled (the default)' : '`EnableIPv6` is true';
    if (!property?.valueNode) {
      this.atYamlKey(
        code,
        `net-conf.json has no \`${key}\` although ${why}: flannel has no pod network to hand out and fails ` +
          `(${flannelError}). Add "${key}" with ${example}.`,
      );
      return undefined;
    }
    const value = property.valueNode;
    if (value.type !== 'string' || hasJsonEscape(value)) return undefined; // json-type, cidr-invalid
    if (value.value === '') {
      this.at(
        value,
        code,
        `\`${key}\` is empty: flannel fails with "invalid CIDR address: " and exits. Set it to ${example}.`,
      );
      return undefined;
    }
    const cidr = parseCidr(String(value.value));
    if (!cidr || cidr.family !== family) return undefined; // cidr-invalid
    const network = networkOf(cidr);
    if (network.address === 0n && network.prefix === 0) {
      this.at(
        contentRange(value),
        code,
        `\`${key}\` ${value.value} is the whole address space, which flannel treats as no network at all ` +
          `(${flannelError}). Set it to ${example}.`,
      );
      return undefined;
    }
    return network;
  }

  /** CheckNetworkConfig's SubnetLen/SubnetMin/SubnetMax rules (etcd mode), plus Min above Max. */
  private checkSubnets(network: Cidr, family: 4 | 6): void {
    const v6 = family === 6 ? 'IPv6' : '';
    const networkKey = `${v6}Network`;
    const lenKey = `${v6}SubnetLen`;
    const limits = family === 4 ? { longest: 30, smallest: 28 } : { longest: 126, smallest: 124 };
    const lenProperty = jsonLookupNonNull(this.target.root, lenKey);
    const lenNode = lenProperty?.valueNode;
    if (lenNode && !isJsonInteger(this.target, lenNode, true)) return; // json-type
    const given = lenNode?.type === 'number' ? (lenNode.value as number) : 0;
    const netText = formatCidr(network);
    if (given > limits.longest) {
      this.at(
        lenNode!,
        'subnetlen-range',
        `\`${lenKey}\` ${given} is too long: each node subnet needs room for the gateway and pods (at most ` +
          `/${limits.longest}). flannel in etcd mode rejects it ("SubnetLen must be less than ` +
          `/${limits.longest + 1}").`,
      );
      return;
    }
    if (given > 0 && given < network.prefix + 2) {
      this.at(
        lenNode!,
        'subnetlen-range',
        `\`${lenKey}\` ${given} is too short for ${networkKey} ${netText}: flannel needs at least four ` +
          `subnets (a /${network.prefix + 2} or longer) and in etcd mode rejects it ("network must be able to ` +
          `accommodate at least four subnets").`,
      );
      return;
    }
    const subnetLen = effectiveSubnetLen(network, given);
    if (subnetLen === undefined) {
      const value = this.lookup(networkKey)!.valueNode!;
      this.at(
        contentRange(value),
        'network-too-small',
        `${networkKey} ${netText} is too small: flannel splits it into at least four node subnets and in ` +
          `etcd mode rejects anything longer than /${limits.smallest} ` +
          `("${networkKey === 'Network' ? 'network' : 'IPv6Network'} is too small. Minimum useful network ` +
          `prefix is /${limits.smallest}"). Use a /${limits.smallest} or larger network.`,
      );
      return;
    }
    const size = 1n << BigInt((family === 4 ? 32 : 128) - subnetLen);
    const min = this.subnetBound(`${v6}SubnetMin`, network, subnetLen, size);
    const max = this.subnetBound(`${v6}SubnetMax`, network, subnetLen, size);
    if (min === null || max === null) return;
    // flannel's defaults: the second subnet, and the start of the last one.
    const low = min?.ip.value ?? network.address + size;
    const high = max?.ip.value ?? network.address + sizeOf(network) - size;
    if (low > high) {
      const culprit = min ?? max!;
      this.at(
        contentRange(culprit.node),
        'subnet-range',
        `${v6}SubnetMin ${formatIp(family, low)} is above ${v6}SubnetMax ${formatIp(family, high)}: flannel ` +
          `accepts the config, but finds no subnet to lease in that range and fails with "out of subnets".`,
      );
    }
  }

  /**
   * A given SubnetMin/SubnetMax: undefined when unset (flannel's default applies), null when it is wrong
   * (reported here or as cidr-invalid/json-type).
   */
  private subnetBound(
    key: string,
    network: Cidr,
    subnetLen: number,
    size: bigint,
  ): { ip: IpAddress; node: JsonNode } | undefined | null {
    const node = this.lookup(key)?.valueNode;
    if (!node || node.type === 'null') return undefined;
    if (node.type !== 'string' || hasJsonEscape(node)) return null; // json-type, cidr-invalid
    const ip = parseIp(node.value as string);
    if (!ip) return null;
    if (ip.value === 0n && ip.family === network.family) return undefined; // 0.0.0.0 / :: mean unset
    if (network.family === 4 && ip.family === 6) return null; // cidr-invalid
    const networkKey = network.family === 4 ? 'Network' : 'IPv6Network';
    if (ip.family !== network.family || (ip.value & maskOf(network.family, network.prefix)) !== network.address) {
      this.at(
        contentRange(node),
        'subnet-range',
        `\`${key}\` ${node.value} is not inside the ${networkKey} ${formatCidr(network)}: flannel in etcd ` +
          `mode rejects the config ("${key} is not in the range of the ${networkKey}").`,
      );
      return null;
    }
    if ((ip.value & (size - 1n)) !== 0n) {
      const aligned = formatIp(ip.family, ip.value & ~(size - 1n));
      this.at(
        contentRange(node),
        'subnet-range',
        `\`${key}\` ${node.value} is not on a /${subnetLen} boundary (the SubnetLen): flannel in etcd mode ` +
          `rejects the config ("${key} is not on a SubnetLen boundary: ${formatAddress(ip)}"). Use ${aligned}.`,
        this.replaceFix(`Replace with ${aligned}`, contentRange(node), aligned),
      );
      return null;
    }
    return { ip, node };
  }

  private checkSubnetSettingsIgnored(): void {
    if (!this.cluster.network.kubeMode) return;
    for (const key of SUBNET_KEYS) {
      const property = this.lookup(key);
      if (!property) continue;
      this.at(
        keyRange(property),
        'subnet-settings-ignored',
        `\`${property.key}\` has no effect with --kube-subnet-mgr: each node's pod subnet is its Node ` +
          `spec.podCIDR, which kube-controller-manager assigns (its --node-cidr-mask-size sets the size). ` +
          `flannel reads ${key} only in etcd mode.`,
      );
    }
  }

  private checkIPv6Backend(): void {
    if (!this.boolValue('EnableIPv6', false)) return;
    // Without Backend flannel uses udp (IPv4 only too), but backend-missing already asks for vxlan.
    const typeNode = jsonLookupNonNull(this.lookup('Backend')?.valueNode, 'Type')?.valueNode;
    if (typeNode?.type !== 'string') return;
    const type = (typeNode.value as string).toLowerCase();
    const info = BACKENDS[type];
    if (!info || info.supportsIPv6) return;
    this.at(
      contentRange(typeNode),
      'ipv6-backend-unsupported',
      `flannel gives the ${type} backend an IPv4-only lease, so with "EnableIPv6": true no node gets IPv6 ` +
        `pod routes: dual-stack works only with vxlan, host-gw or wireguard. Use one of those backends.`,
    );
  }
}

/** For a value a later duplicate overrides: Go still decodes it first, and an error there stops flannel. */
const overriddenNote = (later: JsonProperty | undefined): string =>
  later
    ? ` flannel decodes every occurrence of a key, so this one fails it although a later \`${later.key}\` ` +
      'overrides it.'
    : '';

const quotedText = (text: string): string => (text === '' ? 'an empty string' : `\`${text}\``);
