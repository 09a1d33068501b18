// The workload-heavy benchmark case (issue 13): a 50-node kubeadm cluster whose pods come from
// controllers, not Pod objects — the flannel DaemonSet, a handful of node agents (DaemonSets with
// tolerations, nodeSelectors, host ports) and Deployments whose replicas bring the cluster to at least
// 5,000 predicted pods. Deterministic: derived from the pod target alone.
import * as fs from 'fs';
import * as path from 'path';
import { flannelManifest, type Position } from './generate';

export interface WorkloadClusterFiles {
  dir: string;
  nodes: number;
  /** The pods the controllers run by construction (DaemonSets on the nodes they tolerate, replicas). */
  pods: number;
  daemonSets: number;
  deployments: number;
  flannelPath: string;
  nodesPath: string;
  workloadsPath: string;
  flannelText: string;
  nodesText: string;
  workloadsText: string;
  /** Start of each DaemonSet's metadata.name value in workloads.yml (the edits typo it). */
  daemonSetNameAt: Position[];
  /** The debug Pod whose nodeName names a retired node: workloads.yml always has that warning. */
  baselineLine: number;
  /** Start of the Network value's text in kube-flannel.yml. */
  networkAt: Position;
}

export const WORKLOAD_NODES = 50;
const CONTROL_PLANE = 'control-plane-01';
const worker = (i: number) => `worker-${String(i + 1).padStart(2, '0')}`;
const ZONES = ['zone-a', 'zone-b', 'zone-c'];
/** Every tenth worker is a GPU node, tainted so that only what tolerates it lands there. */
const isGpu = (i: number) => i % 10 === 9;

/** One kubeadm control plane (tainted) and 49 workers in three zones, some of them GPU nodes. */
function nodesManifest(workers: number): string {
  const node = (name: string, i: number, labels: string[], taints: string[]) => `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels:
    kubernetes.io/hostname: ${name}
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
${labels.map((l) => `    ${l}\n`).join('')}spec:
  podCIDR: 10.244.${i}.0/24
  podCIDRs:
  - 10.244.${i}.0/24
${taints.length ? `  taints:\n${taints.join('')}` : ''}status:
  addresses:
  - type: InternalIP
    address: 10.20.${Math.floor(i / 200)}.${(i % 200) + 10}
  - type: Hostname
    address: ${name}
  capacity:
    cpu: "16"
    memory: 64Gi
    pods: "110"
`;
  const docs = [
    node(
      CONTROL_PLANE,
      0,
      ['node-role.kubernetes.io/control-plane: ""', 'node.kubernetes.io/exclude-from-external-load-balancers: ""'],
      ['  - key: node-role.kubernetes.io/control-plane\n    effect: NoSchedule\n'],
    ),
  ];
  for (let i = 0; i < workers; i++) {
    const labels = [`topology.kubernetes.io/zone: ${ZONES[i % 3]}`, `node-pool: ${isGpu(i) ? 'gpu' : 'general'}`];
    const taints = isGpu(i) ? ['  - key: nvidia.com/gpu\n    value: present\n    effect: NoSchedule\n'] : [];
    docs.push(node(worker(i), i + 1, labels, taints));
  }
  return `# ${workers + 1} Nodes as \`kubectl get nodes -o yaml\` lists them (trimmed).\n` + docs.join('---\n');
}

interface Agent {
  name: string;
  namespace: string;
  hostNetwork: boolean;
  port?: number;
  /** Extra lines of the pod spec (tolerations, nodeSelector), indented for `    spec:`. */
  spec: string;
  /** Which nodes it runs on: control plane, plain worker, GPU worker. */
  on: { controlPlane: boolean; worker: boolean; gpu: boolean };
}

const TOLERATE_ALL = '      tolerations:\n      - operator: Exists\n';
const TOLERATE_CP =
  '      tolerations:\n      - key: node-role.kubernetes.io/control-plane\n        operator: Exists\n' +
  '        effect: NoSchedule\n';

/** Node agents as clusters run them; `on` follows from their tolerations and selectors. */
const AGENTS: Agent[] = [
  {
    name: 'kube-proxy',
    namespace: 'kube-system',
    hostNetwork: true,
    spec: `      nodeSelector:\n        kubernetes.io/os: linux\n${TOLERATE_ALL}`,
    on: { controlPlane: true, worker: true, gpu: true },
  },
  {
    name: 'node-exporter',
    namespace: 'monitoring',
    hostNetwork: true,
    port: 9100,
    spec: TOLERATE_CP,
    on: { controlPlane: true, worker: true, gpu: false },
  },
  {
    name: 'fluent-bit',
    namespace: 'logging',
    hostNetwork: false,
    port: 2020,
    spec: '',
    on: { controlPlane: false, worker: true, gpu: false },
  },
  {
    name: 'csi-node',
    namespace: 'storage',
    hostNetwork: true,
    port: 9809,
    spec: TOLERATE_ALL,
    on: { controlPlane: true, worker: true, gpu: true },
  },
  {
    name: 'node-problem-detector',
    namespace: 'kube-system',
    hostNetwork: false,
    spec: TOLERATE_ALL,
    on: { controlPlane: true, worker: true, gpu: true },
  },
  {
    name: 'nvidia-device-plugin',
    namespace: 'kube-system',
    hostNetwork: false,
    spec:
      '      nodeSelector:\n        node-pool: gpu\n      tolerations:\n      - key: nvidia.com/gpu\n' +
      '        operator: Exists\n        effect: NoSchedule\n',
    on: { controlPlane: false, worker: false, gpu: true },
  },
  {
    name: 'security-agent',
    namespace: 'security',
    hostNetwork: true,
    port: 8765,
    spec: `${TOLERATE_CP}      - key: nvidia.com/gpu\n        operator: Exists\n        effect: NoSchedule\n`,
    on: { controlPlane: true, worker: true, gpu: true },
  },
];

function daemonSetDocument(agent: Agent): string {
  const ports = agent.port ? `        ports:\n        - name: metrics\n          containerPort: ${agent.port}\n` : '';
  return `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${agent.name}
  namespace: ${agent.namespace}
  labels:
    app.kubernetes.io/name: ${agent.name}
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: ${agent.name}
  updateStrategy:
    type: RollingUpdate
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${agent.name}
    spec:
${agent.hostNetwork ? '      hostNetwork: true\n' : ''}      priorityClassName: system-node-critical
${agent.spec}      containers:
      - name: ${agent.name}
        image: registry.example.com/agents/${agent.name}:1.4.2
${ports}        resources:
          requests:
            cpu: 50m
            memory: 64Mi
`;
}

const NAMESPACES = ['shop', 'payments', 'search', 'media', 'identity', 'ops'];
const APPS = ['web', 'cart', 'checkout', 'catalog', 'search', 'thumbnails', 'auth', 'metrics'];

/**
 * A Deployment of `replicas`; every fourth sticks to a zone, every fourth stays off the GPU nodes by
 * required node affinity, the others go anywhere the scheduler may put them.
 */
function deploymentDocument(i: number, replicas: number): string {
  const app = `${APPS[i % APPS.length]}-${Math.floor(i / APPS.length) + 1}`;
  const namespace = NAMESPACES[i % NAMESPACES.length];
  const placement =
    i % 4 === 1
      ? `      nodeSelector:\n        topology.kubernetes.io/zone: ${ZONES[i % 3]}\n`
      : i % 4 === 2
        ? '      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n' +
          '            nodeSelectorTerms:\n            - matchExpressions:\n              - key: node-pool\n' +
          '                operator: NotIn\n                values: ["gpu"]\n'
        : '';
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${namespace}
  labels:
    app: ${app}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
        tier: backend
    spec:
${placement}      containers:
      - name: app
        image: registry.example.com/${namespace}/${app}:2.${i % 9}.0
        ports:
        - containerPort: 8080
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
        readinessProbe:
          httpGet:
            path: /healthz
            port: 8080
`;
}

export const RETIRED_NODE = 'worker-retired';

/** A debug pod left behind on a node that is gone: the file always carries one nodename-unknown. */
const debugPod = `apiVersion: v1
kind: Pod
metadata:
  name: netshoot-debug
  namespace: ops
spec:
  nodeName: ${RETIRED_NODE}
  containers:
  - name: netshoot
    image: nicolaka/netshoot:v0.13
    command: ["sleep", "infinity"]
`;

/** How many nodes of the cluster the agent runs on. */
function agentPods(agent: Agent, workers: number): number {
  let n = agent.on.controlPlane ? 1 : 0;
  for (let i = 0; i < workers; i++) if (isGpu(i) ? agent.on.gpu : agent.on.worker) n++;
  return n;
}

export function generateWorkloadCluster(dir: string, minPods = 5000): WorkloadClusterFiles {
  fs.mkdirSync(dir, { recursive: true });
  const workers = WORKLOAD_NODES - 1;
  const flannelText = flannelManifest();
  const nodesText = nodesManifest(workers);
  // flannel's DaemonSet tolerates every NoSchedule taint: one pod per node.
  let pods = WORKLOAD_NODES + AGENTS.reduce((sum, agent) => sum + agentPods(agent, workers), 0);

  const docs: string[] = [debugPod];
  for (const agent of AGENTS) docs.push(daemonSetDocument(agent));
  let deployments = 0;
  while (pods < minPods) {
    // 40 to 160 replicas, the last one what is left.
    const replicas = Math.min(40 + ((deployments * 37) % 121), minPods - pods);
    docs.push(deploymentDocument(deployments, replicas));
    pods += replicas;
    deployments++;
  }
  const workloadsText =
    `# ${AGENTS.length} node agents and ${deployments} Deployments: ${pods} pods with flannel's.\n` +
    docs.join('---\n');

  const lines = workloadsText.split('\n');
  const daemonSetNameAt: Position[] = [];
  for (let l = 0; l < lines.length; l++) {
    if (lines[l] !== 'kind: DaemonSet') continue;
    const at = lines.findIndex((text, k) => k > l && text.startsWith('  name: '));
    daemonSetNameAt.push({ line: at, character: '  name: '.length });
  }
  const baselineLine = lines.indexOf(`  nodeName: ${RETIRED_NODE}`);

  const flannelLines = flannelText.split('\n');
  const networkLine = flannelLines.findIndex((l) => l.includes('"Network":'));
  const networkAt = { line: networkLine, character: flannelLines[networkLine].indexOf('10.244.0.0/16') };

  const files = {
    flannelPath: path.join(dir, 'kube-flannel.yml'),
    nodesPath: path.join(dir, 'nodes.yml'),
    workloadsPath: path.join(dir, 'workloads.yml'),
  };
  fs.writeFileSync(files.flannelPath, flannelText);
  fs.writeFileSync(files.nodesPath, nodesText);
  fs.writeFileSync(files.workloadsPath, workloadsText);
  return {
    dir,
    nodes: WORKLOAD_NODES,
    pods,
    daemonSets: AGENTS.length + 1,
    deployments,
    ...files,
    flannelText,
    nodesText,
    workloadsText,
    daemonSetNameAt,
    baselineLine,
    networkAt,
  };
}
