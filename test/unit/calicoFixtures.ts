// Calico manifests for the rule tests: the home-lab calico.yaml fixture (calico-config, calico-node with
// env), and IPPool, Installation and Node documents shaped like what people commit.
import * as fs from 'fs';
import * as path from 'path';
import { type Files, FIXTURES, mutate } from './helpers';

export const CALICO = '/ws/calico/calico.yaml';

/** calico.yaml as a home lab commits it: BIRD, IPIP Always, CALICO_IPV4POOL_CIDR 10.60.0.0/16, /24 blocks. */
export const calicoManifest = (): Files => ({
  [CALICO]: fs.readFileSync(path.join(FIXTURES, 'calico-manifest', 'calico.yaml'), 'utf8'),
});

/** Replaces the only occurrence of `from` in calico.yaml. */
export const edited = (from: string, to: string, files = calicoManifest()): Files => mutate(files, CALICO, from, to);

/** Sets a calico-node env value (`name` must be in the fixture). */
export function withEnv(name: string, value: string, files = calicoManifest()): Files {
  const pattern = new RegExp(`(- name: ${name}\\n\\s+value: )"[^"]*"`);
  const text = files[CALICO];
  if (!pattern.test(text)) throw new Error(`no env ${name} in the fixture`);
  return { ...files, [CALICO]: text.replace(pattern, `$1"${value}"`) };
}

/** Adds a calico-node env entry after CALICO_IPV4POOL_CIDR. */
export const addEnv = (name: string, value: string, files = calicoManifest()): Files =>
  edited(
    '            - name: CALICO_IPV4POOL_BLOCK_SIZE\n',
    `            - name: ${name}\n              value: "${value}"\n            - name: CALICO_IPV4POOL_BLOCK_SIZE\n`,
    files,
  );

export function ipPool(name: string, spec: string, api = 'projectcalico.org/v3'): string {
  return `apiVersion: ${api}\nkind: IPPool\nmetadata:\n  name: ${name}\nspec:\n${spec.replace(/^/gm, '  ')}\n`;
}

export function installation(calicoNetwork: string, extra = ''): string {
  return (
    'apiVersion: operator.tigera.io/v1\nkind: Installation\nmetadata:\n  name: default\nspec:\n' +
    `  calicoNetwork:\n${calicoNetwork.replace(/^/gm, '    ')}\n${extra}`
  );
}

export function node(name: string, ip: string, labels: Record<string, string> = {}, annotations = ''): string {
  const labelLines = Object.entries({ 'kubernetes.io/hostname': name, ...labels })
    .map(([k, v]) => `    ${k}: "${v}"`)
    .join('\n');
  return (
    `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${name}\n  labels:\n${labelLines}\n` +
    (annotations ? `  annotations:\n${annotations.replace(/^/gm, '    ')}\n` : '') +
    `status:\n  addresses:\n  - type: InternalIP\n    address: ${ip}\n`
  );
}

export const kubeadm = (podSubnet: string, serviceSubnet = '10.96.0.0/12') =>
  'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n' +
  `  podSubnet: ${podSubnet}\n  serviceSubnet: ${serviceSubnet}\n`;
