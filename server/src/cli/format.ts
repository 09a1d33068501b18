// Output formats of `podnet check`: text for people, JSON for scripts, SARIF for code-scanning tools.
import { type Diagnostic } from '../engine';
import { ruleDocumentation, ruleDocumentationText } from '../rules/catalogue';
import { RULES } from '../rules/registry';

export type Format = 'text' | 'json' | 'sarif';

type FileDiagnostic = Diagnostic & { file: string };

/** 1-based line and column, as editors and CI annotations count them. */
function location(d: FileDiagnostic) {
  return {
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
  };
}

export function formatText(diagnostics: FileDiagnostic[], fileCount: number, clusterCount: number): string {
  const lines = diagnostics.map((d) => {
    const { line, column } = location(d);
    return `${d.file}:${line}:${column}: ${d.severity} [${d.code}] ${d.message}`;
  });
  const count = (severity: string) => diagnostics.filter((d) => d.severity === severity).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const notes = count('information') + count('hint');
  lines.push(
    `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(notes, 'note')} ` +
      `in ${plural(fileCount, 'file')} (${plural(clusterCount, 'cluster')})`,
  );
  return lines.join('\n') + '\n';
}

/** The records of `--format json`, one per diagnostic. */
export const jsonRecords = (diagnostics: FileDiagnostic[]) =>
  diagnostics.map((d) => ({ file: d.file, ...location(d), severity: d.severity, code: d.code, message: d.message }));

export function formatJson(diagnostics: FileDiagnostic[]): string {
  return JSON.stringify(jsonRecords(diagnostics), null, 2) + '\n';
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

export function formatSarif(diagnostics: FileDiagnostic[]): string {
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'podnet',
            rules: RULES.map((meta) => ({
              id: meta.id,
              shortDescription: { text: meta.summary },
              fullDescription: { text: meta.documentation.why },
              help: { text: ruleDocumentationText(meta), markdown: ruleDocumentation(meta) },
              defaultConfiguration: { level: SARIF_LEVEL[meta.severity] },
            })),
          },
        },
        results: diagnostics.map((d) => {
          const { line, column, endLine, endColumn } = location(d);
          return {
            ruleId: d.code,
            level: SARIF_LEVEL[d.severity],
            message: { text: d.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: d.file.split('\\').join('/') },
                  region: { startLine: line, startColumn: column, endLine, endColumn },
                },
              },
            ],
          };
        }),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
