// Calico's selector syntax, as IPPool nodeSelectors use it: `all()`, `has(k)`, `k == 'v'`, `k != 'v'`,
// `k in {'a', 'b'}`, `k not in {…}`, `contains`, `starts with`, `ends with`, `!`, `&&`, `||` and
// parentheses. As in Calico, `!=` and `not in` also match a node without the label. A selector that does
// not parse matches nothing (Calico refuses the pool); the parse error says why.

export type Labels = ReadonlyMap<string, string>;
type Matcher = (labels: Labels) => boolean;

export type ParsedSelector = { readonly matches: Matcher } | { readonly error: string };

const TOKEN =
  /\s*(?:(&&|\|\||==|!=|[!(){},])|(all\(\)|global\(\))|(has)\s*\(|(not\s+in|in|contains|starts\s+with|ends\s+with)(?![A-Za-z0-9_./-])|'([^']*)'|"([^"]*)"|([A-Za-z0-9_./-]+))/y;

type Token =
  | { kind: 'op'; text: string }
  | { kind: 'all' }
  | { kind: 'has' }
  | { kind: 'word-op'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'name'; text: string };

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) return `unexpected \`${text.slice(at).trim().slice(0, 20)}\``;
    if (match[1]) tokens.push({ kind: 'op', text: match[1] });
    else if (match[2]) tokens.push({ kind: 'all' });
    else if (match[3]) tokens.push({ kind: 'has' });
    else if (match[4]) tokens.push({ kind: 'word-op', text: match[4].replace(/\s+/, ' ') });
    else if (match[5] !== undefined || match[6] !== undefined)
      tokens.push({ kind: 'string', text: match[5] ?? match[6] });
    else tokens.push({ kind: 'name', text: match[7] });
  }
  return tokens;
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Matcher {
    const matcher = this.or();
    if (this.index < this.tokens.length) throw new Error(`unexpected ${describe(this.tokens[this.index])}`);
    return matcher;
  }

  private peek = (): Token | undefined => this.tokens[this.index];
  private isOp = (text: string): boolean => {
    const token = this.peek();
    return token?.kind === 'op' && token.text === text;
  };
  private expectOp(text: string): void {
    if (!this.isOp(text)) throw new Error(`expected \`${text}\`, found ${describe(this.peek())}`);
    this.index++;
  }

  private or(): Matcher {
    const parts = [this.and()];
    while (this.isOp('||')) {
      this.index++;
      parts.push(this.and());
    }
    return parts.length === 1 ? parts[0] : (labels) => parts.some((p) => p(labels));
  }

  private and(): Matcher {
    const parts = [this.unary()];
    while (this.isOp('&&')) {
      this.index++;
      parts.push(this.unary());
    }
    return parts.length === 1 ? parts[0] : (labels) => parts.every((p) => p(labels));
  }

  private unary(): Matcher {
    if (this.isOp('!')) {
      this.index++;
      const inner = this.unary();
      return (labels) => !inner(labels);
    }
    if (this.isOp('(')) {
      this.index++;
      const inner = this.or();
      this.expectOp(')');
      return inner;
    }
    return this.term();
  }

  private term(): Matcher {
    const token = this.peek();
    if (token?.kind === 'all') {
      this.index++;
      return () => true;
    }
    if (token?.kind === 'has') {
      this.index++;
      const key = this.name();
      this.expectOp(')');
      return (labels) => labels.has(key);
    }
    const key = this.name();
    const op = this.peek();
    this.index++;
    if (op?.kind === 'op' && (op.text === '==' || op.text === '!=')) {
      const value = this.string();
      return op.text === '==' ? (labels) => labels.get(key) === value : (labels) => labels.get(key) !== value;
    }
    if (op?.kind === 'word-op') {
      if (op.text === 'in' || op.text === 'not in') {
        const values = this.set();
        return op.text === 'in'
          ? (labels) => labels.has(key) && values.has(labels.get(key)!)
          : (labels) => !labels.has(key) || !values.has(labels.get(key)!);
      }
      const value = this.string();
      const test =
        op.text === 'contains'
          ? (v: string) => v.includes(value)
          : op.text === 'starts with'
            ? (v: string) => v.startsWith(value)
            : (v: string) => v.endsWith(value);
      return (labels) => labels.has(key) && test(labels.get(key)!);
    }
    throw new Error(`expected an operator after \`${key}\`, found ${describe(op)}`);
  }

  private name(): string {
    const token = this.peek();
    if (token?.kind !== 'name') throw new Error(`expected a label key, found ${describe(token)}`);
    this.index++;
    return token.text;
  }

  private string(): string {
    const token = this.peek();
    if (token?.kind !== 'string') throw new Error(`expected a quoted value, found ${describe(token)}`);
    this.index++;
    return token.text;
  }

  private set(): Set<string> {
    this.expectOp('{');
    const values = new Set<string>();
    if (this.isOp('}')) {
      this.index++;
      return values;
    }
    values.add(this.string());
    while (this.isOp(',')) {
      this.index++;
      values.add(this.string());
    }
    this.expectOp('}');
    return values;
  }
}

function describe(token: Token | undefined): string {
  if (!token) return 'the end';
  switch (token.kind) {
    case 'all':
      return '`all()`';
    case 'has':
      return '`has(`';
    case 'string':
      return `'${token.text}'`;
    default:
      return `\`${token.text}\``;
  }
}

/** The selector's matcher, or why Calico would not parse it. */
export function parseSelector(text: string): ParsedSelector {
  if (text.trim() === '') return { matches: () => true };
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return { error: tokens };
  try {
    return { matches: new Parser(tokens).parse() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
