// `podnet` on the command line: the same engine as the editor, for CI and for people at a terminal.
import { promises as fs } from 'fs';
import * as path from 'path';
import { Diagnostic, diagnoseWorkspace, EngineSettings, RuleSetting } from '../engine';
import { pathToUri, uriToPath, Workspace } from '../model/workspace';
import { findYamlFiles, readTextFile } from '../io/files';
import { RULES } from '../rules/registry';
import { formatJson, formatSarif, formatText, Format } from './format';

const USAGE = `Usage: podnet check [paths…] [--format text|json|sarif] [--rule <id>=<off|error|warning|information|hint>]…

Checks Kubernetes pod-network manifests (flannel's kube-flannel.yml, Pods, Nodes,
control-plane manifests) below the given files and folders (default: the current folder).
Exits 1 when any error is found, 0 otherwise, 2 on bad usage.`;

interface CheckOptions {
  paths: string[];
  format: Format;
  rules: Record<string, RuleSetting>;
}

export function parseCheckArgs(args: string[]): CheckOptions | string {
  const options: CheckOptions = { paths: [], format: 'text', rules: {} };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? args[++i];
    if (flag === '--format') {
      const format = value();
      if (format !== 'text' && format !== 'json' && format !== 'sarif') return `unknown format "${format}"`;
      options.format = format;
    } else if (flag === '--rule') {
      const [id, severity] = (value() ?? '').split('=');
      if (!RULES.has(id)) return `unknown rule "${id}"`;
      if (!['off', 'error', 'warning', 'information', 'hint'].includes(severity)) return `unknown severity "${severity}" for ${id}`;
      options.rules[id] = severity as RuleSetting;
    } else if (flag.startsWith('-')) {
      return `unknown option "${arg}"`;
    } else {
      options.paths.push(arg);
    }
  }
  if (options.paths.length === 0) options.paths.push('.');
  return options;
}

async function loadWorkspace(paths: string[]): Promise<{ workspace: Workspace; skipped: string[] }> {
  const absolute = paths.map((p) => path.resolve(p));
  const roots: string[] = [];
  const files: string[] = [];
  for (const target of absolute) {
    const stat = await fs.stat(target).catch(() => undefined);
    if (!stat) throw new Error(`${target}: no such file or folder`);
    if (stat.isDirectory()) {
      roots.push(target);
      for await (const file of findYamlFiles(target)) files.push(file);
    } else {
      roots.push(path.dirname(target));
      files.push(target);
    }
  }
  const workspace = new Workspace({ roots });
  const skipped: string[] = [];
  for (const file of [...new Set(files)]) {
    const text = await readTextFile(file);
    if (text === undefined) continue;
    const entry = workspace.setFile(pathToUri(file), text);
    if (entry.file.skipped) skipped.push(`${file}: ${entry.file.skipped}`);
  }
  return { workspace, skipped };
}

async function check(options: CheckOptions): Promise<number> {
  const { workspace, skipped } = await loadWorkspace(options.paths);
  const settings: EngineSettings = { enable: true, rules: options.rules };
  const byUri = diagnoseWorkspace(workspace, settings);
  const diagnostics: Array<Diagnostic & { file: string }> = [];
  for (const [uri, list] of [...byUri.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const file = path.relative(process.cwd(), uriToPath(uri)) || uriToPath(uri);
    for (const d of list) diagnostics.push({ ...d, file });
  }
  for (const note of skipped) process.stderr.write(`podnet: skipped ${note}\n`);
  const formatted =
    options.format === 'json' ? formatJson(diagnostics) :
    options.format === 'sarif' ? formatSarif(diagnostics) :
    formatText(diagnostics, workspace.allFiles().length, workspace.clusters().length);
  process.stdout.write(formatted);
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  if (command !== 'check') {
    process.stderr.write(`podnet: unknown command "${command}"\n\n${USAGE}\n`);
    return 2;
  }
  const options = parseCheckArgs(rest);
  if (typeof options === 'string') {
    process.stderr.write(`podnet: ${options}\n\n${USAGE}\n`);
    return 2;
  }
  return check(options);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      process.stderr.write(`podnet: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
