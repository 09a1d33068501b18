// `.podnet.yaml` names clusters explicitly; a malformed one is a `podnet-config` diagnostic with its
// position, never a crash, and the files fall back to the grouping by folder.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { compileInclude, includes, parseProjectConfig } from '../../server/src/model/projectConfig';
import { pathToUri, type Workspace } from '../../server/src/model/workspace';
import { coveredText, type Files, flannelConfigMap, withCode, workspaceOf } from './helpers';

const kubeadm = (podSubnet: string) =>
  `apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: ${podSubnet}\n`;
const flannel = (network: string) => flannelConfigMap(`{"Network": "${network}", "Backend": {"Type": "vxlan"}}`);
const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n`;

/** A repository with one flannel manifest per environment and the kubeadm configs elsewhere. */
const repo = (config: string): Files => ({
  '/ws/.podnet.yaml': config,
  '/ws/clusters/prod/kube-flannel.yml': flannel('10.244.0.0/16'),
  '/ws/clusters/staging/kube-flannel.yml': flannel('10.50.0.0/16'),
  '/ws/scripts/install/prod-kubeadm.yaml': kubeadm('10.244.0.0/16'),
  '/ws/scripts/install/staging-kubeadm.yaml': kubeadm('10.60.0.0/16'),
  '/ws/apps/web.yaml': pod('web'),
});

const byName = (workspace: Workspace) =>
  Object.fromEntries(
    workspace.clusters().map((c) => [c.name, c.files.map((f) => path.posix.relative('/ws', f.file.path)).sort()]),
  );

const configDiagnostics = (files: Files) => withCode(files, 'podnet-config');

test('.podnet.yaml names clusters from folders, files and globs relative to itself', () => {
  const files = repo(
    'clusters:\n' +
      '  - name: prod\n' +
      '    include: [clusters/prod, scripts/install/prod-*.yaml]\n' +
      '  - name: staging\n' +
      '    include:\n' +
      '      - ./clusters/staging/\n' +
      '      - scripts/install/staging-kubeadm.yaml\n' +
      'cni: flannel\n',
  );
  const workspace = workspaceOf(files);
  assert.deepEqual(byName(workspace), {
    prod: ['clusters/prod/kube-flannel.yml', 'scripts/install/prod-kubeadm.yaml'],
    staging: ['clusters/staging/kube-flannel.yml', 'scripts/install/staging-kubeadm.yaml'],
    ws: ['apps/web.yaml'],
  });
  assert.equal(workspace.clusters().find((c) => c.name === 'prod')!.root, '/ws');
  assert.equal(workspace.clusters().find((c) => c.name === 'staging')!.root, '/ws');
  // The staging podSubnet is compared with staging's flannel only; the .podnet.yaml is in no cluster.
  assert.deepEqual(
    withCode(files, 'cluster-cidr-mismatch').map((d) => d.uri),
    [pathToUri('/ws/scripts/install/staging-kubeadm.yaml')],
  );
  assert.deepEqual(configDiagnostics(files), []);
  assert.ok(!workspace.clusters().some((c) => c.files.some((f) => f.file.path === '/ws/.podnet.yaml')));
});

test('without .podnet.yaml the same repository is grouped by folder', () => {
  const files = repo('');
  delete files['/ws/.podnet.yaml'];
  assert.deepEqual(byName(workspaceOf(files)), {
    prod: ['clusters/prod/kube-flannel.yml'],
    staging: ['clusters/staging/kube-flannel.yml'],
    install: ['scripts/install/prod-kubeadm.yaml', 'scripts/install/staging-kubeadm.yaml'],
    ws: ['apps/web.yaml'],
  });
});

test('the most specific include wins; podnet.clusters from the settings wins over .podnet.yaml', () => {
  const files = repo(
    'clusters:\n  - name: everything\n    include: [.]\n' +
      '  - name: staging\n    include: [clusters/staging, "**/staging-*"]\n',
  );
  assert.deepEqual(byName(workspaceOf(files)), {
    everything: ['apps/web.yaml', 'clusters/prod/kube-flannel.yml', 'scripts/install/prod-kubeadm.yaml'],
    staging: ['clusters/staging/kube-flannel.yml', 'scripts/install/staging-kubeadm.yaml'],
  });
  const settings = { clusterMappings: [{ folder: 'apps', name: 'apps' }] };
  assert.deepEqual(byName(workspaceOf(files, settings)).apps, ['apps/web.yaml']);
});

test('files .podnet.yaml does not name are grouped by folder, without the named ones', () => {
  const files = repo('clusters:\n  - name: prod\n    include: [clusters/prod/kube-flannel.yml, scripts/install]\n');
  assert.deepEqual(byName(workspaceOf(files)), {
    prod: [
      'clusters/prod/kube-flannel.yml',
      'scripts/install/prod-kubeadm.yaml',
      'scripts/install/staging-kubeadm.yaml',
    ],
    staging: ['clusters/staging/kube-flannel.yml'],
    ws: ['apps/web.yaml'],
  });
});

test('a .podnet.yaml that is not YAML is one error where the parser stopped; files group by folder', () => {
  const files = repo('clusters:\n  - name: prod\n    include: [clusters/prod\n');
  const [problem, ...rest] = configDiagnostics(files);
  assert.deepEqual(rest, []);
  assert.equal(problem.uri, pathToUri('/ws/.podnet.yaml'));
  assert.equal(problem.severity, 'error');
  assert.match(problem.message, /^\.podnet\.yaml is not valid YAML: .*Podnet ignores the whole file/);
  assert.ok(problem.range.start.line >= 2, JSON.stringify(problem.range));
  assert.ok(byName(workspaceOf(files)).install, 'grouped by folder');
});

test('each shape problem is reported at its token; sound entries still apply', () => {
  const config =
    'clusters:\n' +
    '  - name: prod\n' +
    '    includes: [clusters/prod]\n' +
    '  - name: staging\n' +
    '    include: [clusters/staging, /abs/path, 42, "../outside", "[oops"]\n' +
    '  - include: [apps]\n' +
    '  - just-a-string\n' +
    '  - name: staging\n' +
    '    include: clusters/nowhere\n' +
    'cni: [flannel]\n' +
    'clsters: []\n';
  const files = repo(config);
  const found = configDiagnostics(files).map((d) => [d.severity, coveredText(files, d), d.message.slice(0, 40)]);
  assert.deepEqual(
    found.map(([severity, text]) => [severity, text]),
    [
      ['error', 'prod'],
      ['warning', 'includes'],
      ['error', '/abs/path'],
      ['error', '42'],
      ['error', '"../outside"'],
      ['error', '"[oops"'],
      ['error', 'include: [apps]\n'],
      ['error', 'just-a-string'],
      ['warning', 'staging'],
      ['warning', 'clusters/nowhere'],
      ['error', '[flannel]'],
      ['warning', 'clsters'],
    ],
  );
  const messages = configDiagnostics(files).map((d) => d.message);
  assert.ok(messages.some((m) => m.includes('did you mean `include`?')));
  assert.ok(messages.some((m) => m.includes('did you mean `clusters`?')));
  // staging (merged from both entries) still holds its folder.
  assert.deepEqual(byName(workspaceOf(files)).staging, ['clusters/staging/kube-flannel.yml']);
});

test('the clusters of a .podnet.yaml below the workspace root are ignored, with a note', () => {
  const files = {
    '/ws/clusters/prod/.podnet.yaml': 'clusters:\n  - name: p\n    include: [.]\n',
    '/ws/clusters/prod/kube-flannel.yml': flannel('10.244.0.0/16'),
  };
  const [note] = configDiagnostics(files);
  assert.equal(note.severity, 'information');
  assert.match(note.message, /`clusters` of \.podnet\.yaml at the root of a workspace folder.*these are ignored/);
  assert.deepEqual(byName(workspaceOf(files)), { prod: ['clusters/prod/kube-flannel.yml'] });
  // Named as a config folder (as `podnet check clusters/prod` does), it applies.
  assert.deepEqual(byName(workspaceOf(files, { configFolders: ['/ws/clusters/prod'] })), {
    p: ['clusters/prod/kube-flannel.yml'],
  });
});

test('editing, breaking and removing .podnet.yaml regroups the files', () => {
  const files = repo('clusters:\n  - name: prod\n    include: [clusters/prod, scripts/install/prod-kubeadm.yaml]\n');
  const workspace = workspaceOf(files);
  const config = pathToUri('/ws/.podnet.yaml');
  assert.ok(byName(workspace).prod.includes('scripts/install/prod-kubeadm.yaml'));
  workspace.setFile(config, 'clusters:\n  - name: all\n    include: [.]\n');
  assert.deepEqual(Object.keys(byName(workspace)), ['all']);
  workspace.setFile(config, 'clusters: [');
  assert.ok(byName(workspace).install, 'grouped by folder while it does not parse');
  workspace.setFile(config, 'clusters:\n  - name: all\n    include: [.]\n');
  workspace.removeFile(config);
  assert.ok(byName(workspace).install, 'grouped by folder once it is gone');
  workspace.setUnreadable(config, 'permission denied (EACCES)');
  assert.ok(byName(workspace).install);
});

test('.podnet.yaml edge shapes: empty, comments only, a list, two documents', () => {
  assert.deepEqual(parseProjectConfig('').problems, []);
  assert.deepEqual(parseProjectConfig('# nothing yet\n').problems, []);
  assert.deepEqual(parseProjectConfig('clusters:\n').problems, []);
  assert.match(parseProjectConfig('- name: a\n').problems[0].message, /must be a mapping/);
  assert.match(parseProjectConfig('clusters: prod\n').problems[0].message, /takes a list/);
  const two = parseProjectConfig('clusters: []\n---\nclusters: []\n');
  assert.match(two.problems[0].message, /second document is ignored/);
  assert.equal(two.problems[0].severity, 'warning');
  assert.match(parseProjectConfig('a: 1\na: 2\n').problems[0].message, /not valid YAML/);
});

test('include patterns: folders take their subtree, globs match files or their folders', () => {
  const take = (pattern: string, file: string) => {
    const compiled = compileInclude(pattern, [0, 0]);
    assert.ok(typeof compiled !== 'string', String(compiled));
    return includes(compiled, file);
  };
  assert.ok(take('clusters/prod', 'clusters/prod/a.yaml'));
  assert.ok(take('clusters/prod/', 'clusters/prod/sub/a.yaml'));
  assert.ok(!take('clusters/prod', 'clusters/production/a.yaml'));
  assert.ok(take('.', 'a.yaml'));
  assert.ok(take('clusters/*', 'clusters/x/deep/a.yaml'));
  assert.ok(take('**/kubeadm*.yaml', 'scripts/install/kubeadm-init.yaml'));
  assert.ok(take('**/kubeadm*.yaml', 'kubeadm.yaml'));
  assert.ok(!take('**/kubeadm*.yaml', 'scripts/install/nodes.yaml'));
  assert.ok(take('env/{prod,stage}', 'env/stage/a.yaml'));
  assert.ok(!take('env/{prod,stage}', 'env/dev/a.yaml'));
  assert.ok(take('n?des/[ab].yaml', 'nodes/a.yaml'));
  assert.ok(take('a.b/*.yaml', 'a.b/x.yaml') && !take('a.b/*.yaml', 'axb/x.yaml'));
  assert.ok(take('env/{prod,stage/x}', 'env/stage/x/a.yaml') && !take('env/{prod,stage/x}', 'env/stage/y.yaml'));
  assert.ok(take('[!a]*.yaml', 'b.yaml') && !take('[!a]*.yaml', 'a.yaml'));
  // Patterns that make a backtracking matcher run for hours finish here (the test would time out).
  const deep = `${Array.from({ length: 30 }, (_, i) => `d${i}`).join('/')}/file.yaml`;
  assert.ok(!take(`${'**/'.repeat(12)}z`, deep));
  assert.ok(!take(`${'a*'.repeat(12)}b`, 'a'.repeat(300)));
  assert.ok(!take(`${'*a'.repeat(10)}/${'**/*x'.repeat(6)}`, `${'a'.repeat(60)}/${deep}`));
  assert.equal(typeof compileInclude('env/{prod', [0, 0]), 'string');
  assert.equal(typeof compileInclude('env/prod}', [0, 0]), 'string');
  assert.equal(typeof compileInclude('x/[ab', [0, 0]), 'string');
  assert.equal(typeof compileInclude('{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}', [0, 0]), 'string');
  assert.equal(typeof compileInclude('../x', [0, 0]), 'string');
  assert.equal(typeof compileInclude('a/../../x', [0, 0]), 'string');
});

test('the cni of a .podnet.yaml below the workspace root applies to the clusters below it, without a note', () => {
  const pods = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: n1\n  containers: [{name: c}]\n';
  const files = {
    '/ws/labs/flannel-lab/.podnet.yaml': 'cni: flannel\n',
    '/ws/labs/flannel-lab/pods.yaml': pods,
    '/ws/labs/other/pods.yaml': pods,
  };
  assert.deepEqual(configDiagnostics(files), []);
  const kinds = Object.fromEntries(
    workspaceOf(files)
      .clusters()
      .map((c) => [c.name, c.network.cni]),
  );
  assert.deepEqual(
    { lab: kinds['flannel-lab']?.kind, from: kinds['flannel-lab']?.from, other: kinds.ws?.kind },
    { lab: 'flannel', from: 'project-config', other: 'unknown' },
  );
});
