// Reads the `podnet.*` settings into the shape the language server expects.
// The server pulls settings itself (workspace/configuration); the client reads them only to hand the
// server a first copy at initialisation and to decide whether to run the server at all.
import * as vscode from 'vscode';
import { DEFAULT_PODNET_SETTINGS, type PodnetSettings } from '../../server/src/protocol';

export const SETTINGS_SECTION = 'podnet';

const SEVERITIES = new Set(['off', 'error', 'warning', 'information', 'hint']);
const CNI_SETTINGS: ReadonlyArray<PodnetSettings['cni']> = ['auto', 'flannel', 'calico', 'canal'];

/**
 * The current settings, with defaults for anything missing or of the wrong type. VS Code does not
 * enforce the JSON schema on settings.json, so a hand-edited value can be anything; a bad value falls
 * back to its default here rather than reaching the server.
 */
export function readSettings(): PodnetSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const enable = config.get<unknown>('enable');
  const rules = config.get<unknown>('rules');
  const clusters = config.get<unknown>('clusters');
  const knownNodes = config.get<unknown>('knownNodes');
  const maxFileSize = config.get<unknown>('maxFileSize');
  const cni = config.get<unknown>('cni');
  return {
    enable: typeof enable === 'boolean' ? enable : DEFAULT_PODNET_SETTINGS.enable,
    rules: isRecord(rules) ? ruleSeverities(rules) : { ...DEFAULT_PODNET_SETTINGS.rules },
    clusters: Array.isArray(clusters) ? clusters.filter(isClusterMapping) : [...DEFAULT_PODNET_SETTINGS.clusters],
    knownNodes: Array.isArray(knownNodes)
      ? knownNodes.filter((name): name is string => typeof name === 'string' && name.length > 0)
      : [...DEFAULT_PODNET_SETTINGS.knownNodes],
    maxFileSize: typeof maxFileSize === 'number' && maxFileSize > 0 ? maxFileSize : DEFAULT_PODNET_SETTINGS.maxFileSize,
    cni: CNI_SETTINGS.find((value) => value === cni) ?? DEFAULT_PODNET_SETTINGS.cni,
  };
}

export function isEnabled(): boolean {
  return readSettings().enable;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ruleSeverities(value: Record<string, unknown>): PodnetSettings['rules'] {
  const result: PodnetSettings['rules'] = {};
  for (const [id, severity] of Object.entries(value)) {
    if (typeof severity === 'string' && SEVERITIES.has(severity))
      result[id] = severity as PodnetSettings['rules'][string];
  }
  return result;
}

function isClusterMapping(value: unknown): value is PodnetSettings['clusters'][number] {
  return isRecord(value) && typeof value.folder === 'string' && typeof value.name === 'string';
}
