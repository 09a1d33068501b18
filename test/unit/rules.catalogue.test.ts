// README's rule tables and package.json's `podnet.rules` schema are generated from the rule declaration:
// these tests regenerate both in memory and fail when a file drifts (fix: `npm run generate:rules`).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { formatSarif } from '../../server/src/cli/format';
import {
  README_END,
  README_START,
  readmeRuleTables,
  ruleDocumentation,
  ruleSettingsSchema,
  withReadmeRules,
  withRuleSettings,
} from '../../server/src/rules/catalogue';
import { RULE_IDS, type RuleId, RULES, ruleMeta } from '../../server/src/rules/registry';
import { type Files, flannelConfigMap, loadExample, REPO_ROOT, withCode } from './helpers';

const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const packageJson = fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8');
const REGENERATE = 'differs from the rule declaration in server/src/rules/registry.ts: run npm run generate:rules';

/** The first line where two texts differ, to make a drift failure readable. */
function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n');
  const b = expected.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line < 0 ? a.length : line;
  return `line ${at + 1}:\n  file:      ${a[at] ?? '<end>'}\n  generated: ${b[at] ?? '<end>'}`;
}

test('README.md rule tables are exactly what the rule declaration generates', () => {
  const generated = withReadmeRules(readme);
  assert.ok(generated === readme, `README.md ${REGENERATE}\n${firstDifference(readme, generated)}`);
});

test('package.json podnet.rules schema is exactly what the rule declaration generates', () => {
  const generated = withRuleSettings(packageJson);
  assert.ok(generated === packageJson, `package.json ${REGENERATE}\n${firstDifference(packageJson, generated)}`);
});

test('the drift check fails on a hand edit of a table row, a missing rule, or a changed schema', () => {
  const edited = readme.replace('| `podcidr-overlap` | error |', '| `podcidr-overlap` | warning |');
  assert.notEqual(edited, readme);
  assert.notEqual(withReadmeRules(edited), edited);
  const dropped = readme.replace(/^\| `cni-name` .*\n/m, '');
  assert.notEqual(withReadmeRules(dropped), dropped);
  const manifest = JSON.parse(packageJson) as {
    contributes: { configuration: { properties: Record<string, { properties: Record<string, unknown> }> } };
  };
  delete manifest.contributes.configuration.properties['podnet.rules'].properties['backend-missing'];
  const shortened = `${JSON.stringify(manifest, null, 2)}\n`;
  assert.notEqual(withRuleSettings(shortened), shortened);
  assert.throws(() => withReadmeRules(readme.replace(README_END, '')), /rules:end/);
});

test('the generated tables list every rule once, in its group, with its default severity', () => {
  const tables = readmeRuleTables();
  for (const id of RULE_IDS) {
    const rows = tables.split('\n').filter((line) => line.startsWith(`| \`${id}\` |`));
    assert.equal(rows.length, 1, id);
    const { severity, kubeModeSeverity } = ruleMeta(id);
    const shown = severity === 'information' ? 'info' : severity;
    assert.ok(rows[0].startsWith(`| \`${id}\` | ${shown}${kubeModeSeverity ? ' (etcd mode' : ' |'}`), rows[0]);
  }
  assert.equal(readme.split(README_START).length, 2, 'one start marker');
  assert.ok(readme.indexOf(README_START) > readme.indexOf('## Rules'), 'the tables are in the Rules section');
  assert.deepEqual(Object.keys(ruleSettingsSchema()), RULE_IDS);
});

test('npm run generate:rules -- --check passes on the repository and fails on a drifted copy', () => {
  const script = path.join(REPO_ROOT, 'scripts', 'generate-rules.mjs');
  const ok = spawnSync(process.execPath, [script, '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /README\.md: rule tables up to date/);

  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-rules-'));
  try {
    fs.writeFileSync(
      path.join(copy, 'README.md'),
      readme.replace('| `podcidr-overlap` | error |', '| `podcidr-overlap` | warning |'),
    );
    fs.writeFileSync(path.join(copy, 'package.json'), packageJson);
    const drift = spawnSync(process.execPath, [script, '--check', `--root=${copy}`], { encoding: 'utf8' });
    assert.equal(drift.status, 1);
    assert.match(drift.stderr, /README\.md: rule tables differ from the rule declaration/);
    const fix = spawnSync(process.execPath, [script, `--root=${copy}`], { encoding: 'utf8' });
    assert.equal(fix.status, 0, fix.stderr);
    assert.equal(fs.readFileSync(path.join(copy, 'README.md'), 'utf8'), readme);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
});

test('every rule is documented: why it matters, an example that parses (but for yaml-syntax), the fix', () => {
  for (const meta of RULES) {
    const { why, example, fix } = meta.documentation;
    assert.ok(why.length > 80, `${meta.id} explains what it checks and why`);
    assert.ok(fix.length > 20, `${meta.id} says how to fix it`);
    if (example.language === 'json') {
      assert.doesNotThrow(() => JSON.parse(example.code), `${meta.id}'s JSON example is JSON`);
    } else {
      const errors = parseAllDocuments(example.code).flatMap((doc) => ('errors' in doc ? doc.errors : []));
      assert.equal(errors.length > 0, meta.id === 'yaml-syntax', `${meta.id}'s YAML example parses: ${errors}`);
    }
    const markdown = ruleDocumentation(meta);
    assert.ok(markdown.includes(`\`\`\`${example.language}\n${example.code}\n\`\`\``), meta.id);
    assert.ok(ruleSettingsSchema()[meta.id].markdownDescription.endsWith(markdown), meta.id);
  }
});

test('SARIF rule metadata carries each rule summary and documentation', () => {
  const log = JSON.parse(formatSarif([])) as {
    runs: Array<{
      tool: {
        driver: {
          rules: Array<{ id: string; shortDescription: { text: string }; help: { text: string; markdown: string } }>;
        };
      };
    }>;
  };
  const rules = log.runs[0].tool.driver.rules;
  assert.deepEqual(
    rules.map((rule) => rule.id),
    RULE_IDS,
  );
  for (const rule of rules) {
    const meta = ruleMeta(rule.id as (typeof RULE_IDS)[number]);
    assert.equal(rule.shortDescription.text, meta.summary);
    assert.equal(rule.help.markdown, ruleDocumentation(meta));
    assert.ok(rule.help.text.includes(meta.documentation.fix));
  }
});

test('the JSON examples of the net-conf.json, Backend and cni-conf.json rules trigger their rule', () => {
  const netConf = '{"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan"}}';
  const checked = RULES.filter((meta) => meta.documentation.example.language === 'json');
  assert.ok(checked.length >= 20, `${checked.length} JSON examples`);
  for (const meta of checked) {
    const { code } = meta.documentation.example;
    const cni = meta.group === 'cni-conf.json';
    const files = { '/ws/flannel.yaml': flannelConfigMap(cni ? netConf : code, cni ? code : undefined) };
    assert.ok(withCode(files, meta.id).length > 0, `${meta.id} fires on its example ${code}`);
  }
});

/** Manifests around a YAML example, for the rules whose example is (nearly) a whole object. */
/** Two labelled workers, as `kubectl get nodes -o yaml` lists them. */
const LABELLED_NODES: Files = Object.fromEntries(
  ['ssd', 'hdd'].map((disk, i) => [
    `/ws/node-${i + 1}.yaml`,
    `apiVersion: v1\nkind: Node\nmetadata:\n  name: node-${i + 1}\n  labels:\n` +
      `    kubernetes.io/hostname: node-${i + 1}\n    disktype: ${disk}\n`,
  ]),
);

/** The Calico rules' examples, in calico.yaml as a home lab commits it (or beside it). */
const calicoYaml = () =>
  fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'calico-manifest', 'calico.yaml'), 'utf8');
const POOL_CIDR_ENV = '            - name: CALICO_IPV4POOL_CIDR\n              value: "10.60.0.0/16"\n';
const withPoolEnv = (example: string) =>
  calicoYaml().replace(POOL_CIDR_ENV, `${example.replace(/^/gm, ' '.repeat(12))}\n`);
const ipPoolDocs = (example: string) =>
  example.replace(/^kind: IPPool$/gm, 'apiVersion: projectcalico.org/v3\nkind: IPPool');
const nodeAt = (name: string, ip: string) =>
  `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${name}\nstatus:\n  addresses:\n  - type: InternalIP\n` +
  `    address: ${ip}\n`;
const CALICO_CONTEXTS: Partial<Record<RuleId, (example: string) => Files>> = {
  'cni-multiple': (example) => ({ '/ws/cni.yaml': example }),
  'calico-setting-invalid': (example) => ({ '/ws/calico.yaml': `apiVersion: apps/v1\n${example}\n` }),
  'calico-encapsulation-conflict': (example) => ({ '/ws/pool.yaml': ipPoolDocs(example) }),
  'calico-pool-cidr': (example) => ({ '/ws/pool.yaml': ipPoolDocs(example) }),
  'calico-pool-overlap': (example) => ({ '/ws/pool.yaml': ipPoolDocs(example) }),
  'calico-pool-outside-cluster-cidr': (example) => ({
    '/ws/calico.yaml': withPoolEnv(example),
    '/ws/kubeadm.yaml':
      'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.2.0.0/16\n',
  }),
  'calico-pool-network-overlap': (example) => ({
    '/ws/calico.yaml': withPoolEnv(example),
    '/ws/nodes.yaml': [10, 11, 12].map((n) => nodeAt(`node-${n}`, `192.168.1.${n}`)).join('---\n'),
  }),
  'calico-node-selector': (example) => ({
    '/ws/pool.yaml': ipPoolDocs(example),
    '/ws/nodes.yaml': nodeAt('node-1', '10.0.0.11'),
  }),
  'calico-routing-missing': (example) => ({
    '/ws/calico.yaml': calicoYaml().replace('  calico_backend: "bird"', `  ${example}`),
  }),
  'calico-mtu': (example) => ({ '/ws/calico.yaml': calicoYaml().replace('  veth_mtu: "0"', `  ${example}`) }),
};

const YAML_CONTEXTS: Partial<Record<RuleId, (example: string) => Files>> = {
  'yaml-syntax': (example) => ({ '/ws/pod.yaml': `apiVersion: v1\nkind: Pod\n${example}\n` }),
  'json-syntax': (example) => ({
    '/ws/flannel.yaml':
      'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: kube-flannel-cfg\ndata:\n' + `${indent(example)}\n`,
  }),
  'name-invalid': (example) => ({ '/ws/pod.yaml': `apiVersion: v1\n${example}\n` }),
  'template-source': (example) => ({ '/ws/chart/templates/cm.yaml': `kind: ConfigMap\napiVersion: v1\n${example}\n` }),
  'podnet-config': (example) => ({ '/ws/.podnet.yaml': `${example}\n` }),
  'nodename-unknown': (example) => ({
    '/ws/pod.yaml': `apiVersion: v1\n${example}\n`,
    '/ws/node.yaml': 'apiVersion: v1\nkind: Node\nmetadata:\n  name: worker-1\n',
  }),
  'podcidr-outside-network': (example) => withFlannel({ '/ws/node.yaml': `apiVersion: v1\n${example}\n` }),
  'podcidr-overlap': (example) => ({
    '/ws/node.yaml': `apiVersion: v1\n${example}\n`,
    '/ws/node1.yaml': 'apiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\nspec:\n  podCIDR: 10.244.1.0/24\n',
  }),
  'cluster-cidr-mismatch': (example) =>
    withFlannel({ '/ws/kubeadm.yaml': `apiVersion: kubeadm.k8s.io/v1beta3\n${example}\n` }),
  'service-cidr-overlap': (example) =>
    withFlannel({ '/ws/kubeadm.yaml': `apiVersion: kubeadm.k8s.io/v1beta3\n${example}\n` }),
  'allocate-node-cidrs-off': (example) =>
    withFlannel({
      '/ws/kcm.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-controller-manager\n  namespace: kube-system\n' +
        `spec:\n  containers:\n  - name: kube-controller-manager\n${indent(indent(example))}\n`,
      '/ws/node.yaml': 'apiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\n',
    }),
  'duplicate-config': (example) => ({
    ...loadExample('flannel-upstream'),
    '/ws/flannel-upstream/kube-flannel-cfg.yaml': `apiVersion: v1\n${example}\n`,
  }),
  'pod-unschedulable': (example) => ({ '/ws/app.yaml': `apiVersion: apps/v1\n${example}\n`, ...LABELLED_NODES }),
  'daemonset-no-node': (example) => ({ '/ws/app.yaml': `apiVersion: apps/v1\n${example}\n`, ...LABELLED_NODES }),
  'hostport-conflict': (example) => ({ '/ws/app.yaml': `apiVersion: apps/v1\n${example}\n`, ...LABELLED_NODES }),
  'statefulset-name-too-long': (example) => ({ '/ws/sts.yaml': `apiVersion: apps/v1\n${example}\n` }),
  'node-ip-in-pod-network': (example) =>
    withFlannel({
      '/ws/node.yaml': `apiVersion: v1\n${example.replace('kind: Node', 'kind: Node\nmetadata:\n  name: n')}\n`,
    }),
  ...CALICO_CONTEXTS,
};

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
const withFlannel = (files: Files): Files => ({
  ...files,
  '/ws/flannel.yaml': flannelConfigMap('{"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan"}}'),
});

test('the YAML examples of whole objects or control-plane flags trigger their rule', () => {
  for (const [id, context] of Object.entries(YAML_CONTEXTS) as Array<[RuleId, (example: string) => Files]>) {
    const { example } = ruleMeta(id).documentation;
    assert.equal(example.language, 'yaml', id);
    assert.ok(withCode(context(example.code), id).length > 0, `${id} fires on its example ${example.code}`);
  }
  const files = { '/ws/big.yaml': ruleMeta('file-skipped').documentation.example.code };
  assert.equal(withCode(files, 'file-skipped', { limits: { maxFileLength: 20 } }).length, 1);
});

/** Where a DaemonSet fragment goes in flannel's own (clean) manifest, and its indentation there. */
const DAEMONSET_SPLICES: Partial<Record<RuleId, [RegExp, number]>> = {
  'flannel-configmap-ref': [/ {6}volumes:\n[\s\S]*?name: kube-flannel-cfg\n/, 6],
  'flannel-mount': [/ {8}volumeMounts:\n {8}- name: run\n[\s\S]*?mountPath: \/run\/xtables.lock\n/, 8],
  'flannel-kube-subnet-mgr': [/ {6}containers:\n[\s\S]*?- --kube-subnet-mgr\n/, 6],
  'flannel-host-network': [/^spec:\n[\s\S]*?hostNetwork: true\n/m, 0],
  'flannel-privileges': [/ {8}securityContext:\n[\s\S]*?add: \["NET_ADMIN", "NET_RAW"\]\n/, 8],
  'flannel-pod-identity': [/ {8}env:\n[\s\S]*?value: "5000"\n/, 8],
  'flannel-conflist-name': [/ {8}args:\n {8}- -f\n {8}- \/etc\/kube-flannel\/cni-conf.json\n.*\n/, 8],
};

test("the DaemonSet examples trigger their rule when put into flannel's own manifest", () => {
  const upstream = loadExample('flannel-upstream');
  const [file] = Object.keys(upstream).filter((name) => name.endsWith('kube-flannel.yml'));
  for (const [id, [at, depth]] of Object.entries(DAEMONSET_SPLICES) as Array<[RuleId, [RegExp, number]]>) {
    assert.equal(withCode(upstream, id).length, 0, `${id} is silent on flannel's manifest`);
    const { code } = ruleMeta(id).documentation.example;
    const fragment = code
      .split('\n')
      .map((line) => ' '.repeat(depth) + line)
      .join('\n');
    assert.match(upstream[file], at, id);
    const files = { ...upstream, [file]: upstream[file].replace(at, `${fragment}\n`) };
    assert.ok(withCode(files, id).length > 0, `${id} fires on its example ${code}`);
  }
});

test("every rule's example is checked above to trigger its rule", () => {
  const checked = new Set<RuleId>([
    ...RULES.filter((meta) => meta.documentation.example.language === 'json').map((meta) => meta.id),
    ...(Object.keys(YAML_CONTEXTS) as RuleId[]),
    ...(Object.keys(DAEMONSET_SPLICES) as RuleId[]),
    'file-skipped',
  ]);
  assert.deepEqual(
    RULE_IDS.filter((id) => !checked.has(id)),
    [],
  );
});
