// The language server: adapts the engine to LSP. It keeps the workspace model current from open
// editors (whose unsaved text wins) and file events, and publishes diagnostics per file.
import {
  type CodeAction,
  CodeActionKind,
  type CompletionItem,
  CompletionItemKind,
  createConnection,
  type Diagnostic as LspDiagnostic,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  type DocumentSymbol,
  FileChangeType,
  type InitializeParams,
  type InitializeResult,
  type Location,
  MarkupKind,
  ProposedFeatures,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver/node';
import { type Diagnostic, diagnoseWorkspace, type EngineSettings } from '../engine';
import { type OffsetRange } from '../core/text';
import {
  DEFAULT_PODNET_SETTINGS,
  type InitializationOptions,
  type PodnetSettings,
  type ServerStatus,
  NODE_TOOLS_REQUEST,
  PACKET_PATH_REQUEST,
  SERVER_STATUS_NOTIFICATION,
  TOPOLOGY_REQUEST,
} from '../protocol';
import { Workspace, uriToPath } from '../model/workspace';
import { type CniKind, isCniKind } from '../model/cniDetection';
import { hoverAt } from '../features/hover';
import { completionsAt } from '../features/completion';
import { documentSymbols, type SymbolResult } from '../features/symbols';
import { definitionAt } from '../features/definition';
import { codeLensesOf } from '../features/codeLens';
import { nodeToolsOf, pathOf, topologyResponseOf } from '../features/topologyService';
import { type Severity } from '../rules/registry';
import { type QuickFix } from '../rules/types';
import { findYamlFiles, readText, readTextSync } from '../io/files';
import { useEnvironmentSnapshot } from '../io/environment';
import { coalesce } from './coalesce';
import { DocumentLifecycle } from './documents';
import { EditorDocument } from './editorDocument';
import { limitHeapGrowth } from './heap';
import { warmUpInSlices } from './warmup';

useEnvironmentSnapshot();

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments({ create: EditorDocument.create, update: EditorDocument.update });

let settings: PodnetSettings = DEFAULT_PODNET_SETTINGS;
let roots: string[] = [];
let workspace = new Workspace({ roots });
// Open, edit, close and disk events go through one owner, which decides whose text a file has.
const lifecycle = new DocumentLifecycle({
  workspace: () => workspace,
  readText,
  readTextSync,
  changed: () => schedulePublish(),
});
let latest = new Map<string, Diagnostic[]>();
let canPullConfiguration = false;
let hasWorkspaceFolders = false;
let yamlExtensionActive = false;
let indexing = false;
/** Documents opened or changed so far: the warm-up gives way to the first one. */
let documentEdits = 0;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

function workspaceOptions() {
  return {
    roots,
    clusterMappings: settings.clusters,
    knownNodes: settings.knownNodes,
    // A hand-edited settings.json may hold anything: only a CNI Podnet models overrides detection.
    ...(isCniKind(String(settings.cni)) ? { cni: settings.cni as CniKind } : {}),
    limits: { maxFileLength: settings.maxFileSize },
  };
}

let currentEngineSettings: EngineSettings | undefined;
let engineSettingsFrom: PodnetSettings | undefined;

/** One object per settings change: the engine caches results per cluster and settings object. */
function engineSettings(): EngineSettings {
  if (!currentEngineSettings || engineSettingsFrom !== settings) {
    // Beside Red Hat's YAML extension, YAML syntax errors would be reported twice: leave them to it
    // unless the user asked for ours explicitly.
    const rules =
      yamlExtensionActive && settings.rules['yaml-syntax'] === undefined
        ? { ...settings.rules, 'yaml-syntax': 'off' as const }
        : settings.rules;
    currentEngineSettings = { enable: settings.enable, rules };
    engineSettingsFrom = settings;
  }
  return currentEngineSettings;
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  roots = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri));
  if (roots.length === 0 && params.rootUri) roots = [uriToPath(params.rootUri)];
  const options = params.initializationOptions as Partial<InitializationOptions> | undefined;
  settings = mergeSettings(options?.settings);
  yamlExtensionActive = options?.yamlExtensionActive === true;
  workspace = new Workspace(workspaceOptions());
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  hasWorkspaceFolders = params.capabilities.workspace?.workspaceFolders === true;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['"', ':', ' '] },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      documentSymbolProvider: true,
      definitionProvider: true,
      codeLensProvider: { resolveProvider: false },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'podnet' },
  };
});

connection.onInitialized(async () => {
  // Files are listed while the client answers with the settings, which the listing does not need.
  let settingsPulled = Promise.resolve();
  if (canPullConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'podnet' });
    settingsPulled = pullSettings();
  }
  if (hasWorkspaceFolders)
    connection.workspace.onDidChangeWorkspaceFolders(async ({ added, removed }) => {
      const gone = removed.map((f) => uriToPath(f.uri));
      roots = [...roots.filter((r) => !gone.includes(r)), ...added.map((f) => uriToPath(f.uri))];
      workspace.setOptions(workspaceOptions());
      lifecycle.foldersRemoved(gone, roots);
      await indexWorkspace(added.map((f) => uriToPath(f.uri)));
    });
  await indexWorkspace(roots, settingsPulled);
  // Indexing allocates trees that die young; holding the heap close to its use is for the long session after.
  limitHeapGrowth();
  // Once the workspace is indexed, idle time prepares the engine for the first large file.
  try {
    const editsBefore = documentEdits;
    await warmUpInSlices(nextTurn, () => documentEdits !== editsBefore);
  } catch (error) {
    connection.console.warn(`Podnet warm-up failed (harmless): ${String(error)}`);
  }
});

function mergeSettings(value: Partial<PodnetSettings> | undefined): PodnetSettings {
  return { ...DEFAULT_PODNET_SETTINGS, ...(value ?? {}) };
}

async function pullSettings(): Promise<void> {
  try {
    settings = mergeSettings((await connection.workspace.getConfiguration('podnet')) as Partial<PodnetSettings>);
  } catch (error) {
    connection.console.warn(`Podnet could not read its settings and uses the defaults: ${String(error)}`);
    settings = DEFAULT_PODNET_SETTINGS;
  }
  workspace.setOptions(workspaceOptions());
}

/** Files read and parsed between two turns of the event loop while indexing. */
const INDEX_BATCH = 25;

/**
 * Reads every YAML file below the folders. Files are read synchronously in small batches (a small
 * file reads in microseconds, far less than an asynchronous round trip), and the event loop is
 * released between batches so that an opened file is answered while indexing goes on.
 */
async function indexWorkspace(folders: string[], settingsPulled?: Promise<void>): Promise<void> {
  indexing = true;
  sendStatus();
  try {
    const paths: string[] = [];
    const unlisted = (folder: string, reason: string) => connection.console.warn(`${folder}: ${reason}`);
    for (const root of folders) for await (const filePath of findYamlFiles(root, unlisted)) paths.push(filePath);
    await settingsPulled;
    for (let i = 0; i < paths.length; i += INDEX_BATCH) {
      for (const filePath of paths.slice(i, i + INDEX_BATCH)) {
        const skipped = lifecycle.indexed(filePath)?.file.skipped;
        if (skipped) connection.console.warn(`${filePath}: ${skipped}`);
      }
      await nextTurn();
    }
  } catch (error) {
    connection.console.error(`Podnet could not read the workspace: ${String(error)}`);
  } finally {
    indexing = false;
    publishAll();
  }
}

/**
 * Publishes what changed. While the workspace is being indexed only open documents are published, so
 * the file a person is looking at gets diagnostics at once; everything follows when indexing ends.
 */
function publishAll(): void {
  let next: Map<string, Diagnostic[]>;
  try {
    next = diagnoseWorkspace(workspace, engineSettings());
  } catch (error) {
    connection.console.error(`Podnet analysis failed: ${error instanceof Error ? error.stack : String(error)}`);
    sendStatus(String(error));
    return;
  }
  if (indexing) {
    for (const document of documents.all()) {
      const list = next.get(document.uri);
      if (list && list !== latest.get(document.uri))
        void connection.sendDiagnostics({ uri: document.uri, diagnostics: list.map(toLspDiagnostic) });
      if (list) latest.set(document.uri, list);
    }
    return;
  }
  for (const uri of latest.keys()) if (!next.has(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
  for (const [uri, list] of next) {
    // Unchanged clusters hand back the very same lists: nothing to send for them. Nor for a closed
    // file that had no problems and still has none (most files of a large workspace).
    const previous = latest.get(uri);
    if (previous === list) continue;
    if (list.length === 0 && (previous === undefined || previous.length === 0) && !documents.get(uri)) continue;
    void connection.sendDiagnostics({ uri, diagnostics: list.map(toLspDiagnostic) });
  }
  latest = next;
  sendStatus();
}

function toLspDiagnostic(diagnostic: Diagnostic): LspDiagnostic {
  return {
    range: diagnostic.range,
    severity: SEVERITY[diagnostic.severity],
    code: diagnostic.code,
    source: 'podnet',
    message: diagnostic.message,
  };
}

function sendStatus(message?: string): void {
  let errors = 0;
  let warnings = 0;
  for (const list of latest.values()) {
    for (const d of list) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
    }
  }
  const status: ServerStatus = {
    state: message ? 'error' : indexing ? 'indexing' : 'ready',
    files: workspace.allFiles().length,
    clusters: indexing ? 0 : workspace.clusters().length,
    errors,
    warnings,
    message,
  };
  void connection.sendNotification(SERVER_STATUS_NOTIFICATION, status);
}

// Changes that arrive together (a burst of keystrokes already queued) are analysed once, right after
// them; there is no fixed delay, since an edit is re-analysed in milliseconds.
const schedulePublish = coalesce(() => publishAll());

documents.onDidOpen(({ document }) => lifecycle.opened(document.uri));

documents.onDidChangeContent(({ document }) => {
  documentEdits++;
  lifecycle.edited(document.uri, document.getText(), document.takeChange());
});

documents.onDidClose(({ document }) => lifecycle.closed(document.uri));

connection.onDidChangeWatchedFiles(({ changes }) =>
  lifecycle.diskChanged(changes.map((c) => ({ uri: c.uri, deleted: c.type === FileChangeType.Deleted }))),
);

connection.onDidChangeConfiguration(async (change) => {
  if (canPullConfiguration) await pullSettings();
  else {
    settings = mergeSettings((change.settings as { podnet?: Partial<PodnetSettings> } | undefined)?.podnet);
    workspace.setOptions(workspaceOptions());
  }
  publishAll();
});

function offsetRange(uri: string, range: OffsetRange) {
  const file = workspace.getFile(uri)?.file;
  return file ? file.lines.rangeOf(range) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

function offsetOf(uri: string, position: { line: number; character: number }): number | undefined {
  return workspace.getFile(uri)?.file.lines.offsetAt(position);
}

connection.onHover(({ textDocument, position }) => {
  const offset = offsetOf(textDocument.uri, position);
  if (offset === undefined) return null;
  const hover = hoverAt(workspace, textDocument.uri, offset);
  if (!hover) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: hover.markdown },
    range: offsetRange(textDocument.uri, hover.range),
  };
});

const COMPLETION_KIND = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  reference: CompletionItemKind.Reference,
};

connection.onCompletion(({ textDocument, position }): CompletionItem[] => {
  const offset = offsetOf(textDocument.uri, position);
  if (offset === undefined) return [];
  return completionsAt(workspace, textDocument.uri, offset).map((item, index) => ({
    label: item.label,
    kind: COMPLETION_KIND[item.kind],
    detail: item.detail,
    documentation: item.documentation ? { kind: MarkupKind.Markdown, value: item.documentation } : undefined,
    sortText: String(index).padStart(4, '0'),
    filterText: item.label,
    textEdit: { range: offsetRange(textDocument.uri, item.range), newText: item.insertText },
  }));
});

connection.onDocumentSymbol(({ textDocument }): DocumentSymbol[] => {
  const toSymbol = (symbol: SymbolResult): DocumentSymbol => ({
    name: symbol.name,
    detail: symbol.detail,
    kind:
      symbol.kind === 'ConfigMapKey'
        ? SymbolKind.Key
        : symbol.kind === 'Namespace'
          ? SymbolKind.Namespace
          : SymbolKind.Object,
    range: offsetRange(textDocument.uri, symbol.range),
    selectionRange: offsetRange(textDocument.uri, symbol.selectionRange),
    children: symbol.children.map(toSymbol),
  });
  return documentSymbols(workspace, textDocument.uri).map(toSymbol);
});

connection.onDefinition(({ textDocument, position }): Location[] => {
  const offset = offsetOf(textDocument.uri, position);
  if (offset === undefined) return [];
  return definitionAt(workspace, textDocument.uri, offset).map((location) => ({
    uri: location.uri,
    range: offsetRange(location.uri, location.range),
  }));
});

connection.onCodeAction(({ textDocument, range, context }): CodeAction[] => {
  const diagnostics = latest.get(textDocument.uri) ?? [];
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (!overlapsRange(diagnostic.range, range)) continue;
    const lspDiagnostic =
      context.diagnostics.find((d) => d.code === diagnostic.code && sameRange(d.range, diagnostic.range)) ??
      toLspDiagnostic(diagnostic);
    for (const fix of diagnostic.fixes) actions.push(toCodeAction(fix, lspDiagnostic));
  }
  return actions;
});

function toCodeAction(fix: QuickFix, diagnostic: LspDiagnostic): CodeAction {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const edit of fix.edits)
    (changes[edit.uri] ??= []).push({ range: offsetRange(edit.uri, edit.range), newText: edit.newText });
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: fix.preferred,
    edit: { changes },
  };
}

type LspRange = { start: { line: number; character: number }; end: { line: number; character: number } };
const before = (a: LspRange['start'], b: LspRange['start']) =>
  a.line < b.line || (a.line === b.line && a.character <= b.character);
const overlapsRange = (a: LspRange, b: LspRange) => before(a.start, b.end) && before(b.start, a.end);
const sameRange = (a: LspRange, b: LspRange) =>
  a.start.line === b.start.line &&
  a.start.character === b.start.character &&
  a.end.line === b.end.line &&
  a.end.character === b.end.character;

connection.onCodeLens(({ textDocument }) =>
  codeLensesOf(workspace, textDocument.uri).map((lens) => ({
    range: offsetRange(textDocument.uri, lens.range),
    command: { title: lens.title, command: lens.command, arguments: lens.arguments },
  })),
);

connection.onRequest(TOPOLOGY_REQUEST, (params) => topologyResponseOf(workspace, params?.uri));
connection.onRequest(PACKET_PATH_REQUEST, (params) => pathOf(workspace, params));
connection.onRequest(NODE_TOOLS_REQUEST, (params) => nodeToolsOf(workspace, params) ?? null);

// A request that throws must not take the server down: report it and keep serving.
process.on('uncaughtException', (error) => connection.console.error(`Podnet: ${error.stack ?? String(error)}`));

documents.listen(connection);
connection.listen();
