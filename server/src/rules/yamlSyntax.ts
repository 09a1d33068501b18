// yaml-syntax: each YAML parse error, once, at the error. file-skipped: a file that is too large to analyse,
// or that cannot be read, says so and why. template-source: one note per chart or template file.
import * as path from 'path';
import { type TemplateKind } from '../core/template';
import { type OffsetRange } from '../core/text';
import { type Cluster } from '../model/workspace';
import { type RuleContext } from './types';

export function checkYamlSyntax({ cluster, report }: RuleContext): void {
  checkTemplates({ cluster, report });
  for (const { file } of cluster.files) {
    if (file.skipped) {
      report({
        code: 'file-skipped',
        uri: file.uri,
        range: [0, file.lines.lineEnd(0)],
        message: file.unreadable ? file.skipped : `${file.skipped} Raise podnet.maxFileSize to analyse it.`,
      });
      continue;
    }
    for (const doc of file.documents) {
      if (doc.errors.length === 0) continue;
      // The parser can report its stack overflow more than once for one document: say it once.
      const tooDeep = doc.errors.filter((error) => STACK_OVERFLOW.test(error.message)).slice(1);
      for (const error of doc.errors) {
        if (tooDeep.includes(error)) continue;
        report({
          code: 'yaml-syntax',
          uri: file.uri,
          range: clampToText(error.range, file.text.length),
          message: messageOf(error.message),
        });
      }
    }
  }
}

/**
 * An error at the very end of the file (an unclosed flow collection, a truncated document) comes with a
 * one-character range past the last character; diagnostics must stay inside the document.
 */
function clampToText(range: OffsetRange, length: number): OffsetRange {
  const start = Math.min(range[0], length);
  return [start, Math.max(start, Math.min(range[1], length))];
}

const STACK_OVERFLOW = /Maximum call stack size exceeded|nests deeper than/i;

/** The YAML parser gives up on very deep nesting with a JavaScript stack overflow: say what that means. */
function messageOf(error: string): string {
  if (STACK_OVERFLOW.test(error)) {
    return (
      'YAML syntax error: the YAML nests too deeply for Podnet to read it, so Podnet did not analyse this ' +
      'document.'
    );
  }
  return `YAML syntax error: ${error}. Kubernetes cannot read this document, so nothing in it is applied.`;
}

/**
 * One note per Helm chart (on its Chart.yaml, else on its first template) and per other template file:
 * a chart has dozens of templates, and one line saying how to check the rendered output is enough.
 */
function checkTemplates({ cluster, report }: RuleContext): void {
  const charts = new Map<string, number>();
  for (const { file } of cluster.files) {
    const template = file.template;
    if (!template) continue;
    const chart = template.chartRoot;
    if (chart === undefined) {
      report({
        code: 'template-source',
        uri: file.uri,
        range: [0, file.lines.lineEnd(0)],
        message: noteOf(template.kind),
      });
      continue;
    }
    if (charts.has(chart)) {
      charts.set(chart, charts.get(chart)! + 1);
      continue;
    }
    charts.set(chart, 1);
  }
  for (const [chart, count] of charts) {
    const target =
      cluster.files.find((f) => f.file.path === chart + '/Chart.yaml') ??
      cluster.files.find((f) => f.file.template?.chartRoot === chart)!;
    report({
      code: 'template-source',
      uri: target.file.uri,
      range: [0, target.file.lines.lineEnd(0)],
      message: chartNote(cluster, chart, count),
    });
  }
}

function chartNote(cluster: Cluster, chart: string, count: number): string {
  const relative = path.posix.relative(cluster.root, chart);
  const name = relative && !relative.startsWith('..') ? relative : chart;
  return (
    `Helm chart source (${count} template file${count === 1 ? '' : 's'}): Podnet checks manifests, not ` +
    `templates, so it reports no YAML error in them and takes no object from them. Check what the chart ` +
    `renders to: \`helm template ${name} | podnet check -\`.`
  );
}

const TEMPLATE_NAMES: Record<TemplateKind, string> = {
  helm: 'Helm template',
  go: 'Go template',
  jinja: 'Jinja template',
  liquid: 'Jekyll/Liquid page',
};

function noteOf(kind: TemplateKind): string {
  return (
    `${TEMPLATE_NAMES[kind]} source: Podnet checks manifests, not templates, so it reports no YAML error in ` +
    `this file and takes no object from it. Check what it renders to by piping the rendered output into ` +
    `\`podnet check -\`.`
  );
}
