// Template sources: files that are rendered into manifests (Helm charts, Jinja, Jekyll/Liquid pages)
// rather than manifests themselves. Their YAML errors are the template's syntax, not the output's, so
// they are not parsed as manifests at all (issue 12: 475 false yaml-syntax errors on real repositories).

export type TemplateKind = 'helm' | 'go' | 'jinja' | 'liquid';

export interface TemplateSource {
  kind: TemplateKind;
  /** The chart's folder (the one holding Chart.yaml), for a file of a Helm chart. */
  chartRoot?: string;
}

/** Go template actions that only Go templates write: a field (`.Values`), a variable, a comment, a keyword. */
const GO_ACTION = /^\{\{-?\s*(\.|\$|\/\*|(if|else|end|range|with|define|template|block|include|toYaml|tpl)\b)/;

/**
 * The template language of `text`, when it has a template action (`{{`, `{%`) where a YAML node starts:
 * at the start of a line, after `- `, `key: `, `[` or `,`. Actions inside quoted, plain or block scalars
 * and comments do not count: a Go template in a ConfigMap's data belongs to a plain manifest.
 */
export function templateKindOf(text: string): TemplateKind | undefined {
  if (!text.includes('{{') && !text.includes('{%')) return undefined;
  const actions = templateActions(text);
  if (actions.length === 0) return undefined;
  if (actions.some((a) => a.startsWith('{%'))) return /^layout:/m.test(frontMatter(text)) ? 'liquid' : 'jinja';
  if (actions.some((a) => HELM_OBJECTS.test(a))) return 'helm';
  return actions.some((a) => GO_ACTION.test(a)) ? 'go' : 'jinja';
}

/** Helm's built-in objects, which only a chart's templates refer to. */
const HELM_OBJECTS = /\.(Values|Release|Chart|Capabilities)\b/;

/** Jekyll's front matter: the text between a first `---` line and the next one. */
const frontMatter = (text: string) => /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';

/**
 * Whether the file at `path` is a template source, and which. `chartRoot` is the folder of the nearest
 * Chart.yaml above it: everything under the chart's `templates/` is a template, with actions or without.
 */
export function templateSourceOf(path: string, text: string, chartRoot?: string): TemplateSource | undefined {
  const kind = templateKindOf(text);
  const inTemplates = chartRoot !== undefined && path.startsWith(chartRoot + '/templates/');
  if (chartRoot !== undefined && (inTemplates || kind === 'go' || kind === 'helm')) return { kind: 'helm', chartRoot };
  return kind && { kind };
}

/** The template actions found at YAML node starts, up to a few (enough to tell the language). */
function templateActions(text: string): string[] {
  const found: string[] = [];
  /** Indentation of the line that opened the block scalar being skipped, or -1 outside one. */
  let blockParent = -1;
  let quote = '';
  /** Depth of flow collections (`[`, `{`), where `,`, `]` and `}` end a plain scalar. */
  let flow = 0;
  for (const line of text.split('\n')) {
    const indent = line.length - line.trimStart().length;
    if (blockParent >= 0) {
      if (line.trim() === '' || indent > blockParent) continue;
      blockParent = -1;
    }
    let nodeStart = !quote;
    for (let i = quote ? 0 : indent; i < line.length; i++) {
      const ch = line[i];
      if (quote) {
        if (ch === '\\' && quote === '"') i++;
        else if (ch === quote) {
          if (quote === "'" && line[i + 1] === "'") i++;
          else quote = '';
        }
        continue;
      }
      if (ch === ' ' || ch === '\t' || ch === '\r') continue;
      if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]))) break;
      if (nodeStart && ch === '{' && (line[i + 1] === '{' || line[i + 1] === '%')) {
        found.push(line.slice(i, i + 40));
        if (found.length >= 8) return found;
        nodeStart = false;
        continue;
      }
      if (nodeStart && (ch === '|' || ch === '>') && /^[|>][-+0-9]*\s*(#.*)?\r?$/.test(line.slice(i))) {
        blockParent = indent;
        break;
      }
      if (nodeStart && (ch === '"' || ch === "'")) {
        quote = ch;
        continue;
      }
      const indicator = (ch === '-' || ch === '?' || ch === ':') && /\s/.test(line[i + 1] ?? ' ');
      const opens = nodeStart && (ch === '[' || ch === '{');
      if (opens) flow++;
      else if (flow > 0 && (ch === ']' || ch === '}')) flow--;
      nodeStart = indicator || opens || (flow > 0 && ch === ',');
      if (!indicator && !nodeStart && ch !== ']' && ch !== '}') {
        // Inside a plain scalar: skip to its end (`: `, ` #`, and in flow context `,`, `]` or `}`).
        const end = line.slice(i).search(flow > 0 ? /:\s|:$|\s#|[,\]}]/ : /:\s|:$|\s#/);
        if (end < 0) break;
        i += Math.max(end, 1) - 1;
      }
    }
  }
  return found;
}
