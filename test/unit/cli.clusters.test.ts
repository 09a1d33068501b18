// `podnet check --explain-clusters` and `.podnet.yaml` on the command line, through the built CLI.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURES, REPO_ROOT } from './helpers';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const FLANNEL_ROOT = path.join(FIXTURES, 'layout', 'flannel-root');
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });

/** A copy of the flannel-root fixture as a repository (with `.git`), inside an outer folder. */
function repository(): { outer: string; repo: string } {
  const outer = fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-layout-'));
  const repo = path.join(outer, 'repo');
  fs.cpSync(FLANNEL_ROOT, repo, { recursive: true });
  fs.mkdirSync(path.join(repo, '.git'));
  return { outer, repo };
}

test('--explain-clusters prints each cluster, why its root is one, and why each file joined', () => {
  const result = run(['check', '.', '--explain-clusters'], FLANNEL_ROOT);
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.equal(
    result.stdout,
    'cluster flannel-root (root .)\n' +
      '  why: holds CNI configuration: ConfigMap kube-flannel/kube-flannel-cfg (net-conf.json) in kube-flannel.yml\n' +
      '  cni: flannel, from DaemonSet kube-flannel/kube-flannel-ds runs flanneld in kube-flannel.yml; ConfigMap ' +
      'kube-flannel/kube-flannel-cfg has net-conf.json in kube-flannel.yml\n' +
      '  kube-flannel.yml: in the root folder\n' +
      '  scripts/install/kubeadm-config.yaml: nearest folder above with CNI configuration\n' +
      '\n' +
      '0 errors, 0 warnings, 0 notes in 2 files (1 cluster)\n',
  );
});

test('--explain-clusters with --format json gives {clusters, diagnostics}; with sarif it is bad usage', () => {
  const result = run(['check', '--format', 'json', '--explain-clusters'], FLANNEL_ROOT);
  assert.equal(result.status, 0, result.stderr);
  const output = JSON.parse(result.stdout) as {
    clusters: Array<{ name: string; root: string; basis: string; files: Array<{ file: string; membership: string }> }>;
    diagnostics: unknown[];
  };
  assert.deepEqual(output.diagnostics, []);
  assert.equal(output.clusters.length, 1);
  assert.equal(output.clusters[0].basis, 'cni');
  assert.equal(output.clusters[0].root, '.');
  assert.deepEqual(
    output.clusters[0].files.map((f) => [f.file, f.membership]),
    [
      ['kube-flannel.yml', 'root'],
      ['scripts/install/kubeadm-config.yaml', 'cni-above'],
    ],
  );
  // Without the switch the JSON stays the array scripts read.
  assert.ok(Array.isArray(JSON.parse(run(['check', '--format', 'json'], FLANNEL_ROOT).stdout)));
  assert.equal(run(['check', '--format', 'sarif', '--explain-clusters'], FLANNEL_ROOT).status, 2);
  const valued = run(['check', '--explain-clusters=yes'], FLANNEL_ROOT);
  assert.equal(valued.status, 2);
  assert.match(valued.stderr, /--explain-clusters takes no value/);
});

test('the .podnet.yaml at or above the checked path names clusters, up to the repository root', () => {
  const { outer, repo } = repository();
  try {
    fs.writeFileSync(
      path.join(repo, '.podnet.yaml'),
      '# clusters of this repository\nclusters:\n  - name: lab\n    include: [scripts/install]\n',
    );
    const inside = run(['check', 'scripts/install', '--explain-clusters'], repo);
    assert.equal(inside.status, 0, inside.stdout + inside.stderr);
    assert.match(
      inside.stdout,
      /^cluster lab \(root scripts\/install\)\n {2}why: \.podnet\.yaml:3 names the cluster\n/,
    );
    assert.match(inside.stdout, /scripts\/install\/kubeadm-config\.yaml: \.podnet\.yaml:4 includes scripts\/install\n/);
    // A .podnet.yaml above the repository root (the folder with .git) is not read.
    fs.renameSync(path.join(repo, '.podnet.yaml'), path.join(outer, '.podnet.yaml'));
    const above = run(['check', 'scripts/install', '--explain-clusters'], repo);
    assert.match(above.stdout, /^cluster install \(root scripts\/install\)\n/);
  } finally {
    fs.rmSync(outer, { recursive: true, force: true });
  }
});

test('a malformed .podnet.yaml is a podnet-config error with its position; the check goes on', () => {
  const { outer, repo } = repository();
  try {
    fs.writeFileSync(path.join(repo, '.podnet.yaml'), 'clusters:\n  - name: lab\n    include: [scripts\n');
    const result = run(['check', '.'], repo);
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /^\.podnet\.yaml:\d+:\d+: error \[podnet-config\] \.podnet\.yaml is not valid YAML/m);
    assert.match(result.stdout, /^1 error, 0 warnings, 0 notes in 3 files \(1 cluster\)$/m);
    fs.writeFileSync(path.join(repo, '.podnet.yaml'), 'clusters:\n  - name: lab\n    inclde: [scripts]\n');
    const typo = run(['check', '.'], repo);
    assert.match(typo.stdout, /^\.podnet\.yaml:3:5: warning \[podnet-config\] .*did you mean `include`\?/m);
  } finally {
    fs.rmSync(outer, { recursive: true, force: true });
  }
});
