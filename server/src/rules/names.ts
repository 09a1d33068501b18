// name-invalid and nodename-unknown (flannel.md §6): Kubernetes name rules and nodeName references, in
// Pods and in controllers' pod templates alike.
import { type K8sObject } from '../core/manifest';
import { closestMatch } from '../core/suggest';
import { type Located } from '../core/yamlAccess';
import { type FileFacts, type PodSpecFacts } from '../model/objects';
import { listIndex } from '../model/listIndex';
import { podIndexOf } from '../model/podIndex';
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

/**
 * `check` remembered per Located value: a name is checked once, not on every edit of its file (the
 * unchanged documents keep their facts, so thousands of names would be matched again each time).
 */
function remembered(check: (name: string) => string | undefined): (name: Located<string>) => string | undefined {
  const problems = new WeakMap<Located<string>, string | null>();
  return (name) => {
    let problem = problems.get(name);
    if (problem === undefined) problems.set(name, (problem = check(name.value) ?? null));
    return problem ?? undefined;
  };
}

const subdomainProblemOf = remembered(subdomainProblem);
const labelProblemOf = remembered(labelProblem);

/** Why the object's name is invalid, if it is a kind whose names Podnet checks. */
function nameProblemOf(object: K8sObject): string | undefined {
  const name = object.name;
  if (!name) return undefined;
  if (object.kind === 'Namespace') return labelProblemOf(name);
  return NAMED_KINDS.has(object.kind) ? subdomainProblemOf(name) : undefined;
}

/** Which objects of a list have an invalid name (1), read once per object: a file holds thousands. */
const invalidNames = listIndex<K8sObject, Uint8Array>({
  create: (objects, before) => before?.slice() ?? new Uint8Array(objects.length),
  fill(invalid, at, object) {
    invalid[at] = nameProblemOf(object) ? 1 : 0;
  },
});

export function checkNames({ cluster, report }: RuleContext): void {
  for (const { file, facts } of cluster.files) {
    const invalid = invalidNames(facts.objects);
    for (let i = invalid.indexOf(1); i >= 0; i = invalid.indexOf(1, i + 1)) {
      const object = facts.objects[i];
      const name = object.name;
      const problem = nameProblemOf(object);
      if (!name || !problem) continue;
      const check = object.kind === 'Namespace' ? labelProblem : subdomainProblem;
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
  checkStatefulSetNames({ cluster, report });
}

/**
 * The pod specs that may set nodeName, one call each: a Pod's, or a controller's pod template. Pods
 * without nodeName or whose nodeName is in `passed` are left out unread (thousands of Pods, every edit).
 */
function forEachNodeNameHolder(
  facts: FileFacts,
  passed: ReadonlySet<string>,
  visit: (kind: string, spec: PodSpecFacts, field: string) => void,
): void {
  const template = (kind: string) =>
    kind === 'CronJob' ? 'spec.jobTemplate.spec.template.spec.nodeName' : 'spec.template.spec.nodeName';
  // `field` says where nodeName sits, for messages: `spec.nodeName`, `spec.template.spec.nodeName`.
  const { nodeNames } = podIndexOf(facts.pods);
  for (let i = 0; i < facts.pods.length; i++) {
    const nodeName = nodeNames[i];
    if (nodeName && !passed.has(nodeName)) visit('Pod', facts.pods[i].spec, 'spec.nodeName');
  }
  for (const ds of facts.daemonSets) visit('DaemonSet', ds.spec, template('DaemonSet'));
  for (const w of facts.workloads) visit(w.kind, w.spec, template(w.kind));
}

/** What a nodeName naming no node does: a Pod waits for it; a controller's pods never run. */
function unknownNodeConsequence(kind: string): string {
  if (kind === 'Pod')
    return (
      'The scheduler is bypassed and no kubelet runs the Pod; the pod garbage collector deletes Pods bound to a ' +
      'node that does not exist.'
    );
  if (kind === 'DaemonSet') return 'The DaemonSet runs only on the node its template names, so it runs no pod.';
  return (
    'Its pods skip the scheduler and are bound to a node that does not exist: they never start (the pod ' +
    `garbage collector deletes them and the ${kind} creates them again).`
  );
}

function checkNodeNames({ cluster, report }: RuleContext): void {
  // When no node is declared, the model's nodes are only the names pods use: nothing to compare with.
  const declared = new Set(cluster.network.nodesDeclared ? cluster.network.nodes.map((n) => n.name) : []);
  // A nodeName naming a declared node whose name is valid needs no more checking: most of them.
  const fine = new Set([...declared].filter((name) => !subdomainProblem(name)));
  for (const { file, facts } of cluster.files) {
    forEachNodeNameHolder(facts, fine, (kind, spec, field) => {
      const nodeName = spec.nodeName;
      if (!nodeName || nodeName.value === '' || fine.has(nodeName.value)) return;
      const problem = subdomainProblemOf(nodeName);
      if (problem) {
        report({
          code: 'name-invalid',
          uri: file.uri,
          range: nodeName.range,
          message:
            `${field} \`${nodeName.value}\` ${problem}. The API server rejects the ${kind}, and no node can ` +
            `have this name.`,
          fixes: lowercaseFix(file.uri, nodeName, subdomainProblem),
        });
        return;
      }
      // Silent when the cluster declares no node at all: the pods' nodeNames are then the only nodes we know.
      if (declared.size === 0 || declared.has(nodeName.value)) return;
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
          `${field} \`${nodeName.value}\` names no node of this cluster ` +
          `(known: ${[...declared].slice(0, 8).join(', ')}${declared.size > 8 ? ', …' : ''}). ` +
          unknownNodeConsequence(kind) +
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
    });
  }
}

/**
 * The StatefulSet controller labels each pod `controller-revision-hash=<name>-<hash>`, the hash being the
 * decimal FNV-32 of the revision, re-encoded: up to 10 characters, 10 for about 77 % of revisions
 * (kubernetes-workloads.md §1.4). Label values hold 63 characters, so a name of 53 or more fails as soon
 * as a revision's hash is long enough; each pod's hostname and pod-name label (`<name>-<ordinal>`) hold 63.
 */
const STATEFULSET_NAME_SAFE = 52;
const LABEL_MAX = 63;

function checkStatefulSetNames({ cluster, report }: RuleContext): void {
  for (const { object, kind, replicas, ordinalsStart } of cluster.facts.workloads) {
    const name = object.name;
    if (kind !== 'StatefulSet' || !name || name.value.length <= STATEFULSET_NAME_SAFE) continue;
    const length = name.value.length;
    const lastOrdinal = (ordinalsStart ?? 0) + Math.max(0, (replicas ?? 1) - 1);
    const longestPod = `${name.value}-${lastOrdinal}`;
    const podNames =
      longestPod.length > LABEL_MAX
        ? ` Its pod names (up to \`${longestPod}\`, ${longestPod.length} characters) are also too long for the ` +
          `hostname and the statefulset.kubernetes.io/pod-name label, which hold ${LABEL_MAX}.`
        : '';
    const rejected =
      length > LABEL_MAX
        ? ` Recent Kubernetes releases reject the StatefulSet itself: its name must be a DNS label (at most ` +
          `${LABEL_MAX} characters).`
        : '';
    report({
      code: 'statefulset-name-too-long',
      uri: object.uri,
      range: name.range,
      message:
        `StatefulSet name \`${name.value}\` is ${length} characters long. Each pod is labelled ` +
        `controller-revision-hash=<name>-<hash>, where the hash has up to 10 characters (10 for about 3 ` +
        `revisions in 4), and a label value holds ${LABEL_MAX}: the StatefulSet controller fails to create ` +
        `the pods (FailedCreate) for every revision whose label is too long.${podNames}${rejected} Names of ` +
        `at most ${STATEFULSET_NAME_SAFE} characters are always safe.`,
    });
  }
}
