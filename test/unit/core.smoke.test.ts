import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { workspaceOf, loadExample } from './helpers';

test('examples parse into clusters', () => {
  const files = { ...loadExample('cluster-10.100'), ...loadExample('seed-single-node'), ...loadExample('seed-multi-node'), ...loadExample('flannel-upstream') };
  const ws = workspaceOf(files);
  const clusters = ws.clusters();
  for (const c of clusters) {
    console.log(c.id, c.files.length, c.network.netConf.backendType, c.network.nodes.map((n) => `${n.name}:${n.podCidr ? n.podCidr.address.toString(16) + '/' + n.podCidr.prefix : '-'}${n.podCidrInferred ? '?' : ''} pods=${n.pods.length}`).join(' '));
  }
  assert.ok(clusters.length >= 3);
});
