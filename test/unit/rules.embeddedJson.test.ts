import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { applyFix, coveredText, type Files, FIXTURES, flannelConfigMap, withCode, withCodes } from './helpers';
import { type Diagnostic } from '../../server/src/engine';
import { type RuleId } from '../../server/src/rules/registry';

const FILE = '/ws/flannel.yaml';
const MINE = new Set<RuleId>(['json-syntax', 'json-duplicate-key']);

const run = (files: Files): Diagnostic[] => withCodes(files, MINE);
const netConfFiles = (netConf: string, cniConf?: string): Files => ({ [FILE]: flannelConfigMap(netConf, cniConf) });
const VALID = '{\n  "Network": "10.244.0.0/16",\n  "Backend": {\n    "Type": "vxlan"\n  }\n}';
const VALID_CNI =
  '{\n  "name": "cbr0",\n  "cniVersion": "0.3.1",\n  "plugins": [\n    {"type": "flannel", "delegate": ' +
  '{"hairpinMode": true}}\n  ]\n}';

test('json-syntax: silent on valid net-conf.json and cni-conf.json', () => {
  assert.deepEqual(run(netConfFiles(VALID, VALID_CNI)), []);
});

test('json-syntax: a # comment, with its exact range and a fix that removes it', () => {
  const files = netConfFiles('{\n  "Network": "10.244.0.0/16",  # pods\n  "Backend": {"Type": "vxlan"}\n}');
  const [d, ...rest] = run(files);
  assert.deepEqual(rest, []);
  assert.equal(d.code, 'json-syntax');
  assert.equal(d.severity, 'error');
  assert.equal(coveredText(files, d), '# pods');
  assert.match(d.message, /^net-conf\.json contains a comment \(#\)/);
  assert.match(d.message, /flanneld fails/);
  const { fixed, after } = applyFix(files, d, 'Remove the comment');
  assert.ok(fixed[FILE].includes('"Network": "10.244.0.0/16",\n'));
  assert.deepEqual(
    after.filter((x) => MINE.has(x.code)),
    [],
  );
});

test('json-syntax: // and /* */ comments, and a comment alone on its line is removed with the line', () => {
  const files = netConfFiles(
    '{\n  // the pod network\n  "Network": "10.244.0.0/16", /* x */\n  "Backend": {"Type": "vxlan"}\n}',
  );
  const found = run(files);
  assert.deepEqual(
    found.map((d) => coveredText(files, d)),
    ['// the pod network', '/* x */'],
  );
  const { fixed, after } = applyFix(files, found[0], 'Remove the comment');
  assert.ok(fixed[FILE].includes('    {\n      "Network"'), fixed[FILE]);
  assert.deepEqual(
    after.filter((x) => MINE.has(x.code)).map((x) => x.message.slice(0, 40)),
    [found[1].message.slice(0, 40)],
  );
});

test('json-syntax: trailing comma, fix removes it', () => {
  const files = netConfFiles('{\n  "Network": "10.244.0.0/16",\n  "Backend": {"Type": "vxlan",},\n}');
  const found = run(files);
  assert.equal(found.length, 2);
  for (const d of found) {
    assert.equal(coveredText(files, d), ',');
    assert.match(d.message, /trailing comma/);
  }
  const { after } = applyFix(files, found[1], 'Remove the trailing comma');
  assert.equal(after.filter((x) => x.code === 'json-syntax').length, 1);
});

test('json-syntax: "Remove all JSON comments and trailing commas" on each diagnostic', () => {
  const files = netConfFiles(
    '{\n  # first\n  "Network": "10.244.0.0/16", # second\n  "Backend": {"Type": "vxlan"},\n}',
  );
  const found = run(files);
  assert.equal(found.length, 3);
  for (const d of found) {
    const { fixed, after } = applyFix(files, d, 'Remove all JSON comments and trailing commas');
    assert.deepEqual(
      after.filter((x) => MINE.has(x.code)),
      [],
    );
    assert.equal(fixed[FILE], flannelConfigMap('{\n  "Network": "10.244.0.0/16",\n  "Backend": {"Type": "vxlan"}\n}'));
  }
});

test('json-syntax: single quotes, bare words, truncation and empty input (no fixes)', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['{\n  \'Network\': "10.244.0.0/16"\n}', "'Network'", /single quotes/],
    ['{\n  "Network": 10.244.0.0/16\n}', '10.244.0.0/16', /bare word `10\.244\.0\.0\/16`/],
    ['{\n  "Backend": {"Type": vxlan}\n}', 'vxlan', /bare word `vxlan`/],
    ['{\n  "Network": "10.244.0.0/16"', '"', /ends too early/],
  ];
  for (const [netConf, covered, message] of cases) {
    const files = netConfFiles(netConf);
    const found = run(files);
    assert.equal(found.length, 1, netConf);
    assert.equal(coveredText(files, found[0]), covered, netConf);
    assert.match(found[0].message, message);
    assert.match(found[0].message, /^net-conf\.json /);
  }
  const files = {
    [FILE]: 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: kube-flannel-cfg\ndata:\n  net-conf.json: ""\n',
  };
  const [empty] = run(files);
  assert.equal(empty.code, 'json-syntax');
  assert.match(empty.message, /net-conf\.json is empty.*unexpected end of JSON input/);
});

test('json-syntax: cni-conf.json names its key and libcni', () => {
  const files = netConfFiles(
    VALID,
    '{\n  "name": "cbr0", # x\n  "cniVersion": "0.3.1",\n  "plugins": [{"type": "flannel"}]\n}',
  );
  const [d] = run(files);
  assert.equal(coveredText(files, d), '# x');
  assert.match(d.message, /^cni-conf\.json contains a comment/);
  assert.match(d.message, /libcni/);
});

test("json-syntax: a lab write-up's annotated ConfigMap gives one error at each # comment inside the JSON", () => {
  const files = { '/ws/cm.yaml': fs.readFileSync(path.join(FIXTURES, 'annotated-configmap.yaml'), 'utf8') };
  const found = run(files);
  assert.deepEqual(
    found.map((d) => [d.code, d.severity, coveredText(files, d)]),
    [
      ['json-syntax', 'error', '# 由flannel为容器配置网络'],
      ['json-syntax', 'error', '# 端口映射,由iptables完成'],
      ['json-syntax', 'error', '# Pod的网段'],
      ['json-syntax', 'error', '# 跨节点用vxlan封装'],
    ],
  );
  assert.match(found[0].message, /^cni-conf\.json contains a comment \(#\)/);
  assert.match(found[2].message, /^net-conf\.json contains a comment \(#\)/);
  assert.equal(found[2].range.start.line, 24);
  for (const d of found) {
    const { after } = applyFix(files, d, 'Remove all JSON comments and trailing commas');
    assert.equal(after.filter((x) => x.code === 'json-syntax').length, 2, 'the other file keeps its comments');
  }
  const both = applyFix(files, found[0], 'Remove all JSON comments and trailing commas').fixed;
  const second = run(both);
  const { after } = applyFix(both, second[0], 'Remove all JSON comments and trailing commas');
  assert.deepEqual(
    after.filter((x) => MINE.has(x.code)),
    [],
  );
});

test('json-duplicate-key: exact and case-only duplicates point at the earlier key', () => {
  const files = netConfFiles(
    '{\n  "Network": "10.244.0.0/16",\n  "network": "10.245.0.0/16",\n  "Backend": {"Type": "udp", "Type": "vxlan"}\n}',
  );
  const found = run(files);
  assert.deepEqual(
    found.map((d) => [d.code, d.severity, coveredText(files, d)]),
    [
      ['json-duplicate-key', 'warning', 'Network'],
      ['json-duplicate-key', 'warning', 'Type'],
    ],
  );
  assert.match(found[0].message, /`Network` appears again as `network`.*keeps the last/);
  assert.equal(found[1].range.start.line, 10);
  assert.equal(found[1].range.start.character, 19);
  assert.deepEqual(run(netConfFiles(VALID, VALID_CNI)), []);
});

test('json-duplicate-key: in cni-conf.json too', () => {
  const files = netConfFiles(
    VALID,
    '{\n  "name": "cbr0",\n  "name": "cbr1",\n  "cniVersion": "0.3.1",\n  "plugins": []\n}',
  );
  const [d] = run(files);
  assert.equal(d.code, 'json-duplicate-key');
  assert.equal(coveredText(files, d), 'name');
  assert.equal(d.range.start.line, 8);
  assert.match(d.message, /cni-conf\.json/);
});

test('block scalar styles |, |-, |+, |2 and deeper indentation map exactly', () => {
  const body = ['{', '  "Network": "10.244.0.0/16", # c', '  "Backend": {"Type": "vxlan"}', '}'];
  const make = (header: string, indent: string) =>
    [
      'kind: ConfigMap',
      'apiVersion: v1',
      'metadata:',
      '  name: kube-flannel-cfg',
      'data:',
      `  net-conf.json: ${header}`,
      ...body.map((l) => indent + l),
      '',
    ].join('\n');
  for (const [header, indent] of [
    ['|', '    '],
    ['|-', '    '],
    ['|+', '    '],
    ['|2', '    '],
    ['|', '        '],
    ['|4', '      '],
    ['>', '    '],
  ] as const) {
    const files = { [FILE]: make(header, indent) };
    const found = run(files);
    assert.equal(found.length, 1, `${header} with ${indent.length} spaces`);
    assert.equal(coveredText(files, found[0]), '# c', header);
    if (header === '>') continue; // folded: the comment swallows the folded rest of the line, so no exact fix
    const { after } = applyFix(files, found[0], 'Remove the comment');
    assert.deepEqual(
      after.filter((x) => MINE.has(x.code)),
      [],
      header,
    );
  }
});

test('flow scalars: double- and single-quoted JSON map exactly, escapes included', () => {
  const double = {
    [FILE]:
      'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: cfg\ndata:\n  net-conf.json: "{\\"Network\\": ' +
      '\\"10.244.0.0/16\\", \\"Network\\": \\"10.244.0.0/16\\", \\"Backend\\": {\\"Type\\": \\"vxlan\\"},}"\n',
  };
  const found = run(double);
  assert.deepEqual(
    found.map((d) => [d.code, coveredText(double, d)]),
    [
      ['json-duplicate-key', 'Network'],
      ['json-syntax', ','],
    ],
  );
  const { after } = applyFix(double, found[1], 'Remove the trailing comma');
  assert.deepEqual(
    after.filter((x) => x.code === 'json-syntax'),
    [],
  );
  const single = {
    [FILE]:
      'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: cfg\ndata:\n  net-conf.json: \'{"Network": ' +
      '"10.244.0.0/16", "Backend": {"Type": "vxlan"}} # x\'\n',
  };
  const [comment] = run(single);
  assert.equal(coveredText(single, comment), '# x');
  assert.deepEqual(
    applyFix(single, comment, 'Remove the comment').after.filter((x) => MINE.has(x.code)),
    [],
  );
});

test(
  'json-syntax: no removal fix for a comment that may have swallowed JSON (unclosed /*, or JSON punctuation ' +
    'after #)',
  () => {
    for (const netConf of [
      '{"Network": "10.244.0.0/16", /* note\n"Backend": {"Type": "vxlan"}}',
      '{"Network": "10.244.0.0/16", # note "Backend": {"Type": "vxlan"}}',
    ]) {
      const files = { '/ws/cm.yaml': flannelConfigMap(netConf) };
      const comment = withCode(files, 'json-syntax').find((d) => /comment/.test(d.message));
      assert.ok(comment, netConf);
      assert.deepEqual(
        comment.fixes.map((f) => f.title),
        [],
        netConf,
      );
    }
  },
);
