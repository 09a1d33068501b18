// A small argument parser shared by the subcommands: positional paths plus `--flag value`,
// `--flag=value` or a bare `--switch`, each flag checked against what the subcommand accepts.
import { CNI_KINDS, type CniKind, isCniKind } from '../model/cniDetection';

export interface FlagSpec {
  /** Allowed values; any value when absent. */
  values?: readonly string[];
  /** May be given more than once. */
  repeat?: boolean;
  /** Takes no value: present or not. */
  switch?: boolean;
}

export interface ParsedArgs {
  paths: string[];
  flags: Map<string, string[]>;
}

export function parseArgs(args: string[], spec: Record<string, FlagSpec>): ParsedArgs | string {
  const parsed: ParsedArgs = { paths: [], flags: new Map() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    // `-` alone is standard input, a path like any other.
    if (!arg.startsWith('-') || arg === '-') {
      parsed.paths.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const flag = equals > 0 ? arg.slice(0, equals) : arg;
    const rule = spec[flag];
    if (!rule) return `unknown option "${flag}"`;
    if (rule.switch) {
      if (equals > 0) return `${flag} takes no value`;
      if (parsed.flags.has(flag)) return `${flag} is given twice`;
      parsed.flags.set(flag, ['']);
      continue;
    }
    const value = equals > 0 ? arg.slice(equals + 1) : args[++i];
    if (value === undefined) return `${flag} needs a value`;
    if (rule.values && !rule.values.includes(value)) return `${flag} takes ${rule.values.join(', ')}, not "${value}"`;
    const previous = parsed.flags.get(flag) ?? [];
    if (previous.length > 0 && !rule.repeat) return `${flag} is given twice`;
    parsed.flags.set(flag, [...previous, value]);
  }
  if (parsed.paths.length === 0) parsed.paths.push('.');
  return parsed;
}

export const flag = (parsed: ParsedArgs, name: string): string | undefined => parsed.flags.get(name)?.[0];

/** `--cni <name>`, which every subcommand takes: the CNI the clusters run, or `auto` to detect it. */
export const CNI_FLAG: FlagSpec = { values: ['auto', ...CNI_KINDS] };

/** The CNI `--cni` names, for the workspace's options; nothing for `auto` or no flag. */
export function cniOption(parsed: ParsedArgs): { cni?: CniKind } {
  const value = flag(parsed, '--cni');
  return value && isCniKind(value) ? { cni: value } : {};
}
