// calico-pool-cidr and calico-pool-overlap: a pool's range as Calico checks it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyFixAndCheck, coveredText, type Files, withCode } from './helpers';
import { calicoManifest, installation, ipPool, withEnv } from './calicoFixtures';

const POOLS = '/ws/calico/pools.yaml';
const withPools = (...pools: string[]): Files => ({ ...calicoManifest(), [POOLS]: pools.join('---\n') });
const cidr = (files: Files) => withCode(files, 'calico-pool-cidr');

test('host bits in an IPPool: error, fixed by masking; in CALICO_IPV4POOL_CIDR only information', () => {
  const files = withPools(ipPool('racks', 'cidr: 10.80.1.0/16'));
  const [finding] = cidr(files);
  assert.equal(finding.severity, 'error');
  assert.equal(coveredText(files, finding), '10.80.1.0/16');
  const { fixed } = applyFixAndCheck(files, finding, { codes: ['calico-pool-cidr'] });
  assert.match(fixed[POOLS], /cidr: 10\.80\.0\.0\/16/);
  const env = withEnv('CALICO_IPV4POOL_CIDR', '10.60.42.0/16');
  const [masked] = cidr(env);
  assert.equal(masked.severity, 'information');
  assert.equal(coveredText(env, masked), '10.60.42.0/16');
  assert.match(masked.message, /masks it and creates the pool 10\.60\.0\.0\/16/);
  const op = { '/ws/op/installation.yaml': installation('ipPools:\n- cidr: 10.48.7.0/16') };
  assert.match(cidr(op)[0].message, /operator refuses/);
});

test('a CIDR that does not parse: error at it (calico-node exits for its env)', () => {
  const env = withEnv('CALICO_IPV4POOL_CIDR', '10.60.0.0/33');
  const [finding] = cidr(env);
  assert.equal(coveredText(env, finding), '10.60.0.0/33');
  assert.match(finding.message, /Invalid CIDR specified in CALICO_IPV4POOL_CIDR/);
  const pool = withPools(ipPool('racks', 'cidr: 10.80.0.0'));
  assert.equal(coveredText(pool, cidr(pool)[0]), '10.80.0.0');
  const missing = withPools(ipPool('racks', 'blockSize: 26'));
  assert.equal(coveredText(missing, cidr(missing)[0]), 'racks');
});

test('link-local ranges and pools smaller than one block are refused; a pool of exactly one block is fine', () => {
  const linkLocal = withPools(ipPool('ll', 'cidr: 169.254.0.0/20'));
  assert.match(cidr(linkLocal)[0].message, /link-local range 169\.254\.0\.0\/16/);
  const small = withPools(ipPool('tiny', 'cidr: 10.90.0.0/28\nblockSize: 26'));
  const [finding] = cidr(small);
  assert.equal(coveredText(small, finding), '10.90.0.0/28');
  assert.match(finding.message, /IP pool size is too small/);
  assert.deepEqual(cidr(withPools(ipPool('node-a', 'cidr: 10.42.100.0/24\nblockSize: 24'))), []);
  assert.deepEqual(cidr(calicoManifest()), []);
});

test('overlapping pools: an error on each CIDR; disjoint pools and one pool written twice are not reported', () => {
  const files = withPools(ipPool('a', 'cidr: 10.80.0.0/16'), ipPool('b', 'cidr: 10.80.64.0/20'));
  const found = withCode(files, 'calico-pool-overlap');
  assert.deepEqual(
    found.map((d) => coveredText(files, d)),
    ['10.80.0.0/16', '10.80.64.0/20'],
  );
  assert.match(found[0].message, /IPPool a \(10\.80\.0\.0\/16\) overlaps IPPool b \(10\.80\.64\.0\/20\)/);
  assert.deepEqual(
    withCode(withPools(ipPool('a', 'cidr: 10.80.0.0/18'), ipPool('b', 'cidr: 10.80.64.0/18')), 'calico-pool-overlap'),
    [],
  );
  assert.deepEqual(
    withCode(withPools(ipPool('a', 'cidr: 10.80.0.0/16'), ipPool('a', 'cidr: 10.80.0.0/17')), 'calico-pool-overlap'),
    [],
  );
});
