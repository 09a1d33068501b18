// Safe Markdown for hovers and completion docs. Manifest values are untrusted text: a pod named
// `[x](command:foo)` must not become a clickable command link, and `<img onerror=…>` must not become HTML.
// VS Code's Markdown renderer follows CommonMark, where a backslash before any ASCII punctuation makes
// it literal, so escaping punctuation (and flattening line breaks) keeps a value on its own line as text.

/** Every character that can start or end Markdown syntax, HTML, an entity, an autolink or a theme icon. */
const SPECIAL = /[\\`*_{}[\]()#+\-.!|<>&~=:$^"']/g;

/** Control characters and line/paragraph separators: a value must not start a new Markdown block. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const BREAKS = /[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g;

/** Makes any text render as itself, inline, in a Markdown string. */
export function escapeMarkdown(text: string): string {
  return text.replace(BREAKS, ' ').replace(SPECIAL, (ch) => `\\${ch}`);
}

/**
 * An inline code span holding `text` literally. The fence is one backtick longer than the longest run
 * inside, so the text cannot close it; padding spaces keep a leading or trailing backtick apart from the
 * fence (CommonMark strips exactly one space on each side).
 */
export function code(text: string): string {
  const flat = text.replace(BREAKS, ' ');
  if (flat === '') return '` `';
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad =
    flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '')
      ? ' '
      : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Shortens a value for display without cutting a surrogate pair in half. */
export function truncate(text: string, max = 80): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}
