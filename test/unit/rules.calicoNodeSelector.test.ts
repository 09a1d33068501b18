// calico-node-selector: a pool whose nodeSelector matches none of the known nodes.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { coveredText, type Files, withCode } from './helpers';
import { calicoManifest, ipPool, node, withEnv } from './calicoFixtures';

const NODES = '/ws/calico/nodes.yaml';
const nodes = node('lab-w1', '192.168.56.11', { pool: 'main' }) + '---\n' + node('lab-w2', '192.168.56.12');
const selector = (files: Files, options = {}) => withCode(files, 'calico-node-selector', options);

test('a selector no node matches: warning at it, naming the label no node has', () => {
  const files = { ...withEnv('CALICO_IPV4POOL_NODE_SELECTOR', "rack == 'r1'"), [NODES]: nodes };
  const [finding] = selector(files);
  assert.equal(finding.severity, 'warning');
  assert.equal(coveredText(files, finding), "rack == 'r1'");
  assert.match(finding.message, /matches none of the 2 known nodes: no node has the label `rack`/);
  const wrongValue = { ...withEnv('CALICO_IPV4POOL_NODE_SELECTOR', "pool == 'edge'"), [NODES]: nodes };
  assert.match(selector(wrongValue)[0].message, /no node's labels satisfy it/);
});

test('a selector some node matches, or all(), or hostname selectors: nothing', () => {
  assert.deepEqual(selector({ ...calicoManifest(), [NODES]: nodes }), []);
  const pools = ipPool('w2', "cidr: 10.90.0.0/24\nnodeSelector: kubernetes.io/hostname == 'lab-w2'");
  assert.deepEqual(selector({ ...calicoManifest(), [NODES]: nodes, '/ws/calico/pools.yaml': pools }), []);
});

test('without known nodes nothing is said; nodes known only by name: information', () => {
  const files = withEnv('CALICO_IPV4POOL_NODE_SELECTOR', "rack == 'r1'");
  assert.deepEqual(selector(files), []);
  const [byName] = selector(files, { knownNodes: ['lab-w1'] });
  assert.equal(byName.severity, 'information');
  assert.match(byName.message, /known only by name/);
});
