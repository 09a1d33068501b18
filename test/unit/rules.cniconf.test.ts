import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { applyEdits, coveredText, diagnose, EXAMPLES, Files, loadExample, withCode } from './helpers';
import { Diagnostic } from '../../server/src/engine';
import { suggestCniVersion } from '../../server/src/rules/cniconf';

const FILE = '/ws/flannel-upstream/kube-flannel.yml';
const CODES = ['cni-version', 'cni-name', 'cni-plugins', 'json-type'];
const base = (): Files => loadExample('flannel-upstream');

/** Replaces one exact, unique piece of the upstream manifest. */
function mutate(from: string, to: string, files = base()): Files {
  const text = files[FILE];
  assert.equal(text.split(from).length, 2, `expected exactly one occurrence of ${JSON.stringify(from)}`);
  return { ...files, [FILE]: text.replace(from, to) };
}

const mine = (files: Files) => diagnose(files).filter((d) => CODES.includes(d.code));

function single(files: Files, code: string): Diagnostic {
  const found = withCode(files, code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(found.map((d) => d.message))}`);
  return found[0];
}

/** Applies the diagnostic's fix (the preferred one unless told) and checks that it is gone and nothing new appears. */
function fixClears(files: Files, diagnostic: Diagnostic, title?: RegExp): Files {
  const fix = title ? diagnostic.fixes.find((f) => title.test(f.title)) : diagnostic.fixes.find((f) => f.preferred) ?? diagnostic.fixes[0];
  assert.ok(fix, `no fix on ${diagnostic.code}: ${diagnostic.message}`);
  const fixed = applyEdits(files, fix.edits);
  assert.deepEqual(mine(fixed).map((d) => `${d.code}: ${d.message}`), []);
  assert.deepEqual(diagnose(fixed).filter((d) => d.code === 'json-syntax' || d.code === 'yaml-syntax'), []);
  return fixed;
}

test('the upstream cni-conf.json is valid', () => {
  assert.deepEqual(mine(base()), []);
});

test('every example folder is clean, alone and together', () => {
  const folders = fs.readdirSync(EXAMPLES).filter((name) => fs.statSync(`${EXAMPLES}/${name}`).isDirectory());
  assert.ok(folders.length >= 4);
  let all: Files = {};
  for (const folder of folders) {
    const files = loadExample(folder);
    all = { ...all, ...files };
    assert.deepEqual(mine(files).filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => d.message), [], folder);
  }
  assert.deepEqual(mine(all).filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => d.message), []);
});

test('cni-version: an inexact version is an error with a did-you-mean fix', () => {
  const files = mutate('"cniVersion": "0.3.1"', '"cniVersion": "1.0"');
  const d = single(files, 'cni-version');
  assert.equal(d.severity, 'error');
  assert.equal(coveredText(files, d), '"1.0"');
  assert.match(d.message, /incompatible CNI versions/);
  const fixed = fixClears(files, d);
  assert.match(fixed[FILE], /"cniVersion": "1\.0\.0"/);

  const short = mutate('"cniVersion": "0.3.1"', '"cniVersion": "0.3"');
  const fixedShort = fixClears(short, single(short, 'cni-version'));
  assert.match(fixedShort[FILE], /"cniVersion": "0\.3\.1"/);
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

test('cni-version: below 0.3.0 in a conflist is a warning', () => {
  const files = mutate('"cniVersion": "0.3.1"', '"cniVersion": "0.2.0"');
  const d = single(files, 'cni-version');
  assert.equal(d.severity, 'warning');
  assert.equal(coveredText(files, d), '"0.2.0"');
  fixClears(files, d);
});

test('cni-version: a missing version counts as 0.1.0 and warns in a conflist', () => {
  const files = mutate('      "cniVersion": "0.3.1",\n', '');
  const d = single(files, 'cni-version');
  assert.equal(d.severity, 'warning');
  assert.equal(coveredText(files, d), '{');
  const fixed = fixClears(files, d);
  assert.match(fixed[FILE], /\n {6}"cniVersion": "0\.3\.1",\n {6}"name": "cbr0",/);
});

test('cni-version: no warning for a missing cniVersion when cniVersions lists versions', () => {
  assert.deepEqual(mine(mutate('      "cniVersion": "0.3.1",\n', '      "cniVersions": ["0.3.1", "1.0.0"],\n')), []);
});

test('cni-version: a wrongly cased key is pointed at and renamed', () => {
  const files = mutate('"cniVersion": "0.3.1"', '"CNIVersion": "0.3.1"');
  const d = single(files, 'cni-version');
  assert.equal(coveredText(files, d), '"CNIVersion"');
  fixClears(files, d);
});

test('json-type: a numeric cniVersion', () => {
  const files = mutate('"cniVersion": "0.3.1"', '"cniVersion": 1.0');
  const d = single(files, 'json-type');
  assert.equal(d.severity, 'error');
  assert.equal(coveredText(files, d), '1.0');
  fixClears(files, d);
});

test('cni-name: missing, wrong type, empty and invalid characters', () => {
  const missing = mutate('      "name": "cbr0",\n', '');
  const d1 = single(missing, 'cni-name');
  assert.equal(d1.severity, 'error');
  assert.equal(coveredText(missing, d1), '{');
  fixClears(missing, d1);

  const numeric = mutate('"name": "cbr0"', '"name": 42');
  const d2 = single(numeric, 'cni-name');
  assert.equal(coveredText(numeric, d2), '42');
  fixClears(numeric, d2);

  const empty = mutate('"name": "cbr0"', '"name": ""');
  const d3 = single(empty, 'cni-name');
  assert.equal(coveredText(empty, d3), '""');
  fixClears(empty, d3);

  const spaced = mutate('"name": "cbr0"', '"name": "my net"');
  const d4 = single(spaced, 'cni-name');
  assert.equal(coveredText(spaced, d4), '"my net"');
  assert.match(fixClears(spaced, d4)[FILE], /"name": "my-net"/);

  const leading = mutate('"name": "cbr0"', '"name": "-cbr0"');
  assert.equal(coveredText(leading, single(leading, 'cni-name')), '"-cbr0"');

  const cased = mutate('"name": "cbr0"', '"Name": "cbr0"');
  const d5 = single(cased, 'cni-name');
  assert.equal(coveredText(cased, d5), '"Name"');
  fixClears(cased, d5);
});

test('cni-name: valid names with dots, dashes and underscores pass', () => {
  assert.deepEqual(mine(mutate('"name": "cbr0"', '"name": "k8s-pod_network.v1"')), []);
});

test('cni-plugins: missing, not an array, empty', () => {
  const list = /      "plugins": \[[\s\S]*?\n      \]\n/;
  const files = base();
  const missing = { ...files, [FILE]: files[FILE].replace(list, '      "type": "flannel"\n') };
  const d1 = single(missing, 'cni-plugins');
  assert.equal(d1.severity, 'error');
  assert.equal(coveredText(missing, d1), '{');
  assert.match(d1.message, /single network config/);

  const object = { ...files, [FILE]: files[FILE].replace(list, '      "plugins": {"type": "flannel"}\n') };
  const d2 = single(object, 'cni-plugins');
  assert.equal(coveredText(object, d2), '{"type": "flannel"}');

  const empty = { ...files, [FILE]: files[FILE].replace(list, '      "plugins": []\n') };
  const d3 = single(empty, 'cni-plugins');
  assert.equal(coveredText(empty, d3), '[]');
});

test('cni-plugins: an entry without a string type', () => {
  const files = mutate('"type": "portmap",', '"kind": "portmap",');
  const d = single(files, 'cni-plugins');
  assert.equal(d.severity, 'error');
  assert.equal(coveredText(files, d), '{');

  const numeric = mutate('"type": "portmap"', '"type": 7');
  assert.equal(coveredText(numeric, single(numeric, 'cni-plugins')), '7');
});

test('cni-plugins: portmap first, fixed by moving it after flannel', () => {
  const text = base()[FILE];
  const flannel = text.slice(text.indexOf('        {\n          "type": "flannel"'), text.indexOf('        },\n        {\n          "type": "portmap"') + 9);
  const portmap = text.slice(text.indexOf('        {\n          "type": "portmap"'), text.indexOf('      ]\n    }\n  net-conf.json') - 1);
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
  const named = mutate('"hairpinMode": true,', '"name": "cbr0",\n            "hairpinMode": true,');
  const d1 = single(named, 'cni-plugins');
  assert.equal(coveredText(named, d1), '"name"');
  assert.equal(fixClears(named, d1)[FILE], base()[FILE]);

  const withIpam = mutate('"isDefaultGateway": true\n', '"isDefaultGateway": true,\n            "ipam": {\n              "type": "host-local"\n            }\n');
  const d2 = single(withIpam, 'cni-plugins');
  assert.equal(coveredText(withIpam, d2), '"ipam"');
  assert.equal(fixClears(withIpam, d2)[FILE], base()[FILE]);

  const typed = mutate('"hairpinMode": true,', '"type": 1,\n            "hairpinMode": true,');
  const d3 = single(typed, 'cni-plugins');
  assert.equal(coveredText(typed, d3), '1');

  const bridge = mutate('"hairpinMode": true,', '"type": "bridge",\n            "hairpinMode": true,');
  assert.deepEqual(mine(bridge), []);
});

test('cni-plugins: hairpinMode with promiscMode', () => {
  const files = mutate('"isDefaultGateway": true\n', '"isDefaultGateway": true,\n            "promiscMode": true\n');
  const d = single(files, 'cni-plugins');
  assert.equal(d.severity, 'error');
  assert.equal(coveredText(files, d), '"promiscMode"');
  assert.equal(fixClears(files, d)[FILE], base()[FILE]);

  assert.deepEqual(mine(mutate('"isDefaultGateway": true\n', '"isDefaultGateway": true,\n            "promiscMode": false\n')), []);
});

test('json-type: bridge and flannel plugin keys with the wrong JSON type', () => {
  const files = mutate('"hairpinMode": true,', '"hairpinMode": "true",');
  const d = single(files, 'json-type');
  assert.equal(d.severity, 'error');
  assert.equal(coveredText(files, d), '"true"');
  assert.equal(fixClears(files, d)[FILE], base()[FILE]);

  const mtu = mutate('"hairpinMode": true,', '"hairpinMode": true,\n            "mtu": "1450",');
  const dm = single(mtu, 'json-type');
  assert.equal(coveredText(mtu, dm), '"1450"');
  fixClears(mtu, dm);

  const subnetFile = mutate('"type": "flannel",', '"type": "flannel",\n          "subnetFile": 5,');
  assert.equal(coveredText(subnetFile, single(subnetFile, 'json-type')), '5');

  const delegate = mutate('"type": "flannel",', '"type": "flannel",\n          "runtimeConfig": [],');
  assert.equal(coveredText(delegate, single(delegate, 'json-type')), '[]');

  const flag = mutate('"cniVersion": "0.3.1",', '"cniVersion": "0.3.1",\n      "disableCheck": "yes",');
  assert.equal(coveredText(flag, single(flag, 'json-type')), '"yes"');
  assert.deepEqual(mine(mutate('"cniVersion": "0.3.1",', '"cniVersion": "0.3.1",\n      "disableCheck": "true",')), []);
});

test('cni-conf.json that is not an object is a json-type error; one that does not parse is left to json-syntax', () => {
  const text = base()[FILE].replace('  cni-conf.json: |\n    {', '  cni-conf.json: |\n    [{').replace('      ]\n    }\n  net-conf.json', '      ]\n    }]\n  net-conf.json');
  const array = { ...base(), [FILE]: text };
  const d = single(array, 'json-type');
  assert.equal(coveredText(array, d).slice(0, 2), '[{');
  assert.deepEqual(mine(array).filter((x) => x.code !== 'json-type'), []);

  assert.deepEqual(mine(mutate('"name": "cbr0",', '"name": "cbr0",,')), []);
});
