// Clusters as repositories lay them out: a file joins the nearest folder at or above its own that holds
// CNI configuration; below none, the nearest folder with Node objects or a control-plane manifest.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { pathToUri, type Workspace } from '../../server/src/model/workspace';
import {
  coveredText,
  EXAMPLES,
  type Files,
  FIXTURES,
  flannelConfigMap,
  loadExample,
  mutate,
  single,
  withCode,
  workspaceOf,
} from './helpers';

/** Every YAML file below a folder, keyed as if the folder were the workspace `/ws`. */
function loadTree(dir: string, root = '/ws'): Files {
  const files: Files = {};
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry.name))
        files[path.posix.join(root, path.relative(dir, full).split(path.sep).join('/'))] = fs.readFileSync(
          full,
          'utf8',
        );
    }
  };
  walk(dir);
  return files;
}

const flannelRoot = () => loadTree(path.join(FIXTURES, 'layout', 'flannel-root'));
const KUBEADM = '/ws/scripts/install/kubeadm-config.yaml';

/** Cluster roots, each with its files relative to /ws. */
const layout = (workspace: Workspace) =>
  Object.fromEntries(
    workspace.clusters().map((c) => [c.root, c.files.map((f) => path.posix.relative('/ws', f.file.path)).sort()]),
  );

const kubeadm = (podSubnet: string) =>
  'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n' +
  `  podSubnet: ${podSubnet}\n  serviceSubnet: 10.96.0.0/12\n`;
const node = (name: string, podCIDR: string) =>
  `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${name}\nspec:\n  podCIDR: ${podCIDR}\n`;
const flannel = (network: string) => flannelConfigMap(`{"Network": "${network}", "Backend": {"Type": "vxlan"}}`);

test('flannel at the root and kubeadm in scripts/install are one cluster', () => {
  assert.deepEqual(layout(workspaceOf(flannelRoot())), {
    '/ws': ['kube-flannel.yml', 'scripts/install/kubeadm-config.yaml'],
  });
  assert.deepEqual(withCode(flannelRoot(), 'cluster-cidr-mismatch'), []);
});

test('a podSubnet in scripts/install outside the root flannel Network is cluster-cidr-mismatch', () => {
  const files = mutate(flannelRoot(), KUBEADM, 'podSubnet: 10.244.0.0/16', 'podSubnet: 10.245.0.0/16');
  const mismatch = single(files, 'cluster-cidr-mismatch');
  assert.equal(mismatch.uri, pathToUri(KUBEADM));
  assert.equal(coveredText(files, mismatch), '10.245.0.0/16');
  assert.match(mismatch.message, /not inside flannel's Network 10\.244\.0\.0\/16/);
});

test('sibling folders with their own flannel manifest stay separate clusters', () => {
  const files = {
    '/ws/prod/kube-flannel.yml': flannel('10.244.0.0/16'),
    '/ws/prod/install/kubeadm.yaml': kubeadm('10.244.0.0/16'),
    '/ws/staging/kube-flannel.yml': flannel('10.50.0.0/16'),
    '/ws/staging/install/kubeadm.yaml': kubeadm('10.244.0.0/16'),
  };
  assert.deepEqual(layout(workspaceOf(files)), {
    '/ws/prod': ['prod/install/kubeadm.yaml', 'prod/kube-flannel.yml'],
    '/ws/staging': ['staging/install/kubeadm.yaml', 'staging/kube-flannel.yml'],
  });
  // Each podSubnet is compared with its own cluster's Network only.
  const mismatches = withCode(files, 'cluster-cidr-mismatch');
  assert.deepEqual(
    mismatches.map((d) => d.uri),
    [pathToUri('/ws/staging/install/kubeadm.yaml')],
  );
});

test('a folder with its own CNI configuration below another is its own cluster', () => {
  const files = {
    '/ws/kube-flannel.yml': flannel('10.244.0.0/16'),
    '/ws/scripts/kubeadm.yaml': kubeadm('10.244.0.0/16'),
    '/ws/public/flannel/configmap.yaml': flannel('10.1.0.0/16'),
    '/ws/public/flannel/extra/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n',
  };
  assert.deepEqual(layout(workspaceOf(files)), {
    '/ws': ['kube-flannel.yml', 'scripts/kubeadm.yaml'],
    '/ws/public/flannel': ['public/flannel/configmap.yaml', 'public/flannel/extra/pod.yaml'],
  });
});

test('a flannel DaemonSet or a canal-config alone makes a folder a cluster root', () => {
  const daemonSet =
    'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: kube-flannel-ds\nspec:\n  template:\n    spec:\n' +
    '      containers:\n      - name: kube-flannel\n        image: ghcr.io/flannel-io/flannel:v0.26.1\n' +
    '        command: ["/opt/bin/flanneld"]\n        args: ["--kube-subnet-mgr"]\n';
  const canal = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: canal-config\ndata:\n  veth_mtu: "1450"\n';
  for (const cni of [daemonSet, canal]) {
    const files = { '/ws/net/cni.yaml': cni, '/ws/net/install/kubeadm.yaml': kubeadm('10.244.0.0/16') };
    assert.deepEqual(layout(workspaceOf(files)), { '/ws/net': ['net/cni.yaml', 'net/install/kubeadm.yaml'] });
  }
});

test('below no CNI configuration the nearest Node or control-plane folder is the root, as before', () => {
  const files = {
    '/ws/a/nodes.yaml': node('n1', '10.244.1.0/24'),
    '/ws/a/apps/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  nodeName: n1\n',
    '/ws/b/kubeadm.yaml': kubeadm('10.244.0.0/16'),
    '/ws/loose.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n',
  };
  assert.deepEqual(layout(workspaceOf(files)), {
    '/ws/a': ['a/apps/pod.yaml', 'a/nodes.yaml'],
    '/ws/b': ['b/kubeadm.yaml'],
    '/ws': ['loose.yaml'],
  });
});

test('every folder of examples/ stays one cluster of its own', () => {
  const files = loadTree(EXAMPLES);
  const clusters = workspaceOf(files).clusters();
  for (const folder of fs
    .readdirSync(EXAMPLES)
    .filter((name) => fs.statSync(path.join(EXAMPLES, name)).isDirectory())) {
    const holding = clusters.filter((c) => c.files.some((f) => f.file.path.startsWith(`/ws/${folder}/`)));
    assert.equal(holding.length, 1, `${folder} is in one cluster`);
    assert.deepEqual(
      holding[0].files.map((f) => f.file.path).filter((p) => !p.startsWith(`/ws/${folder}/`)),
      [],
      `${folder}'s cluster holds none of another example`,
    );
    // A .podnet.yaml (the seed examples name their CNI) is no manifest: it joins no cluster.
    const manifests = Object.keys(loadExample(folder)).filter((file) => !file.endsWith('/.podnet.yaml'));
    assert.equal(holding[0].files.length, manifests.length, folder);
  }
});

test('Node objects side by side below one shared flannel manifest are not merged', () => {
  const files = {
    '/ws/kube-flannel.yml': flannel('10.244.0.0/16'),
    '/ws/clusters/prod/nodes.yaml': node('node-1', '10.244.0.0/24'),
    '/ws/clusters/staging/nodes.yaml': node('node-1', '10.244.0.0/24'),
  };
  const workspace = workspaceOf(files);
  assert.deepEqual(layout(workspace), {
    '/ws': ['kube-flannel.yml'],
    '/ws/clusters/prod': ['clusters/prod/nodes.yaml'],
    '/ws/clusters/staging': ['clusters/staging/nodes.yaml'],
  });
  assert.deepEqual(withCode(files, 'podcidr-overlap'), [], "two clusters' first nodes do not overlap each other");
  const staging = workspace.explainClusters().find((e) => e.cluster.root === '/ws/clusters/staging')!;
  assert.equal(staging.basis.kind, 'marker');
  assert.deepEqual(staging.basis.kind === 'marker' && staging.basis.sharedCni, {
    folder: '/ws',
    nodeFolders: ['/ws/clusters/prod', '/ws/clusters/staging'],
  });
});

test('Node objects in one folder chain below the flannel manifest join it', () => {
  const files = {
    '/ws/kube-flannel.yml': flannel('10.244.0.0/16'),
    '/ws/nodes.yaml': node('node-1', '10.244.1.0/24'),
    '/ws/nodes/more/nodes.yaml': node('node-2', '10.9.2.0/24'),
  };
  assert.deepEqual(Object.keys(layout(workspaceOf(files))), ['/ws']);
  assert.equal(coveredText(files, single(files, 'podcidr-outside-network')), '10.9.2.0/24');
});

test('explanations say why each root is a root and why each file joined', () => {
  const explained = workspaceOf(flannelRoot()).explainClusters();
  assert.equal(explained.length, 1);
  const [only] = explained;
  assert.equal(only.basis.kind, 'cni');
  assert.deepEqual(only.basis.kind === 'cni' && only.basis.evidence, {
    file: '/ws/kube-flannel.yml',
    object: 'ConfigMap kube-flannel/kube-flannel-cfg (net-conf.json)',
  });
  assert.deepEqual(
    only.files.map((f) => [f.path, f.membership.kind]),
    [
      ['/ws/kube-flannel.yml', 'root'],
      [KUBEADM, 'cni-above'],
    ],
  );
});

test('a file becoming or ceasing to be CNI configuration regroups the files below it', () => {
  const files = {
    '/ws/kube-flannel.yml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kube-flannel\n',
    [KUBEADM]: kubeadm('10.245.0.0/16'),
  };
  const workspace = workspaceOf(files);
  const apart = { '/ws': ['kube-flannel.yml'], '/ws/scripts/install': ['scripts/install/kubeadm-config.yaml'] };
  const together = { '/ws': ['kube-flannel.yml', 'scripts/install/kubeadm-config.yaml'] };
  assert.deepEqual(layout(workspace), apart);
  workspace.setFile(pathToUri('/ws/kube-flannel.yml'), flannel('10.244.0.0/16'));
  assert.deepEqual(layout(workspace), together);
  // An edit that keeps the file's role keeps the grouping and rebuilds only its cluster.
  const [before] = workspace.clusters();
  workspace.setFile(pathToUri('/ws/kube-flannel.yml'), flannel('10.240.0.0/12'));
  assert.deepEqual(layout(workspace), together);
  assert.notEqual(workspace.clusters()[0], before);
  assert.equal(workspace.clusters()[0].network.netConf.network?.prefix, 12);
  workspace.setFile(pathToUri('/ws/kube-flannel.yml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n');
  assert.deepEqual(layout(workspace), apart);
  // A file that already held Nodes gains CNI configuration: a root before and after, but of another kind.
  workspace.setFile(pathToUri('/ws/kube-flannel.yml'), node('n1', '10.244.1.0/24'));
  assert.deepEqual(layout(workspace), apart);
  workspace.setFile(
    pathToUri('/ws/kube-flannel.yml'),
    `${node('n1', '10.244.1.0/24')}---\n${flannel('10.244.0.0/16')}`,
  );
  assert.deepEqual(layout(workspace), together);
  workspace.removeFile(pathToUri('/ws/kube-flannel.yml'));
  assert.deepEqual(layout(workspace), { '/ws/scripts/install': ['scripts/install/kubeadm-config.yaml'] });
});
