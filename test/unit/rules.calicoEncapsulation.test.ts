// calico-encapsulation-conflict: IPIP and VXLAN both on one pool; the fixes keep VXLAN (preferred) or IPIP.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyFixAndCheck, coveredText, withCode } from './helpers';
import { CALICO, calicoManifest, ipPool, withEnv } from './calicoFixtures';

const POOLS = '/ws/calico/pools.yaml';

test('an IPPool with ipipMode and vxlanMode both on: error at the IPIP mode, with two fixes', () => {
  const files = {
    ...calicoManifest(),
    [POOLS]: ipPool('racks', 'cidr: 10.80.0.0/16\nipipMode: Always\nvxlanMode: CrossSubnet'),
  };
  const [finding] = withCode(files, 'calico-encapsulation-conflict');
  assert.equal(finding.severity, 'error');
  assert.equal(coveredText(files, finding), 'Always');
  assert.deepEqual(
    finding.fixes.map((f) => [f.title, f.preferred === true]),
    [
      ['Keep VXLAN: set the IPIP mode to Never', true],
      ['Keep IPIP: set the VXLAN mode to Never', false],
    ],
  );
  const vxlan = applyFixAndCheck(files, finding, { codes: ['calico-encapsulation-conflict'] });
  assert.match(vxlan.fixed[POOLS], /ipipMode: Never\n {2}vxlanMode: CrossSubnet/);
  const ipip = applyFixAndCheck(files, finding, { codes: ['calico-encapsulation-conflict'], title: /Keep IPIP/ });
  assert.match(ipip.fixed[POOLS], /ipipMode: Always\n {2}vxlanMode: Never/);
});

test("calico-node's env enabling both: error at CALICO_IPV4POOL_IPIP's value; one Never is fine", () => {
  const files = withEnv('CALICO_IPV4POOL_VXLAN', 'CrossSubnet');
  const [finding] = withCode(files, 'calico-encapsulation-conflict');
  assert.equal(coveredText(files, finding), 'Always');
  assert.match(finding.message, /exits at start/);
  const { fixed } = applyFixAndCheck(files, finding, { codes: ['calico-encapsulation-conflict'] });
  assert.match(fixed[CALICO], /CALICO_IPV4POOL_IPIP\n\s+value: "Never"/);
  assert.deepEqual(withCode(calicoManifest(), 'calico-encapsulation-conflict'), []);
});

test('the legacy crd v1 `ipip: {enabled: true}` with vxlanMode: reported, only the VXLAN fix offered', () => {
  const files = {
    ...calicoManifest(),
    [POOLS]: ipPool(
      'edge',
      'cidr: 10.81.0.0/16\nipip:\n  enabled: true\nvxlanMode: Always',
      'crd.projectcalico.org/v1',
    ),
  };
  const [finding] = withCode(files, 'calico-encapsulation-conflict');
  assert.equal(coveredText(files, finding), 'true');
  assert.deepEqual(
    finding.fixes.map((f) => f.title),
    ['Keep IPIP: set the VXLAN mode to Never'],
  );
});
