// jsonEdit escapes what it inserts for the YAML scalar style that holds the JSON, so every rule's quick
// fix keeps the YAML and the JSON valid, whichever way net-conf.json or cni-conf.json is quoted.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDocument, type Scalar } from 'yaml';
import { parseEmbeddedJson } from '../../server/src/core/embeddedJson';
import { jsonEdit } from '../../server/src/rules/types';
import { applyFixAndCheck, type Files, single } from './helpers';

const URI = 'file:///ws/cfg.yaml';
const FILE = '/ws/cfg.yaml';
const configMap = (key: string, value: string) =>
  `kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: kube-flannel-cfg\ndata:\n  ${key}: ${value}\n`;

/** Applies jsonEdit at a JSON offset range of data.net-conf.json and returns the JSON the YAML then holds. */
function editNetConf(yamlText: string, range: [number, number], newText: string): string | undefined {
  const json = parseEmbeddedJson(yamlText, parseDocument(yamlText).getIn(['data', 'net-conf.json'], true) as Scalar);
  const edits = jsonEdit(URI, json, range, newText);
  if (!edits) return undefined;
  const [
    {
      range: [from, to],
      newText: text,
    },
  ] = edits;
  const edited = parseDocument(yamlText.slice(0, from) + text + yamlText.slice(to));
  assert.deepEqual(edited.errors, []);
  return String(edited.getIn(['data', 'net-conf.json']));
}

test('jsonEdit escapes " and \\ inside a double-quoted scalar', () => {
  const yamlText = configMap('net-conf.json', '"{\\"Network\\": \\"10.244.0.0/16\\"}"');
  const end = '{"Network": "10.244.0.0/16"'.length;
  const json = editNetConf(yamlText, [end, end], ', "Backend": {"Type": "vxlan", "Note": "a\\\\b"}');
  assert.deepEqual(JSON.parse(json!), { Network: '10.244.0.0/16', Backend: { Type: 'vxlan', Note: 'a\\b' } });
});

test("jsonEdit doubles ' inside a single-quoted scalar and inserts block scalar text as it is", () => {
  const single = configMap('net-conf.json', `'{"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan"}}'`);
  const at = '{"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan"'.length;
  assert.deepEqual((JSON.parse(editNetConf(single, [at, at], `, "Name": "it's"`)!) as { Backend: unknown }).Backend, {
    Type: 'vxlan',
    Name: "it's",
  });

  const block = configMap('net-conf.json', '|\n    {"Network": "10.244.0.0/16"}');
  const end = '{"Network": "10.244.0.0/16"'.length;
  assert.deepEqual(JSON.parse(editNetConf(block, [end, end], ', "Backend": {"Type": "vxlan"}')!), {
    Network: '10.244.0.0/16',
    Backend: { Type: 'vxlan' },
  });
});

test('jsonEdit offers no edit that a plain scalar cannot hold, nor one spanning lines', () => {
  assert.equal(editNetConf(configMap('net-conf.json', '24'), [0, 2], '{"SubnetLen": 24}'), undefined);
  assert.equal(editNetConf(configMap('net-conf.json', '24'), [0, 2], '25'), '25');
  assert.equal(editNetConf(configMap('net-conf.json', '|\n    {}'), [1, 1], '\n'), undefined);
});

test('a cni-conf.json fix inserting quotes into a double-quoted scalar keeps the YAML and the JSON valid', () => {
  const cniConf =
    '"{\\"name\\": \\"cbr0\\", \\"cniVersion\\": \\"1.0\\", \\"plugins\\": [{\\"type\\": \\"flannel\\", ' +
    '\\"delegate\\": {\\"hairpinMode\\": true}}]}"';
  const files: Files = {
    [FILE]:
      configMap('net-conf.json', '"{\\"Network\\": \\"10.244.0.0/16\\", \\"Backend\\": {\\"Type\\": \\"vxlan\\"}}"') +
      `  cni-conf.json: ${cniConf}\n`,
  };
  const { fixed } = applyFixAndCheck(files, single(files, 'cni-version'), {
    codes: ['cni-version', 'cni-name', 'cni-plugins', 'json-type'],
  });
  const value = parseDocument(fixed[FILE]).getIn(['data', 'cni-conf.json']);
  assert.equal((JSON.parse(String(value)) as { cniVersion: string }).cniVersion, '1.0.0');
});
