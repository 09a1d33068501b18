// The messages between the extension client and the language server, typed once for both sides.
// (The webview protocol joins here when the topology panel lands.)

export const SERVER_STATUS_NOTIFICATION = 'podnet/status';

export interface ServerStatus {
  state: 'starting' | 'indexing' | 'ready' | 'error';
  /** YAML files the server has read. */
  files: number;
  clusters: number;
  errors: number;
  warnings: number;
  message?: string;
}

/** Settings under `podnet.*`, as the client sends them. */
export interface PodnetSettings {
  enable: boolean;
  rules: Record<string, 'off' | 'error' | 'warning' | 'information' | 'hint'>;
  clusters: Array<{ folder: string; name: string }>;
  knownNodes: string[];
  maxFileSize: number;
}

export const DEFAULT_PODNET_SETTINGS: PodnetSettings = {
  enable: true,
  rules: {},
  clusters: [],
  knownNodes: [],
  maxFileSize: 5_000_000,
};
