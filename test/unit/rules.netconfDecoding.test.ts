// How flannel decodes net-conf.json (flannel.md §1.2), checked against Go's encoding/json and flannel's pkg/ip
// decoders: IPs and CIDRs read from the raw bytes (escapes never decoded), decoded whenever the key is present,
// null a no-op for plain bool and number fields only, and every occurrence of a duplicated key decoded.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyFixAndCheck, coveredText, diagnose, type Files, ETCD_DAEMONSET, flannelConfigMap } from './helpers';
import { type Diagnostic } from '../../server/src/engine';
import { type RuleId } from '../../server/src/rules/registry';
import { parseStrictJson } from '../../server/src/core/embeddedJson';
import { interpretNetConf } from '../../server/src/model/netconf';
import { formatCidr } from '../../server/src/core/cidr';

const FILE = '/ws/flannel.yaml';

/** The diagnostics of the JSON inside net-conf.json (not the DaemonSet's), in file order. */
function check(netConf: string, files: Files = { [FILE]: flannelConfigMap(netConf), '/ws/ds.yaml': ETCD_DAEMONSET }) {
  const found = diagnose(files).filter((d) => d.uri.endsWith('flannel.yaml') && d.severity !== 'information');
  return { files, found };
}

/** The file range of the `nth` occurrence of `needle`, to compare with a diagnostic's exact range. */
function rangeOf(files: Files, needle: string, nth = 0): [number, number] {
  const text = files[FILE];
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} is in the file`);
  return [at, at + needle.length];
}

const codesOf = (found: Diagnostic[]): Array<[RuleId, string]> => found.map((d) => [d.code as RuleId, d.severity]);
const backend = '"Backend": {"Type": "vxlan"}';

test('cidr-invalid: an IP or CIDR written with JSON escapes, at the exact value, with a plain-text fix', () => {
  const net = '"Network": "10.244.0.0/16"';
  const v6 = '"EnableIPv6": true, "IPv6Network": "fd00:10:244::/56"';
  const cases: Array<[string, string, string, string, RegExp]> = [
    ['Network', '10.244.0.0\\/16', '', '10.244.0.0/16', /"invalid CIDR address: 10\.244\.0\.0\\\/16"/],
    ['Network', '\\u0031\\u0030.244.0.0/16', '', '10.244.0.0/16', /sees `\\u0031\\u0030\.244\.0\.0\/16` and fails/],
    ['SubnetMin', '10.244.1\\u002e0', net, '10.244.1.0', /`\\u002e`.*"invalid IP address format"/],
    ['SubnetMax', '10.244.\\u0032\\u0035.0', net, '10.244.25.0', /"invalid IP address format"/],
    [
      'IPv6Network',
      'fd00:10:244::\\/56',
      `${net}, "EnableIPv6": true`,
      'fd00:10:244::/56',
      /address: fd00:10:244::\\\//,
    ],
    ['IPv6SubnetMin', 'fd00:10:244:1::\\u0030', `${net}, ${v6}`, 'fd00:10:244:1::0', /"invalid IP address format"/],
    ['IPv6SubnetMax', '\\u0066d00:10:244:f::', `${net}, ${v6}`, 'fd00:10:244:f::', /"invalid IP address format"/],
  ];
  for (const [key, written, others, plain, goError] of cases) {
    const { files, found } = check(`{${others ? `${others}, ` : ''}"${key}": "${written}", ${backend}}`);
    assert.deepEqual(codesOf(found), [['cidr-invalid', 'error']], `${key}: ${written}`);
    const [d] = found;
    assert.deepEqual(d.offsetRange, rangeOf(files, written), key);
    assert.match(d.message, /reads the raw bytes of this value and does not decode JSON escapes/);
    assert.match(d.message, goError, key);
    assert.ok(d.message.endsWith(`Write it as plain text: ${plain}.`), d.message);
    const { fixed } = applyFixAndCheck(files, d, { title: `Replace with ${plain}` });
    assert.ok(fixed[FILE].includes(`"${key}": "${plain}"`), key);
  }
});

test('cidr-invalid for escapes: also on IPv6 keys with IPv6 off; Backend strings are decoded normally', () => {
  // IPv6Network is decoded whatever EnableIPv6 says.
  let { files, found } = check(`{"Network": "10.244.0.0/16", "IPv6Network": "fd00::\\/56", ${backend}}`);
  assert.deepEqual(codesOf(found), [['cidr-invalid', 'error']]);
  assert.equal(coveredText(files, found[0]), 'fd00::\\/56');
  // Escapes that do not spell a valid value: no fix, plain advice.
  ({ files, found } = check(`{"Network": "10.244.0.0\\/99", ${backend}}`));
  assert.deepEqual(codesOf(found), [['cidr-invalid', 'error']]);
  assert.match(found[0].message, /Write it as plain text, without backslashes\.$/);
  assert.deepEqual(found[0].offsetRange, rangeOf(files, '10.244.0.0\\/99'));
  assert.deepEqual(found[0].fixes, []);
  // Backend.Type is a plain Go string: its escapes are decoded like any JSON parser does.
  assert.deepEqual(check(`{"Network": "10.244.0.0/16", "Backend": {"Type": "vx\\u006can"}}`).found, []);
});

test('cidr-invalid for escapes: exact range through a double-quoted YAML scalar', () => {
  // In a YAML double-quoted scalar `\\` is one backslash: flannel reads `"10.244.0.0\/16"`.
  const files: Files = {
    [FILE]:
      'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: kube-flannel-cfg\n  namespace: kube-flannel\n' +
      'data:\n  net-conf.json: "{\\"Network\\": \\"10.244.0.0\\\\/16\\", \\"Backend\\": {\\"Type\\": \\"vxlan\\"}}"\n',
  };
  const { found } = check('', files);
  assert.deepEqual(codesOf(found), [['cidr-invalid', 'error']]);
  assert.deepEqual(found[0].offsetRange, rangeOf(files, '10.244.0.0\\\\/16'));
  assert.match(found[0].message, /"invalid CIDR address: 10\.244\.0\.0\\\/16"/);
  applyFixAndCheck(files, found[0], { title: 'Replace with 10.244.0.0/16' });
});

test('IP and CIDR keys are decoded whenever present, whatever EnableIPv4/EnableIPv6 say', () => {
  // "Network": "" with IPv4 off: flannel still fails with "invalid CIDR address: ".
  let { files, found } = check(
    `{"EnableIPv4": false, "EnableIPv6": true, "IPv6Network": "fd00:10:244::/56", "Network": "", ${backend}}`,
  );
  assert.deepEqual(codesOf(found), [['cidr-invalid', 'error']]);
  assert.deepEqual(found[0].offsetRange, rangeOf(files, '""'));
  assert.match(found[0].message, /decodes `Network` whenever the key is present, even with "EnableIPv4": false/);
  assert.match(found[0].message, /"invalid CIDR address: "/);
  // Both families off as well: both findings are true.
  ({ found } = check(`{"EnableIPv4": false, "Network": "", ${backend}}`));
  assert.deepEqual(codesOf(found).sort(), [
    ['cidr-invalid', 'error'],
    ['no-address-family', 'error'],
  ]);
  // IPv6 off (the default): a bad or empty IPv6Network still fails.
  ({ files, found } = check(`{"Network": "10.244.0.0/16", "EnableIPv6": false, "IPv6Network": "bogus", ${backend}}`));
  assert.deepEqual(codesOf(found), [['cidr-invalid', 'error']]);
  assert.deepEqual(found[0].offsetRange, rangeOf(files, 'bogus'));
  assert.match(found[0].message, /"invalid CIDR address: bogus"/);
  ({ files, found } = check(`{"Network": "10.244.0.0/16", "IPv6Network": "", ${backend}}`));
  assert.deepEqual(codesOf(found), [['cidr-invalid', 'error']]);
  assert.deepEqual(found[0].offsetRange, rangeOf(files, '""'));
  assert.match(found[0].message, /even when "EnableIPv6" is not true/);
  ({ files, found } = check(`{"EnableIPv4": false, "EnableIPv6": true, "IPv6Network": "fd00::/56", "SubnetMin": "x"}`));
  assert.deepEqual(
    found.filter((d) => d.code === 'cidr-invalid').map((d) => d.offsetRange),
    [rangeOf(files, '"x"').map((at, i) => at + (i ? -1 : 1))],
  );
  // An IPv4 range in IPv6Network parses (no family check) and is unused while IPv6 is off: nothing to say.
  assert.deepEqual(check(`{"Network": "10.244.0.0/16", "IPv6Network": "10.0.0.0/8", ${backend}}`).found, []);
});

test('null: a no-op for plain bool and number fields and backend options, an error for IP and CIDR fields', () => {
  const nulls =
    '{"Network": "10.244.0.0/16", "EnableIPv4": null, "EnableIPv6": null, "EnableNFTables": null, ' +
    '"SubnetLen": null, "IPv6SubnetLen": null, "IPv6SubnetMin": null, "IPv6SubnetMax": null, ' +
    '"Backend": {"Type": "vxlan", "VNI": null, "Port": null, "DirectRouting": null, "MTU": null}}';
  assert.deepEqual(check(nulls).found, []);
  const conf = interpretNetConf(parseStrictJson(nulls).root);
  assert.deepEqual(
    [conf.enableIPv4, conf.enableIPv6, conf.subnetLen, conf.vni, conf.port, conf.directRouting, conf.mtu],
    [true, false, 0, 1, undefined, false, undefined],
  );
  for (const key of ['SubnetMin', 'SubnetMax', 'IPv6Network']) {
    const { files, found } = check(`{"Network": "10.244.0.0/16", "${key}": null, ${backend}}`);
    assert.deepEqual(codesOf(found), [['json-type', 'error']], key);
    assert.deepEqual(found[0].offsetRange, rangeOf(files, 'null'), key);
  }
});

test('null after a value leaves that value: the model and the rules keep it', () => {
  // EnableIPv4 stays false, so both families are off: flannel exits with "none defined stack".
  let { files, found } = check(`{"Network": "10.244.0.0/16", "EnableIPv4": false, "EnableIPv4": null, ${backend}}`);
  assert.deepEqual(
    found.map((d) => [d.code, coveredText(files, d)]),
    [
      ['no-address-family', 'false'],
      ['json-duplicate-key', 'EnableIPv4'],
    ],
  );
  assert.deepEqual(found[1].offsetRange, rangeOf(files, 'EnableIPv4', 1));
  assert.match(found[1].message, /`EnableIPv4` is null here.*skips null.*changes nothing/);
  // SubnetLen stays 31, which CheckNetworkConfig rejects.
  ({ files, found } = check(`{"Network": "10.244.0.0/16", "SubnetLen": 31, "SubnetLen": null, ${backend}}`));
  assert.deepEqual(
    found.map((d) => [d.code, coveredText(files, d)]),
    [
      ['subnetlen-range', '31'],
      ['json-duplicate-key', 'SubnetLen'],
    ],
  );
  // Backend.Type stays vxlan: no "Type is empty".
  ({ files, found } = check(
    '{"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan", "VNI": 4096, "VNI": null, "Type": null}}',
  ));
  assert.deepEqual(
    found.map((d) => [d.code, coveredText(files, d)]),
    [
      ['json-duplicate-key', 'VNI'],
      ['json-duplicate-key', 'Type'],
    ],
  );
  assert.deepEqual(found[0].offsetRange, rangeOf(files, 'VNI', 1));
  const conf = interpretNetConf(
    parseStrictJson(
      '{"Network": "10.244.0.0/16", "EnableIPv6": true, "EnableIPv6": null, "SubnetLen": 25, "SubnetLen": null, ' +
        '"Backend": {"Type": "vxlan", "VNI": 4096, "VNI": null, "Type": null}}',
    ).root,
  );
  assert.deepEqual([conf.enableIPv6, conf.subnetLen, conf.backendType, conf.vni], [true, 25, 'vxlan', 4096]);
  // IPv6SubnetMin is a pointer: null resets it, so the earlier value is the overridden one.
  ({ files, found } = check(
    '{"Network": "10.244.0.0/16", "IPv6SubnetMin": "fd00:10:244:1::", "IPv6SubnetMin": null, ' + `${backend}}`,
  ));
  assert.deepEqual(
    found.map((d) => [d.code, coveredText(files, d)]),
    [['json-duplicate-key', 'IPv6SubnetMin']],
  );
  assert.deepEqual(found[0].offsetRange, rangeOf(files, 'IPv6SubnetMin', 0));
  assert.match(found[0].message, /appears again later/);
});

test('duplicates: every occurrence is decoded, so an overridden value flannel cannot decode still fails it', () => {
  // Go's decoder returns the CIDR decoder's error at once: the later, valid Network is never reached.
  let { files, found } = check(`{"Network": "bogus", ${backend}, "Network": "10.244.0.0/16"}`);
  assert.deepEqual(
    found.map((d) => [d.code, d.severity, coveredText(files, d)]),
    [
      ['json-duplicate-key', 'warning', 'Network'],
      ['cidr-invalid', 'error', 'bogus'],
    ],
  );
  assert.match(found[1].message, /decodes every occurrence of a key, so this one fails it although a later `Network`/);
  // Empty and escaped overridden values too.
  for (const [first, covered] of [
    ['""', '""'],
    ['"10.244.0.0\\/16"', '10.244.0.0\\/16'],
  ]) {
    ({ files, found } = check(`{"Network": ${first}, "network": "10.244.0.0/16", ${backend}}`));
    assert.deepEqual(
      found.map((d) => [d.code, coveredText(files, d)]),
      [
        ['json-duplicate-key', 'Network'],
        ['cidr-invalid', covered],
      ],
      first,
    );
    assert.match(found[1].message, /later `network`/);
  }
  // A type error is saved and decoding goes on, but Unmarshal still returns it: flannel fails.
  ({ files, found } = check(`{"Network": "10.244.0.0/16", "EnableIPv4": "yes", "EnableIPv4": true, ${backend}}`));
  assert.deepEqual(
    found.map((d) => [d.code, coveredText(files, d)]),
    [
      ['json-duplicate-key', 'EnableIPv4'],
      ['json-type', '"yes"'],
    ],
  );
  assert.match(found[1].message, /fails it although a later `EnableIPv4` overrides it/);
  // A later null does not override a boolean: no "overrides it" for the type error.
  ({ found } = check(`{"Network": "10.244.0.0/16", "EnableIPv4": "yes", "EnableIPv4": null, ${backend}}`));
  assert.deepEqual(codesOf(found), [
    ['json-type', 'error'],
    ['json-duplicate-key', 'warning'],
  ]);
  assert.doesNotMatch(found[0].message, /overrides/);
  // An overridden value that decodes is only a duplicate (its host bits do not matter either).
  ({ files, found } = check(`{"Network": "10.42.1.0/16", "network": "10.244.0.0/16", ${backend}}`));
  assert.deepEqual(
    found.map((d) => [d.code, coveredText(files, d)]),
    [['json-duplicate-key', 'Network']],
  );
  // An IPv4 range in an overridden IPv6Network parses, so it is only a duplicate too.
  ({ files, found } = check(
    `{"Network": "10.244.0.0/16", "EnableIPv6": true, "IPv6Network": "10.0.0.0/8", "IPv6Network": "fd00::/56", ` +
      `${backend}}`,
  ));
  assert.deepEqual(
    found.map((d) => [d.code, coveredText(files, d)]),
    [['json-duplicate-key', 'IPv6Network']],
  );
});

test('the model reads IPs and CIDRs as flannel does: an escaped value is no network', () => {
  const read = (json: string) => interpretNetConf(parseStrictJson(json).root);
  assert.equal(read('{"Network": "10.244.0.0\\/16"}').network, undefined);
  assert.equal(read('{"Network": "10.244.0.0/16", "SubnetMin": "10.244.\\u0031.0"}').subnetMin, undefined);
  assert.equal(read('{"IPv6Network": "fd00::\\/56"}').ipv6Network, undefined);
  assert.equal(formatCidr(read('{"Network": "10.244.0.0/16", "IPv6Network": "fd00::/56"}').ipv6Network!), 'fd00::/56');
  // The network is parsed whatever EnableIPv4 says; whether it is used is a separate question.
  assert.equal(formatCidr(read('{"EnableIPv4": false, "Network": "10.244.0.0/16"}').network!), '10.244.0.0/16');
});
