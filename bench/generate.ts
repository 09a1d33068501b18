// Deterministic manifests for the benchmark: a flannel install (ConfigMap + DaemonSet, in the shape of
// flannel's kube-flannel.yml), Node objects, one multi-document file of Pods, and a workspace of many
// small YAML files. Everything is derived from the sizes alone, so two runs see the same text.
import * as fs from 'fs';
import * as path from 'path';

/** A position in a file, LSP style (0-based line and UTF-16 character). */
export interface Position {
  line: number;
  character: number;
}

export interface ClusterFiles {
  dir: string;
  pods: number;
  nodes: number;
  nodeNames: string[];
  flannelPath: string;
  nodesPath: string;
  podsPath: string;
  flannelText: string;
  nodesText: string;
  podsText: string;
  /** Start of each Pod's spec.nodeName value, in pods.yml. */
  nodeNameAt: Position[];
  /** The node each Pod is scheduled on. */
  podNode: string[];
  podNames: string[];
  /** Start of the Network value's text (the first digit of "10.244.0.0/16") in kube-flannel.yml. */
  networkAt: Position;
  /** Pods whose nodeName is deliberately unknown, so the file has a diagnostic to publish on open. */
  baselineUnknown: number[];
}

export const NETWORK = '10.244.0.0/16';
const NAMESPACES = ['shop', 'payments', 'search', 'media', 'identity', 'ops'];
const APPS = ['web', 'cart', 'checkout', 'catalog', 'search', 'thumbnails', 'auth', 'metrics'];

/** The flannel install: Namespace, RBAC, ConfigMap kube-flannel-cfg and the DaemonSet. */
export function flannelManifest(network = NETWORK): string {
  return `# flannel install in the layout of flannel's kube-flannel.yml: Namespace, RBAC, ConfigMap, DaemonSet.
apiVersion: v1
kind: Namespace
metadata:
  name: kube-flannel
  labels:
    k8s-app: flannel
    pod-security.kubernetes.io/enforce: privileged
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata:
  labels:
    k8s-app: flannel
  name: flannel
rules:
- apiGroups:
  - ""
  resources:
  - pods
  verbs:
  - get
- apiGroups:
  - ""
  resources:
  - nodes
  verbs:
  - get
  - list
  - watch
- apiGroups:
  - ""
  resources:
  - nodes/status
  verbs:
  - patch
---
kind: ClusterRoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata:
  labels:
    k8s-app: flannel
  name: flannel
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: flannel
subjects:
- kind: ServiceAccount
  name: flannel
  namespace: kube-flannel
---
apiVersion: v1
kind: ServiceAccount
metadata:
  labels:
    k8s-app: flannel
  name: flannel
  namespace: kube-flannel
---
kind: ConfigMap
apiVersion: v1
metadata:
  name: kube-flannel-cfg
  namespace: kube-flannel
  labels:
    tier: node
    k8s-app: flannel
    app: flannel
data:
  cni-conf.json: |
    {
      "name": "cbr0",
      "cniVersion": "0.3.1",
      "plugins": [
        {
          "type": "flannel",
          "delegate": {
            "hairpinMode": true,
            "isDefaultGateway": true
          }
        },
        {
          "type": "portmap",
          "capabilities": {
            "portMappings": true
          }
        }
      ]
    }
  net-conf.json: |
    {
      "Network": "${network}",
      "EnableNFTables": false,
      "Backend": {
        "Type": "vxlan"
      }
    }
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: kube-flannel-ds
  namespace: kube-flannel
  labels:
    tier: node
    app: flannel
    k8s-app: flannel
spec:
  selector:
    matchLabels:
      app: flannel
  template:
    metadata:
      labels:
        tier: node
        app: flannel
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - key: kubernetes.io/os
                operator: In
                values:
                - linux
      hostNetwork: true
      priorityClassName: system-node-critical
      tolerations:
      - operator: Exists
        effect: NoSchedule
      serviceAccountName: flannel
      initContainers:
      - name: install-cni-plugin
        image: ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3
        command:
        - cp
        args:
        - -f
        - /flannel
        - /opt/cni/bin/flannel
        volumeMounts:
        - name: cni-plugin
          mountPath: /opt/cni/bin
      - name: install-cni
        image: ghcr.io/flannel-io/flannel:v0.28.9
        command:
        - cp
        args:
        - -f
        - /etc/kube-flannel/cni-conf.json
        - /etc/cni/net.d/10-flannel.conflist
        volumeMounts:
        - name: cni
          mountPath: /etc/cni/net.d
        - name: flannel-cfg
          mountPath: /etc/kube-flannel/
      containers:
      - name: kube-flannel
        image: ghcr.io/flannel-io/flannel:v0.28.9
        command:
        - /opt/bin/flanneld
        args:
        - --ip-masq
        - --kube-subnet-mgr
        resources:
          requests:
            cpu: "100m"
            memory: "50Mi"
        securityContext:
          privileged: false
          capabilities:
            add: ["NET_ADMIN", "NET_RAW"]
        env:
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: POD_NAMESPACE
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        - name: EVENT_QUEUE_DEPTH
          value: "5000"
        volumeMounts:
        - name: run
          mountPath: /run/flannel
        - name: flannel-cfg
          mountPath: /etc/kube-flannel/
        - name: xtables-lock
          mountPath: /run/xtables.lock
      volumes:
      - name: run
        hostPath:
          path: /run/flannel
      - name: cni-plugin
        hostPath:
          path: /opt/cni/bin
      - name: cni
        hostPath:
          path: /etc/cni/net.d
      - name: flannel-cfg
        configMap:
          name: kube-flannel-cfg
      - name: xtables-lock
        hostPath:
          path: /run/xtables.lock
          type: FileOrCreate
`;
}

export const nodeName = (i: number) => `worker-${String(i + 1).padStart(2, '0')}`;

/** Node objects as `kubectl get node -o yaml` shows them (trimmed), one document each. */
export function nodesManifest(count: number): string {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    // podCIDRs 10.244.<i+1>.0/24 inside Network; InternalIPs on the host network 192.168.16.0/20.
    const cidr = `10.244.${i + 1}.0/24`;
    const ip = `192.168.${16 + Math.floor((i + 10) / 250)}.${((i + 10) % 250) + 1}`;
    docs.push(`apiVersion: v1
kind: Node
metadata:
  name: ${nodeName(i)}
  labels:
    kubernetes.io/hostname: ${nodeName(i)}
    kubernetes.io/os: linux
    node.kubernetes.io/instance-type: m5.xlarge
spec:
  podCIDR: ${cidr}
  podCIDRs:
  - ${cidr}
status:
  addresses:
  - type: InternalIP
    address: ${ip}
  - type: Hostname
    address: ${nodeName(i)}
  capacity:
    cpu: "4"
    memory: 16Gi
    pods: "110"
`);
  }
  return `# ${count} Nodes with their pod CIDRs and InternalIPs.\n` + docs.join('---\n');
}

/** One Pod of ~32 lines: labels, nodeName, two containers with ports, env, resources and args. */
function podDocument(i: number, node: string): string {
  const app = APPS[i % APPS.length];
  const namespace = NAMESPACES[i % NAMESPACES.length];
  const hash = (((i * 2654435761) >>> 0) % 0xfffffff).toString(16).padStart(7, '0');
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${app}-${hash}-${String(i).padStart(5, '0')}
  namespace: ${namespace}
  labels:
    app: ${app}
    tier: backend
    pod-template-hash: ${hash}
spec:
  nodeName: ${node}
  restartPolicy: Always
  serviceAccountName: ${app}
  containers:
  - name: app
    image: registry.example.com/${namespace}/${app}:1.${i % 20}.${i % 7}
    ports:
    - containerPort: 8080
      protocol: TCP
    env:
    - name: LOG_LEVEL
      value: info
    resources:
      requests:
        cpu: 100m
        memory: 128Mi
  - name: proxy
    image: registry.example.com/mesh/envoy:1.30.${i % 4}
    args: ["--config-path", "/etc/envoy/envoy.yaml"]
    ports:
    - containerPort: 9901
      protocol: TCP
`;
}

export const RETIRED_NODE = 'worker-retired';

export function generateCluster(dir: string, pods: number, nodes: number): ClusterFiles {
  fs.mkdirSync(dir, { recursive: true });
  const nodeNames = Array.from({ length: nodes }, (_, i) => nodeName(i));
  const flannelText = flannelManifest();
  const nodesText = nodesManifest(nodes);

  const parts: string[] = [`# ${pods} Pods over ${nodes} nodes.\n`];
  const nodeNameAt: Position[] = [];
  const podNode: string[] = [];
  const podNames: string[] = [];
  // The first Pod still names a node that was removed: a realistic warning, and one that makes the
  // server publish a non-empty list when the file is opened.
  const baselineUnknown = [0];
  let line = 1;
  for (let i = 0; i < pods; i++) {
    const node = baselineUnknown.includes(i) ? RETIRED_NODE : nodeNames[i % nodes];
    const doc = (i > 0 ? '---\n' : '') + podDocument(i, node);
    const docLines = doc.split('\n');
    const at = docLines.findIndex((l) => l.startsWith('  nodeName: '));
    nodeNameAt.push({ line: line + at, character: '  nodeName: '.length });
    podNode.push(node);
    podNames.push(/name: (\S+)/.exec(doc)![1]);
    parts.push(doc);
    line += docLines.length - 1;
  }
  const podsText = parts.join('');

  const flannelLines = flannelText.split('\n');
  const networkLine = flannelLines.findIndex((l) => l.includes('"Network":'));
  const networkAt = { line: networkLine, character: flannelLines[networkLine].indexOf(NETWORK) };

  const files = {
    flannelPath: path.join(dir, 'kube-flannel.yml'),
    nodesPath: path.join(dir, 'nodes.yml'),
    podsPath: path.join(dir, 'pods.yml'),
  };
  fs.writeFileSync(files.flannelPath, flannelText);
  fs.writeFileSync(files.nodesPath, nodesText);
  fs.writeFileSync(files.podsPath, podsText);
  return {
    dir,
    pods,
    nodes,
    nodeNames,
    ...files,
    flannelText,
    nodesText,
    podsText,
    nodeNameAt,
    podNode,
    podNames,
    networkAt,
    baselineUnknown,
  };
}

export interface WorkspaceFiles {
  dir: string;
  files: string[];
  /** Small files with a local problem (an invalid Pod name), opened by the benchmark. */
  probes: string[];
}

/** A small manifest, 8–30 lines, of one of several kinds. */
function smallManifest(i: number, nodes: number): string {
  const app = `${APPS[i % APPS.length]}-${i}`;
  const namespace = NAMESPACES[i % NAMESPACES.length];
  switch (i % 5) {
    case 0:
      return `apiVersion: v1
kind: Pod
metadata:
  name: ${app}
  namespace: ${namespace}
  labels:
    app: ${app}
spec:
  nodeName: ${nodeName(i % nodes)}
  containers:
  - name: main
    image: registry.example.com/${namespace}/${app}:1.0.${i % 9}
    ports:
    - containerPort: 8080
`;
    case 1:
      return `apiVersion: v1
kind: Service
metadata:
  name: ${app}
  namespace: ${namespace}
spec:
  selector:
    app: ${app}
  ports:
  - name: http
    port: 80
    targetPort: 8080
`;
    case 2:
      return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${namespace}
spec:
  replicas: ${1 + (i % 3)}
  selector:
    matchLabels:
      app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
    spec:
      containers:
      - name: main
        image: registry.example.com/${namespace}/${app}:2.${i % 5}.0
        resources:
          requests:
            cpu: 50m
            memory: 64Mi
          limits:
            memory: 256Mi
        readinessProbe:
          httpGet:
            path: /healthz
            port: 8080
`;
    case 3:
      return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${app}-config
  namespace: ${namespace}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "search,thumbnails"
  settings.yaml: |
    server:
      port: 8080
      timeout: 30s
`;
    default:
      return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${app}-ingress
  namespace: ${namespace}
spec:
  podSelector:
    matchLabels:
      app: ${app}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: ${namespace}
    ports:
    - port: 8080
`;
  }
}

const probePod = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  nodeName: ${nodeName(0)}
  containers:
  - name: main
    image: registry.example.com/probe:1.0
`;

/**
 * `total` files in all: the cluster's flannel install and Nodes at the root, the rest in
 * apps/<team>/<service>/ folders of up to 25 files each.
 */
export function generateWorkspace(dir: string, total: number, nodes = 10): WorkspaceFiles {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const write = (rel: string, text: string) => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    files.push(file);
    return file;
  };
  write('kube-flannel.yml', flannelManifest());
  write('nodes.yml', nodesManifest(nodes));
  // Names with capitals: name-invalid, a diagnostic that depends on nothing but the file itself.
  const probes = [
    write('apps/team-00/probe/Probe-During.yaml', probePod('Probe_During_Indexing')),
    write('apps/team-01/probe/Probe-Idle.yaml', probePod('Probe_When_Idle')),
  ];
  for (let i = 0; files.length < total; i++) {
    const team = Math.floor(i / 100);
    const service = Math.floor(i / 25) % 4;
    const name = `${i % 2 ? 'manifest' : 'config'}-${i}.${i % 3 ? 'yaml' : 'yml'}`;
    write(`apps/team-${String(team).padStart(2, '0')}/svc-${service}/${name}`, smallManifest(i, nodes));
  }
  return { dir, files, probes };
}
