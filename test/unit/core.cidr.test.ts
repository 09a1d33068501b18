import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  containsCidr,
  formatCidr,
  formatCount,
  formatIp,
  hasHostBits,
  networkOf,
  overlaps,
  parseCidr,
  parseIp,
  podSubnetOf,
} from '../../server/src/core/cidr';

const cidr = (text: string) => {
  const parsed = parseCidr(text);
  assert.ok(parsed, `${text} parses`);
  return parsed;
};

test('parses IPv4 like Go: four decimal octets, no leading zeros', () => {
  assert.equal(parseIp('10.244.1.2')?.value, 0x0af40102n);
  for (const bad of ['10.244.1', '10.244.1.256', '010.1.1.1', '10.1.1.1.1', '', 'a.b.c.d', '1.2.3.-4'])
    assert.equal(parseIp(bad), undefined, bad);
  for (const text of ['0.0.0.0', '10.244.1.2', '128.0.0.1', '192.168.118.130', '255.255.255.255'])
    assert.equal(formatIp(4, parseIp(text)!.value), text, 'formats back, high bit included');
});

test('parses IPv6 with :: and an IPv4 tail, rejects malformed text', () => {
  assert.equal(formatIp(6, parseIp('fc00:0:0:1::')!.value), 'fc00:0:0:1::');
  assert.equal(formatIp(6, parseIp('2001:0db8:1234::')!.value), '2001:db8:1234::');
  assert.equal(parseIp('::ffff:10.0.0.1')?.family, 6);
  assert.equal(formatIp(6, 0n), '::');
  for (const bad of ['1::2::3', 'fc00:::1', '1:2:3:4:5:6:7:8:9', 'g::1', ':1:2:3:4:5:6:7'])
    assert.equal(parseIp(bad), undefined, bad);
});

test('parses CIDRs and masks host bits as net.ParseCIDR does', () => {
  assert.equal(parseCidr('10.244.0.0'), undefined);
  assert.equal(parseCidr('10.244.0.0/33'), undefined);
  assert.equal(parseCidr('10.244.0.0/'), undefined);
  const withHostBits = cidr('10.244.1.7/16');
  assert.ok(hasHostBits(withHostBits));
  assert.equal(formatCidr(networkOf(withHostBits)), '10.244.0.0/16');
  assert.ok(!hasHostBits(cidr('10.244.0.0/16')));
});

// flannel pkg/subnet/kube/kube_test.go TestContainsCIDR (flannel.md §7.2).
const CONTAINS_CASES: Array<[string, string, boolean]> = [
  ['10.244.0.0/16', '10.244.0.0/16', true],
  ['10.244.0.0/16', '10.244.0.0/24', true],
  ['10.244.0.0/16', '10.244.255.0/24', true],
  ['10.244.0.0/16', '10.244.0.0/15', false],
  ['10.244.0.0/16', '192.168.0.0/24', false],
  ['2001:0db8:1234::/48', '2001:0db8:1234::/48', true],
  ['2001:0db8:1234::/48', '2001:0db8:1234::/64', true],
  ['2001:0db8:1234::/48', '2001:0db8:1234:ffff::/64', true],
  ['2001:0db8:1234::/48', '2001:0db8:1234::/47', false],
  ['2001:0db8:1234::/48', 'fe02::/32', false],
];

for (const [outer, inner, expected] of CONTAINS_CASES) {
  test(`containsCidr(${outer}, ${inner}) is ${expected}`, () => {
    assert.equal(containsCidr(cidr(outer), cidr(inner)), expected);
  });
}

test('overlap is symmetric and family-aware', () => {
  assert.ok(overlaps(cidr('10.244.1.0/24'), cidr('10.244.0.0/16')));
  assert.ok(overlaps(cidr('10.244.0.0/16'), cidr('10.244.1.0/24')));
  assert.ok(!overlaps(cidr('10.244.1.0/24'), cidr('10.244.2.0/24')));
  assert.ok(!overlaps(cidr('10.0.0.0/8'), cidr('fc00::/8')));
});

test('formats counts for people', () => {
  assert.equal(formatCount(253n), '253');
  assert.equal(formatCount(65536n), '65,536');
  assert.equal(formatCount(1n << 64n), '2^64');
});

test('pod subnets: gateway .1, pods from .2, IPv4 keeps the broadcast back, tiny subnets have no pods', () => {
  const facts = (text: string) => {
    const subnet = podSubnetOf(cidr(text));
    const ip = (a?: { family: 4 | 6; value: bigint }) => (a ? formatIp(a.family, a.value) : undefined);
    const { gateway, firstPod, lastPod, podCount, broadcast } = subnet;
    return [formatCidr(subnet.network), ip(gateway), ip(firstPod), ip(lastPod), podCount, ip(broadcast)];
  };
  assert.deepEqual(facts('10.244.1.0/24'), [
    '10.244.1.0/24',
    '10.244.1.1',
    '10.244.1.2',
    '10.244.1.254',
    253n,
    '10.244.1.255',
  ]);
  assert.deepEqual(facts('10.244.1.7/24'), [
    '10.244.1.0/24',
    '10.244.1.1',
    '10.244.1.2',
    '10.244.1.254',
    253n,
    '10.244.1.255',
  ]);
  assert.deepEqual(facts('10.0.0.4/30'), ['10.0.0.4/30', '10.0.0.5', '10.0.0.6', '10.0.0.6', 1n, '10.0.0.7']);
  assert.deepEqual(facts('10.0.0.4/31'), ['10.0.0.4/31', undefined, undefined, undefined, 0n, undefined]);
  assert.deepEqual(facts('10.0.0.4/32'), ['10.0.0.4/32', undefined, undefined, undefined, 0n, undefined]);
  assert.deepEqual(facts('fd00:1::/64'), [
    'fd00:1::/64',
    'fd00:1::1',
    'fd00:1::2',
    'fd00:1::ffff:ffff:ffff:ffff',
    2n ** 64n - 2n,
    undefined,
  ]);
  assert.deepEqual(facts('fd00::/126'), ['fd00::/126', 'fd00::1', 'fd00::2', 'fd00::3', 2n, undefined]);
  assert.deepEqual(facts('fd00::/127'), ['fd00::/127', undefined, undefined, undefined, 0n, undefined]);
});
