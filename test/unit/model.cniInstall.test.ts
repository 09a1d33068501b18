import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isMap, parseDocument } from 'yaml';
import { copyOperations } from '../../server/src/model/cniInstall';
import { get, textItems } from '../../server/src/core/yamlAccess';

/** The copy operations of a container written as YAML (`command:` and `args:` keys), with covered text. */
function operations(yamlText: string, directories: string[] = []) {
  const doc = parseDocument(yamlText, { keepSourceTokens: false });
  assert.ok(isMap(doc.contents));
  const items = [...textItems(get(doc.contents, 'command')), ...textItems(get(doc.contents, 'args'))];
  return copyOperations(items, yamlText, directories).map((op) => ({
    command: op.command,
    source: op.source,
    target: op.target,
    covered: yamlText.slice(op.range[0], op.range[1]),
  }));
}

test('exec form: cp, cp -f, mv, install -m 644', () => {
  assert.deepEqual(operations('command: [cp]\nargs: [-f, /a/cni-conf.json, /etc/cni/net.d/10-flannel.conf]\n'), [
    {
      command: 'cp',
      source: '/a/cni-conf.json',
      target: '/etc/cni/net.d/10-flannel.conf',
      covered: '/etc/cni/net.d/10-flannel.conf',
    },
  ]);
  assert.equal(operations('command: [mv, /a/x, /b/y]\n')[0].target, '/b/y');
  const install = operations('command: [/usr/bin/install, -m, "644", /a/x.json, "/b/x.conflist"]\n');
  assert.deepEqual(install[0], {
    command: 'install',
    source: '/a/x.json',
    target: '/b/x.conflist',
    covered: '/b/x.conflist',
  });
  assert.deepEqual(operations('command: [install, -d, /a, /b]\n'), []);
  assert.equal(operations('command: [cp, -t, /dir, /a/x]\n')[0].target, '/dir/x');
});

test('a directory destination takes the source basename', () => {
  assert.equal(
    operations('command: [cp, /a/cni-conf.json, /etc/cni/net.d/]\n')[0].target,
    '/etc/cni/net.d/cni-conf.json',
  );
  assert.equal(
    operations('command: [cp, /a/cni-conf.json, /etc/cni/net.d]\n', ['/etc/cni/net.d/'])[0].target,
    '/etc/cni/net.d/cni-conf.json',
  );
  assert.equal(operations('command: [cp, /a/cni-conf.json, /etc/cni/net.d]\n')[0].target, '/etc/cni/net.d');
});

test('sh -c scripts: commands split on ; && || | & and newlines, exact ranges inside the string', () => {
  const text =
    'command: [ "/bin/sh", "-c", "set -e -x; cp -f /a/cni-conf.json /etc/cni/net.d/10-flannel.conf && ' +
    "mv /x '/y z'; while true; do sleep 3600; done\" ]\n";
  assert.deepEqual(operations(text), [
    {
      command: 'cp',
      source: '/a/cni-conf.json',
      target: '/etc/cni/net.d/10-flannel.conf',
      covered: '/etc/cni/net.d/10-flannel.conf',
    },
    { command: 'mv', source: '/x', target: '/y z', covered: "'/y z'" },
  ]);
  const block = 'command:\n- bash\n- -ec\n- |\n  # install\n  if true; then cp /a/b /c/d\n  fi\n';
  assert.deepEqual(operations(block), [{ command: 'cp', source: '/a/b', target: '/c/d', covered: '/c/d' }]);
  const args = 'command: [sh]\nargs: [-c, "cp /a/b \\"/c/d e\\" 2>/dev/null"]\n';
  assert.deepEqual(
    operations(args).map((o) => o.target),
    ['/c/d e'],
  );
  assert.deepEqual(
    operations('command: [busybox, cp, /a, /b]\n').map((o) => o.target),
    ['/b'],
  );
});

test('what cannot be determined gives nothing, and odd input never throws', () => {
  assert.deepEqual(operations('command: [sh, -c, "cp /a/b $CNI_DIR/10-flannel.conflist"]\n'), []);
  assert.deepEqual(operations('command: [sh, -c, "cp /a/* /b/"]\n'), []);
  assert.deepEqual(operations('command: [sh, -c, "cp /a /b /c/"]\n'), []);
  assert.deepEqual(operations('command: [pwsh, -c, "Set-Content -Path /host/etc/cni/net.d/10-flannel.conf $x"]\n'), []);
  assert.deepEqual(operations('command: [/opt/bin/install-cni, /a/cni-conf.json, /b/c.conf]\n'), []);
  assert.deepEqual(operations('command: [sh, -c]\n'), []);
  assert.deepEqual(
    operations('command: [sh, -c, "cp /a \'/b"]\n').map((o) => o.target),
    ['/b'],
  );
  assert.deepEqual(operations('command: [sh, -c, "cp /a \\\\"]\n'), []);
  const huge = 'command: [sh, -c, "' + 'cp /a /b; '.repeat(20_000) + '"]\n';
  assert.doesNotThrow(() => operations(huge));
});
