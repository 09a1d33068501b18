// Runs the engine on a small built-in cluster while the server is idle after indexing: the YAML parser,
// the rules, the topology and its wire form are then compiled by the JavaScript engine before the first large file
// arrives, which otherwise pays for that compilation (a first parse takes about four times as long as
// later ones). The work is cut into slices with a turn of the event loop between them, so a request
// that arrives meanwhile waits for one slice at most.
import { diagnoseWorkspace } from '../engine';
import { Workspace } from '../model/workspace';
import { buildTopology } from '../topology/build';
import { topologyToWire } from '../topology/wire';

const NET_CONF =
  '    {\n      "Network": "10.244.0.0/16",\n      "Backend": {\n        "Type": "vxlan"\n      }\n    }\n';
const URI = 'untitled:/podnet-warmup/cluster.yaml';
export const WARM_UP_NODES = 8;

export function warmUpSample(pods: number): string {
  const configMap =
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kube-flannel-cfg\n  namespace: kube-flannel\ndata:\n  ` +
    `net-conf.json: |\n${NET_CONF}`;
  // Several nodes: a node's tables (routes, neighbours, FDB) list every other node, and warm up with them.
  const nodes = Array.from(
    { length: WARM_UP_NODES },
    (_, i) =>
      `apiVersion: v1\nkind: Node\nmetadata:\n  name: node-${i + 1}\nspec:\n  podCIDR: ` +
      `10.244.${i + 1}.0/24\nstatus:\n  addresses:\n  - type: InternalIP\n    address: 192.168.0.${i + 1}\n`,
  );
  // The fields most Pods have, in the usual scalar styles, so that the paths real files take are warm.
  const podDocs = Array.from(
    { length: pods },
    (_, i) => `apiVersion: v1
kind: Pod
metadata:
  name: "web-${i}"
  namespace: shop
  labels:
    app: web
    tier: front
  annotations: {team: 'payments'}
spec:
  nodeName: node-${1 + (i % WARM_UP_NODES)}
  restartPolicy: Always
  containers:
  - name: web
    image: 'nginx:1.27'
    command: ["sh", "-c", "sleep ${i}"]
    ports:
    - containerPort: 80
      protocol: TCP
    env:
    - name: MODE
      value: "prod"
    - name: POD_IP
      valueFrom:
        fieldRef:
          fieldPath: status.podIP
    resources:
      requests: {cpu: 100m, memory: 64Mi}
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: data
    emptyDir: {}
`,
  );
  return [configMap, ...nodes, ...podDocs].join('---\n');
}

/**
 * Pods in the sample of each round: small ones first, while the code still runs unoptimised, so that
 * no slice takes long (about 40 ms at most); about 0.35 s of work in all on a cold start.
 */
const ROUND_SIZES = [5, 10, 20, ...new Array<number>(13).fill(40)];
export const WARM_UP_ROUNDS = ROUND_SIZES.length;

/**
 * Warms up until done. Once `interrupted()` (real files are being edited, and warm the parser and the
 * rules themselves), each round only reads its sample and builds the topology and its wire form, without
 * the rules: the panel asks for those later, and its first request would otherwise run them unoptimised.
 */
export async function warmUpInSlices(
  nextTurn: () => Promise<void>,
  interrupted: () => boolean = () => false,
): Promise<void> {
  for (const pods of ROUND_SIZES) {
    const text = warmUpSample(pods);
    const workspace = new Workspace({ roots: ['/podnet-warmup'] });
    const analyse = (source: string) => () => {
      workspace.setFile(URI, source);
      diagnoseWorkspace(workspace);
    };
    for (const slice of [analyse(text), analyse(text.replace('name: "web-3"', 'name: "web-3x"'))]) {
      if (interrupted()) break;
      slice();
      await nextTurn();
    }
    if (!workspace.getFile(URI)) workspace.setFile(URI, text);
    for (const cluster of workspace.clusters()) topologyToWire(buildTopology(cluster));
    await nextTurn();
  }
}
