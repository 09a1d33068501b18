// The Calico lab of the Calico data-plane tests: test/fixtures/calico-dataplane and its variants.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { buildTopology } from '../../server/src/topology/build';
import { type NodeTopology, type Topology } from '../../server/src/topology/types';
import { type Files, FIXTURES, mutate, workspaceOf } from './helpers';

const DIR = '/ws/calico';
export const DS = `${DIR}/calico-node.yaml`;
export const CONFIG = `${DIR}/calico-config.yaml`;
export const NODES = `${DIR}/nodes.yaml`;
export const PODS = `${DIR}/pods.yaml`;

/** test/fixtures/calico-dataplane: calico.yaml (v3.28.1, IPIP Always), n1 and n2 in 10.0.1.0/24, n3 in 10.0.2.0/24. */
export function calicoLab(): Files {
  const dir = path.join(FIXTURES, 'calico-dataplane');
  const files: Files = {};
  for (const name of fs.readdirSync(dir)) files[`${DIR}/${name}`] = fs.readFileSync(path.join(dir, name), 'utf8');
  return files;
}

/** The pool's IPIP and VXLAN modes, and calico_backend. */
export function withModes(files: Files, ipip: string, vxlan: string, backend = 'bird'): Files {
  let out = mutate(files, DS, 'value: "Always"', `value: "${ipip}"`);
  out = mutate(
    out,
    DS,
    'CALICO_IPV4POOL_VXLAN\n              value: "Never"',
    `CALICO_IPV4POOL_VXLAN\n              value: "${vxlan}"`,
  );
  out = mutate(out, CONFIG, 'calico_backend: "bird"', `calico_backend: "${backend}"`);
  // VXLAN pools: calico-node writes the VXLAN tunnel address annotation instead of the IPIP one.
  if (vxlan !== 'Never') out = { ...out, [NODES]: out[NODES].replace(/IPv4IPIPTunnelAddr/g, 'IPv4VXLANTunnelAddr') };
  return out;
}

export const withVersion = (files: Files, version: string): Files =>
  mutate(files, DS, 'calico/node:v3.28.1', `calico/node:v${version}`);

export function topologyOf(files: Files): Topology {
  const [cluster] = workspaceOf(files).clusters();
  assert.equal(cluster.network.cni.kind, 'calico');
  return buildTopology(cluster);
}

export const nodeOf = (topology: Topology, name: string): NodeTopology => {
  const node = topology.nodes.find((n) => n.name === name);
  assert.ok(node, name);
  return node;
};
