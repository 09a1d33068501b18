// `podnet check -`: manifests from standard input, as `helm template` or `kustomize build` print them.
// Helm starts each document with `# Source: <chart>/templates/<file>`: the documents are grouped into one
// file per source, named after it, so that findings point at the template that produced them.

/** The name of the documents that carry no `# Source:` comment. */
export const STDIN_NAME = '<stdin>';

/**
 * The stream's documents grouped by source, in the order each source first appears. Each group's text
 * is its documents as they were (each with its `---` marker): what `helm template --output-dir` writes.
 */
export function splitRendered(text: string): Array<{ name: string; text: string }> {
  const starts = [0];
  for (const match of text.matchAll(/^---(?=[ \t\r\n]|$)/gm)) if (match.index > 0) starts.push(match.index);
  const groups = new Map<string, string[]>();
  starts.forEach((start, i) => {
    const chunk = text.slice(start, starts[i + 1] ?? text.length);
    if (chunk.trim() === '' || chunk.trim() === '---') return;
    const name = sourceOf(chunk) ?? STDIN_NAME;
    groups.set(name, [...(groups.get(name) ?? []), chunk]);
  });
  return [...groups].map(([name, chunks]) => ({ name, text: chunks.join('') }));
}

/** The `# Source:` comment among the comment lines that open a document, if any. */
function sourceOf(chunk: string): string | undefined {
  for (const line of chunk.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('---')) continue;
    const source = /^#\s*Source:\s*(\S.*?)\s*$/.exec(trimmed);
    if (source) return source[1];
    if (!trimmed.startsWith('#')) return undefined;
  }
  return undefined;
}

/** Reads all of standard input as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
