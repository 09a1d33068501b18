// yaml-syntax: each YAML parse error, once, at the error. file-skipped: a file that is too large to analyse,
// or that cannot be read, says so and why.
import { type OffsetRange } from '../core/text';
import { type RuleContext } from './types';

export function checkYamlSyntax({ cluster, report }: RuleContext): void {
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
