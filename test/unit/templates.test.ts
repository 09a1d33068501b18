// Template sources (issue 12): a Helm chart's templates, Jinja and Liquid files are not manifests.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { templateKindOf } from '../../server/src/core/template';
import { diagnose, FIXTURES, type Files, workspaceOf } from './helpers';
import { pathToUri } from '../../server/src/model/workspace';

/** The fixture files under `test/fixtures/templates/<folder>`, keyed as `/ws/<folder>/<path>`. */
function fixtures(folder: string): Files {
  const files: Files = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[`/ws/${folder}/${path.relative(path.join(FIXTURES, 'templates', folder), full)}`] = read(full);
    }
  };
  walk(path.join(FIXTURES, 'templates', folder));
  return files;
}
const read = (file: string) => fs.readFileSync(file, 'utf8');

test('a Helm chart: no yaml-syntax, no rule on its templates, one note on Chart.yaml', () => {
  const files = fixtures('chart');
  const found = diagnose(files);
  const inChart = found.filter((d) => d.uri.includes('/mynet/'));
  assert.deepEqual(
    inChart.map((d) => [d.code, path.basename(d.uri), d.severity]),
    [['template-source', 'Chart.yaml', 'information']],
  );
  assert.match(inChart[0].message, /3 template files/);
  assert.match(inChart[0].message, /helm template mynet \| podnet check -/);
});

test("a chart's objects are not built: its DaemonSet is not paired with a plain ConfigMap (REPORT P8)", () => {
  const workspace = workspaceOf(fixtures('chart'));
  const daemonSets = workspace.clusters().flatMap((c) => c.facts.daemonSets);
  assert.equal(daemonSets.length, 0);
  const configMaps = workspace.clusters().flatMap((c) => c.facts.configMaps.map((m) => m.object.uri));
  assert.deepEqual(configMaps, [pathToUri('/ws/chart/kube-flannel.yaml')]);
  assert.equal(diagnose(fixtures('chart')).filter((d) => d.code === 'flannel-configmap-ref').length, 0);
  // The template without any action is a chart source too: Helm renders it with the others.
  const serviceAccount = workspace.getFile(pathToUri('/ws/chart/mynet/templates/serviceaccount.yaml'));
  assert.deepEqual(serviceAccount?.file.template, { kind: 'helm', chartRoot: '/ws/chart/mynet' });
});

test('a chart without Chart.yaml in view: one note on its first template, then on Chart.yaml when it comes', () => {
  const files = fixtures('chart');
  const chartFile = '/ws/chart/mynet/Chart.yaml';
  const { [chartFile]: chart, ...rest } = files;
  const workspace = workspaceOf(rest);
  const templates = () =>
    [...workspace.allFiles()].flatMap((entry) => (entry.file.template ? [path.basename(entry.file.path)] : []));
  // Without Chart.yaml the templates with actions are still recognised; the plain ServiceAccount is a manifest.
  assert.deepEqual(templates().sort(), ['configmap.yaml', 'daemonset.yaml']);
  workspace.setFile(pathToUri(chartFile), chart);
  assert.deepEqual(templates().sort(), ['configmap.yaml', 'daemonset.yaml', 'serviceaccount.yaml']);
  workspace.removeFile(pathToUri(chartFile));
  assert.deepEqual(templates().sort(), ['configmap.yaml', 'daemonset.yaml']);
  assert.equal(
    workspace.getFile(pathToUri('/ws/chart/mynet/templates/configmap.yaml'))?.file.template?.chartRoot,
    undefined,
  );
});

test('Jinja and Liquid sources: no yaml-syntax, one note each, no objects', () => {
  const files = { ...fixtures('jinja'), ...fixtures('liquid') };
  const found = diagnose(files);
  assert.deepEqual(found.map((d) => [d.code, path.basename(path.dirname(d.uri))]).sort(), [
    ['template-source', 'jinja'],
    ['template-source', 'liquid'],
  ]);
  assert.match(found.find((d) => d.uri.includes('/liquid/'))!.message, /Jekyll\/Liquid/);
  assert.match(found.find((d) => d.uri.includes('/jinja/'))!.message, /Jinja/);
  assert.equal(
    workspaceOf(files)
      .allFiles()
      .flatMap((f) => f.file.objects).length,
    0,
  );
});

test('a Go template inside strings, block scalars and comments keeps a plain manifest a manifest', () => {
  const text = read(path.join(FIXTURES, 'templates', 'plain-go-template.yaml'));
  assert.equal(templateKindOf(text), undefined);
  const node = 'apiVersion: v1\nkind: Node\nmetadata:\n  name: worker-1\nspec:\n  podCIDR: 10.244.1.0/24\n';
  // Its Pod is checked like any other: its nodeName names no known node.
  const found = diagnose({ '/ws/plain.yaml': text, '/ws/nodes.yaml': node });
  assert.deepEqual(
    found.map((d) => d.code),
    ['nodename-unknown'],
  );
});

test('a plain manifest with a real YAML error still gets yaml-syntax', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\ndata:\n  x: "{{ y }}"\n';
  assert.deepEqual(
    diagnose({ '/ws/cm.yaml': text }).map((d) => d.code),
    ['yaml-syntax'],
  );
});

test('template actions where YAML expects a node, and the language they are written in', () => {
  assert.equal(templateKindOf('metadata:\n  namespace: {{ .Release.Namespace }}\n'), 'helm');
  assert.equal(templateKindOf('{{- if .Values.x }}\nkind: Pod\n{{- end }}\n'), 'helm');
  assert.equal(templateKindOf('args:\n{{- range $a := .args }}\n- {{ $a }}\n{{- end }}\n'), 'go');
  assert.equal(templateKindOf('args: [{{ first }}, b]\n'), 'jinja');
  assert.equal(templateKindOf('{% if x %}\nkind: Pod\n{% endif %}\n'), 'jinja');
  assert.equal(templateKindOf('---\nlayout: null\n---\n{% helm %}\nx: 1\n'), 'liquid');
  assert.equal(templateKindOf('a: "{{ x }}"\nb: \'{{ y }}\'\n# {{ z }}\n'), undefined);
  assert.equal(templateKindOf('a: |\n  {{ x }}\n  {% y %}\nb: >-\n  {{ z }}\n'), undefined);
  assert.equal(templateKindOf('- |\n  {{ x }}\n'), undefined);
  assert.equal(templateKindOf('a: x{{ y }}\nb: c, {{ d }}\n'), undefined);
  assert.equal(templateKindOf('a: "multi\n  {{ line }}"\n'), undefined);
});
