// Runs the engine on a small built-in cluster while the server is idle after indexing: the YAML parser,
// the rules and the topology are then compiled by the JavaScript engine before the first large file
// arrives, which otherwise pays for that compilation (a first parse takes about four times as long as
// later ones). The work is cut into slices with a turn of the event loop between them, so a request
// that arrives meanwhile waits for one slice at most.
import { diagnoseWorkspace } from '../engine';
import { Workspace } from '../model/workspace';
import { buildTopology } from '../topology/build';

const NET_CONF =
  '    {\n      "Network": "10.244.0.0/16",\n      "Backend": {\n        "Type": "vxlan"\n      }\n    }\n';
const URI = 'untitled:/podnet-warmup/cluster.yaml';

export function warmUpSample(pods: number): string {
  const configMap =
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kube-flannel-cfg\n  namespace: kube-flannel\ndata:\n  ` +
    `net-conf.json: |\n${NET_CONF}`;
  const nodes = [1, 2].map(
    (n) =>
      `apiVersion: v1\nkind: Node\nmetadata:\n  name: node-${n}\nspec:\n  podCIDR: ` +
      `10.244.${n}.0/24\nstatus:\n  addresses:\n  - type: InternalIP\n    address: 192.168.0.${n}\n`,
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
  nodeName: node-${1 + (i % 2)}
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

/** Warms up until done or until `interrupted()`: once real files are being edited, they warm the engine themselves. */
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
    const slices = [
      analyse(text),
      analyse(text.replace('name: "web-3"', 'name: "web-3x"')),
      () => workspace.clusters().forEach((cluster) => buildTopology(cluster)),
    ];
    for (const slice of slices) {
      if (interrupted()) return;
      slice();
      await nextTurn();
    }
  }
}
