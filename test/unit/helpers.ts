// Shared helpers for the engine's unit tests: build a workspace from in-memory files, run the rules,
// read back the exact text a diagnostic covers, and apply quick fixes.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { type Diagnostic, diagnoseWorkspace, type EngineSettings, DEFAULT_SETTINGS } from '../../server/src/engine';
import { pathToUri, Workspace, type WorkspaceOptions } from '../../server/src/model/workspace';
import { type RuleId } from '../../server/src/rules/registry';
import { type TextEdit } from '../../server/src/rules/types';

export const REPO_ROOT = process.cwd();
/** The example clusters bundled with the repository; `broken-*` ones are broken on purpose. */
export const EXAMPLES = path.join(REPO_ROOT, 'examples');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');

export type Files = Record<string, string>;

/** Files keyed by absolute posix path, e.g. `/ws/flannel.yaml`. */
export function workspaceOf(files: Files, options: Partial<WorkspaceOptions> = {}): Workspace {
  const workspace = new Workspace({ roots: ['/ws'], ...options });
  for (const [file, text] of Object.entries(files)) workspace.setFile(pathToUri(file), text);
  return workspace;
}

/**
 * The podnet.cni setting naming flannel, for fixtures whose manifests hold no CNI object (Pods, Nodes, static
 * pods of a flannel lab): without it their CNI is unknown and no flannel device is drawn. The seed examples
 * name it in their own `.podnet.yaml`, which a workspace rooted at /ws does not read (it is below the root).
 */
export const FLANNEL_NAMED: Partial<WorkspaceOptions> = { cni: 'flannel' };

export function diagnose(
  files: Files,
  settings: EngineSettings = DEFAULT_SETTINGS,
  options: Partial<WorkspaceOptions> = {},
): Diagnostic[] {
  return [...diagnoseWorkspace(workspaceOf(files, options), settings).values()].flat();
}

export function withCode(files: Files, code: RuleId, options: Partial<WorkspaceOptions> = {}): Diagnostic[] {
  return diagnose(files, DEFAULT_SETTINGS, options).filter((d) => d.code === code);
}

/** The diagnostics whose code is one of `codes`. */
export function withCodes(files: Files, codes: Iterable<RuleId>): Diagnostic[] {
  const wanted = new Set(codes);
  return diagnose(files).filter((d) => wanted.has(d.code));
}

/** The one diagnostic with `code`; fails when there are none or several. */
export function single(files: Files, code: RuleId): Diagnostic {
  const found = withCode(files, code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(found.map((d) => d.message))}`);
  return found[0];
}

/**
 * Replaces `from` in `files[file]` by `to`: its only occurrence (asserted), or with `nth` its nth
 * occurrence counting from 0 (asserted to exist).
 */
export function mutate(files: Files, file: string, from: string, to: string, nth?: number): Files {
  const pieces = files[file].split(from);
  if (nth === undefined) assert.equal(pieces.length, 2, `expected exactly one occurrence of ${JSON.stringify(from)}`);
  const index = nth ?? 0;
  assert.ok(pieces.length > index + 1, `no occurrence ${index} of ${JSON.stringify(from)}`);
  return { ...files, [file]: pieces.slice(0, index + 1).join(from) + to + pieces.slice(index + 1).join(from) };
}

const pathOfUri = (uri: string) => decodeURIComponent(new URL(uri).pathname);

/** The exact source text a diagnostic points at. */
export function coveredText(files: Files, diagnostic: Diagnostic): string {
  const text = files[pathOfUri(diagnostic.uri)];
  return text.slice(diagnostic.offsetRange[0], diagnostic.offsetRange[1]);
}

export function applyEdits(files: Files, edits: TextEdit[]): Files {
  const result = { ...files };
  const sorted = [...edits].sort((a, b) => b.range[0] - a.range[0]);
  for (const edit of sorted) {
    const file = pathOfUri(edit.uri);
    const text = result[file];
    result[file] = text.slice(0, edit.range[0]) + edit.newText + text.slice(edit.range[1]);
  }
  return result;
}

/**
 * Applies one of a diagnostic's fixes (titled `title`, exactly or by pattern; else the preferred one;
 * else the first), re-diagnoses, and checks that the YAML still parses.
 */
export function applyFix(
  files: Files,
  diagnostic: Diagnostic,
  title?: string | RegExp,
): { fixed: Files; after: Diagnostic[] } {
  const titled = (t: string) => (title instanceof RegExp ? title.test(t) : t === title);
  const fix = title
    ? diagnostic.fixes.find((f) => titled(f.title))
    : (diagnostic.fixes.find((f) => f.preferred) ?? diagnostic.fixes[0]);
  assert.ok(
    fix,
    `no fix ${title ? `${title} ` : ''}on ${diagnostic.code}: ${diagnostic.message}; ` +
      `offered: ${diagnostic.fixes.map((f) => f.title).join(', ')}`,
  );
  const fixed = applyEdits(files, fix.edits);
  const after = diagnose(fixed);
  assert.deepEqual(
    after.filter((d) => d.code === 'yaml-syntax'),
    [],
  );
  return { fixed, after };
}

/**
 * `applyFix`, then checks that the JSON still parses too and that the problem is gone: none of `codes`
 * remain, or, without `codes`, there is one diagnostic with the fixed one's code fewer than before.
 */
export function applyFixAndCheck(
  files: Files,
  diagnostic: Diagnostic,
  check: { codes?: Iterable<string>; title?: string | RegExp } = {},
): { fixed: Files; after: Diagnostic[] } {
  const before = withCode(files, diagnostic.code).length;
  const result = applyFix(files, diagnostic, check.title);
  assert.deepEqual(
    result.after.filter((d) => d.code === 'json-syntax' || d.code === 'yaml-syntax'),
    [],
  );
  if (check.codes) {
    const codes = new Set(check.codes);
    assert.deepEqual(
      result.after.filter((d) => codes.has(d.code)).map((d) => `${d.code}: ${d.message}`),
      [],
    );
  } else {
    assert.equal(
      result.after.filter((d) => d.code === diagnostic.code).length,
      before - 1,
      `${diagnostic.code} gone after the fix`,
    );
  }
  return result;
}

/** Reads a folder of test/fixtures into memory under /ws/<folder>/. */
export function loadFixture(folder: string): Files {
  const files: Files = {};
  const dir = path.join(FIXTURES, folder);
  for (const name of fs.readdirSync(dir))
    files[`/ws/${folder}/${name}`] = fs.readFileSync(path.join(dir, name), 'utf8');
  return files;
}

/** Reads an example cluster folder into memory under /ws/<folder>/. */
export function loadExample(folder: string): Files {
  const files: Files = {};
  const dir = path.join(EXAMPLES, folder);
  for (const name of fs.readdirSync(dir)) {
    if (/\.ya?ml$/.test(name)) files[`/ws/${folder}/${name}`] = fs.readFileSync(path.join(dir, name), 'utf8');
  }
  return files;
}

/** A ConfigMap named kube-flannel-cfg whose net-conf.json is `netConf` (indented as a literal block). */
export function flannelConfigMap(netConf: string, cniConf?: string): string {
  const block = (text: string) =>
    text
      .split('\n')
      .map((line) => (line ? '    ' + line : line))
      .join('\n');
  return [
    'kind: ConfigMap',
    'apiVersion: v1',
    'metadata:',
    '  name: kube-flannel-cfg',
    '  namespace: kube-flannel',
    'data:',
    ...(cniConf ? ['  cni-conf.json: |', block(cniConf)] : []),
    '  net-conf.json: |',
    block(netConf),
    '',
  ].join('\n');
}

/** A small deterministic generator (mulberry32), so failures replay. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A kube-flannel.yml shaped like flannel's manifests of 2017–2022 (kube-system, the ConfigMap and a
 * DaemonSet running flanneld from `image`), written for the tests; net-conf.json is `netConf`.
 */
export function flannelManifest(image: string, netConf: string): string {
  const daemonSet = [
    'apiVersion: extensions/v1beta1',
    'kind: DaemonSet',
    'metadata:',
    '  name: kube-flannel-ds',
    '  namespace: kube-system',
    'spec:',
    '  template:',
    '    spec:',
    '      hostNetwork: true',
    '      containers:',
    '      - name: kube-flannel',
    `        image: ${image}`,
    '        command: [ "/opt/bin/flanneld", "--ip-masq", "--kube-subnet-mgr" ]',
    '        securityContext:',
    '          privileged: true',
    '        volumeMounts:',
    '        - name: flannel-cfg',
    '          mountPath: /etc/kube-flannel/',
    '      volumes:',
    '      - name: flannel-cfg',
    '        configMap:',
    '          name: kube-flannel-cfg',
    '',
  ].join('\n');
  const configMap = flannelConfigMap(netConf).replace('namespace: kube-flannel', 'namespace: kube-system');
  return `${configMap}---\n${daemonSet}`;
}

/** flanneld without --kube-subnet-mgr: etcd mode, where flannel runs CheckNetworkConfig. */
export const ETCD_DAEMONSET = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: kube-flannel-ds
  namespace: kube-flannel
spec:
  template:
    spec:
      hostNetwork: true
      containers:
      - name: kube-flannel
        image: docker.io/flannel/flannel:v0.28.9
        command: ["/opt/bin/flanneld"]
        args: ["--ip-masq", "--etcd-endpoints=http://127.0.0.1:2379"]
      volumes:
      - name: flannel-cfg
        configMap:
          name: kube-flannel-cfg
`;
