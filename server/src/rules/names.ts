// name-invalid and nodename-unknown (flannel.md §6): Kubernetes name rules and nodeName references.
import { closestMatch } from '../core/suggest';
import { type Located } from '../core/yamlAccess';
import { type Finding, type RuleContext } from './types';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `name` is not a DNS-1123 subdomain, or undefined when it is one. */
function subdomainProblem(name: string): string | undefined {
  if (name.length > 253) return `is ${name.length} characters long; at most 253 are allowed`;
  if (!SUBDOMAIN.test(name))
    return (
      'is not a lowercase RFC 1123 subdomain: only lowercase letters, digits, "-" and ".", each dot-separated ' +
      'part starting and ending with a letter or digit'
    );
  return undefined;
}

function labelProblem(name: string): string | undefined {
  if (name.length > 63) return `is ${name.length} characters long; at most 63 are allowed`;
  if (!LABEL.test(name)) {
    return SUBDOMAIN.test(name)
      ? 'must not contain dots (it must be an RFC 1123 label)'
      : 'is not a lowercase RFC 1123 label: only lowercase letters, digits and "-", starting and ending with a ' +
          'letter or digit';
  }
  return undefined;
}

/** The lowercase form, offered as a fix only when that alone makes the name valid. */
function lowercaseFix(uri: string, name: Located<string>, check: (n: string) => string | undefined): Finding['fixes'] {
  const lower = name.value.toLowerCase();
  if (lower === name.value || check(lower) !== undefined) return undefined;
  if (name.textRange[1] - name.textRange[0] !== name.value.length) return undefined;
  return [
    { title: `Change to \`${lower}\``, edits: [{ uri, range: name.textRange, newText: lower }], preferred: true },
  ];
}

const NAMED_KINDS = new Set(['Pod', 'Node', 'DaemonSet', 'ConfigMap']);

export function checkNames({ cluster, report }: RuleContext): void {
  for (const { file, facts } of cluster.files) {
    for (const object of facts.objects) {
      const name = object.name;
      if (!name) continue;
      const isNamespace = object.kind === 'Namespace';
      if (!NAMED_KINDS.has(object.kind) && !isNamespace) continue;
      const check = isNamespace ? labelProblem : subdomainProblem;
      const problem = check(name.value);
      if (!problem) continue;
      report({
        code: 'name-invalid',
        uri: file.uri,
        range: name.range,
        message:
          `${object.kind} name \`${name.value}\` ${problem}. The API server rejects the object at \`kubectl ` +
          `apply\`.`,
        fixes: lowercaseFix(file.uri, name, check),
      });
    }
  }
  checkNodeNames({ cluster, report });
}

function checkNodeNames({ cluster, report }: RuleContext): void {
  // When no node is declared, the model's nodes are only the names pods use: nothing to compare with.
  const declared = new Set(cluster.network.nodesDeclared ? cluster.network.nodes.map((n) => n.name) : []);
  for (const { file, facts } of cluster.files) {
    for (const pod of facts.pods) {
      const nodeName = pod.spec.nodeName;
      if (!nodeName || nodeName.value === '') continue;
      const problem = subdomainProblem(nodeName.value);
      if (problem) {
        report({
          code: 'name-invalid',
          uri: file.uri,
          range: nodeName.range,
          message:
            `spec.nodeName \`${nodeName.value}\` ${problem}. The API server rejects the Pod, and no node can ` +
            `have this name.`,
          fixes: lowercaseFix(file.uri, nodeName, subdomainProblem),
        });
        continue;
      }
      // Silent when the cluster declares no node at all: the pods' nodeNames are then the only nodes we know.
      if (declared.size === 0 || declared.has(nodeName.value)) continue;
      const suggestion = closestMatch(nodeName.value, declared, Math.max(2, Math.floor(nodeName.value.length / 3)));
      // Only a valid name ([a-z0-9.-]) is offered: it needs no escaping in any scalar style, whereas e.g.
      // `k'8s` written into a single-quoted scalar would end it early.
      const exact =
        nodeName.textRange[1] - nodeName.textRange[0] === nodeName.value.length &&
        !!suggestion &&
        !subdomainProblem(suggestion);
      report({
        code: 'nodename-unknown',
        uri: file.uri,
        range: nodeName.range,
        message:
          `spec.nodeName \`${nodeName.value}\` names no node of this cluster ` +
          `(known: ${[...declared].slice(0, 8).join(', ')}${declared.size > 8 ? ', …' : ''}). ` +
          'The scheduler is bypassed, so the Pod stays Pending until a node with this name registers.' +
          (suggestion ? ` Did you mean \`${suggestion}\`?` : ''),
        fixes:
          suggestion && exact
            ? [
                {
                  title: `Change to \`${suggestion}\``,
                  edits: [{ uri: file.uri, range: nodeName.textRange, newText: suggestion }],
                  preferred: true,
                },
              ]
            : undefined,
      });
    }
  }
}
