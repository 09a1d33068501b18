// Entry of the topology webview. It draws the cluster the host sends, lets the user pick two pods,
// asks the host for the packet path between them and steps through its hops. All data arrives via
// postMessage; nothing here fetches or evaluates anything.
import type { ClusterView, HostToWebview, PacketPath, SceneRef, TopologyResult } from '../../server/src/protocol';
import { podKey } from '../../server/src/topology/ids';
import { button, htmlElement, svgElement } from './dom';
import { applyHighlight, highlightFor } from './highlight';
import { PathPanel } from './pathPanel';
import { describeBox, renderScene, type RenderedScene } from './render';
import { restoreState, type SavedState } from './state';
import { Viewport } from './viewport';

const vscode = acquireVsCodeApi();

class TopologyApp {
  private state: SavedState = restoreState(vscode.getState());
  private result: TopologyResult | undefined;
  private view: ClusterView | undefined;
  private rendered: RenderedScene | undefined;
  private sceneJson = '';
  private path: PacketPath | undefined;
  /** `namespace/name` → pod box id, and back, for the shown cluster. */
  private podIds = new Map<string, string>();
  private podKeys = new Map<string, string>();

  private readonly picker: HTMLSelectElement;
  private readonly pickerLabel: HTMLLabelElement;
  private readonly zoomLabel: HTMLButtonElement;
  private readonly clearButton: HTMLButtonElement;
  private readonly exportButton: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly surface: SVGSVGElement;
  private readonly layer: SVGGElement;
  private readonly placeholder: HTMLElement;
  private readonly viewport: Viewport;
  private readonly panel: PathPanel;

  constructor(root: HTMLElement) {
    const toolbar = htmlElement(
      'div',
      { className: 'toolbar', attributes: { role: 'toolbar', 'aria-label': 'Topology tools' } },
      root,
    );
    this.pickerLabel = htmlElement('label', { className: 'cluster-picker', text: 'Cluster ' }, toolbar);
    this.picker = htmlElement('select', { attributes: { 'aria-label': 'Cluster' } }, this.pickerLabel);
    this.picker.addEventListener('change', () => this.switchCluster(this.picker.value));
    button('Zoom out', '−', toolbar, () => this.viewport.zoomBy(0.8));
    this.zoomLabel = button('Reset zoom to 100%', '100%', toolbar, () =>
      this.viewport.set({ zoom: 1, panX: 0, panY: 0 }),
    );
    button('Zoom in', '+', toolbar, () => this.viewport.zoomBy(1.25));
    button('Fit the whole cluster in the panel', 'Fit', toolbar, () => this.fit());
    this.clearButton = button('Clear the selected pods and the path', 'Clear path', toolbar, () =>
      this.clearSelection(true),
    );
    this.exportButton = button('Export the diagram as an SVG file', 'Export SVG', toolbar, () => {
      if (this.view) vscode.postMessage({ type: 'exportSvg', clusterId: this.view.topology.cluster.id });
    });
    this.status = htmlElement(
      'span',
      { className: 'status', attributes: { role: 'status', 'aria-live': 'polite' } },
      toolbar,
    );

    const main = htmlElement('div', { className: 'main' }, root);
    this.canvas = htmlElement(
      'div',
      {
        className: 'canvas',
        attributes: {
          tabindex: '0',
          role: 'group',
          'aria-label':
            'Network diagram. Arrow keys pan, plus and minus zoom, 0 fits. Tab moves through nodes, pods and ' +
            'devices; Enter picks a pod.',
        },
      },
      main,
    );
    this.surface = svgElement('svg', { class: 'surface' }, this.canvas);
    this.layer = svgElement('g', { class: 'layer' }, this.surface);
    this.placeholder = htmlElement(
      'p',
      { className: 'placeholder', text: 'Waiting for the Podnet language server…' },
      this.canvas,
    );
    const aside = htmlElement('aside', { className: 'path-panel', attributes: { 'aria-label': 'Packet path' } }, main);
    this.panel = new PathPanel(aside, (step) => this.onStep(step));

    this.viewport = new Viewport(this.surface, this.layer, (view) => {
      this.zoomLabel.textContent = `${Math.round(view.zoom * 100)}%`;
      this.save({ zoom: view.zoom, panX: view.panX, panY: view.panY });
    });
    this.canvas.addEventListener('keydown', (event) => this.onKey(event));
    window.addEventListener('message', (event: MessageEvent<unknown>) => this.onMessage(event.data));
    this.updateControls();
    vscode.postMessage({ type: 'ready' });
  }

  private save(patch: Partial<SavedState>): void {
    this.state = { ...this.state, ...patch };
    vscode.setState(this.state);
  }

  private onMessage(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const message = data as HostToWebview;
    switch (message.type) {
      case 'topology':
        return this.onTopology(message.result);
      case 'path':
        return this.onPath(message.path);
      case 'select':
        return this.onSelect(message.clusterId, message.from, message.to);
      default:
        // Every HostToWebview type is handled above; one added to protocol.ts does not compile until it is.
        return message satisfies never;
    }
  }

  private onTopology(result: TopologyResult): void {
    if (!result || !Array.isArray(result.clusters)) return;
    this.result = result;
    const wanted =
      result.clusters.find((c) => c.topology.cluster.id === this.state.clusterId) ??
      result.clusters[result.focus] ??
      result.clusters[0];
    this.fillPicker();
    this.show(wanted);
  }

  private fillPicker(): void {
    const clusters = this.result?.clusters ?? [];
    this.picker.replaceChildren(
      ...clusters.map((c) =>
        htmlElement('option', { text: c.topology.cluster.name, attributes: { value: c.topology.cluster.id } }),
      ),
    );
    this.pickerLabel.hidden = clusters.length < 2;
  }

  /** Draws `view`; a redraw of the same cluster keeps zoom, pan, selection and path. */
  private show(view: ClusterView | undefined): void {
    const sameCluster = view !== undefined && view.topology.cluster.id === this.state.clusterId;
    this.view = view;
    if (!view) {
      this.layer.replaceChildren();
      this.rendered = undefined;
      this.sceneJson = '';
      this.placeholder.textContent =
        'No cluster found: Podnet needs a flannel ConfigMap, Node objects or Pods in the workspace.';
      this.placeholder.hidden = false;
      this.clearSelection(false);
      this.updateControls();
      return;
    }
    this.placeholder.hidden = true;
    const { topology, scene } = view;
    this.picker.value = topology.cluster.id;
    this.podIds = new Map(
      topology.nodes.flatMap((node) => node.pods.map((pod) => [podKey(pod), pod.id] as [string, string])),
    );
    this.podKeys = new Map([...this.podIds].map(([key, id]) => [id, key]));
    // Refreshes after every edit usually bring the same picture: redrawing it would lose keyboard focus.
    const sceneJson = JSON.stringify(scene);
    if (!sameCluster || !this.rendered || sceneJson !== this.sceneJson) {
      this.rendered = renderScene(this.layer, scene, { activate: (ref) => this.activate(ref) });
      this.sceneJson = sceneJson;
    }
    this.save({ clusterId: topology.cluster.id, uri: sourceUri(view) });
    if (!sameCluster) {
      this.clearSelection(false);
      this.fit();
    } else if (this.state.zoom === undefined) {
      this.fit();
    } else {
      this.viewport.set({ zoom: this.state.zoom, panX: this.state.panX, panY: this.state.panY });
    }
    // Pods may have been renamed or removed by the edit that caused this redraw.
    if ((this.state.from && !this.podIds.has(this.state.from)) || (this.state.to && !this.podIds.has(this.state.to)))
      this.clearSelection(false);
    this.markSelection();
    // Keep showing the old path until the server's new answer for the edited manifests arrives.
    this.highlight();
    this.updateControls();
    if (this.state.from && this.state.to) this.requestPath();
  }

  private switchCluster(clusterId: string): void {
    const view = this.result?.clusters.find((c) => c.topology.cluster.id === clusterId);
    if (view && clusterId !== this.state.clusterId) this.show(view);
  }

  private fit(): void {
    if (this.view) this.viewport.fit(this.view.scene.width, this.view.scene.height);
  }

  private onKey(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === '0') this.fit();
    else if (event.key === 'Escape') this.clearSelection(true);
    else if (!this.viewport.handleKey(event)) return;
    event.preventDefault();
  }

  private activate(ref: SceneRef): void {
    if (ref.kind === 'pod') this.pick(ref.id);
    vscode.postMessage({ type: 'reveal', ref: { kind: ref.kind, id: ref.id } });
  }

  /** First pick is the source, second the destination; a third starts over. */
  private pick(podId: string): void {
    const key = this.podKeys.get(podId);
    if (!key) return;
    if (this.state.from === key && !this.state.to) this.clearSelection(true);
    else if (!this.state.from || (this.state.from && this.state.to)) this.select(key, undefined);
    else this.select(this.state.from, key);
  }

  private select(from: string | undefined, to: string | undefined): void {
    this.path = undefined;
    this.panel.clear();
    this.save({ from, to, step: 0 });
    this.markSelection();
    if (from && to) this.requestPath();
    else this.highlight();
    this.updateControls();
  }

  private clearSelection(announce: boolean): void {
    const had = this.state.from !== undefined || this.path !== undefined;
    this.path = undefined;
    this.panel.clear();
    this.save({ from: undefined, to: undefined, step: 0 });
    this.markSelection();
    this.highlight();
    this.updateControls();
    if (announce && had) this.status.textContent = 'Selection cleared. Pick a source pod.';
  }

  private requestPath(): void {
    if (!this.view || !this.state.from || !this.state.to) return;
    vscode.postMessage({
      type: 'requestPath',
      clusterId: this.view.topology.cluster.id,
      from: this.state.from,
      to: this.state.to,
    });
    this.status.textContent = `Tracing ${this.state.from} → ${this.state.to}…`;
  }

  /** The host picks pods for us (Trace Packet Path command); names may be bare or namespace/name. */
  private onSelect(clusterId: string, from?: string, to?: string): void {
    const view = this.result?.clusters.find((c) => c.topology.cluster.id === clusterId);
    if (view && clusterId !== this.view?.topology.cluster.id) this.show(view);
    if (from === undefined && to === undefined) return;
    this.select(this.resolvePod(from), this.resolvePod(to));
  }

  private resolvePod(selector: string | undefined): string | undefined {
    if (!selector) return undefined;
    if (this.podIds.has(selector)) return selector;
    const matches = [...this.podIds.keys()].filter((key) => key.endsWith(`/${selector}`));
    return matches.length === 1 ? matches[0] : undefined;
  }

  private onPath(path: PacketPath): void {
    if (!path || !Array.isArray(path.hops)) return;
    // An answer to a selection the user has since changed.
    if (path.from !== this.state.from || path.to !== this.state.to) return;
    this.path = path;
    this.panel.show(path, this.state.step);
    this.save({ step: this.panel.currentStep });
    this.highlight();
    this.updateControls();
  }

  private onStep(step: number): void {
    this.save({ step });
    this.highlight();
  }

  private markSelection(): void {
    if (!this.rendered) return;
    for (const [id, { box, element }] of this.rendered.boxes) {
      if (box.ref.kind !== 'pod') continue;
      const key = this.podKeys.get(id);
      const role =
        key === undefined
          ? undefined
          : key === this.state.from
            ? 'source'
            : key === this.state.to
              ? 'destination'
              : undefined;
      element.classList.toggle('selected-source', role === 'source');
      element.classList.toggle('selected-destination', role === 'destination');
      element.setAttribute(
        'aria-label',
        describeBox(box, role ? `selected as ${role}` : 'press Enter to pick it for a packet path'),
      );
      element.setAttribute('aria-pressed', String(role !== undefined));
    }
  }

  private highlight(): void {
    if (!this.rendered || !this.view) return;
    const highlight = highlightFor(this.path, this.state.step, this.rendered);
    applyHighlight(this.rendered, highlight);
    const pods = [...this.rendered.boxes.values()]
      .filter(({ box }) => box.ref.kind === 'pod')
      .map(({ box }) => box.ref.id);
    vscode.postMessage({
      type: 'rendered',
      clusterId: this.view.topology.cluster.id,
      nodes: this.view.topology.nodes.map((node) => node.name),
      pods,
      highlighted: [...highlight.onPath].sort(),
    });
  }

  private updateControls(): void {
    this.exportButton.disabled = !this.view;
    this.clearButton.disabled = !this.state.from;
    this.status.textContent = this.statusText();
  }

  private statusText(): string {
    if (!this.result) return '';
    if (!this.view) return 'No cluster.';
    if (!this.state.from) return 'Click a pod (or Tab to it and press Enter) to pick the source of a packet.';
    if (!this.state.to) return `Source ${this.state.from}. Now pick the destination pod.`;
    if (!this.path) return `Tracing ${this.state.from} → ${this.state.to}…`;
    return this.path.ok
      ? `Path ${this.path.from} → ${this.path.to}: ${this.path.hops.length} hops.`
      : `No path: ${this.path.reason ?? 'unknown reason'}`;
  }
}

/** A manifest of the cluster, kept in the state so a restored panel can ask for the same topology. */
function sourceUri(view: ClusterView): string | undefined {
  const { topology } = view;
  return (
    topology.cluster.source?.uri ??
    topology.nodes.find((n) => n.source)?.source?.uri ??
    topology.nodes.flatMap((n) => n.pods).find((p) => p.source)?.source?.uri
  );
}

const root = document.getElementById('app');
if (root) new TopologyApp(root);
