// The start-up warm-up: it must exercise the engine's ordinary paths (a clean cluster, not error
// paths), and give the event loop back between slices so that requests are not held up.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { diagnoseWorkspace } from '../../server/src/engine';
import { WARM_UP_NODES, WARM_UP_ROUNDS, warmUpInSlices, warmUpSample } from '../../server/src/lsp/warmup';
import { Workspace } from '../../server/src/model/workspace';

test('the warm-up sample is a clean cluster: flannel, Nodes and Pods placed on them', () => {
  const workspace = new Workspace({ roots: ['/podnet-warmup'] });
  workspace.setFile('untitled:/podnet-warmup/cluster.yaml', warmUpSample(6));
  assert.deepEqual(
    [...diagnoseWorkspace(workspace).values()].flat().map((d) => d.code),
    [],
  );
  const [cluster] = workspace.clusters();
  assert.equal(cluster.facts.pods.length, 6);
  assert.equal(cluster.network.nodes.length, WARM_UP_NODES);
  // Every Pod is on a node of the sample, one per node in turn.
  assert.deepEqual(
    cluster.network.nodes.map((n) => n.pods.length),
    Array.from({ length: WARM_UP_NODES }, (_, i) => (i < 6 ? 1 : 0)),
  );
});

test('the warm-up gives the event loop back after every slice', async () => {
  let turns = 0;
  // A request that arrives as the warm-up starts is served at its first turn, not at its end.
  let servedAtTurn: number | undefined;
  setImmediate(() => {
    servedAtTurn = turns;
  });
  await warmUpInSlices(async () => {
    turns++;
    await new Promise((resolve) => setImmediate(resolve));
  });
  assert.equal(servedAtTurn, 1);
  assert.ok(turns >= 30, `${turns} turns`);
});

test('once interrupted, the warm-up only builds topologies: no more parsing and rules', async () => {
  let turns = 0;
  await warmUpInSlices(
    async () => {
      turns++;
    },
    () => turns >= 2,
  );
  // Two analyses in the first round, then one topology slice per round.
  assert.equal(turns, 2 + WARM_UP_ROUNDS);
});
