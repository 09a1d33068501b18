// Property-based fuzzing of the engine, the editor features and the topology (fast-check). In the unit
// suite the seed is fixed and the runs bounded; `npm run fuzz` sets PODNET_FUZZ=long for many more runs
// with a random seed (or PODNET_FUZZ_SEED / PODNET_FUZZ_RUNS to replay or size a run).
import { test } from 'node:test';
import fc from 'fast-check';
import { checkInput } from './fuzzChecks';
import { exampleClusters, mutatedExample, randomWorkspace } from './fuzzInputs';
import { type Files } from './helpers';

const LONG = process.env.PODNET_FUZZ === 'long';
const SEED = process.env.PODNET_FUZZ_SEED
  ? Number(process.env.PODNET_FUZZ_SEED)
  : LONG
    ? Date.now() ^ (Math.random() * 0x7fffffff)
    : 20240611;
const RUNS = process.env.PODNET_FUZZ_RUNS ? Number(process.env.PODNET_FUZZ_RUNS) : LONG ? 20_000 : undefined;

function fuzz(name: string, input: fc.Arbitrary<Files>, defaultRuns: number): void {
  test(name, () => {
    const runs = RUNS ?? defaultRuns;
    let cases = 0;
    let fixes = 0;
    const started = Date.now();
    try {
      fc.assert(
        fc.property(input, (files) => {
          cases++;
          fixes += checkInput(files);
        }),
        { seed: SEED, numRuns: runs, includeErrorInReport: true },
      );
    } finally {
      console.log(
        `fuzz "${name}": ${cases} cases, ${fixes} quick fixes checked, seed ${SEED}, ${Date.now() - started} ms`,
      );
    }
  });
}

fuzz('mutated examples', mutatedExample(exampleClusters()), 1500);
fuzz('random manifests with embedded JSON in every scalar style', randomWorkspace, 1500);
