// Globs over `/`-separated paths, as `.podnet.yaml` includes are written: `**` is any number of folders,
// `*` and `?` stay within one name, `[abc]`, `[a-z]` and `[!x]` are character classes, `{a,b}` are
// alternatives. Matching takes time polynomial in the path and pattern (no backtracking regular expression),
// so a hostile pattern in a repository cannot hang the editor.

type Token = { kind: 'star' } | { kind: 'any' } | { kind: 'char'; char: string } | { kind: 'class'; test: ClassTest };
type ClassTest = (char: string) => boolean;
/** A path segment: `**`, or the tokens of one name. */
type Segment = '**' | Token[];

export interface Glob {
  /** Whether the pattern matches the path or one of its ancestors (`a/b` for `a/b/c.yaml`). */
  matchesAtOrAbove(path: string): boolean;
}

/** The most alternatives `{…}` may expand to. */
const MAX_ALTERNATIVES = 64;

export function compileGlob(pattern: string): Glob | string {
  const expanded = expandBraces(pattern);
  if (typeof expanded === 'string') return expanded;
  const alternatives: Segment[][] = [];
  for (const alternative of expanded) {
    const segments: Segment[] = [];
    for (const part of alternative.split('/').filter((s) => s !== '')) {
      if (part === '**') {
        // `**/**` means what `**` means, and would multiply the work.
        if (segments[segments.length - 1] !== '**') segments.push('**');
        continue;
      }
      const tokens = tokenize(part);
      if (typeof tokens === 'string') return tokens;
      segments.push(tokens);
    }
    alternatives.push(segments);
  }
  return {
    matchesAtOrAbove(path) {
      const names = path.split('/').filter((s) => s !== '');
      return alternatives.some((segments) => matchesPrefix(segments, names));
    },
  };
}

/** `a{b,c}d` → `abd`, `acd`; nested braces too. */
function expandBraces(pattern: string): string[] | string {
  const open = pattern.indexOf('{');
  if (open < 0) return pattern.includes('}') ? `an unmatched \`}\`` : [pattern];
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '{') depth++;
    else if (c === ',' && depth === 1) commas.push(i);
    else if (c === '}' && --depth === 0) {
      const cuts = [open, ...commas, i];
      const head = pattern.slice(0, open);
      const tail = pattern.slice(i + 1);
      const results: string[] = [];
      for (let k = 0; k + 1 < cuts.length; k++) {
        const expanded = expandBraces(head + pattern.slice(cuts[k] + 1, cuts[k + 1]) + tail);
        if (typeof expanded === 'string') return expanded;
        results.push(...expanded);
        if (results.length > MAX_ALTERNATIVES) return `more than ${MAX_ALTERNATIVES} alternatives in \`{…}\``;
      }
      return results;
    }
  }
  return 'an unclosed `{`';
}

function tokenize(name: string): Token[] | string {
  const tokens: Token[] = [];
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === '*') {
      if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') tokens.push({ kind: 'any' });
    else if (c === '[') {
      const end = name.indexOf(']', i + 2);
      if (end < 0) return 'an unclosed `[`';
      tokens.push({ kind: 'class', test: classTest(name.slice(i + 1, end)) });
      i = end;
    } else tokens.push({ kind: 'char', char: c });
  }
  return tokens;
}

function classTest(body: string): ClassTest {
  const negated = body.startsWith('!') || body.startsWith('^');
  const chars = negated ? body.slice(1) : body;
  const ranges: Array<[string, string]> = [];
  for (let i = 0; i < chars.length; i++) {
    if (chars[i + 1] === '-' && i + 2 < chars.length) {
      ranges.push([chars[i], chars[i + 2]]);
      i += 2;
    } else ranges.push([chars[i], chars[i]]);
  }
  return (char) => ranges.some(([low, high]) => char >= low && char <= high) !== negated;
}

/** One name against one segment's tokens: the classic wildcard walk, at most length × tokens steps. */
function matchesName(tokens: Token[], name: string): boolean {
  let t = 0;
  let n = 0;
  let star = -1;
  let starAt = 0;
  while (n < name.length) {
    const token = tokens[t];
    if (token && token.kind === 'star') {
      star = t++;
      starAt = n;
    } else if (
      token &&
      (token.kind === 'any' || (token.kind === 'char' ? token.char === name[n] : token.test(name[n])))
    ) {
      t++;
      n++;
    } else if (star >= 0) {
      t = star + 1;
      n = ++starAt;
    } else return false;
  }
  while (tokens[t]?.kind === 'star') t++;
  return t === tokens.length;
}

/** Whether the segments match the first names of the path (all of them, or those of an ancestor folder). */
function matchesPrefix(segments: Segment[], names: string[]): boolean {
  const known = new Map<number, boolean>();
  const from = (s: number, n: number): boolean => {
    if (s === segments.length) return n > 0;
    const key = s * (names.length + 1) + n;
    let result = known.get(key);
    if (result !== undefined) return result;
    const segment = segments[s];
    result =
      segment === '**'
        ? from(s + 1, n) || (n < names.length && from(s, n + 1))
        : n < names.length && matchesName(segment, names[n]) && from(s + 1, n + 1);
    known.set(key, result);
    return result;
  };
  return from(0, 0);
}
