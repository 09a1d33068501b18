import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { code, escapeMarkdown, truncate } from '../../server/src/core/markdown';

/** Every Markdown-significant character in the output must be escaped by a backslash. */
function assertInert(markdown: string): void {
  for (let i = 0; i < markdown.length; i++) {
    if (markdown[i] === '\\') {
      i++;
      continue;
    }
    assert.ok(!/[\\`*_{}[\]()#+\-.!|<>&~=:$]/.test(markdown[i]), `unescaped ${markdown[i]} at ${i} in ${markdown}`);
  }
}

test('escapeMarkdown neutralises HTML', () => {
  const out = escapeMarkdown('<img src=x onerror=alert(1)>');
  assert.equal(out, '\\<img src\\=x onerror\\=alert\\(1\\)\\>');
  assertInert(out);
});

test('escapeMarkdown neutralises links and command: URIs', () => {
  const out = escapeMarkdown('[x](command:foo)');
  assert.equal(out, '\\[x\\]\\(command\\:foo\\)');
  assert.ok(!out.includes('command:'));
  assertInert(
    escapeMarkdown('<https://a.b/c> ![i](command:workbench.action.x?%5B%5D) &#x3C; *b* _i_ `c` # h | t ~~s~~ $(icon)'),
  );
});

test('escapeMarkdown keeps a value on one line', () => {
  const out = escapeMarkdown('a\n# heading\r\n\n- item\u2028x');
  assert.ok(!/[\n\r\u2028]/.test(out));
  assert.equal(out, 'a \\# heading \\- item x');
});

test('escapeMarkdown leaves plain words alone', () => {
  assert.equal(escapeMarkdown('worker232'), 'worker232');
  assert.equal(escapeMarkdown('k8s-worker1'), 'k8s\\-worker1');
});

/** The content of a single code span as CommonMark reads it, or undefined if the text is not one span. */
function codeSpanContent(markdown: string): string | undefined {
  const fence = /^`+/.exec(markdown)?.[0];
  if (!fence || !markdown.endsWith(fence) || markdown.length < fence.length * 2) return undefined;
  const inner = markdown.slice(fence.length, markdown.length - fence.length);
  // The fence must not appear inside as a run of exactly the same length.
  if ((inner.match(/`+/g) ?? []).some((run) => run.length === fence.length)) return undefined;
  if (inner.startsWith('`') || inner.endsWith('`')) return undefined;
  return inner.length > 2 && inner.startsWith(' ') && inner.endsWith(' ') && inner.trim() !== ''
    ? inner.slice(1, -1)
    : inner;
}

test('code() cannot be broken out of', () => {
  for (const text of ['10.244.1.0/24', 'a`b', '``x``', '`', 'x`', ' a ', '`](command:foo)', 'a ``` b']) {
    const span = code(text);
    assert.equal(codeSpanContent(span), text, `${JSON.stringify(text)} → ${span}`);
  }
  assert.equal(code('10.244.1.0/24'), '`10.244.1.0/24`');
  assert.equal(code('a`b'), '``a`b``');
  assert.equal(code('`x'), '`` `x ``');
  assert.equal(code(''), '` `');
  assert.equal(code('a\nb'), '`a b`');
});

test('truncate keeps short text and shortens long text', () => {
  assert.equal(truncate('abc', 5), 'abc');
  assert.equal(truncate('abcdefgh', 5), 'abcd…');
  assert.equal(truncate('😀😀😀😀😀😀', 3), '😀😀…');
});
