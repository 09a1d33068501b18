// yaml-syntax: each YAML parse error, once, at the error.
import { RuleContext } from './types';

export function checkYamlSyntax({ cluster, report }: RuleContext): void {
  for (const { file } of cluster.files) {
    for (const doc of file.documents) {
      for (const error of doc.errors) {
        report({ code: 'yaml-syntax', uri: file.uri, range: error.range, message: `YAML syntax error: ${error.message}. Kubernetes cannot read this document, so nothing in it is applied.` });
      }
    }
  }
}
