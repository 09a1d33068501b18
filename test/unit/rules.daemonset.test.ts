import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import {
  applyFixAndCheck,
  coveredText,
  diagnose,
  type Files,
  FIXTURES,
  loadExample,
  mutate,
  single,
  withCode,
  withCodes,
} from './helpers';
import { type Diagnostic } from '../../server/src/engine';
import { type RuleId } from '../../server/src/rules/registry';

const FILE = '/ws/flannel-upstream/kube-flannel.yml';
const CODES: RuleId[] = [
  'flannel-configmap-ref',
  'flannel-mount',
  'flannel-kube-subnet-mgr',
  'flannel-host-network',
  'flannel-privileges',
  'flannel-pod-identity',
  'flannel-conflist-name',
];
const base = (): Files => loadExample('flannel-upstream');

/** The upstream manifest with `from` replaced: its only occurrence, or the `nth` one. */
const edit = (from: string, to: string, files = base(), nth?: number): Files => mutate(files, FILE, from, to, nth);
const mine = (files: Files) => withCodes(files, CODES);
/** Applies the preferred fix; none of this module's codes may remain. */
const fixClears = (files: Files, diagnostic: Diagnostic): Files =>
  applyFixAndCheck(files, diagnostic, { codes: CODES }).fixed;

test('the upstream DaemonSet is valid', () => {
  assert.deepEqual(mine(base()), []);
});

test('the flannel DaemonSet is recognised by what it runs, not by its name', () => {
  const renamed = edit(
    'name: kube-flannel-ds',
    'name: my-network-agent',
    edit('hostNetwork: true', 'hostNetwork: false'),
  );
  assert.equal(withCode(renamed, 'flannel-host-network').length, 1);

  const other = base();
  other['/ws/flannel-upstream/other.yaml'] = [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata:',
    '  name: kube-flannel-ds-logger',
    '  namespace: kube-flannel',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '      - name: logger',
    '        image: busybox',
    '        command: [sh, -c, "tail -f /dev/null"]',
    '',
  ].join('\n');
  assert.deepEqual(mine(other), []);
});

test('flannel-configmap-ref: an unknown ConfigMap, with a did-you-mean fix', () => {
  const files = edit('          name: kube-flannel-cfg\n', '          name: kube-flannel-cfgg\n');
  const d = single(files, 'flannel-configmap-ref');
  assert.equal(d.severity, 'error');
  assert.equal(coveredText(files, d), 'kube-flannel-cfgg');
  assert.match(d.message, /Did you mean "kube-flannel-cfg"/);
  assert.equal(fixClears(files, d)[FILE], base()[FILE]);
});

test('flannel-configmap-ref: no fix where plain text would not become the name (a tag, a block scalar)', () => {
  const tagged = edit('          name: kube-flannel-cfg\n', '          name: !custom\n');
  const afterTag = single(tagged, 'flannel-configmap-ref');
  assert.match(afterTag.message, /No ConfigMap ""/);
  assert.deepEqual(afterTag.fixes, []);

  const block = edit('          name: kube-flannel-cfg\n', '          name: >\n            kube-flannel-cfgg\n');
  const folded = single(block, 'flannel-configmap-ref');
  assert.match(folded.message, /Did you mean "kube-flannel-cfg"/);
  assert.deepEqual(folded.fixes, []);
});

test('flannel-configmap-ref: the ConfigMap in another namespace', () => {
  const files = edit(
    '  name: kube-flannel-cfg\n  namespace: kube-flannel\n',
    '  name: kube-flannel-cfg\n  namespace: kube-system\n',
  );
  const d = single(files, 'flannel-configmap-ref');
  assert.equal(coveredText(files, d), 'kube-flannel-cfg');
  assert.match(d.message, /namespace "kube-system"/);
  assert.deepEqual(d.fixes, []);
});

test('flannel-configmap-ref: a ConfigMap without net-conf.json', () => {
  const files = edit('  net-conf.json: |', '  net-config.json: |');
  const d = single(files, 'flannel-configmap-ref');
  assert.equal(coveredText(files, d), 'kube-flannel-cfg');
  assert.match(d.message, /no "net-conf.json" key/);
});

test('flannel-mount: the config volume is not mounted at the --net-config-path directory', () => {
  const files = edit(
    '        - --kube-subnet-mgr\n',
    '        - --kube-subnet-mgr\n        - --net-config-path=/etc/flannel/net-conf.json\n',
  );
  const d = single(files, 'flannel-mount');
  assert.equal(d.severity, 'warning');
  assert.equal(coveredText(files, d), '/etc/kube-flannel/');
  // The second mount of /etc/kube-flannel/ is the flanneld container's; the install-cni one is untouched.
  const fixed = fixClears(files, d);
  assert.match(fixed[FILE], /name: flannel-cfg\n {10}mountPath: \/etc\/kube-flannel\/\n {6}containers:/);

  const moved = edit('          mountPath: /etc/kube-flannel/\n', '          mountPath: /etc/flannel/\n', base(), 1);
  const d2 = single(moved, 'flannel-mount');
  assert.equal(coveredText(moved, d2), '/etc/flannel/');
  assert.equal(fixClears(moved, d2)[FILE], base()[FILE]);
});

test('flannel-mount: a trailing slash or none both match the directory', () => {
  assert.deepEqual(
    mine(edit('          mountPath: /etc/kube-flannel/\n', '          mountPath: /etc/kube-flannel\n', base(), 1)),
    [],
  );
  assert.deepEqual(
    mine(
      edit(
        '        - --kube-subnet-mgr\n',
        '        - --kube-subnet-mgr\n        - --net-config-path=/etc/kube-flannel/net-conf.json\n',
      ),
    ),
    [],
  );
});

test('flannel-mount: a config in the root directory, however many slashes lead to it', () => {
  const files = edit(
    '        - --kube-subnet-mgr\n',
    '        - --kube-subnet-mgr\n        - --net-config-path=///net-conf.json\n',
  );
  const d = single(files, 'flannel-mount');
  assert.match(d.message, /Mount the volume at \/\./);
  fixClears(files, d);
});

test('flannel-mount: --net-config-path naming a file the ConfigMap does not have', () => {
  const files = edit(
    '        - --kube-subnet-mgr\n',
    '        - --kube-subnet-mgr\n        - --net-config-path=/etc/kube-flannel/net.json\n',
  );
  const d = single(files, 'flannel-mount');
  assert.equal(coveredText(files, d), '/etc/kube-flannel/net.json');
});

test('flannel-mount: --subnet-file differs from the cni-conf subnetFile', () => {
  const files = edit(
    '        - --kube-subnet-mgr\n',
    '        - --kube-subnet-mgr\n        - --subnet-file=/run/flannel/other.env\n',
  );
  const d = single(files, 'flannel-mount');
  assert.equal(d.severity, 'warning');
  assert.equal(coveredText(files, d), '/run/flannel/other.env');

  const cni = edit('"type": "flannel",', '"type": "flannel",\n          "subnetFile": "/var/run/flannel/subnet.env",');
  const d2 = single(cni, 'flannel-mount');
  assert.equal(coveredText(cni, d2), '/var/run/flannel/subnet.env');

  const both = edit(
    '        - --kube-subnet-mgr\n',
    '        - --kube-subnet-mgr\n        - --subnet-file=/run/flannel/other.env\n',
    cni,
  );
  assert.deepEqual(mine(edit('"/var/run/flannel/subnet.env"', '"/run/flannel/other.env"', both)), []);
});

test('flannel-mount: the subnet file from FLANNELD_SUBNET_FILE is read as flanneld reads it', () => {
  const withEnv = (entry: string, base?: Files) =>
    edit('        - name: EVENT_QUEUE_DEPTH\n', `${entry}        - name: EVENT_QUEUE_DEPTH\n`, base);
  // flanneld ignores an empty variable: the default subnet file stays, and it matches the CNI plugin's.
  assert.deepEqual(mine(withEnv('        - name: FLANNELD_SUBNET_FILE\n          value: ""\n')), []);

  const literal = withEnv('        - name: FLANNELD_SUBNET_FILE\n          value: /run/flannel/other.env\n');
  assert.equal(coveredText(literal, single(literal, 'flannel-mount')), '/run/flannel/other.env');

  // From a ConfigMap key: the value counts, though it is written in another object.
  const fromKey = withEnv(
    '        - name: FLANNELD_SUBNET_FILE\n          valueFrom:\n            configMapKeyRef:\n' +
      '              name: kube-flannel-cfg\n              key: subnet_file\n',
    edit('data:\n  cni-conf.json', 'data:\n  subnet_file: /run/flannel/other.env\n  cni-conf.json'),
  );
  assert.match(single(fromKey, 'flannel-mount').message, /other\.env/);
});

test('flannel-mount: /run/flannel must be a hostPath mount', () => {
  const files = edit(
    '      - name: run\n        hostPath:\n          path: /run/flannel\n',
    '      - name: run\n        emptyDir: {}\n',
  );
  const d = single(files, 'flannel-mount');
  assert.equal(coveredText(files, d), 'run');
  assert.match(d.message, /not a hostPath/);

  const unmounted = edit('        - name: run\n          mountPath: /run/flannel\n', '');
  const d2 = single(unmounted, 'flannel-mount');
  assert.equal(coveredText(unmounted, d2), 'volumeMounts');
});

test('flannel-kube-subnet-mgr: absent, with a fix that adds it', () => {
  const files = edit('        - --kube-subnet-mgr\n', '');
  const d = single(files, 'flannel-kube-subnet-mgr');
  assert.equal(d.severity, 'warning');
  assert.equal(coveredText(files, d), '/opt/bin/flanneld');
  const fixed = fixClears(files, d);
  assert.match(fixed[FILE], /- --ip-masq\n {8}- --kube-subnet-mgr\n/);
});

test('flannel-kube-subnet-mgr: accepted as =true, in command, or from FLANNELD_KUBE_SUBNET_MGR', () => {
  assert.deepEqual(mine(edit('        - --kube-subnet-mgr\n', '        - --kube-subnet-mgr=true\n')), []);
  const inCommand = edit(
    '        - /opt/bin/flanneld\n',
    '        - /opt/bin/flanneld\n        - --kube-subnet-mgr\n',
    edit('        - --kube-subnet-mgr\n', ''),
  );
  assert.deepEqual(mine(inCommand), []);
  const env = edit(
    '        - name: EVENT_QUEUE_DEPTH\n',
    '        - name: FLANNELD_KUBE_SUBNET_MGR\n          value: "true"\n        - name: EVENT_QUEUE_DEPTH\n',
    edit('        - --kube-subnet-mgr\n', ''),
  );
  assert.deepEqual(mine(env), []);
});

test('flannel-kube-subnet-mgr: explicitly false', () => {
  const files = edit('        - --kube-subnet-mgr\n', '        - --kube-subnet-mgr=false\n');
  const d = single(files, 'flannel-kube-subnet-mgr');
  assert.equal(coveredText(files, d), '--kube-subnet-mgr=false');
  fixClears(files, d);
});

test('flannel-host-network: false, or absent', () => {
  const files = edit('hostNetwork: true', 'hostNetwork: false');
  const d = single(files, 'flannel-host-network');
  assert.equal(d.severity, 'error');
  assert.equal(coveredText(files, d), 'false');
  assert.equal(fixClears(files, d)[FILE], base()[FILE]);

  const absent = edit('      hostNetwork: true\n', '');
  const d2 = single(absent, 'flannel-host-network');
  assert.equal(coveredText(absent, d2), 'spec');
  const fixed = fixClears(absent, d2);
  assert.match(fixed[FILE], /\n {4}spec:\n {6}hostNetwork: true\n {6}affinity:/);
});

const NET_RAW_INFO =
  'flanneld gets NET_ADMIN but not NET_RAW: that works on docker and containerd, whose default capabilities ' +
  'include NET_RAW, but fails with "operation not permitted" on runtimes that drop it by default (CRI-O from ' +
  "1.18). flannel's manifest adds NET_RAW since v0.13.0.";

test('flannel-privileges: NET_ADMIN alone is information (CRI-O), with a fix adding NET_RAW', () => {
  const files = edit('add: ["NET_ADMIN", "NET_RAW"]', 'add: ["NET_ADMIN"]');
  const d = single(files, 'flannel-privileges');
  assert.equal(d.severity, 'information');
  assert.equal(d.message, NET_RAW_INFO);
  assert.equal(coveredText(files, d), 'add');
  assert.equal(fixClears(files, d)[FILE], base()[FILE]);
});

test('flannel-privileges: v0.12-era manifests, one DaemonSet per arch: one information each, no warning', () => {
  const file = '/ws/v012/kube-flannel.yml';
  const files = { [file]: fs.readFileSync(path.join(FIXTURES, 'flannel-v0.12', 'kube-flannel.yml'), 'utf8') };
  const found = withCode(files, 'flannel-privileges');
  assert.deepEqual(
    found.map((d) => [d.severity, d.message]),
    [
      ['information', NET_RAW_INFO],
      ['information', NET_RAW_INFO],
    ],
  );
  assert.deepEqual(
    diagnose(files).filter((d) => d.severity === 'error' || d.severity === 'warning'),
    [],
  );
});

test('flannel-privileges: no NET_ADMIN, or NET_RAW dropped and not added back, is a warning', () => {
  const none = edit('          capabilities:\n            add: ["NET_ADMIN", "NET_RAW"]\n', '');
  const d = single(none, 'flannel-privileges');
  assert.equal(d.severity, 'warning');
  assert.equal(coveredText(none, d), 'securityContext');
  assert.equal(
    d.message,
    'flanneld is neither privileged nor granted NET_ADMIN: it needs it to create flannel.1, routes and ' +
      'iptables/nftables rules, so it fails at start with "operation not permitted". Add NET_ADMIN and NET_RAW ' +
      'to securityContext.capabilities.add.',
  );
  const rawOnly = edit('add: ["NET_ADMIN", "NET_RAW"]', 'add: ["NET_RAW"]');
  assert.equal(single(rawOnly, 'flannel-privileges').severity, 'warning');
  fixClears(rawOnly, single(rawOnly, 'flannel-privileges'));

  const dropAll = edit('add: ["NET_ADMIN", "NET_RAW"]', 'add: ["NET_ADMIN"]\n            drop: ["ALL"]');
  const d2 = single(dropAll, 'flannel-privileges');
  assert.equal(d2.severity, 'warning');
  assert.equal(
    d2.message,
    'capabilities.drop removes ALL, NET_RAW with them and add does not give it back: flanneld needs NET_RAW for ' +
      'iptables, so it fails with "operation not permitted". Add NET_RAW to securityContext.capabilities.add.',
  );
  fixClears(dropAll, d2);
  const dropRaw = edit('add: ["NET_ADMIN", "NET_RAW"]', 'add: ["NET_ADMIN"]\n            drop: [net_raw]');
  assert.match(single(dropRaw, 'flannel-privileges').message, /^capabilities\.drop removes NET_RAW and/);
  // Dropped, then added back: as flannel's manifest grants it.
  assert.deepEqual(
    mine(edit('add: ["NET_ADMIN", "NET_RAW"]', 'add: ["NET_ADMIN", "NET_RAW"]\n            drop: [ALL]')),
    [],
  );

  assert.deepEqual(mine(edit('privileged: false', 'privileged: true', none)), []);
  assert.deepEqual(mine(edit('add: ["NET_ADMIN", "NET_RAW"]', 'add: ["CAP_NET_ADMIN", "net_raw"]')), []);
});

test('flannel-pod-identity: POD_NAMESPACE missing, a wrong fieldRef, or NODE_NAME instead', () => {
  const missing = edit(
    '        - name: POD_NAMESPACE\n          valueFrom:\n            fieldRef:\n              fieldPath: ' +
      'metadata.namespace\n',
    '',
  );
  const d = single(missing, 'flannel-pod-identity');
  assert.equal(d.severity, 'warning');
  assert.equal(coveredText(missing, d), 'env');

  const wrong = edit('fieldPath: metadata.name\n', 'fieldPath: spec.nodeName\n');
  const d2 = single(wrong, 'flannel-pod-identity');
  assert.equal(coveredText(wrong, d2), 'POD_NAME');

  const nodeName = edit(
    '        - name: POD_NAME\n          valueFrom:\n            fieldRef:\n              fieldPath: metadata.name\n',
    '        - name: NODE_NAME\n          valueFrom:\n            fieldRef:\n              fieldPath: spec.nodeName\n',
    missing,
  );
  assert.deepEqual(mine(nodeName), []);
});

test('flannel-conflist-name: installed under a .conf name, fixed to .conflist', () => {
  const files = edit('/etc/cni/net.d/10-flannel.conflist', '/etc/cni/net.d/10-flannel.conf');
  const d = single(files, 'flannel-conflist-name');
  assert.equal(d.severity, 'warning');
  assert.equal(coveredText(files, d), '/etc/cni/net.d/10-flannel.conf');
  assert.equal(fixClears(files, d)[FILE], base()[FILE]);
});

test('flannel-conflist-name: inside a shell command, and with install-conf', () => {
  const shell = edit(
    '        command:\n        - cp\n        args:\n        - -f\n        - ' +
      '/etc/kube-flannel/cni-conf.json\n        - /etc/cni/net.d/10-flannel.conflist\n',
    '        command: ["sh", "-c", "cp -f /etc/kube-flannel/cni-conf.json /etc/cni/net.d/10-flannel.json && ' +
      'sleep 1"]\n',
  );
  const d = single(shell, 'flannel-conflist-name');
  assert.equal(coveredText(shell, d), '/etc/cni/net.d/10-flannel.json');
  fixClears(shell, d);

  const installConf = edit(
    '        command:\n        - cp\n        args:\n        - -f\n',
    '        command:\n        - /opt/bin/install-conf\n        args:\n',
    base(),
    1,
  );
  assert.match(installConf[FILE], /install-conf\n {8}args:\n {8}- \/etc\/kube-flannel\/cni-conf.json/);
  assert.deepEqual(mine(installConf), []);
});

// --- where cni-conf.json is really installed (fixtures shaped like flannel ≤ v0.9 and Windows manifests) ---

const LEGACY = '/ws/legacy/kube-flannel.yml';
const legacy = (from?: string, to = ''): Files => {
  const text = fs.readFileSync(path.join(FIXTURES, 'cni-install', 'legacy-flannel-v0.9.yaml'), 'utf8');
  return from === undefined ? { [LEGACY]: text } : mutate({ [LEGACY]: text }, LEGACY, from, to);
};
const INSTALL_CODES: RuleId[] = ['flannel-conflist-name', 'cni-plugins'];
const CP_ARGS =
  '        command:\n        - cp\n        args:\n        - -f\n        - /etc/kube-flannel/cni-conf.json\n' +
  '        - /etc/cni/net.d/10-flannel.conf\n';
/** The legacy install container's command replaced by a `sh -c` script. */
const script = (text: string, files = legacy()): Files =>
  mutate(files, LEGACY, CP_ARGS, `        command: [ "/bin/sh", "-c", ${JSON.stringify(text)} ]\n`);
const CONFLIST =
  '    {\n      "name": "cbr0",\n      "cniVersion": "0.3.1",\n      "plugins": [\n        {\n' +
  '          "type": "flannel",\n          "delegate": {\n            "isDefaultGateway": true\n          }\n' +
  '        }\n      ]\n    }\n';
const SINGLE =
  '    {\n      "name": "cbr0",\n      "type": "flannel",\n' +
  '      "delegate": {\n        "isDefaultGateway": true\n      }\n    }\n';
/** The legacy fixture with its single config turned into a plugin list. */
const withConflist = (files = legacy()): Files => mutate(files, LEGACY, SINGLE, CONFLIST);

test('install destination: a single config copied to 10-flannel.conf (flannel ≤ v0.9) is right', () => {
  assert.deepEqual(withCodes(legacy(), INSTALL_CODES), []);
  const shell = script(
    'set -e -x; cp -f /etc/kube-flannel/cni-conf.json /etc/cni/net.d/10-flannel.conf; ' +
      'while true; do sleep 3600; done',
  );
  assert.deepEqual(withCodes(shell, INSTALL_CODES), []);
});

test('install destination: a single config installed as .conflist, fixed to .conf', () => {
  const files = legacy('/etc/cni/net.d/10-flannel.conf\n', '/etc/cni/net.d/10-flannel.conflist\n');
  const d = single(files, 'flannel-conflist-name');
  assert.equal(coveredText(files, d), '/etc/cni/net.d/10-flannel.conflist');
  assert.match(d.message, /single network config/);
  assert.deepEqual(withCode(files, 'cni-plugins'), []);
  assert.equal(applyFixAndCheck(files, d, { codes: INSTALL_CODES }).fixed[LEGACY], legacy()[LEGACY]);
});

test('install destination: a conflist copied by `sh -c "cp -f …"`', () => {
  const good = script('cp -f /etc/kube-flannel/cni-conf.json /etc/cni/net.d/10-flannel.conflist', withConflist());
  assert.deepEqual(withCodes(good, INSTALL_CODES), []);

  const bad = script(
    'set -e; cp -f /etc/kube-flannel/cni-conf.json /etc/cni/net.d/10-flannel.conf && sleep 1',
    withConflist(),
  );
  const d = single(bad, 'flannel-conflist-name');
  assert.equal(coveredText(bad, d), '/etc/cni/net.d/10-flannel.conf');
  assert.match(d.message, /holds a plugin list/);
  applyFixAndCheck(bad, d, { codes: INSTALL_CODES });
});

test('install destination: into a directory, or through an intermediate file', () => {
  const dir = script('cp /etc/kube-flannel/cni-conf.json /etc/cni/net.d', withConflist());
  assert.match(single(dir, 'flannel-conflist-name').message, /installed as \/etc\/cni\/net\.d\/cni-conf\.json/);

  const moved = script(
    'cp /etc/kube-flannel/cni-conf.json /tmp/cni.json\nmv /tmp/cni.json /etc/cni/net.d/10-flannel.conflist',
    withConflist(),
  );
  assert.deepEqual(withCodes(moved, INSTALL_CODES), []);
});

test('install destination: a copy that never reaches the host (the 2016 /cni/net.d slip)', () => {
  const files = script(
    'set -e -x; cp -f /etc/kube-flannel/cni-conf.json /cni/net.d/10-flannel.conf; ' + 'while true; do sleep 3600; done',
  );
  const d = single(files, 'flannel-conflist-name');
  assert.equal(coveredText(files, d), '/cni/net.d/10-flannel.conf');
  assert.match(d.message, /not on the host.*at \/etc\/cni\/net\.d/);
});

test('install destination: nothing said when it cannot be determined', () => {
  const variable = script('cp -f /etc/kube-flannel/cni-conf.json "$CNI_DIR/10-flannel.conflist"');
  assert.deepEqual(withCodes(variable, INSTALL_CODES), []);
  const installer = legacy(CP_ARGS, '        command: [/opt/bin/install-cni-conf]\n');
  assert.deepEqual(withCodes(installer, INSTALL_CODES), []);
  const unterminated = script("cp -f /etc/kube-flannel/cni-conf.json '/etc/cni/net.d/10-flannel.conflist");
  assert.doesNotThrow(() => withCodes(unterminated, INSTALL_CODES));

  const windows = {
    '/ws/win/flannel-overlay.yml': fs.readFileSync(
      path.join(FIXTURES, 'cni-install', 'windows-flannel-overlay.yaml'),
      'utf8',
    ),
  };
  assert.deepEqual(withCodes(windows, INSTALL_CODES), []);
});

test("the DaemonSet's ConfigMap is the one in its own file when another file defines the same name", () => {
  const files = {
    ...withConflist(script('cp -f /etc/kube-flannel/cni-conf.json /etc/cni/net.d/10-flannel.conflist', legacy())),
    '/ws/legacy/docs-minikube.yml': legacy()[LEGACY].split('---\napiVersion: extensions/v1beta1')[0],
  };
  assert.deepEqual(withCodes(files, INSTALL_CODES), []);
});
