// A large cluster written as people export one (`kubectl get nodes,pods -o yaml`, trimmed): the flannel
// ConfigMap, `nodes` Node objects with their podCIDRs and InternalIPs, and `pods` Pods spread over them.
// Deterministic, generated at test time rather than committed: 10,000 Pods are 200,000 lines.

export const largeNodeName = (i: number) => `worker-${String(i + 1).padStart(3, '0')}`;

const APPS = ['web', 'cart', 'checkout', 'catalog', 'search', 'thumbnails', 'auth', 'metrics'];
const NAMESPACES = ['shop', 'payments', 'search', 'media'];

export function largeCluster(nodes: number, pods: number): Record<string, string> {
  const flannel = `apiVersion: v1
kind: ConfigMap
metadata:
  name: kube-flannel-cfg
  namespace: kube-flannel
data:
  net-conf.json: |
    {
      "Network": "10.244.0.0/16",
      "Backend": {
        "Type": "vxlan"
      }
    }
`;
  const nodeDocs: string[] = [];
  for (let i = 0; i < nodes; i++)
    nodeDocs.push(`apiVersion: v1
kind: Node
metadata:
  name: ${largeNodeName(i)}
spec:
  podCIDR: 10.244.${i + 1}.0/24
status:
  addresses:
  - type: InternalIP
    address: 192.168.${16 + Math.floor(i / 250)}.${(i % 250) + 1}
`);
  const podDocs: string[] = [];
  for (let i = 0; i < pods; i++) {
    const hash = ((i * 2654435761) >>> 0).toString(16).padStart(8, '0').slice(0, 5);
    podDocs.push(`apiVersion: v1
kind: Pod
metadata:
  name: ${APPS[i % APPS.length]}-${hash}
  namespace: ${NAMESPACES[i % NAMESPACES.length]}
spec:
  nodeName: ${largeNodeName(i % nodes)}
  containers:
  - name: app
    image: registry.example.com/${APPS[i % APPS.length]}:1.${i % 9}
`);
  }
  return {
    'kube-flannel-cfg.yaml': flannel,
    'nodes.yaml': nodeDocs.join('---\n'),
    'pods.yaml': podDocs.join('---\n'),
  };
}
