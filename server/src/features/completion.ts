// Completion inside net-conf.json (keys, Backend options, backend types), for spec.nodeName in Pods and
// pod templates (the cluster's nodes), in node selectors (schedulingCompletion.ts), and of Calico's values
// (calicoCompletion.ts). The JSON is usually half-typed, so positions come from jsonc-parser's tolerant
// getLocation, and replacement ranges are computed from the text around the cursor.
import { isScalar, type Pair } from 'yaml';
import { getLocation } from 'jsonc-parser';
import { formatCidr, formatIp } from '../core/cidr';
import { type EmbeddedJson, type JsonNode, jsonLookup, jsonProperties } from '../core/embeddedJson';
import { escapeMarkdown as esc } from '../core/markdown';
import { type OffsetRange } from '../core/text';
import { pairOf, scalarText } from '../core/yamlAccess';
import { BACKENDS, type BackendInfo } from '../model/backends';
import { type NodeNetwork } from '../model/network';
import { type K8sObject } from '../core/manifest';
import { yamlString } from '../core/yamlEdit';
import { type PodSpecFacts } from '../model/objects';
import { schedulingCompletions } from './schedulingCompletion';
import { calicoCompletions } from './calicoCompletion';
import { isPredicted } from '../model/workloads';
import { type Workspace } from '../model/workspace';

export interface CompletionResult {
  label: string;
  kind: 'property' | 'value' | 'enum' | 'reference';
  detail?: string;
  /** Markdown. */
  documentation?: string;
  insertText: string;
  range: OffsetRange;
}

/** net-conf.json's top-level keys (flannel.md §1.3), in the order people usually write them. */
const NETCONF_KEYS: Array<{ key: string; detail: string; doc: string }> = [
  {
    key: 'Network',
    detail: 'string, IPv4 CIDR',
    doc: "The IPv4 range of all pod addresses; must contain every node's podCIDR. Required while EnableIPv4 is true.",
  },
  {
    key: 'IPv6Network',
    detail: 'string, IPv6 CIDR',
    doc: 'The IPv6 range of all pod addresses; used only with `"EnableIPv6": true`.',
  },
  { key: 'EnableIPv4', detail: 'boolean, default true', doc: 'Run the IPv4 network.' },
  {
    key: 'EnableIPv6',
    detail: 'boolean, default false',
    doc: 'Run the IPv6 network (vxlan, host-gw and wireguard only).',
  },
  {
    key: 'EnableNFTables',
    detail: 'boolean, default false',
    doc: 'Use nftables instead of iptables (experimental). When false, br_netfilter must be loaded.',
  },
  {
    key: 'SubnetLen',
    detail: 'integer, default auto',
    doc:
      'Size of each node subnet in etcd mode; auto is /24 (or prefix + 2 for small networks). Ignored with ' +
      '`--kube-subnet-mgr`.',
  },
  {
    key: 'SubnetMin',
    detail: 'string, IPv4 address',
    doc:
      'First node subnet flannel leases in etcd mode; default skips the first subnet. Ignored with ' +
      '`--kube-subnet-mgr`.',
  },
  {
    key: 'SubnetMax',
    detail: 'string, IPv4 address',
    doc:
      'Last node subnet flannel leases in etcd mode; default is the start of the last subnet. Ignored with ' +
      '`--kube-subnet-mgr`.',
  },
  {
    key: 'IPv6SubnetLen',
    detail: 'integer, default auto',
    doc: 'IPv6 node subnet size in etcd mode; auto is /64 (or prefix + 2).',
  },
  { key: 'IPv6SubnetMin', detail: 'string, IPv6 address', doc: 'First IPv6 node subnet in etcd mode.' },
  { key: 'IPv6SubnetMax', detail: 'string, IPv6 address', doc: 'Last IPv6 node subnet in etcd mode.' },
  {
    key: 'Backend',
    detail: 'object',
    doc: 'The data path, e.g. `{"Type": "vxlan"}`. Without it flannel uses **udp**, not vxlan.',
  },
];

export function completionsAt(workspace: Workspace, uri: string, offset: number): CompletionResult[] {
  const entry = workspace.getFile(uri);
  if (!entry) return [];
  for (const configMap of entry.facts.configMaps) {
    const json = configMap.netConf?.json;
    const range = json?.scalar.range;
    if (json && range && offset >= range[0] && offset <= range[1])
      return netConfCompletions(json, entry.file.text, offset);
  }
  const nodes = workspace.clusterOf(uri)?.network.nodes ?? [];
  const { pods, daemonSets, workloads } = entry.facts;
  for (const { object, spec } of [...pods, ...daemonSets, ...workloads]) {
    // Only the object under the cursor: the others' YAML trees may have been let go (see releaseTree).
    const document = entry.file.documents[object.docIndex];
    if (!document || offset < document.range[0] || offset > document.range[1]) continue;
    const items = nodeNameCompletions(entry.file.text, object, spec, nodes, offset);
    if (items) return items;
  }
  return calicoCompletions(entry.file.text, offset) ?? schedulingCompletions(entry.file.text, offset, nodes) ?? [];
}

// ---------------------------------------------------------------------------------------------------
// net-conf.json

function netConfCompletions(json: EmbeddedJson, fileText: string, offset: number): CompletionResult[] {
  const at = jsonOffsetNear(json, fileText, offset);
  if (at === undefined) return [];
  const location = getLocation(json.text, at);
  const path = location.path.map((step) => String(step).toLowerCase());
  const root = json.root;
  const backendObject = jsonLookup(root, 'Backend')?.valueNode;
  if (location.isAtPropertyKey) {
    const word = wordAt(json.text, at);
    const toFile = (key: string) => ({ insertText: keyInsertText(key, word), range: json.toFileRange(word.range) });
    if (path.length === 1) {
      const present = presentKeys(root, at);
      return NETCONF_KEYS.filter((k) => !present.has(k.key.toLowerCase())).map((k) => ({
        label: k.key,
        kind: 'property',
        detail: k.detail,
        documentation: k.doc,
        ...toFile(k.key),
      }));
    }
    if (path.length === 2 && path[0] === 'backend') {
      const present = presentKeys(backendObject, at);
      const type = typeOf(backendObject);
      const backend = BACKENDS[type];
      const keys = [
        {
          key: 'Type',
          detail: 'string',
          doc:
            'The backend: vxlan (recommended), host-gw, wireguard, udp, ipip, ipsec, alloc, extension or ' +
            'tencent-vpc.',
        },
        // Option docs are plain text (e.g. `flannel.<VNI>`), so they are escaped for Markdown.
        ...(backend?.options ?? []).map((o) => ({
          key: o.key,
          detail: `${o.type}${o.windowsOnly ? ', Windows only' : ''}`,
          doc: esc(o.doc),
        })),
      ];
      return keys
        .filter((k) => !present.has(k.key.toLowerCase()))
        .map((k) => ({ label: k.key, kind: 'property', detail: k.detail, documentation: k.doc, ...toFile(k.key) }));
    }
    return [];
  }
  if (path.length === 2 && path[0] === 'backend' && path[1] === 'type') {
    const word = wordAt(json.text, at);
    const range = json.toFileRange(word.range);
    return Object.values(BACKENDS).map((info) => ({
      label: info.type,
      kind: 'enum',
      detail: statusText(info),
      documentation: `${esc(info.summary)}\n\nRequirements: ${esc(info.requirements)}`,
      insertText: word.quoted ? `${info.type}"` : `"${info.type}"`,
      range,
    }));
  }
  return [];
}

/**
 * The JSON offset for a file offset. In a block scalar the indentation belongs to YAML, not to the
 * JSON, so a cursor there is moved to the first JSON character after it on the same line.
 */
function jsonOffsetNear(json: EmbeddedJson, fileText: string, offset: number): number | undefined {
  let probe = offset;
  while (true) {
    const mapped = json.toJsonOffset(probe);
    if (mapped !== undefined || (fileText[probe] !== ' ' && fileText[probe] !== '\t')) return mapped;
    probe++;
  }
}

interface Word {
  /** Range to replace in the JSON text: the typed word, plus the closing quote when one was typed. */
  range: OffsetRange;
  /** The user typed an opening quote, which stays in place. */
  quoted: boolean;
  /** A colon already follows, so a key needs none. */
  colonFollows: boolean;
}

const WORD_CHAR = /[A-Za-z0-9_.-]/;

function wordAt(text: string, at: number): Word {
  let start = at;
  while (start > 0 && WORD_CHAR.test(text[start - 1])) start--;
  let end = at;
  while (end < text.length && WORD_CHAR.test(text[end])) end++;
  const quoted = text[start - 1] === '"';
  if (quoted && text[end] === '"') end++;
  let next = end;
  while (next < text.length && (text[next] === ' ' || text[next] === '\t')) next++;
  return { range: [start, end], quoted, colonFollows: text[next] === ':' };
}

function keyInsertText(key: string, word: Word): string {
  return `${word.quoted ? '' : '"'}${key}"${word.colonFollows ? '' : ': '}`;
}

/** Keys already in the object, case-insensitively as flannel reads them, except the one being typed. */
function presentKeys(object: JsonNode | undefined, at: number): Set<string> {
  return new Set(
    jsonProperties(object)
      .filter((p) => !(at >= p.keyNode.offset && at <= p.keyNode.offset + p.keyNode.length))
      .map((p) => p.key.toLowerCase()),
  );
}

function typeOf(backend: JsonNode | undefined): string {
  const type = jsonLookup(backend, 'Type')?.valueNode;
  return type?.type === 'string' ? String(type.value).toLowerCase() : '';
}

const statusText = (info: BackendInfo): string =>
  ({ recommended: 'recommended', supported: 'supported', debugging: 'debugging only', experimental: 'experimental' })[
    info.status
  ];

// ---------------------------------------------------------------------------------------------------
// spec.nodeName

function nodeNameCompletions(
  text: string,
  object: K8sObject,
  spec: PodSpecFacts,
  nodes: readonly NodeNetwork[],
  offset: number,
): CompletionResult[] | undefined {
  const pair = pairOf(spec.node, 'nodeName') as Pair<{ range?: number[] }, unknown> | undefined;
  const keyEnd = pair?.key?.range?.[1];
  if (!pair || keyEnd === undefined) return undefined;
  const value = isScalar(pair.value) ? scalarText(pair.value) : undefined;
  let range: OffsetRange;
  let current = '';
  let quoted = false;
  if (value) {
    if (offset < value.range[0] || offset > value.range[1]) return undefined;
    quoted = value.textRange[0] !== value.range[0];
    range = quoted ? value.textRange : value.range;
    current = value.value;
  } else {
    // `nodeName:` with nothing after it yet: complete right after the colon, on the same line.
    const colon = text.indexOf(':', keyEnd);
    if (colon < 0 || offset <= colon || !/^[ \t]*$/.test(text.slice(colon + 1, offset))) return undefined;
    range = [offset, offset];
  }
  return nodes
    .filter((node) => !isPhantom(node, object, current))
    .map((node) => ({
      label: node.name,
      kind: 'reference' as const,
      detail: node.podCidr ? `${formatCidr(node.podCidr)}${node.podCidrInferred ? ' (inferred)' : ''}` : 'no podCIDR',
      documentation: nodeDoc(node),
      insertText: quoted ? node.name : yamlString(node.name),
      range,
    }));
}

/** A node known only because this very pod or template names it (the half-typed value itself). */
const isPhantom = (node: NodeNetwork, object: K8sObject, current: string): boolean =>
  !node.facts && node.name === current && node.pods.every((p) => p.object === object || isPredicted(p));

function nodeDoc(node: NodeNetwork): string {
  const lines: string[] = [];
  if (node.internalIp) lines.push(`InternalIP \`${formatIp(node.internalIp.family, node.internalIp.value)}\``);
  if (node.podCidrInferred) lines.push(esc(node.podCidrInferred));
  lines.push(node.pods.length === 1 ? '1 pod in the workspace' : `${node.pods.length} pods in the workspace`);
  return lines.join('\n\n');
}
