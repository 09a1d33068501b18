// Markup safety: manifest values are untrusted. Hovers must render them as plain text (no HTML, no
// links, no command: links), the client must never trust hover Markdown, and the CLI's HTML must escape.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hoverAt } from '../../server/src/features/hover';
import { pathToUri } from '../../server/src/model/workspace';
import { type Files, flannelConfigMap, REPO_ROOT, workspaceOf } from './helpers';

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '[x](https://evil)',
  '[run](command:workbench.action.terminal.new)',
  '`<b>x</b>` ``[y](command:z)`` <script>',
];

/** The text outside code spans (whose content CommonMark shows literally), and the code spans' contents. */
export function splitCodeSpans(markdown: string): { prose: string; code: string[] } {
  let prose = '';
  const code: string[] = [];
  let i = 0;
  while (i < markdown.length) {
    if (markdown[i] === '\\') {
      prose += markdown.slice(i, i + 2);
      i += 2;
      continue;
    }
    const fence = /^`+/.exec(markdown.slice(i))?.[0];
    if (!fence) {
      prose += markdown[i++];
      continue;
    }
    // The span closes at the next backtick run of exactly the same length.
    const closing = new RegExp(`(?<!\`)${fence}(?!\`)`, 'g');
    closing.lastIndex = i + fence.length;
    const close = closing.exec(markdown);
    if (!close) {
      prose += fence;
      i += fence.length;
      continue;
    }
    code.push(markdown.slice(i + fence.length, close.index));
    i = close.index + fence.length;
  }
  return { prose, code };
}

/** Fails when the Markdown could render HTML, a link or a command link outside code spans. */
function assertInert(markdown: string, where: string): void {
  const { prose, code } = splitCodeSpans(markdown);
  assert.doesNotMatch(prose, /(^|[^\\])</, `${where}: unescaped < in\n${markdown}`);
  assert.doesNotMatch(prose, /(^|[^\\])\]\(/, `${where}: link syntax ]( in\n${markdown}`);
  assert.doesNotMatch(prose, /command:/, `${where}: command: link in\n${markdown}`);
  assert.doesNotMatch(prose, /(^|[^\\])\[[^\]]*[^\\]\]/, `${where}: unescaped [..] in\n${markdown}`);
  for (const span of code) assert.ok(!span.includes('\n'), `${where}: a code span across lines`);
}

function filesWith(value: string): Files {
  const quoted = `'${value.replace(/'/g, "''")}'`;
  return {
    '/ws/c/cm.yaml': flannelConfigMap(JSON.stringify({ Network: value, Backend: { Type: value } }, null, 2)),
    '/ws/c/nodes.yaml': `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${quoted}\nspec:\n  podCIDR: 10.244.1.0/24\n`,
    '/ws/c/pod.yaml': `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${quoted}\nspec:\n  nodeName: ${quoted}\n`,
    '/ws/c/kcm.yaml': [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: kube-controller-manager',
      '  namespace: kube-system',
      'spec:',
      '  containers:',
      '  - name: kube-controller-manager',
      '    command:',
      '    - kube-controller-manager',
      `    - ${JSON.stringify(`--cluster-cidr=${value}`)}`,
      '',
    ].join('\n'),
  };
}

/** [file, the text just before the value]: Network, Backend Type, Node name, Pod name, nodeName, cluster-cidr. */
const PLACES: Array<[string, string, string]> = [
  ['Network', '/ws/c/cm.yaml', '"Network": "'],
  ['Backend Type', '/ws/c/cm.yaml', '"Type": "'],
  ['Node name', '/ws/c/nodes.yaml', "  name: '"],
  ['Pod name', '/ws/c/pod.yaml', "  name: '"],
  ['nodeName', '/ws/c/pod.yaml', "nodeName: '"],
  ['cluster-cidr', '/ws/c/kcm.yaml', '--cluster-cidr='],
];

for (const value of HOSTILE) {
  test(
    `hovers show ${JSON.stringify(value)} as plain text: nodeName, Node and Pod name, Network, Backend Type, ` +
      `cluster-cidr`,
    () => {
      const files = filesWith(value);
      const workspace = workspaceOf(files);
      for (const [what, file, before] of PLACES) {
        const at = files[file].indexOf(before);
        assert.ok(at >= 0, `${before} in ${file}`);
        const hover = hoverAt(workspace, pathToUri(file), at + before.length + 1);
        assert.ok(hover, `a hover on ${what}`);
        assertInert(hover.markdown, what);
        const { prose, code } = splitCodeSpans(hover.markdown);
        const shown =
          code.some((span) => span.trim().includes(value.slice(0, 20))) ||
          prose.replace(/\\(.)/g, '$1').includes(value.slice(0, 20));
        assert.ok(shown, `${what}: the value itself is shown, as text:\n${hover.markdown}`);
      }
    },
  );
}

test('the checker catches what it must (so the hover tests can fail)', () => {
  assert.throws(() => assertInert('**Pod <img src=x>**', 'raw'));
  assert.throws(() => assertInert('see [x](https://evil)', 'link'));
  assert.throws(() => assertInert('[run](command:foo)', 'command'));
  assert.throws(() => assertInert('`a` <b> `x`', 'value closing the code span early'), /unescaped </);
  assertInert('\\<img\\> `[x](command:y)` \\[x\\]\\(y\\)', 'escaped');
});

/** The TypeScript sources under `dir`, as [relative path, text]. */
function sources(dir: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const entry of fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const full = path.join(entry.parentPath, entry.name);
    out.push([path.relative(REPO_ROOT, full), fs.readFileSync(full, 'utf8')]);
  }
  return out;
}

test(
  "the client never trusts Markdown with manifest content: no supportHtml, isTrusted only for the status bar's " +
    'own command',
  () => {
    const client = sources('client/src');
    assert.ok(client.length >= 5);
    for (const [file, text] of client) {
      assert.doesNotMatch(text, /supportHtml/, file);
      assert.doesNotMatch(
        text,
        /markdown\s*:\s*\{/,
        `${file}: LanguageClientOptions.markdown (isTrusted/supportHtml for hovers)`,
      );
      for (const match of text.matchAll(/isTrusted\s*=\s*([^;]*);/g)) {
        assert.equal(file, path.join('client', 'src', 'statusBar.ts'), `isTrusted in ${file}`);
        assert.equal(
          match[1].trim(),
          '{ enabledCommands: [this.restartCommand] }',
          'only the restart command is enabled',
        );
      }
    }
    assert.ok(
      client.some(([, text]) => /isTrusted/.test(text)),
      'the status bar check above ran',
    );
  },
);

test('podnet topology --format html escapes a hostile pod and node name', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podnet-markup-'));
  try {
    const evil = '<img src=x onerror=alert(1)>';
    fs.writeFileSync(
      path.join(dir, 'cm.yaml'),
      flannelConfigMap('{"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan"}}'),
    );
    fs.writeFileSync(
      path.join(dir, 'node.yaml'),
      `apiVersion: v1\nkind: Node\nmetadata:\n  name: '${evil}'\nspec:\n  podCIDR: 10.244.1.0/24\n`,
    );
    fs.writeFileSync(
      path.join(dir, 'pod.yaml'),
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: '${evil}<script>alert(2)</script>'\nspec:\n  nodeName: ` +
        `'${evil}'\n`,
    );
    const result = spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, 'dist', 'cli.js'), 'topology', '--format', 'html', dir],
      { encoding: 'utf8' },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.ok(!result.stdout.includes('<img'), 'no raw <img');
    assert.ok(!result.stdout.includes('<script>alert'), 'no raw script');
    assert.ok(
      !/onerror=alert/.test(result.stdout.replace(/&lt;img src=x onerror=alert\(1\)&gt;/g, '')),
      'onerror only inside escaped text',
    );
    assert.match(result.stdout, /&lt;img src=x onerror=alert\(1\)&gt;/, 'the name is shown, escaped');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
