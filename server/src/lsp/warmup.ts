// Runs the engine a few times on a small built-in cluster when the server starts, before it reads the
// workspace: the YAML parser and the rules are then compiled by the JavaScript engine when the first
// real file arrives, which otherwise pays for that compilation (a few hundred milliseconds on a large file).
import { diagnoseWorkspace } from '../engine';
import { Workspace } from '../model/workspace';
import { buildTopology } from '../topology/build';

const NET_CONF = '    {\n      "Network": "10.244.0.0/16",\n      "Backend": {\n        "Type": "vxlan"\n      }\n    }\n';

function sample(pods: number): string {
  const configMap = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kube-flannel-cfg\n  namespace: kube-flannel\ndata:\n  net-conf.json: |\n${NET_CONF}`;
  const nodes = [1, 2].map((n) => `apiVersion: v1\nkind: Node\nmetadata:\n  name: node-${n}\nspec:\n  podCIDR: 10.244.${n}.0/24\nstatus:\n  addresses:\n  - type: InternalIP\n    address: 192.168.0.${n}\n`);
  const podDocs = Array.from({ length: pods }, (_, i) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: "pod-${i}"\n  labels: {app: web}\nspec:\n  nodeName: node-${1 + (i % 2)}\n  containers:\n  - name: web\n    image: 'nginx'\n    command: ["sh", "-c", "sleep 1"]\n    ports:\n    - containerPort: 80\n`);
  return [configMap, ...nodes, ...podDocs].join('---\n');
}

export function warmUp(): void {
  for (let round = 0; round < 2; round++) {
    const workspace = new Workspace({ roots: ['/podnet-warmup'] });
    let text = sample(120);
    workspace.setFile('untitled:/podnet-warmup/cluster.yaml', text);
    diagnoseWorkspace(workspace);
    text = text.replace('name: "pod-7"', 'name: "pod-7x"');
    workspace.setFile('untitled:/podnet-warmup/cluster.yaml', text);
    diagnoseWorkspace(workspace);
    for (const cluster of workspace.clusters()) buildTopology(cluster);
  }
}
