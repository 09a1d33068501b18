import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyFixAndCheck, coveredText, type Files, loadExample, mutate, single, withCodes } from './helpers';
import { type Diagnostic } from '../../server/src/engine';
import { suggestCniVersion } from '../../server/src/model/cni';
import { type RuleId } from '../../server/src/rules/registry';

const FILE = '/ws/flannel-upstream/kube-flannel.yml';
const CODES: RuleId[] = ['cni-version', 'cni-name', 'cni-plugins', 'json-type'];
const base = (): Files => loadExample('flannel-upstream');

/** The upstream manifest with the one occurrence of `from` replaced. */
const edit = (from: string, to: string, files = base()): Files => mutate(files, FILE, from, to);
const mine = (files: Files) => withCodes(files, CODES);
/** Applies the fix (the preferred one unless titled); none of this module's codes may remain. */
const fixClears = (files: Files, diagnostic: Diagnostic, title?: RegExp): Files =>
  applyFixAndCheck(files, diagnostic, { codes: CODES, title }).fixed;

test('the upstream cni-conf.json is valid', () => {
  assert.deepEqual(mine(base()), []);
});

test('cni-version: an inexact version is an error with a did-you-mean fix', () => {
  const files = edit('"cniVersion": "0.3.1"', '"cniVersion": "1.0"');
  const d = single(files, 'cni-version');
  assert.equal(d.severity, 'error');
  assert.equal(coveredText(files, d), '"1.0"');
  assert.match(d.message, /incompatible CNI versions/);
  const fixed = fixClears(files, d);
  assert.match(fixed[FILE], /"cniVersion": "1\.0\.0"/);

  const short = edit('"cniVersion": "0.3.1"', '"cniVersion": "0.3"');
  const fixedShort = fixClears(short, single(short, 'cni-version'));
  assert.match(fixedShort[FILE], /"cniVersion": "0\.3\.1"/);
});

test('cni-version: in a conflist the fix never picks a version that predates chaining', () => {
  const files = edit('"cniVersion": "0.3.1"', '"cniVersion": "0.2.1"');
  const d = single(files, 'cni-version');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /did you mean "0\.3\.1"/);
  const fixed = fixClears(files, d);
  assert.match(fixed[FILE], /"cniVersion": "0\.3\.1"/);
});

test('cni-version: suggestions pick the closest supported version', () => {
  assert.equal(suggestCniVersion('1.0'), '1.0.0');
  assert.equal(suggestCniVersion('0.3'), '0.3.1');
  assert.equal(suggestCniVersion('v0.4.0'), '0.4.0');
  assert.equal(suggestCniVersion('0.3.2'), '0.3.1');
  assert.equal(suggestCniVersion('1.2.0'), '1.1.0');
  assert.equal(suggestCniVersion('1'), '1.0.0');
  assert.equal(suggestCniVersion('latest'), undefined);
});

test('cni-version: 0.2.0 in a conflist loads everywhere, so only information', () => {
  const files = edit('"cniVersion": "0.3.1"', '"cniVersion": "0.2.0"');
  const d = single(files, 'cni-version');
  assert.equal(d.severity, 'information');
  assert.equal(coveredText(files, d), '"0.2.0"');
  assert.equal(
    d.message,
    'cniVersion "0.2.0" predates plugin lists (spec 0.3.0), yet every libcni loads this list and still passes ' +
      "each plugin the previous result, so it works; results are in the 0.2.0 format. flannel's manifest uses " +
      '"0.3.1".',
  );
  assert.doesNotMatch(d.message, /portmap/);
  fixClears(files, d);
});

/** What a conflist without cniVersion does, per libcni version (flannel-versions.md §4). */
const MISSING_VERSION =
  'libcni v0.7.x rejects the whole list (plugin flannel does not support config version ""), and that is the ' +
  'libcni of kubelet\'s dockershim path from Kubernetes 1.16 (the node stays NotReady with "Error validating CNI ' +
  'config") and of CRI-O\'s ocicni of that time; libcni from v0.8.0 reads the list as 0.1.0.';

test('cni-version: a missing version in a conflist warns about libcni v0.7.x, with a fix', () => {
  const files = edit('      "cniVersion": "0.3.1",\n', '');
  const d = single(files, 'cni-version');
  assert.equal(d.severity, 'warning');
  assert.equal(coveredText(files, d), '{');
  assert.equal(
    d.message,
    `cniVersion is missing: ${MISSING_VERSION} Add "cniVersion": "0.3.1" as flannel's manifest does since v0.12.0.`,
  );
  const fixed = fixClears(files, d);
  assert.match(fixed[FILE], /\n {6}"cniVersion": "0\.3\.1",\n {6}"name": "cbr0",/);
});

test('cni-version: no warning for a missing cniVersion when cniVersions lists versions', () => {
  assert.deepEqual(mine(edit('      "cniVersion": "0.3.1",\n', '      "cniVersions": ["0.3.1", "1.0.0"],\n')), []);
});

test('cni-version: a wrongly cased key is pointed at and renamed', () => {
  const files = edit('"cniVersion": "0.3.1"', '"CNIVersion": "0.3.1"');
  const d = single(files, 'cni-version');
  assert.equal(d.severity, 'warning');
  assert.equal(coveredText(files, d), '"CNIVersion"');
  assert.equal(
    d.message,
    '"CNIVersion" is not read (libcni looks up "cniVersion" case-sensitively), so the list has no cniVersion: ' +
      `${MISSING_VERSION} Rename the key to "cniVersion".`,
  );
  fixClears(files, d);
});

test('json-type: a numeric cniVersion', () => {
  const files = edit('"cniVersion": "0.3.1"', '"cniVersion": 1.0');
  const d = single(files, 'json-type');
  assert.equal(d.severity, 'error');
  assert.equal(coveredText(files, d), '1.0');
  fixClears(files, d);
});

test('cni-name: missing, wrong type, empty and invalid characters', () => {
  const missing = edit('      "name": "cbr0",\n', '');
  const d1 = single(missing, 'cni-name');
  assert.equal(d1.severity, 'error');
  assert.equal(coveredText(missing, d1), '{');
  fixClears(missing, d1);

  const numeric = edit('"name": "cbr0"', '"name": 42');
  const d2 = single(numeric, 'cni-name');
  assert.equal(coveredText(numeric, d2), '42');
  fixClears(numeric, d2);

  const empty = edit('"name": "cbr0"', '"name": ""');
  const d3 = single(empty, 'cni-name');
  assert.equal(coveredText(empty, d3), '""');
  fixClears(empty, d3);

  const spaced = edit('"name": "cbr0"', '"name": "my net"');
  const d4 = single(spaced, 'cni-name');
  assert.equal(coveredText(spaced, d4), '"my net"');
  assert.match(fixClears(spaced, d4)[FILE], /"name": "my-net"/);

  const leading = edit('"name": "cbr0"', '"name": "-cbr0"');
  assert.equal(coveredText(leading, single(leading, 'cni-name')), '"-cbr0"');

  const cased = edit('"name": "cbr0"', '"Name": "cbr0"');
  const d5 = single(cased, 'cni-name');
  assert.equal(coveredText(cased, d5), '"Name"');
  fixClears(cased, d5);
});

test('cni-name: valid names with dots, dashes and underscores pass', () => {
  assert.deepEqual(mine(edit('"name": "cbr0"', '"name": "k8s-pod_network.v1"')), []);
});

test('cni-plugins: missing, not an array, empty', () => {
  const list = / {6}"plugins": \[[\s\S]*?\n {6}\]\n/;
  const files = base();
  const missing = { ...files, [FILE]: files[FILE].replace(list, '      "delegate": {}\n') };
  const d1 = single(missing, 'cni-plugins');
  assert.equal(d1.severity, 'error');
  assert.equal(coveredText(missing, d1), '{');
  assert.match(d1.message, /no "plugins"/);

  // A single network config is valid JSON for a .conf file: its install name is flannel-conflist-name's.
  const singleConfig = { ...files, [FILE]: files[FILE].replace(list, '      "type": "flannel"\n') };
  assert.deepEqual(mine(singleConfig), []);

  const object = { ...files, [FILE]: files[FILE].replace(list, '      "plugins": {"type": "flannel"}\n') };
  const d2 = single(object, 'cni-plugins');
  assert.equal(coveredText(object, d2), '{"type": "flannel"}');

  const empty = { ...files, [FILE]: files[FILE].replace(list, '      "plugins": []\n') };
  const d3 = single(empty, 'cni-plugins');
  assert.equal(coveredText(empty, d3), '[]');
});

test('cni-plugins: an entry without a string type', () => {
  const files = edit('"type": "portmap",', '"kind": "portmap",');
  const d = single(files, 'cni-plugins');
  assert.equal(d.severity, 'error');
  assert.equal(coveredText(files, d), '{');

  const numeric = edit('"type": "portmap"', '"type": 7');
  assert.equal(coveredText(numeric, single(numeric, 'cni-plugins')), '7');
});

test('cni-plugins: portmap first, fixed by moving it after flannel', () => {
  const text = base()[FILE];
  const flannel = text.slice(
    text.indexOf('        {\n          "type": "flannel"'),
    text.indexOf('        },\n        {\n          "type": "portmap"') + 9,
  );
  const portmap = text.slice(
    text.indexOf('        {\n          "type": "portmap"'),
    text.indexOf('      ]\n    }\n  net-conf.json') - 1,
  );
  const swapped = text.replace(`${flannel},\n${portmap}`, `${portmap},\n${flannel}`);
  assert.notEqual(swapped, text);
  const files = { ...base(), [FILE]: swapped };
  const d = single(files, 'cni-plugins');
  assert.equal(coveredText(files, d), '"portmap"');
  assert.match(d.message, /chained plugin/);
  const fixed = fixClears(files, d);
  assert.equal(fixed[FILE], text);
});

test('cni-plugins: the flannel delegate must not carry name or ipam, and needs a string type', () => {
  const named = edit('"hairpinMode": true,', '"name": "cbr0",\n            "hairpinMode": true,');
  const d1 = single(named, 'cni-plugins');
  assert.equal(coveredText(named, d1), '"name"');
  assert.equal(fixClears(named, d1)[FILE], base()[FILE]);

  const withIpam = edit(
    '"isDefaultGateway": true\n',
    '"isDefaultGateway": true,\n            "ipam": {\n              "type": "host-local"\n            }\n',
  );
  const d2 = single(withIpam, 'cni-plugins');
  assert.equal(coveredText(withIpam, d2), '"ipam"');
  assert.equal(fixClears(withIpam, d2)[FILE], base()[FILE]);

  const typed = edit('"hairpinMode": true,', '"type": 1,\n            "hairpinMode": true,');
  const d3 = single(typed, 'cni-plugins');
  assert.equal(coveredText(typed, d3), '1');

  const bridge = edit('"hairpinMode": true,', '"type": "bridge",\n            "hairpinMode": true,');
  assert.deepEqual(mine(bridge), []);
});

test('cni-plugins: hairpinMode with promiscMode', () => {
  const files = edit('"isDefaultGateway": true\n', '"isDefaultGateway": true,\n            "promiscMode": true\n');
  const d = single(files, 'cni-plugins');
  assert.equal(d.severity, 'error');
  assert.equal(coveredText(files, d), '"promiscMode"');
  assert.equal(fixClears(files, d)[FILE], base()[FILE]);

  assert.deepEqual(
    mine(edit('"isDefaultGateway": true\n', '"isDefaultGateway": true,\n            "promiscMode": false\n')),
    [],
  );
});

test('json-type: bridge and flannel plugin keys with the wrong JSON type', () => {
  const files = edit('"hairpinMode": true,', '"hairpinMode": "true",');
  const d = single(files, 'json-type');
  assert.equal(d.severity, 'error');
  assert.equal(coveredText(files, d), '"true"');
  assert.equal(fixClears(files, d)[FILE], base()[FILE]);

  const mtu = edit('"hairpinMode": true,', '"hairpinMode": true,\n            "mtu": "1450",');
  const dm = single(mtu, 'json-type');
  assert.equal(coveredText(mtu, dm), '"1450"');
  fixClears(mtu, dm);

  const subnetFile = edit('"type": "flannel",', '"type": "flannel",\n          "subnetFile": 5,');
  assert.equal(coveredText(subnetFile, single(subnetFile, 'json-type')), '5');

  const delegate = edit('"type": "flannel",', '"type": "flannel",\n          "runtimeConfig": [],');
  assert.equal(coveredText(delegate, single(delegate, 'json-type')), '[]');

  const flag = edit('"cniVersion": "0.3.1",', '"cniVersion": "0.3.1",\n      "disableCheck": "yes",');
  assert.equal(coveredText(flag, single(flag, 'json-type')), '"yes"');
  assert.deepEqual(mine(edit('"cniVersion": "0.3.1",', '"cniVersion": "0.3.1",\n      "disableCheck": "true",')), []);
});

test('cni-conf.json that is not an object is a json-type error; one that does not parse is left to json-syntax', () => {
  const original = base()[FILE];
  const text = original
    .replace('  cni-conf.json: |\n    {', '  cni-conf.json: |\n    [{')
    .replace('      ]\n    }\n  net-conf.json', '      ]\n    }]\n  net-conf.json');
  const array = { ...base(), [FILE]: text };
  const d = single(array, 'json-type');
  assert.equal(coveredText(array, d).slice(0, 2), '[{');
  assert.deepEqual(
    mine(array).filter((x) => x.code !== 'json-type'),
    [],
  );

  assert.deepEqual(mine(edit('"name": "cbr0",', '"name": "cbr0",,')), []);
});
