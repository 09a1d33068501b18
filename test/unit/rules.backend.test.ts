import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  applyFixAndCheck,
  coveredText,
  type Files,
  flannelConfigMap,
  flannelManifest,
  withCode,
  withCodes,
} from './helpers';
import { type Diagnostic } from '../../server/src/engine';
import { type RuleId } from '../../server/src/rules/registry';

const FILE = '/ws/flannel.yaml';
const BACKEND_CODES = new Set<RuleId>([
  'json-type',
  'backend-missing',
  'backend-type-unknown',
  'backend-option-unknown',
  'backend-option-invalid',
  'backend-not-recommended',
]);
const NETWORK = '"Network": "10.244.0.0/16"';
const WG_PSK = 'n4D6eQ0wGk2XqCk3vDlbPH8kx7uOaj0k3P5o2wZbKQs=';
const IPSEC_PSK = 'a'.repeat(96);

const ofFiles = (files: Files): Diagnostic[] => withCodes(files, BACKEND_CODES);
const check = (netConf: string) => {
  const files = { [FILE]: flannelConfigMap(netConf) };
  return { files, found: ofFiles(files) };
};
const withBackend = (backend: string) => check(`{\n  ${NETWORK},\n  "Backend": ${backend}\n}`);
const summary = (files: Files, found: Diagnostic[]) => found.map((d) => [d.code, d.severity, coveredText(files, d)]);

test('backend-missing: warns that flannel falls back to udp; the fix inserts a vxlan Backend', () => {
  const { files, found } = check('{\n  "Network": "10.244.0.0/16",\n  "EnableNFTables": false\n}');
  assert.deepEqual(summary(files, found), [['backend-missing', 'warning', 'net-conf.json']]);
  assert.match(found[0].message, /udp backend/);
  const { fixed, after } = applyFixAndCheck(files, found[0], { title: 'Add "Backend": {"Type": "vxlan"}' });
  assert.ok(fixed[FILE].includes('"EnableNFTables": false, "Backend": {"Type": "vxlan"}\n'));
  assert.deepEqual(
    after.filter((d) => BACKEND_CODES.has(d.code)),
    [],
  );
  // An empty object, and JSON in a double-quoted YAML scalar (the inserted quotes are escaped).
  const empty = check('{}');
  applyFixAndCheck(
    empty.files,
    empty.found.find((d) => d.code === 'backend-missing')!,
    { title: 'Add "Backend": {"Type": "vxlan"}' },
  );
  const quoted = {
    [FILE]:
      'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: cfg\ndata:\n  net-conf.json: "{\\"Network\\": ' +
      '\\"10.244.0.0/16\\"}"\n',
  };
  const [d] = ofFiles(quoted);
  assert.equal(d.code, 'backend-missing');
  const result = applyFixAndCheck(quoted, d, { title: 'Add "Backend": {"Type": "vxlan"}' });
  assert.deepEqual(
    result.after.filter((x) => x.severity === 'error' || x.severity === 'warning'),
    [],
  );
});

test('backend-type-unknown: {}, null, no Type, empty Type', () => {
  const cases: Array<[string, string, string]> = [
    ['{}', '{}', 'Replace with {"Type": "vxlan"}'],
    ['null', 'null', 'Replace with {"Type": "vxlan"}'],
    ['{"Port": 8472}', 'Backend', 'Add "Type": "vxlan"'],
    ['{"Type": ""}', '""', 'Use vxlan'],
  ];
  for (const [backend, covered, title] of cases) {
    const { files, found } = withBackend(backend);
    assert.deepEqual(summary(files, found), [['backend-type-unknown', 'error', covered]], backend);
    assert.match(found[0].message, /unknown backend type: "/);
    applyFixAndCheck(files, found[0], { title });
  }
});

test('backend-type-unknown: unknown types get a did-you-mean; removed ones say since when; any case', () => {
  let result = withBackend('{"Type": "vxaln"}');
  assert.deepEqual(summary(result.files, result.found), [['backend-type-unknown', 'error', 'vxaln']]);
  assert.match(result.found[0].message, /Did you mean `vxlan`\?/);
  applyFixAndCheck(result.files, result.found[0], { title: 'Use vxlan' });
  result = withBackend('{"Type": "hostgw"}');
  assert.match(result.found[0].message, /Did you mean `host-gw`\?/);
  for (const removed of ['aws-vpc', 'gce', 'ali-vpc']) {
    result = withBackend(`{"Type": "${removed}"}`);
    assert.deepEqual(summary(result.files, result.found), [['backend-type-unknown', 'error', removed]]);
    assert.match(result.found[0].message, /removed in flannel v0\.20\.0/);
  }
  for (const ok of ['VXLAN', 'Host-GW', 'wireguard']) assert.deepEqual(withBackend(`{"Type": "${ok}"}`).found, [], ok);
});

test('backend-option-unknown: keys the backend does not read, Windows-only keys, did-you-mean', () => {
  let result = withBackend('{"Type": "host-gw", "VNI": 1}');
  assert.deepEqual(summary(result.files, result.found), [['backend-option-unknown', 'warning', 'VNI']]);
  assert.match(result.found[0].message, /host-gw backend does not read `VNI` \(it is an option of vxlan\)/);
  result = withBackend('{"Type": "udp", "DirectRouting": true}');
  assert.deepEqual(
    summary(
      result.files,
      result.found.filter((d) => d.code === 'backend-option-unknown'),
    ),
    [['backend-option-unknown', 'warning', 'DirectRouting']],
  );
  result = withBackend('{"Type": "vxlan", "MacPrefix": "0E-2A"}');
  assert.deepEqual(summary(result.files, result.found), [['backend-option-unknown', 'warning', 'MacPrefix']]);
  assert.match(result.found[0].message, /only by flannel on Windows/);
  result = withBackend('{"Type": "vxlan", "DirectRuting": true}');
  assert.match(result.found[0].message, /Did you mean `DirectRouting`\?/);
  applyFixAndCheck(result.files, result.found[0], { title: 'Rename to DirectRouting' });
  assert.deepEqual(
    withBackend(
      '{"type": "vxlan", "vni": 1, "port": 4789, "mtu": 1500, "Directrouting": true, "GBP": false, "Learning": false}',
    ).found,
    [],
  );
});

test('backend-option-invalid: VNI, ports and MTU', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['{"Type": "vxlan", "VNI": 16777216}', '16777216', /outside 0\.\.16777215/],
    ['{"Type": "vxlan", "VNI": -1}', '-1', /outside 0\.\.16777215/],
    ['{"Type": "vxlan", "Port": 70000}', '70000', /truncated to 16 bits \(4464\)/],
    ['{"Type": "wireguard", "ListenPort": 0}', '0', /not a UDP port/],
    ['{"Type": "wireguard", "ListenPortV6": 65536}', '65536', /not a UDP port/],
    ['{"Type": "vxlan", "MTU": 100}', '100', /100 − 50 = 50, below the 68/],
    ['{"Type": "wireguard", "MTU": 147}', '147', /below the 68/],
  ];
  for (const [backend, covered, message] of cases) {
    const { files, found } = withBackend(backend);
    assert.deepEqual(summary(files, found), [['backend-option-invalid', 'error', covered]], backend);
    assert.match(found[0].message, message);
  }
  for (const ok of [
    '{"Type": "vxlan", "VNI": 16777215, "Port": 0, "MTU": 118}',
    '{"Type": "wireguard", "MTU": 148, "ListenPort": 51820, "ListenPortV6": 51821}',
    '{"Type": "udp", "Port": 8285}',
  ]) {
    assert.deepEqual(
      withBackend(ok).found.filter((d) => d.code !== 'backend-not-recommended'),
      [],
      ok,
    );
  }
});

test('backend-option-invalid: wireguard Mode (case-sensitive, with a lowercase fix), PSK and keepalive', () => {
  let result = withBackend('{"Type": "wireguard", "Mode": "Auto"}');
  assert.deepEqual(summary(result.files, result.found), [['backend-option-invalid', 'error', 'Auto']]);
  assert.match(result.found[0].message, /no valid Mode configured/);
  applyFixAndCheck(result.files, result.found[0], { title: 'Use auto' });
  result = withBackend('{"Type": "wireguard", "Mode": "dual"}');
  assert.deepEqual(
    result.found.map((d) => d.fixes.length),
    [0],
  );
  for (const psk of ['secret', WG_PSK.slice(0, 43), `${WG_PSK.slice(0, 42)}==`]) {
    result = withBackend(`{"Type": "wireguard", "PSK": "${psk}"}`);
    assert.deepEqual(summary(result.files, result.found), [['backend-option-invalid', 'error', psk]], psk);
    assert.match(result.found[0].message, /could not parse psk/);
  }
  result = withBackend('{"Type": "wireguard", "PersistentKeepaliveInterval": "25s"}');
  assert.deepEqual(summary(result.files, result.found), [['backend-option-invalid', 'error', '"25s"']]);
  applyFixAndCheck(result.files, result.found[0], { title: 'Use 25' });
  result = withBackend('{"Type": "wireguard", "PersistentKeepaliveInterval": 2.5}');
  assert.deepEqual(summary(result.files, result.found), [['backend-option-invalid', 'error', '2.5']]);
  for (const mode of ['separate', 'auto', 'ipv4', 'ipv6']) {
    assert.deepEqual(
      withBackend(`{"Type": "wireguard", "Mode": "${mode}", "PSK": "${WG_PSK}", "PersistentKeepaliveInterval": 25}`)
        .found,
      [],
      mode,
    );
  }
});

test('backend-option-invalid: ipsec PSK missing or shorter than 96 characters', () => {
  let result = withBackend('{"Type": "ipsec"}');
  assert.deepEqual(
    summary(
      result.files,
      result.found.filter((d) => d.code === 'backend-option-invalid'),
    ),
    [['backend-option-invalid', 'error', 'ipsec']],
  );
  assert.match(result.found.find((d) => d.code === 'backend-option-invalid')!.message, /password is too short/);
  result = withBackend(`{"Type": "ipsec", "PSK": "${IPSEC_PSK.slice(1)}"}`);
  assert.deepEqual(
    summary(
      result.files,
      result.found.filter((d) => d.code === 'backend-option-invalid'),
    ),
    [['backend-option-invalid', 'error', IPSEC_PSK.slice(1)]],
  );
  assert.deepEqual(
    withBackend(`{"Type": "ipsec", "PSK": "${IPSEC_PSK}", "UDPEncap": true}`).found.filter(
      (d) => d.code !== 'backend-not-recommended',
    ),
    [],
  );
});

test('json-type: Backend and backend options of the wrong JSON type, with fixes', () => {
  let result = withBackend('{"Type": "vxlan", "VNI": "1"}');
  assert.deepEqual(summary(result.files, result.found), [['json-type', 'error', '"1"']]);
  assert.match(result.found[0].message, /`VNI` must be a JSON integer/);
  applyFixAndCheck(result.files, result.found[0], { title: 'Use 1' });
  result = withBackend('{"Type": "vxlan", "DirectRouting": "true"}');
  assert.deepEqual(summary(result.files, result.found), [['json-type', 'error', '"true"']]);
  applyFixAndCheck(result.files, result.found[0], { title: 'Use true' });
  result = withBackend('{"Type": "ipsec", "PSK": 12}');
  assert.deepEqual(
    summary(
      result.files,
      result.found.filter((d) => d.code === 'json-type'),
    ),
    [['json-type', 'error', '12']],
  );
  result = withBackend('"vxlan"');
  assert.deepEqual(summary(result.files, result.found), [['json-type', 'error', '"vxlan"']]);
  assert.match(result.found[0].message, /error decoding Backend property of config/);
  applyFixAndCheck(result.files, result.found[0], { title: 'Replace with {"Type": "vxlan"}' });
  result = withBackend('{"Type": 1}');
  assert.deepEqual(summary(result.files, result.found), [['json-type', 'error', '1']]);
});

test('backend-not-recommended: udp and the experimental backends, with the reason', () => {
  let result = withBackend('{"Type": "udp"}');
  assert.deepEqual(summary(result.files, result.found), [['backend-not-recommended', 'information', 'udp']]);
  assert.match(result.found[0].message, /debugging only.*amd64/);
  for (const type of ['ipip', 'alloc', 'tencent-vpc', 'extension']) {
    result = withBackend(`{"Type": "${type}"}`);
    assert.deepEqual(summary(result.files, result.found), [['backend-not-recommended', 'information', type]], type);
    assert.match(result.found[0].message, /experimental/);
  }
  for (const type of ['vxlan', 'host-gw', 'wireguard'])
    assert.deepEqual(withBackend(`{"Type": "${type}"}`).found, [], type);
});

test('backend-type-unknown follows the deployed image: cloud backends before v0.20.0, forks warn', () => {
  const deployed = (image: string, type: string) => {
    const files = { [FILE]: flannelManifest(image, `{"Network": "10.244.0.0/16", "Backend": {"Type": "${type}"}}`) };
    return withCode(files, 'backend-type-unknown');
  };
  assert.deepEqual(deployed('quay.io/coreos/flannel:v0.9.0-amd64', 'ali-vpc'), []);
  assert.deepEqual(deployed('registry.cn-hangzhou.aliyuncs.com/google-containers/flannel:0.7.0', 'ali-vpc'), []);
  assert.deepEqual(deployed('rancher/mirrored-flannelcni-flannel:v0.19.2', 'aws-vpc'), []);
  const [removed] = deployed('docker.io/flannel/flannel:v0.21.0', 'ali-vpc');
  assert.equal(removed.severity, 'error');
  assert.match(
    removed.message,
    /removed in flannel v0\.20\.0, and the deployed image `docker\.io\/flannel\/flannel:v0\.21\.0`/,
  );
  const [notYet] = deployed('quay.io/coreos/flannel:v0.15.1', 'wireguard');
  assert.equal(notYet.severity, 'error');
  assert.match(notYet.message, /arrived in flannel v0\.16\.0/);
  const [fork] = deployed('ccr.ccs.tencentyun.com/library/flannel:v0.9.0-txvpc', 'txvpc');
  assert.equal(fork.severity, 'warning');
  assert.match(fork.message, /fork \(tag suffix `txvpc`\) that may register it/);
  // A typo on an upstream image stays an error.
  assert.equal(deployed('quay.io/coreos/flannel:v0.9.0', 'vxlna')[0].severity, 'error');
});
