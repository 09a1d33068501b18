// Building Sourced values: a value as written (with the place of its token) or Calico's default (with why),
// and the problems a reader meets, kept for the rules to report instead of thrown.
import { type K8sObject } from '../../core/manifest';
import { type Located } from '../../core/yamlAccess';
import { type EncapsulationMode, type Sourced, type ValueSource } from './model';

export { type CalicoProblem } from './model';

/** Where a value is written; the range is read from the YAML node each time, like Located's. */
export const sourceOf = (uri: string, located: Located<string>): ValueSource => ({
  uri,
  get range() {
    return located.textRange;
  },
});

/** The place of a whole object (its range in its file). */
export const objectSource = (object: K8sObject): ValueSource => ({ uri: object.uri, range: object.range });

export const written = <T>(value: T, uri: string, located: Located<string>): Sourced<T> => ({
  value,
  source: sourceOf(uri, located),
});

export const defaulted = <T>(value: T, why: string): Sourced<T> => ({ value, defaulted: why });

/** calico-node's parse of CALICO_IPV4POOL_IPIP / _VXLAN (case-insensitive); undefined: calico-node exits. */
export function envEncapsulationMode(text: string): EncapsulationMode | undefined {
  switch (text.trim().toLowerCase()) {
    case '':
    case 'off':
    case 'never':
      return 'Never';
    case 'always':
      return 'Always';
    case 'crosssubnet':
    case 'cross-subnet':
      return 'CrossSubnet';
  }
  return undefined;
}

/** An IPPool's ipipMode / vxlanMode: exactly one of the API's values (the validator is case-sensitive). */
export const poolEncapsulationMode = (text: string): EncapsulationMode | undefined =>
  text === 'Never' || text === 'Always' || text === 'CrossSubnet' ? text : undefined;

/** A YAML boolean as the API server decodes it into a bool field: true/false only. */
export function yamlBool(text: string): boolean | undefined {
  if (text === 'true') return true;
  if (text === 'false') return false;
  return undefined;
}

/** Go's strconv.ParseBool, which calico-node's env booleans go through. */
export function goBool(text: string): boolean | undefined {
  if (/^(1|t|T|TRUE|true|True)$/.test(text)) return true;
  if (/^(0|f|F|FALSE|false|False)$/.test(text)) return false;
  return undefined;
}

/** A whole number as written (`26`, not `26.5` or `x`). */
export function wholeNumber(text: string): number | undefined {
  return /^\s*[0-9]+\s*$/.test(text) ? Number(text) : undefined;
}
