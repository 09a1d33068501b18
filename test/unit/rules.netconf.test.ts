import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  applyFixAndCheck,
  coveredText,
  diagnose,
  type Files,
  flannelConfigMap,
  flannelManifest,
  withCode,
  withCodes,
  ETCD_DAEMONSET,
} from './helpers';
import { type Diagnostic } from '../../server/src/engine';
import { type RuleId } from '../../server/src/rules/registry';

const FILE = '/ws/flannel.yaml';
const NETCONF_CODES = new Set<RuleId>([
  'json-type',
  'netconf-unknown-key',
  'network-missing',
  'ipv6-network-missing',
  'no-address-family',
  'cidr-invalid',
  'cidr-host-bits',
  'network-too-small',
  'subnetlen-range',
  'subnet-range',
  'subnet-settings-ignored',
  'ipv6-backend-unsupported',
]);

type Mode = 'kube' | 'etcd';
const filesOf = (netConf: string, mode: Mode = 'kube'): Files => ({
  [FILE]: flannelConfigMap(netConf),
  ...(mode === 'etcd' ? { '/ws/ds.yaml': ETCD_DAEMONSET } : {}),
});
const ofFiles = (files: Files): Diagnostic[] => withCodes(files, NETCONF_CODES);
const check = (netConf: string, mode: Mode = 'kube') => {
  const files = filesOf(netConf, mode);
  return { files, found: ofFiles(files) };
};
const summary = (files: Files, found: Diagnostic[]) => found.map((d) => [d.code, d.severity, coveredText(files, d)]);
const noProblems = (found: Diagnostic[]) => found.filter((d) => d.severity === 'error' || d.severity === 'warning');

test('flannel upstream config_test.go (§7.1): all four are valid in etcd mode and in kube mode', () => {
  const configs = [
    '{ "network": "10.3.0.0/16" }',
    '{ "enableIPv6": true, "ipv6Network": "fc00::/48", "enableIPv4": false }',
    '{ "Network": "10.3.0.0/16", "SubnetMin": "10.3.5.0", "SubnetMax": "10.3.8.0", "SubnetLen": 28 }',
    '{ "EnableIPv6": true, "IPv6Network": "fc00::/48", "IPv6SubnetMin": "fc00:0:0:1::", "IPv6SubnetMax": ' +
      '"fc00:0:0:f::", "IPv6SubnetLen": 124, "enableIPv4": false }',
  ];
  for (const config of configs) {
    assert.deepEqual(check(config, 'etcd').found, [], config);
    assert.deepEqual(noProblems(check(config, 'kube').found), [], config);
  }
  // In kube mode the subnet settings of the override tests are only pointed out as having no effect.
  const { files, found } = check(configs[2], 'kube');
  assert.deepEqual(summary(files, found), [
    ['subnet-settings-ignored', 'information', 'SubnetMin'],
    ['subnet-settings-ignored', 'information', 'SubnetMax'],
    ['subnet-settings-ignored', 'information', 'SubnetLen'],
  ]);
});

test('flannel fuzz seeds and etcd/registry fixtures (§7.2)', () => {
  for (const valid of [
    '{"Network":"10.0.0.0/8"}',
    '{"Network":"10.0.0.0/8","SubnetLen":24,"Backend":{"Type":"vxlan"}}',
    '{"Network":"10.0.0.0/8","SubnetMin":"10.0.1.0","SubnetMax":"10.0.20.0"}',
    '{ "Network": "10.3.0.0/16", "SubnetMin": "10.3.1.0", "SubnetMax": "10.3.25.0" }',
    '{ "Network": "10.4.0.0/16" }',
    '{ "Network": "10.1.0.0/16", "Backend": { "Type": "host-gw" } }',
  ]) {
    assert.deepEqual(check(valid, 'etcd').found, [], valid);
    assert.deepEqual(noProblems(check(valid, 'kube').found), [], valid);
  }
  // IPv4 is still enabled, without a Network: CheckNetworkConfig fails; flannel dies in both modes.
  for (const mode of ['etcd', 'kube'] as const) {
    for (const config of ['{"EnableIPv6":true,"IPv6Network":"fc00::/48","Backend":{"Type":"host-gw"}}', '{}']) {
      const { files, found } = check(config, mode);
      assert.deepEqual(summary(files, found), [['network-missing', 'error', 'net-conf.json']], `${mode} ${config}`);
      assert.match(found[0].message, /please define a correct Network parameter/);
    }
  }
  // The empty string is a JSON syntax error only; the config rules stay silent.
  const empty = {
    [FILE]: 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: kube-flannel-cfg\ndata:\n  net-conf.json: ""\n',
    '/ws/ds.yaml': ETCD_DAEMONSET,
  };
  assert.deepEqual(ofFiles(empty), []);
  assert.deepEqual(
    diagnose(empty)
      .filter((d) => d.code === 'json-syntax')
      .map((d) => d.severity),
    ['error'],
  );
});

test('json-type: wrong JSON types for top-level keys, with fixes for quoted numbers and booleans', () => {
  const { files, found } = check(
    '{\n  "Network": "10.244.0.0/16",\n  "SubnetLen": "24",\n  "EnableIPv4": "true",\n  "EnableNFTables": 1\n}',
  );
  assert.deepEqual(
    summary(
      files,
      found.filter((d) => d.code === 'json-type'),
    ),
    [
      ['json-type', 'error', '"24"'],
      ['json-type', 'error', '"true"'],
      ['json-type', 'error', '1'],
    ],
  );
  assert.match(
    found.find((d) => d.code === 'json-type')!.message,
    /`SubnetLen` must be a whole, non-negative JSON number.*cannot unmarshal string into Go struct field Config\.SubnetLen of type uint/,
  );
  applyFixAndCheck(
    files,
    found.find((d) => coveredText(files, d) === '"24"')!,
    { title: 'Use 24' },
  );
  applyFixAndCheck(
    files,
    found.find((d) => coveredText(files, d) === '"true"')!,
    { title: 'Use true' },
  );
  for (const [config, covered] of [
    ['{"Network": 10, "Backend": {"Type": "vxlan"}}', '10'],
    ['{"Network": "10.244.0.0/16", "SubnetLen": -1}', '-1'],
    ['{"Network": "10.244.0.0/16", "SubnetLen": 24.0}', '24.0'],
    ['[]', '[]'],
    ['{"Network": null}', 'null'],
  ]) {
    const result = check(config, 'etcd');
    assert.deepEqual(summary(result.files, result.found), [['json-type', 'error', covered]], config);
  }
  assert.deepEqual(
    check('{"Network": "10.244.0.0/16", "SubnetLen": 24, "EnableIPv6": false, "IPv6SubnetMin": null}', 'etcd').found,
    [],
  );
});

test('netconf-unknown-key: typos with a did-you-mean rename; removed Networks; case variants are known', () => {
  const { files, found } = check(
    '{\n  "Network": "10.244.0.0/16",\n  "SubnetLenght": 24,\n  "Networks": ["10.244.0.0/16"]\n}',
  );
  assert.deepEqual(
    summary(
      files,
      found.filter((d) => d.code === 'netconf-unknown-key'),
    ),
    [
      ['netconf-unknown-key', 'warning', 'SubnetLenght'],
      ['netconf-unknown-key', 'warning', 'Networks'],
    ],
  );
  assert.match(found[0].message, /silently ignores.*Did you mean `SubnetLen`\?/);
  assert.match(found.find((d) => coveredText(files, d) === 'Networks')!.message, /removed in flannel v0\.25\.0/);
  applyFixAndCheck(files, found[0], { title: 'Rename to SubnetLen' });
  assert.deepEqual(
    check('{"NETWORK": "10.244.0.0/16", "enablenftables": false, "backend": {"type": "vxlan"}}').found,
    [],
  );
});

test('netconf-unknown-key: no rename where the key is folded across lines (a `>` block)', () => {
  for (const lineBreak of ['\n', '\r\n']) {
    const files: Files = {
      [FILE]: [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: kube-flannel-cfg',
        '  namespace: kube-flannel',
        'data:',
        '  net-conf.json: >',
        '    {"Network',
        '    ": "10.244.0.0/16"}',
        '',
      ].join(lineBreak),
    };
    const found = diagnose(files).filter((d) => d.code === 'netconf-unknown-key');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /`Network `.*Did you mean `Network`/);
    assert.deepEqual(found[0].fixes, []);
  }
});

test('network-missing: absent, empty and 0.0.0.0/0; silent when IPv4 is off', () => {
  for (const [config, covered] of [
    ['{"Backend": {"Type": "vxlan"}}', 'net-conf.json'],
    ['{"Network": ""}', '""'],
    ['{"Network": "0.0.0.0/0"}', '0.0.0.0/0'],
  ]) {
    for (const mode of ['etcd', 'kube'] as const) {
      const { files, found } = check(config, mode);
      assert.deepEqual(summary(files, found), [['network-missing', 'error', covered]], config);
    }
  }
  assert.deepEqual(
    check('{"EnableIPv4": false, "EnableIPv6": true, "IPv6Network": "fd00:10:244::/56"}', 'etcd').found,
    [],
  );
});

test('network-missing suggests the cluster CIDR when kube-controller-manager shows it', () => {
  const kcm =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-controller-manager\n  namespace: ' +
    'kube-system\nspec:\n  containers:\n  - name: kube-controller-manager\n    image: ' +
    'registry.k8s.io/kube-controller-manager:v1.31.0\n    command:\n    - kube-controller-manager\n    - ' +
    '--allocate-node-cidrs=true\n    - --cluster-cidr=10.100.0.0/16\n';
  const found = ofFiles({ [FILE]: flannelConfigMap('{"Backend": {"Type": "vxlan"}}'), '/ws/kcm.yaml': kcm });
  assert.equal(found.length, 1);
  assert.match(found[0].message, /10\.100\.0\.0\/16 \(kube-controller-manager --cluster-cidr\)/);
});

test('ipv6-network-missing and no-address-family', () => {
  let result = check('{"Network": "10.244.0.0/16", "EnableIPv6": true}');
  assert.deepEqual(summary(result.files, result.found), [['ipv6-network-missing', 'error', 'net-conf.json']]);
  result = check('{"Network": "10.244.0.0/16", "EnableIPv6": true, "IPv6Network": ""}');
  assert.deepEqual(summary(result.files, result.found), [['ipv6-network-missing', 'error', '""']]);
  result = check('{"Network": "10.244.0.0/16", "EnableIPv4": false}');
  assert.deepEqual(summary(result.files, result.found), [['no-address-family', 'error', 'false']]);
  assert.match(result.found[0].message, /none defined stack/);
  assert.deepEqual(
    check('{"Network": "10.244.0.0/16", "EnableIPv6": true, "IPv6Network": "fd00:10:244::/56"}').found,
    [],
  );
});

test('cidr-invalid: unparsable CIDRs and IPs, and the wrong family', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['{"Network": "10.244.0.0/33"}', '10.244.0.0/33', /invalid CIDR address: 10\.244\.0\.0\/33/],
    ['{"Network": "10.244.0.0"}', '10.244.0.0', /not a valid CIDR/],
    ['{"Network": "fc00::/48"}', 'fc00::/48', /invalid IPv4 CIDR format/],
    ['{"Network": "10.244.0.0/16", "SubnetMin": "10.244.1"}', '10.244.1', /invalid IP address format/],
    ['{"Network": "10.244.0.0/16", "SubnetMax": "fc00::1"}', 'fc00::1', /invalid IPv4 address format/],
    [
      '{"Network": "10.244.0.0/16", "EnableIPv6": true, "IPv6Network": "10.0.0.0/8"}',
      '10.0.0.0/8',
      /must be an IPv6 CIDR/,
    ],
    ['{"Network": "10.244.0.0/16", "IPv6Network": "fc00::/129"}', 'fc00::/129', /not a valid CIDR/],
  ];
  for (const [config, covered, message] of cases) {
    const { files, found } = check(config, 'etcd');
    assert.deepEqual(summary(files, found), [['cidr-invalid', 'error', covered]], config);
    assert.match(found[0].message, message);
  }
});

test('cidr-host-bits: warns and offers the masked network', () => {
  const { files, found } = check('{\n  "Network": "10.244.1.7/16",\n  "Backend": {"Type": "vxlan"}\n}');
  assert.deepEqual(summary(files, found), [['cidr-host-bits', 'warning', '10.244.1.7/16']]);
  assert.match(found[0].message, /silently uses the network 10\.244\.0\.0\/16/);
  applyFixAndCheck(files, found[0], { title: 'Replace with 10.244.0.0/16' });
  const v6 = check('{"Network": "10.244.0.0/16", "EnableIPv6": true, "IPv6Network": "fd00:10:244::1/56"}');
  assert.deepEqual(summary(v6.files, v6.found), [['cidr-host-bits', 'warning', 'fd00:10:244::1/56']]);
  applyFixAndCheck(v6.files, v6.found[0], { title: 'Replace with fd00:10:244::/56' });
});

test('a double-quoted flow scalar maps the host-bits diagnostic and its fix exactly', () => {
  const text =
    'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: kube-flannel-cfg\ndata:\n  net-conf.json: ' +
    '"{\\"Network\\": \\"10.244.1.7/16\\"}"\n';
  const files = { [FILE]: text };
  const [d, ...rest] = ofFiles(files);
  assert.deepEqual(rest, []);
  assert.equal(d.code, 'cidr-host-bits');
  assert.equal(coveredText(files, d), '10.244.1.7/16');
  assert.equal(d.offsetRange[0], text.indexOf('10.244.1.7/16'));
  assert.deepEqual(d.range.start, { line: 5, character: 34 });
  applyFixAndCheck(files, d, { title: 'Replace with 10.244.0.0/16' });
  // A whole string token ends with an escaped quote: the range covers the escape.
  const typed = {
    [FILE]:
      'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: cfg\ndata:\n  net-conf.json: "{\\"Network\\": ' +
      '\\"10.244.0.0/16\\", \\"SubnetLen\\": \\"24\\"}"\n',
  };
  const [wrong] = ofFiles(typed).filter((x) => x.code === 'json-type');
  assert.equal(coveredText(typed, wrong), '\\"24\\"');
  applyFixAndCheck(typed, wrong, { title: 'Use 24' });
});

test('network-too-small: error in etcd mode, warning in kube mode', () => {
  for (const [mode, severity] of [
    ['etcd', 'error'],
    ['kube', 'warning'],
  ] as const) {
    const { files, found } = check('{"Network": "10.0.0.0/29"}', mode);
    assert.deepEqual(summary(files, found), [['network-too-small', severity, '10.0.0.0/29']]);
    assert.match(found[0].message, /Minimum useful network prefix is \/28/);
  }
  assert.deepEqual(check('{"Network": "10.0.0.0/28"}', 'etcd').found, []);
  const v6 = check('{"EnableIPv4": false, "EnableIPv6": true, "IPv6Network": "fc00::/125"}', 'etcd');
  assert.deepEqual(summary(v6.files, v6.found), [['network-too-small', 'error', 'fc00::/125']]);
});

test('subnetlen-range: over 30 (IPv6 126) or under prefix+2', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['{"Network": "10.244.0.0/16", "SubnetLen": 31}', '31', /less than \/31/],
    ['{"Network": "10.244.0.0/16", "SubnetLen": 17}', '17', /at least four subnets/],
    [
      '{"EnableIPv4": false, "EnableIPv6": true, "IPv6Network": "fc00::/48", "IPv6SubnetLen": 127}',
      '127',
      /less than \/127/,
    ],
  ];
  for (const [config, covered, message] of cases) {
    const etcd = check(config, 'etcd');
    assert.deepEqual(summary(etcd.files, etcd.found), [['subnetlen-range', 'error', covered]], config);
    assert.match(etcd.found[0].message, message);
    const kube = check(config, 'kube');
    assert.deepEqual(
      summary(
        kube.files,
        kube.found.filter((d) => d.code === 'subnetlen-range'),
      ),
      [['subnetlen-range', 'warning', covered]],
    );
  }
  assert.deepEqual(check('{"Network": "10.244.0.0/16", "SubnetLen": 18}', 'etcd').found, []);
});

test('subnet-range: outside the Network, off the SubnetLen boundary (with fix), Min above Max', () => {
  let result = check('{"Network": "10.3.0.0/16", "SubnetMin": "10.4.1.0"}', 'etcd');
  assert.deepEqual(summary(result.files, result.found), [['subnet-range', 'error', '10.4.1.0']]);
  assert.match(result.found[0].message, /SubnetMin is not in the range of the Network/);
  result = check('{"Network": "10.3.0.0/16", "SubnetMax": "10.3.8.128"}', 'etcd');
  assert.deepEqual(summary(result.files, result.found), [['subnet-range', 'error', '10.3.8.128']]);
  assert.match(result.found[0].message, /SubnetMax is not on a SubnetLen boundary: 10\.3\.8\.128/);
  applyFixAndCheck(result.files, result.found[0], { title: 'Replace with 10.3.8.0' });
  result = check('{"Network": "10.3.0.0/16", "SubnetMin": "10.3.9.0", "SubnetMax": "10.3.8.0"}', 'etcd');
  assert.deepEqual(summary(result.files, result.found), [['subnet-range', 'error', '10.3.9.0']]);
  assert.match(result.found[0].message, /out of subnets/);
  result = check(
    '{"EnableIPv4": false, "EnableIPv6": true, "IPv6Network": "fc00::/48", "IPv6SubnetMin": "fd00::"}',
    'etcd',
  );
  assert.deepEqual(summary(result.files, result.found), [['subnet-range', 'error', 'fd00::']]);
  // The network address itself is allowed as SubnetMin (§1.5.7).
  assert.deepEqual(check('{"Network": "10.244.0.0/16", "SubnetMin": "10.244.0.0"}', 'etcd').found, []);
  const kube = check('{"Network": "10.3.0.0/16", "SubnetMin": "10.4.1.0"}', 'kube');
  assert.deepEqual(
    kube.found.filter((d) => d.code === 'subnet-range').map((d) => d.severity),
    ['warning'],
  );
});

test('subnet-settings-ignored: information in kube mode only', () => {
  const config = '{"Network": "10.244.0.0/16", "subnetLen": 24, "Backend": {"Type": "vxlan"}}';
  const kube = check(config, 'kube');
  assert.deepEqual(summary(kube.files, kube.found), [['subnet-settings-ignored', 'information', 'subnetLen']]);
  assert.match(kube.found[0].message, /--kube-subnet-mgr/);
  assert.deepEqual(check(config, 'etcd').found, []);
});

test('ipv6-backend-unsupported: EnableIPv6 with a backend that keeps IPv4 only', () => {
  const base = '"Network": "10.244.0.0/16", "EnableIPv6": true, "IPv6Network": "fd00:10:244::/56"';
  const result = check(`{${base}, "Backend": {"Type": "ipip"}}`);
  assert.deepEqual(summary(result.files, result.found), [['ipv6-backend-unsupported', 'warning', 'ipip']]);
  // Without Backend (udp), backend-missing already asks for vxlan.
  assert.deepEqual(check(`{${base}}`).found, []);
  for (const type of ['vxlan', 'host-gw', 'WireGuard'])
    assert.deepEqual(check(`{${base}, "Backend": {"Type": "${type}"}}`).found, [], type);
});

test('netconf-unknown-key follows the deployed image: Networks, EnableNFTables and dual stack by release', () => {
  const keys = (image: string, netConf: string) => {
    const files = { [FILE]: flannelManifest(image, netConf) };
    return withCode(files, 'netconf-unknown-key').map((d) => [coveredText(files, d), d.message]);
  };
  const networks = '{"Network": "10.244.0.0/16", "Networks": ["10.244.0.0/16"], "Backend": {"Type": "vxlan"}}';
  assert.deepEqual(keys('rancher/mirrored-flannelcni-flannel:v0.20.2', networks), []);
  const [[, discarded]] = keys('docker.io/flannel/flannel:v0.22.3', networks);
  assert.match(discarded, /From flannel v0\.21\.0 \(the deployed image is v0\.22\.3\), `Networks` .* is ignored/);
  const [[, notYet]] = keys('quay.io/coreos/flannel:v0.12.0-amd64', networks);
  assert.match(notYet, /read from flannel v0\.20\.0; the deployed image v0\.12\.0 silently ignores it/);
  const [[, removed]] = keys('ghcr.io/flannel-io/flannel:v0.26.7', networks);
  assert.match(removed, /removed in flannel v0\.25\.0/);

  const nft = (value: string) =>
    `{"Network": "10.244.0.0/16", "EnableNFTables": ${value}, "Backend": {"Type": "vxlan"}}`;
  assert.deepEqual(keys('docker.io/flannel/flannel:v0.24.4', nft('false')), []);
  assert.deepEqual(
    keys('docker.io/flannel/flannel:v0.24.4', nft('true')).map(([key]) => key),
    ['EnableNFTables'],
  );
  assert.deepEqual(keys('docker.io/flannel/flannel:v0.25.0', nft('true')), []);
  const dual =
    '{"Network": "10.244.0.0/16", "EnableIPv6": true, "IPv6Network": "fd00::/56", "Backend": {"Type": "vxlan"}}';
  assert.deepEqual(
    keys('quay.io/coreos/flannel:v0.14.0', dual).map(([key]) => key),
    ['EnableIPv6', 'IPv6Network'],
  );
  assert.deepEqual(keys('quay.io/coreos/flannel:v0.15.1', dual), []);
});
