// Runs the engine on a small built-in cluster while the server is idle after indexing: the YAML parser,
// the rules and the topology are then compiled by the JavaScript engine before the first large file
// arrives, which otherwise pays for that compilation (a first parse takes about four times as long as
// later ones). The work is cut into slices with a turn of the event loop between them, so a request
// that arrives meanwhile waits for one slice at most.
import { diagnoseWorkspace } from '../engine';
import { Workspace } from '../model/workspace';
import { buildTopology } from '../topology/build';

const NET_CONF = '    {\n      "Network": "10.244.0.0/16",\n      "Backend": {\n        "Type": "vxlan"\n      }\n    }\n';
const URI = 'untitled:/podnet-warmup/cluster.yaml';

export function warmUpSample(pods: number): string {
  const configMap = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kube-flannel-cfg\n  namespace: kube-flannel\ndata:\n  net-conf.json: |\n${NET_CONF}`;
  const nodes = [1, 2].map((n) => `apiVersion: v1\nkind: Node\nmetadata:\n  name: node-${n}\nspec:\n  podCIDR: 10.244.${n}.0/24\nstatus:\n  addresses:\n  - type: InternalIP\n    address: 192.168.0.${n}\n`);
  const podDocs = Array.from({ length: pods }, (_, i) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: "pod-${i}"\n  labels: {app: web}\nspec:\n  nodeName: node-${1 + (i % 2)}\n  containers:\n  - name: web\n    image: 'nginx'\n    command: ["sh", "-c", "sleep 1"]\n    ports:\n    - containerPort: 80\n`);
  return [configMap, ...nodes, ...podDocs].join('---\n');
}

/** Pods in the sample of one round, and rounds: about 0.3 s of work on a cold start. */
const PODS_PER_ROUND = 40;
const ROUNDS = 16;

export async function warmUpInSlices(nextTurn: () => Promise<void>): Promise<void> {
  const text = warmUpSample(PODS_PER_ROUND);
  const edited = text.replace('name: "pod-7"', 'name: "pod-7x"');
  for (let round = 0; round < ROUNDS; round++) {
    const workspace = new Workspace({ roots: ['/podnet-warmup'] });
    workspace.setFile(URI, text);
    diagnoseWorkspace(workspace);
    await nextTurn();
    workspace.setFile(URI, edited);
    diagnoseWorkspace(workspace);
    await nextTurn();
    for (const cluster of workspace.clusters()) buildTopology(cluster);
    await nextTurn();
  }
}
