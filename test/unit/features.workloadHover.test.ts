// Hovers on controllers and node selections (test/fixtures/workloads: a kubeadm control plane, three
// labelled workers, a Deployment, a StatefulSet, a hostNetwork DaemonSet, a Job and a CronJob).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { hoverAt } from '../../server/src/features/hover';
import { pathToUri } from '../../server/src/model/workspace';
import { type Files, FIXTURES, workspaceOf } from './helpers';

const FOLDER = path.join(FIXTURES, 'workloads');
const fixture = (): Files =>
  Object.fromEntries(fs.readdirSync(FOLDER).map((n) => [`/ws/${n}`, fs.readFileSync(path.join(FOLDER, n), 'utf8')]));

/** The hover `delta` characters into the first `needle` of apps.yaml, with the text it covers. */
function hover(needle: string, delta = 1, files = fixture(), options = {}) {
  const text = files['/ws/apps.yaml'];
  const index = text.indexOf(needle);
  assert.ok(index >= 0, needle);
  const result = hoverAt(workspaceOf(files, options), pathToUri('/ws/apps.yaml'), index + delta);
  return result && { ...result, covered: text.slice(result.range[0], result.range[1]) };
}

const includesAll = (markdown: string, parts: string[]) => {
  for (const part of parts) assert.ok(markdown.includes(part), `missing ${JSON.stringify(part)} in:\n${markdown}`);
};

test("a Deployment's name shows its pods, their nodes and predicted addresses, and that the scheduler picks", () => {
  const h = hover('name: storefront', 7);
  assert.ok(h);
  assert.equal(h.covered, 'storefront');
  includesAll(h.markdown, [
    '**Deployment storefront**',
    '3 pods, predicted from the manifest:',
    '  - `storefront-1` (`storefront-<hash>-<id>`) on node\\-1 (inferred), `10.244.1.2` (predicted)',
    '  - `storefront-2` (`storefront-<hash>-<id>`) on node\\-2 (inferred), `10.244.2.2` (predicted)',
    '  - `storefront-3` (`storefront-<hash>-<id>`) on node\\-1 (inferred), `10.244.1.3` (predicted)',
    'placement inferred\\: the scheduler picks one of node\\-1, node\\-2',
    'pod addresses are predicted',
  ]);
});

test("a DaemonSet's name shows one pod per node with the node's IP; a StatefulSet its real pod names", () => {
  const ds = hover('name: node-exporter', 7);
  includesAll(ds!.markdown, [
    "`node-exporter@node-1` (`node-exporter-<id>`) on node\\-1, `192.168.56.11` (the node's IP: hostNetwork)",
  ]);
  assert.ok(!ds!.markdown.includes('(inferred)'), 'the DaemonSet controller binds each pod to its node');
  const sts = hover('name: cache', 7);
  includesAll(sts!.markdown, ['  - `cache-1` on node\\-1, `10.244.1.4` (predicted)', '  - `cache-2` on node\\-1']);
});

test('a controller whose pods fit no node says why; one without pods says so', () => {
  const files = fixture();
  files['/ws/apps.yaml'] = files['/ws/apps.yaml'].replace('disktype: ssd', 'disktype: nvme');
  const h = hover('name: cache', 7, files);
  includesAll(h!.markdown, ['`cache-1` on no node: no node it can run on\\: nodeSelector disktype\\=nvme']);
  files['/ws/apps.yaml'] = files['/ws/apps.yaml'].replace('replicas: 2', 'replicas: 0');
  includesAll(hover('name: cache', 7, files)!.markdown, ['Podnet predicts no pod for it']);
});

test('a nodeSelector entry shows where it holds; the selection which nodes it matches and why not', () => {
  const h = hover('disktype: ssd');
  assert.equal(h!.covered, 'disktype');
  includesAll(h!.markdown, [
    '**nodeSelector** of StatefulSet cache',
    '`disktype=ssd`: holds on node\\-1; not on cp\\-1, node\\-2, node\\-10',
    'the whole selection matches: node\\-1',
    'node\\-2 (nodeSelector disktype\\=ssd\\: the node has disktype\\=hdd)',
  ]);
  const key = hover('nodeSelector:\n        disktype');
  assert.equal(key!.covered, 'nodeSelector');
  assert.ok(!key!.markdown.includes('holds on'), 'the section key shows the whole selection only');
});

test('node affinity shows the nodes it matches and the taints that still keep the pods off', () => {
  const h = hover('nodeAffinity');
  assert.equal(h!.covered, 'nodeAffinity');
  includesAll(h!.markdown, [
    '**required node affinity** of Job reindex',
    'the whole selection matches: cp\\-1, node\\-2, node\\-10',
    'not: node\\-1 (required node affinity\\: disktype NotIn \\[ssd\\] does not hold',
    'of these, taints keep the pods off cp\\-1 (taint node\\-role',
  ]);
  const expression = hover('key: disktype', 5);
  assert.equal(expression!.covered, 'disktype');
  includesAll(expression!.markdown, ['`disktype NotIn [ssd]`: holds on cp\\-1, node\\-2, node\\-10; not on node\\-1']);
});

test('nodes known by name: the selection cannot be told on them', () => {
  const files = fixture();
  delete files['/ws/nodes.yaml'];
  const h = hover('disktype: ssd', 1, files, { knownNodes: ['a', 'b'] });
  includesAll(h!.markdown, [
    '`disktype=ssd`: unknown on a, b (no Node object lists their labels)',
    'the whole selection matches: **no node**',
    'cannot tell: a, b (no Node object lists their labels)',
  ]);
  const none = hover('disktype: ssd', 1, files);
  includesAll(none!.markdown, ['The workspace knows no node']);
});

test('a template nodeName hovers like a Pod nodeName', () => {
  const files = fixture();
  files['/ws/apps.yaml'] = files['/ws/apps.yaml'].replace(
    '      nodeSelector:\n        disktype: ssd\n',
    '      nodeName: node-2\n',
  );
  const h = hover('nodeName: node-2', 11, files);
  assert.equal(h!.covered, 'node-2');
  includesAll(h!.markdown, ['**Node node\\-2**', 'podCIDR: `10.244.2.0/24`', 'cache\\-1']);
});
