import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { type Files, loadExample, workspaceOf } from './helpers';
import { hoverAt } from '../../server/src/features/hover';
import { pathToUri } from '../../server/src/model/workspace';

/** The hover at `needle` in `file` (1 character in), with the text it covers. */
function hover(files: Files, file: string, needle: string) {
  const index = files[file].indexOf(needle);
  assert.ok(index >= 0, `${needle} not in ${file}`);
  const result = hoverAt(workspaceOf(files), pathToUri(file), index + 1);
  assert.ok(result, `no hover at ${needle}`);
  return { ...result, covered: files[file].slice(result.range[0], result.range[1]) };
}

const includesAll = (markdown: string, parts: string[]) => {
  for (const part of parts) assert.ok(markdown.includes(part), `missing ${JSON.stringify(part)} in:\n${markdown}`);
};

const operator = loadExample('calico-operator');
const INSTALLATION = '/ws/calico-operator/installation.yaml';

test('hover on an Installation pool: range, blocks, IPIP across subnets, the nodes and their blocks', () => {
  const h = hover(operator, INSTALLATION, 'IPIPCrossSubnet');
  assert.equal(h.covered, 'IPIPCrossSubnet');
  includesAll(h.markdown, [
    '**Installation pool `default-ipv4-ippool`**',
    '`10.48.0.0/16`: 65,536 addresses',
    'blocks of /26 (64 addresses each): 1,024 blocks',
    'IP-in-IP to nodes in another subnet: `tunl0`',
    'within one subnet no tunnel',
    'nodeSelector `all()` matches 3 of 3 nodes',
    '`10.48.77.0/26` (observed',
  ]);
  // The same pool hovered at its CIDR tells the same.
  const cidr = hover(operator, INSTALLATION, '10.48.0.0/16');
  assert.equal(cidr.covered, '10.48.0.0/16');
  assert.equal(cidr.markdown, h.markdown);
});

test('hover on a pool whose selector matches no node says so; defaults are marked', () => {
  const files: Files = {
    ...operator,
    [INSTALLATION]: operator[INSTALLATION].replace('nodeSelector: all()', "nodeSelector: tier == 'gpu'").replace(
      '      blockSize: 26\n',
      '',
    ),
  };
  const h = hover(files, INSTALLATION, "tier == 'gpu'");
  includesAll(h.markdown, ["nodeSelector `tier == 'gpu'` matches none of the 3 known nodes", '*(default:']);
});

test('hover on an env pool that IPPool objects make unused says why first', () => {
  const files: Files = {
    '/ws/calico.yaml':
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: calico-node\n  namespace: kube-system\nspec:\n' +
      '  template:\n    spec:\n      containers:\n      - name: calico-node\n        image: calico/node:v3.26.1\n' +
      '        env:\n        - name: CALICO_IPV4POOL_CIDR\n          value: "10.50.0.0/16"\n' +
      '        - name: CALICO_IPV4POOL_IPIP\n          value: Always\n',
    '/ws/pool.yaml':
      'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: main\nspec:\n  cidr: 10.60.0.0/16\n' +
      '  vxlanMode: Always\n',
  };
  const env = hover(files, '/ws/calico.yaml', '10.50.0.0/16');
  assert.equal(env.covered, '10.50.0.0/16');
  const [title, , first] = env.markdown.split('\n');
  assert.match(title, /default pool/);
  assert.match(first, /^- \*\*Not used:\*\* .*IPPool main exists/);
  const pool = hover(files, '/ws/pool.yaml', 'Always');
  includesAll(pool.markdown, [
    '**IPPool (projectcalico.org/v3) `main`**',
    'VXLAN to every other node: `vxlan.calico` (VNI 4096, UDP 4789',
  ]);
  assert.ok(!pool.markdown.includes('Not used'));
});
