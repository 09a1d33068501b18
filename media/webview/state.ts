// What the webview remembers across reloads (VS Code drops hidden webviews and restores them from
// setState; the panel serializer gets the same object back to reopen the panel after a restart).
import type { WebviewToHost } from '../../server/src/protocol';

export interface SavedState {
  /** A manifest of the shown cluster: lets the host ask the server for the same topology again. */
  uri?: string;
  clusterId?: string;
  /** Undefined until the first render, which fits the picture to the panel. */
  zoom?: number;
  panX: number;
  panY: number;
  /** Selected pods as `namespace/name`. */
  from?: string;
  to?: string;
  /** Current hop of the shown path. */
  step: number;
  /** Nodes the user drilled into from the overview. */
  focusNodes: string[];
  /** A pod found by search, drawn even when its node has more pods than are shown. */
  pinned?: string;
}

export interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: SavedState): void;
}

declare global {
  function acquireVsCodeApi(): VsCodeApi;
}

const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length <= 1000 ? value : undefined;
const finite = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

/** The stored state is whatever an older version of this code saved: read it field by field. */
export function restoreState(raw: unknown): SavedState {
  const saved = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const zoom = finite(saved.zoom, NaN);
  return {
    uri: optionalString(saved.uri),
    clusterId: optionalString(saved.clusterId),
    zoom: zoom > 0 ? zoom : undefined,
    panX: finite(saved.panX, 0),
    panY: finite(saved.panY, 0),
    from: optionalString(saved.from),
    to: optionalString(saved.to),
    step: Math.max(0, Math.floor(finite(saved.step, 0))),
    focusNodes: Array.isArray(saved.focusNodes)
      ? saved.focusNodes
          .map(optionalString)
          .filter((n): n is string => n !== undefined)
          .slice(0, 100)
      : [],
    pinned: optionalString(saved.pinned),
  };
}
