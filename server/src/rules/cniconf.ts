// cni-conf.json, the conflist the flannel DaemonSet installs in /etc/cni/net.d (flannel.md §4).
// Rules: cni-version, cni-name, cni-plugins, and json-type for the CNI keys. libcni reads the list-level
// keys and the flannel `delegate` as Go maps, so those keys are case-sensitive; the plugin structs
// (flannel's NetConf, bridge's NetConf) decode case-insensitively, as encoding/json does.
import {
  type EmbeddedJson,
  type JsonNode,
  jsonLookup,
  jsonNodeRange,
  jsonProperties,
  type JsonProperty,
  jsonTypeOf,
} from '../core/embeddedJson';
import { type OffsetRange } from '../core/text';
import { isCanalConfigMap } from '../model/canal';
import { CNI_VERSIONS, suggestCniVersion } from '../model/cni';
import { type RuleId } from './registry';
import { type Finding, jsonEdit, jsonFinding, type QuickFix, type RuleContext, type TextEdit } from './types';

/** The version flannel's own manifest uses. */
const MANIFEST_VERSION = '0.3.1';
const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

type Expected = 'string' | 'boolean' | 'integer' | 'object' | 'array';

/** Keys of the bridge plugin (flannel's default delegate) and the JSON type it decodes them as. */
const BRIDGE_KEYS: Record<string, Expected> = {
  bridge: 'string',
  isGateway: 'boolean',
  isDefaultGateway: 'boolean',
  forceAddress: 'boolean',
  ipMasq: 'boolean',
  hairpinMode: 'boolean',
  promiscMode: 'boolean',
  mtu: 'integer',
  vlan: 'integer',
};
/** Keys of the flannel plugin itself (`flannel.go` NetConf). */
const FLANNEL_KEYS: Record<string, Expected> = {
  subnetFile: 'string',
  dataDir: 'string',
  delegate: 'object',
  ipam: 'object',
  runtimeConfig: 'object',
};

export function checkCniConf({ cluster, report }: RuleContext): void {
  for (const { file, facts } of cluster.files) {
    for (const configMap of facts.configMaps) {
      // Canal installs Calico's CNI config (cni_network_config); a cni-conf.json there is read by nothing.
      if (isCanalConfigMap(configMap)) continue;
      const json = configMap.cniConf?.json;
      // Syntax errors are json-syntax's; a tree recovered from them would give misleading findings.
      if (!json?.root || json.issues.some((i) => i.kind !== 'comment' && i.kind !== 'trailing-comma')) continue;
      new CniConfChecker(file.uri, file.text, json, report).run(json.root);
    }
  }
}

/** Exact-case lookup, last occurrence wins (Go map decoding). */
function exactProperty(node: JsonNode | undefined, key: string): JsonProperty | undefined {
  const matches = jsonProperties(node).filter((p) => p.key === key);
  return matches[matches.length - 1];
}

/** A key that differs only in case, which libcni does not read. */
function caseVariant(node: JsonNode, key: string): JsonProperty | undefined {
  const variant = jsonLookup(node, key);
  return variant && variant.key !== key ? variant : undefined;
}

/**
 * What a list without cniVersion does (flannel-versions.md §4): libcni v0.7.x validates each plugin against
 * the empty version and rejects the list; from v0.8.0 the version defaults to 0.1.0, which all plugins accept.
 */
const missingVersionConsequence = (plugin: string) =>
  `libcni v0.7.x rejects the whole list (plugin ${plugin} does not support config version ""), and that is ` +
  `the libcni of kubelet's dockershim path from Kubernetes 1.16 (the node stays NotReady with "Error ` +
  `validating CNI config") and of CRI-O's ocicni of that time; libcni from v0.8.0 reads the list as 0.1.0.`;

/** The type of the list's first plugin, which libcni v0.7.x validates (and names) first. */
function firstPluginType(root: JsonNode): string {
  const first = exactProperty(root, 'plugins')?.valueNode?.children?.[0];
  const type: unknown = first?.type === 'object' ? jsonLookup(first, 'type')?.valueNode?.value : undefined;
  return typeof type === 'string' && type !== '' ? type : 'flannel';
}

/** In a plugin list, a version that predates chaining is no fix: the list's own version then stands in. */
const chainable = (suggestion: string | undefined, isList: boolean): string | undefined =>
  suggestion && isList && CNI_VERSIONS.indexOf(suggestion) < CNI_VERSIONS.indexOf('0.3.0')
    ? MANIFEST_VERSION
    : suggestion;

class CniConfChecker {
  constructor(
    private readonly uri: string,
    private readonly fileText: string,
    private readonly json: EmbeddedJson,
    private readonly report: (finding: Finding) => void,
  ) {}

  run(root: JsonNode): void {
    if (root.type !== 'object') {
      this.finding(
        root,
        'json-type',
        `cni-conf.json is a JSON ${jsonTypeOf(root)}, but a CNI network configuration list must be a JSON ` +
          `object: the runtime cannot load it and pods on every node stay in ContainerCreating. Write an ` +
          `object with "name", "cniVersion" and "plugins".`,
      );
      return;
    }
    // A file without `plugins` but with a top-level `type` is a single network config, not a list.
    const isList = exactProperty(root, 'plugins') !== undefined || jsonLookup(root, 'type') === undefined;
    this.checkVersion(root, isList);
    this.checkName(root);
    this.checkListFlags(root);
    this.checkPlugins(root);
  }

  private finding(at: JsonNode | OffsetRange, code: RuleId, message: string, extra: Partial<Finding> = {}): void {
    this.report(jsonFinding(this.uri, this.json, at, code, message, extra));
  }

  private fix(title: string, edits: TextEdit[] | undefined, preferred = true): QuickFix[] | undefined {
    return edits ? [{ title, edits, preferred }] : undefined;
  }

  private openBrace(node: JsonNode): OffsetRange {
    return [node.offset, node.offset + 1];
  }

  // --- cni-version -------------------------------------------------------------------------------

  private checkVersion(root: JsonNode, isList: boolean): void {
    const property = exactProperty(root, 'cniVersion');
    if (!property) {
      // With "cniVersions", libcni picks the highest version it supports from that list instead.
      const versions = exactProperty(root, 'cniVersions')?.valueNode;
      if (!isList || (versions?.type === 'array' && (versions.children?.length ?? 0) > 0)) return;
      const variant = caseVariant(root, 'cniVersion');
      const message =
        (variant
          ? `"${variant.key}" is not read (libcni looks up "cniVersion" case-sensitively), so the list has no ` +
            `cniVersion: `
          : 'cniVersion is missing: ') +
        missingVersionConsequence(firstPluginType(root)) +
        (variant
          ? ' Rename the key to "cniVersion".'
          : ` Add "cniVersion": "${MANIFEST_VERSION}" as flannel's manifest does since v0.12.0.`);
      const fixes = variant
        ? this.fix(
            'Rename the key to "cniVersion"',
            jsonEdit(this.uri, this.json, jsonNodeRange(variant.keyNode), '"cniVersion"'),
          )
        : this.fix(
            `Add "cniVersion": "${MANIFEST_VERSION}"`,
            this.insertProperty(root, `"cniVersion": "${MANIFEST_VERSION}"`),
          );
      this.finding(variant ? variant.keyNode : this.openBrace(root), 'cni-version', message, {
        severity: 'warning',
        fixes,
      });
      return;
    }
    const value = property.valueNode;
    if (!value) return;
    if (value.type !== 'string') {
      const suggestion = chainable(
        suggestCniVersion(this.json.text.slice(value.offset, value.offset + value.length)),
        isList,
      );
      this.finding(
        value,
        'json-type',
        `cniVersion is a JSON ${jsonTypeOf(value)}, but libcni needs a string ("invalid cniVersion type"): ` +
          `the runtime rejects the whole list. Quote it${suggestion ? `, e.g. "${suggestion}"` : ''}.`,
        {
          fixes: suggestion
            ? this.fix(
                `Change to "${suggestion}"`,
                jsonEdit(this.uri, this.json, jsonNodeRange(value), `"${suggestion}"`),
              )
            : undefined,
        },
      );
      return;
    }
    const version = value.value as string;
    if (!CNI_VERSIONS.includes(version)) {
      const suggestion = chainable(suggestCniVersion(version), isList);
      this.finding(
        value,
        'cni-version',
        `cniVersion "${version}" is not a version the flannel, bridge and portmap plugins support; they ` +
          `compare it as an exact string, so every pod fails with "incompatible CNI versions". Use one ` +
          `of ${CNI_VERSIONS.join(', ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}.`,
        {
          fixes: suggestion
            ? this.fix(
                `Change to "${suggestion}"`,
                jsonEdit(this.uri, this.json, jsonNodeRange(value), `"${suggestion}"`),
              )
            : undefined,
        },
      );
      return;
    }
    if (isList && CNI_VERSIONS.indexOf(version) < CNI_VERSIONS.indexOf('0.3.0')) {
      // Every libcni loads such a list and passes prevResult whatever the version (flannel-versions.md §4).
      this.finding(
        value,
        'cni-version',
        `cniVersion "${version}" predates plugin lists (spec 0.3.0), yet every libcni loads this list and ` +
          `still passes each plugin the previous result, so it works; results are in the ${version} format. ` +
          `flannel's manifest uses "${MANIFEST_VERSION}".`,
        {
          severity: 'information',
          fixes: this.fix(
            `Change to "${MANIFEST_VERSION}"`,
            jsonEdit(this.uri, this.json, jsonNodeRange(value), `"${MANIFEST_VERSION}"`),
          ),
        },
      );
    }
  }

  // --- cni-name ----------------------------------------------------------------------------------

  private checkName(root: JsonNode): void {
    const property = exactProperty(root, 'name');
    if (!property) {
      const variant = caseVariant(root, 'name');
      if (variant) {
        this.finding(
          variant.keyNode,
          'cni-name',
          `"${variant.key}" is not read: libcni looks up "name" case-sensitively and fails with "no name", ` +
            `so no pod gets a network. Rename the key to "name".`,
          {
            fixes: this.fix(
              'Rename the key to "name"',
              jsonEdit(this.uri, this.json, jsonNodeRange(variant.keyNode), '"name"'),
            ),
          },
        );
      } else {
        this.finding(
          this.openBrace(root),
          'cni-name',
          'The network list has no "name": libcni fails with "no name" and no pod gets a network. Add ' +
            '"name": "cbr0" as flannel\'s manifest does.',
          {
            fixes: this.fix('Add "name": "cbr0"', this.insertProperty(root, '"name": "cbr0"')),
          },
        );
      }
      return;
    }
    const value = property.valueNode;
    if (!value) return;
    if (value.type !== 'string') {
      const raw = this.json.text.slice(value.offset, value.offset + value.length);
      const quotable = (value.type === 'number' || value.type === 'boolean') && NAME_PATTERN.test(raw);
      this.finding(
        value,
        'cni-name',
        `"name" is a JSON ${jsonTypeOf(value)}, but libcni needs a string ("invalid name type"): the runtime ` +
          `rejects the whole list. Quote it.`,
        {
          fixes: quotable
            ? this.fix(`Change to "${raw}"`, jsonEdit(this.uri, this.json, jsonNodeRange(value), `"${raw}"`))
            : undefined,
        },
      );
      return;
    }
    const name = value.value as string;
    if (name === '') {
      this.finding(
        value,
        'cni-name',
        'The network name is empty: the runtime fails with "missing network name" and no pod gets a network. ' +
          'flannel\'s manifest uses "cbr0".',
        {
          fixes: this.fix('Change to "cbr0"', jsonEdit(this.uri, this.json, jsonNodeRange(value), '"cbr0"')),
        },
      );
      return;
    }
    if (!NAME_PATTERN.test(name)) {
      const cleaned = name
        .trim()
        .replace(/[^a-zA-Z0-9_.-]+/g, '-')
        .replace(/^[^a-zA-Z0-9]+/, '');
      this.finding(
        value,
        'cni-name',
        `The network name "${name}" has characters CNI does not allow: it must match ` +
          `^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$, otherwise the runtime rejects the list and no pod gets a network.`,
        {
          fixes: NAME_PATTERN.test(cleaned)
            ? this.fix(
                `Change to "${cleaned}"`,
                jsonEdit(this.uri, this.json, jsonNodeRange(value), JSON.stringify(cleaned)),
              )
            : undefined,
        },
      );
    }
  }

  // --- json-type for list-level keys -------------------------------------------------------------

  private checkListFlags(root: JsonNode): void {
    for (const key of ['disableCheck', 'disableGC', 'loadOnlyInlinedPlugins']) {
      const value = exactProperty(root, key)?.valueNode;
      if (
        !value ||
        value.type === 'boolean' ||
        (value.type === 'string' && (value.value === 'true' || value.value === 'false'))
      )
        continue;
      this.finding(
        value,
        'json-type',
        `"${key}" is a JSON ${jsonTypeOf(value)}, but libcni accepts only true, false or the strings ` +
          `"true"/"false": the runtime rejects the list. Write true or false.`,
      );
    }
    const versions = exactProperty(root, 'cniVersions')?.valueNode;
    if (versions && versions.type !== 'array') {
      this.finding(
        versions,
        'json-type',
        `"cniVersions" is a JSON ${jsonTypeOf(versions)}, but libcni needs an array of version strings: the ` +
          `runtime rejects the list.`,
      );
    } else if (versions) {
      for (const item of versions.children ?? []) {
        if (item.type !== 'string')
          this.finding(
            item,
            'json-type',
            `This "cniVersions" entry is a JSON ${jsonTypeOf(item)}, but libcni needs version strings: the ` +
              `runtime rejects the list. Quote it.`,
          );
      }
    }
  }

  // --- cni-plugins -------------------------------------------------------------------------------

  private checkPlugins(root: JsonNode): void {
    const property = exactProperty(root, 'plugins');
    if (!property) {
      const variant = caseVariant(root, 'plugins');
      if (variant) {
        this.finding(
          variant.keyNode,
          'cni-plugins',
          `"${variant.key}" is not read: libcni looks up "plugins" case-sensitively and finds no plugin ` +
            `list. Rename the key to "plugins".`,
          {
            fixes: this.fix(
              'Rename the key to "plugins"',
              jsonEdit(this.uri, this.json, jsonNodeRange(variant.keyNode), '"plugins"'),
            ),
          },
        );
      } else if (jsonLookup(root, 'type') === undefined) {
        // A single network config (top-level "type") is right as a .conf file; whether it is installed
        // under such a name is flannel-conflist-name's to say, from the DaemonSet's command line.
        this.finding(
          this.openBrace(root),
          'cni-plugins',
          'The network list has no "plugins": many runtimes fail with "no \'plugins\' key" and no pod gets ' +
            'a network. Add "plugins" with the flannel plugin (and portmap after it).',
        );
      }
      return;
    }
    const plugins = property.valueNode;
    if (!plugins) return;
    if (plugins.type !== 'array') {
      this.finding(
        plugins,
        'cni-plugins',
        `"plugins" is a JSON ${jsonTypeOf(plugins)}, but it must be an array of plugin objects: libcni fails ` +
          `with "invalid 'plugins' type" and no pod gets a network.`,
      );
      return;
    }
    const entries = plugins.children ?? [];
    if (entries.length === 0) {
      this.finding(
        plugins,
        'cni-plugins',
        '"plugins" is empty: libcni fails with "no plugins in list" and no pod gets a network. Add the ' +
          'flannel plugin: {"type": "flannel", "delegate": {…}}.',
      );
      return;
    }
    const types = entries.map((entry) => this.checkEntry(entry));
    if (types[0] === 'portmap') this.reportPortmapFirst(entries, types);
    entries.forEach((entry, index) => {
      if (types[index] === 'flannel') this.checkFlannelPlugin(entry);
    });
  }

  /** Checks one plugin entry and returns its type when it has a usable one. */
  private checkEntry(entry: JsonNode): string | undefined {
    if (entry.type !== 'object') {
      this.finding(
        entry,
        'cni-plugins',
        `This plugin entry is a JSON ${jsonTypeOf(entry)}, but each entry of "plugins" must be an object ` +
          `with a "type": libcni rejects the list.`,
      );
      return undefined;
    }
    const type = jsonLookup(entry, 'type');
    if (!type?.valueNode) {
      this.finding(
        this.openBrace(entry),
        'cni-plugins',
        'This plugin has no "type": libcni fails with "missing \'type\'" and no pod gets a network. Set the ' +
          'plugin binary name, e.g. "type": "flannel".',
      );
      return undefined;
    }
    if (type.valueNode.type !== 'string' || type.valueNode.value === '') {
      this.finding(
        type.valueNode,
        'cni-plugins',
        'The plugin "type" must be a non-empty string naming a binary in /opt/cni/bin: libcni fails with ' +
          '"missing \'type\'" and no pod gets a network.',
      );
      return undefined;
    }
    return type.valueNode.value as string;
  }

  private reportPortmapFirst(entries: JsonNode[], types: Array<string | undefined>): void {
    const typeNode = jsonLookup(entries[0], 'type')?.valueNode ?? entries[0];
    const other = types.findIndex((t) => t !== undefined && t !== 'portmap');
    const fixes =
      other > 0
        ? this.fix(`Move portmap after ${types[other]}`, this.swapEdits(entries[0], entries[other]))
        : undefined;
    this.finding(
      typeNode,
      'cni-plugins',
      'portmap is the first plugin, but it is a chained plugin: with no previous result it fails "must be ' +
        'called as chained plugin" and no pod starts. Put the flannel plugin first and portmap after it.',
      { fixes },
    );
  }

  private checkFlannelPlugin(plugin: JsonNode): void {
    this.checkTypes(plugin, FLANNEL_KEYS, 'the flannel plugin');
    const delegate = jsonLookup(plugin, 'delegate')?.valueNode;
    if (delegate?.type !== 'object') return;
    const type = exactProperty(delegate, 'type');
    if (type?.valueNode && type.valueNode.type !== 'string') {
      this.finding(
        type.valueNode,
        'cni-plugins',
        `The delegate "type" is a JSON ${jsonTypeOf(type.valueNode)}: flannel fails with "'delegate' ` +
          `dictionary, if present, must have (string) 'type' field" and no pod gets a network. Use a plugin ` +
          `name such as "bridge", or leave it out (bridge is the default).`,
      );
      return;
    }
    for (const key of ['name', 'ipam']) {
      const property = exactProperty(delegate, key);
      if (!property) continue;
      this.finding(
        property.keyNode,
        'cni-plugins',
        `The delegate must not have "${key}": flannel sets it itself and fails with "'delegate' dictionary, ` +
          `if present, must not have '${key}' field, it'll be set by flannel", so no pod gets a network. ` +
          'Remove it' +
          (key === 'ipam' ? ' (put IPAM settings such as routes in the flannel plugin\'s own "ipam")' : '') +
          '.',
        {
          fixes: this.fix(`Remove "${key}" from the delegate`, this.removeProperty(property)),
        },
      );
    }
    const delegateType = typeof type?.valueNode?.value === 'string' ? type.valueNode.value : 'bridge';
    if (delegateType !== 'bridge') return;
    this.checkTypes(delegate, BRIDGE_KEYS, 'the bridge plugin');
    const hairpin = jsonLookup(delegate, 'hairpinMode');
    const promisc = jsonLookup(delegate, 'promiscMode');
    if (hairpin?.valueNode?.value === true && promisc?.valueNode?.value === true) {
      this.finding(
        promisc.keyNode,
        'cni-plugins',
        'hairpinMode and promiscMode are both true: the bridge plugin fails with "cannot set hairpin mode ' +
          'and promiscuous mode at the same time" and no pod gets a network. Keep hairpinMode (flannel\'s ' +
          'default) and remove promiscMode.',
        {
          fixes: this.fix('Remove "promiscMode"', this.removeProperty(promisc)),
        },
      );
    }
  }

  /** json-type: keys decoded into Go struct fields of a fixed type. */
  private checkTypes(node: JsonNode, keys: Record<string, Expected>, reader: string): void {
    for (const [key, expected] of Object.entries(keys)) {
      const value = jsonLookup(node, key)?.valueNode;
      if (!value || matchesType(value, expected)) continue;
      const replacement = convertedText(value, expected);
      const article = expected === 'integer' || expected === 'object' || expected === 'array' ? 'an' : 'a';
      this.finding(
        value,
        'json-type',
        `"${key}" is a JSON ${jsonTypeOf(value)}, but ${reader} decodes it as ${article} ${expected}: ` +
          `decoding fails ("json: cannot unmarshal") and no pod on the node gets a ` +
          `network.${replacement ? ` Write ${replacement}.` : ''}`,
        {
          fixes: replacement
            ? this.fix(`Change to ${replacement}`, jsonEdit(this.uri, this.json, jsonNodeRange(value), replacement))
            : undefined,
        },
      );
    }
  }

  // --- edits -------------------------------------------------------------------------------------

  /** Removes a property with its separating comma, so the object stays valid JSON. */
  private removeProperty(property: JsonProperty): TextEdit[] | undefined {
    const node = property.keyNode.parent;
    const siblings = node?.parent?.children;
    if (!node || !siblings) return undefined;
    const index = siblings.indexOf(node);
    const end = node.offset + node.length;
    if (index + 1 < siblings.length)
      return jsonEdit(this.uri, this.json, [node.offset, siblings[index + 1].offset], '');
    if (index > 0) {
      const previous = siblings[index - 1];
      return jsonEdit(this.uri, this.json, [previous.offset + previous.length, end], '');
    }
    return jsonEdit(this.uri, this.json, [node.offset, end], '');
  }

  /** Adds a property as the object's first, on its own line with the indentation of the current first one. */
  private insertProperty(object: JsonNode, text: string): TextEdit[] | undefined {
    if (!this.json.exact) return undefined;
    const first = object.children?.[0];
    if (!first) return jsonEdit(this.uri, this.json, [object.offset + 1, object.offset + 1], ` ${text} `);
    const at = this.json.toFileOffset(first.offset);
    const lineStart = this.fileText.lastIndexOf('\n', at - 1) + 1;
    const indent = this.fileText.slice(lineStart, at);
    if (!/^[ \t]*$/.test(indent)) return jsonEdit(this.uri, this.json, [first.offset, first.offset], `${text}, `);
    return [{ uri: this.uri, range: [at, at], newText: `${text},\n${indent}` }];
  }

  /** Swaps two array entries in the file; both sit at the same depth, so their indentation carries over. */
  private swapEdits(a: JsonNode, b: JsonNode): TextEdit[] | undefined {
    if (!this.json.exact) return undefined;
    const rangeA = this.json.toFileRange(jsonNodeRange(a));
    const rangeB = this.json.toFileRange(jsonNodeRange(b));
    return [
      { uri: this.uri, range: rangeA, newText: this.fileText.slice(rangeB[0], rangeB[1]) },
      { uri: this.uri, range: rangeB, newText: this.fileText.slice(rangeA[0], rangeA[1]) },
    ];
  }
}

function matchesType(node: JsonNode, expected: Expected): boolean {
  if (node.type === 'null') return true; // Go leaves the field at its zero value.
  if (expected === 'integer') return node.type === 'number' && Number.isInteger(node.value);
  return node.type === expected;
}

/** The value in the expected type, when the conversion is unambiguous ("true" → true, "1450" → 1450). */
function convertedText(node: JsonNode, expected: Expected): string | undefined {
  if (expected === 'boolean' && node.type === 'string' && /^(true|false)$/i.test(String(node.value)))
    return String(node.value).toLowerCase();
  if (expected === 'integer' && node.type === 'string' && /^-?\d+$/.test(String(node.value).trim()))
    return String(Number(node.value));
  if (expected === 'string' && (node.type === 'number' || node.type === 'boolean'))
    return JSON.stringify(String(node.value));
  return undefined;
}
