import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { backendAvailability, isAtLeast, parseFlannelImage } from '../../server/src/model/flannelVersion';
import { BACKEND_TYPES } from '../../server/src/model/backends';
import { workspaceOf } from './helpers';

const versionOf = (image: string) => {
  const v = parseFlannelImage(image);
  return v && [v.major, v.minor, v.patch, v.fork];
};

test('parseFlannelImage: the tag gives the version, whatever the registry or mirror', () => {
  const cases: Array<[string, unknown]> = [
    ['quay.io/coreos/flannel:v0.10.0-amd64', [0, 10, 0, undefined]],
    ['rancher/mirrored-flannelcni-flannel:v0.17.0', [0, 17, 0, undefined]],
    ['registry.cn-hangzhou.aliyuncs.com/google-containers/flannel:0.7.0', [0, 7, 0, undefined]],
    ['quay.io/coreos/flannel-git:v0.6.1-28-g5dde68d', [0, 6, 1, undefined]],
    ['flannel-git:v0.6.1-28-g5dde68d-amd64', [0, 6, 1, undefined]],
    ['docker.io/flannel/flannel:v0.22.0@sha256:' + 'a'.repeat(64), [0, 22, 0, undefined]],
    ['localhost:5000/flannel:v0.24.2', [0, 24, 2, undefined]],
    ['quay.io/coreos/flannel:v0.14.0-dual-stack', [0, 14, 0, undefined]],
    ['ccr.ccs.tencentyun.com/library/flannel:v0.9.0-txvpc', [0, 9, 0, 'txvpc']],
  ];
  for (const [image, expected] of cases) assert.deepEqual(versionOf(image), expected, image);
});

test('parseFlannelImage: no version in the tag means unknown (the newest)', () => {
  for (const image of [
    'ghcr.io/flannel-io/flannel',
    'quay.io/coreos/flannel-git:latest',
    'docker.io/flannel/flannel@sha256:' + 'b'.repeat(64),
    'localhost:5000/flannel',
    'gcr.io/mikedanese-k8s/flannel:v9',
    '',
  ]) {
    assert.equal(parseFlannelImage(image), undefined, image);
  }
  assert.equal(isAtLeast(undefined, [0, 18, 0]), true);
});

test('backendAvailability: backends by release (flannel-versions.md §1)', () => {
  const at = (type: string, image?: string) =>
    backendAvailability(type, image ? parseFlannelImage(image) : undefined, BACKEND_TYPES);
  assert.deepEqual(at('ali-vpc', 'flannel:0.7.0'), { state: 'registered' });
  assert.deepEqual(at('gce', 'flannel:v0.19.2'), { state: 'registered' });
  assert.deepEqual(at('aws-vpc', 'flannel:v0.20.0'), { state: 'removed', removed: 'v0.20.0' });
  assert.deepEqual(at('ali-vpc'), { state: 'removed', removed: 'v0.20.0' });
  assert.deepEqual(at('wireguard', 'flannel:v0.15.1'), { state: 'not-yet', since: 'v0.16.0' });
  assert.deepEqual(at('wireguard', 'flannel:v0.16.0'), { state: 'registered' });
  assert.deepEqual(at('ipip', 'flannel:v0.9.0'), { state: 'not-yet', since: 'v0.10.0' });
  assert.deepEqual(at('vxlan', 'flannel:v0.9.0'), { state: 'registered' });
  assert.deepEqual(at('vxlna', 'flannel:v0.9.0'), { state: 'unknown' });
});

test('flanneld is recognised by its image when only flags are given, also in Rancher mirrors', () => {
  const daemonSet = (image: string) =>
    [
      'apiVersion: apps/v1',
      'kind: DaemonSet',
      'metadata: {name: kube-flannel, namespace: kube-system}',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: kube-flannel',
      `        image: ${image}`,
      '        args: ["--ip-masq", "--kube-subnet-mgr"]',
      '',
    ].join('\n');
  const versionOf = (image: string) =>
    workspaceOf({ '/ws/c/flannel.yaml': daemonSet(image) }).clusters()[0].network.flannelVersion;
  assert.equal(versionOf('rancher/mirrored-flannelcni-flannel:v0.17.0')?.minor, 17);
  assert.equal(versionOf('docker.io/flannel/flannel:v0.22.0@sha256:' + 'a'.repeat(64))?.minor, 22);
  assert.equal(versionOf('quay.io/coreos/flannel:v0.10.0-amd64')?.minor, 10);
  // The CNI plugin's image runs no flanneld, whatever its flags.
  assert.equal(versionOf('rancher/mirrored-flannelcni-flannel-cni-plugin:v1.0.1'), undefined);
  assert.equal(
    workspaceOf({
      '/ws/c/flannel.yaml': daemonSet('rancher/mirrored-flannelcni-flannel-cni-plugin:v1.0.1'),
    }).clusters()[0].network.flannelDaemonSet,
    undefined,
  );
});
