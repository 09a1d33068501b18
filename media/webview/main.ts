// Entry of the topology webview. It lays out the cluster the host sends for the size of the panel (with
// the same code as the CLI export), lets the user pick two pods, asks the host for the packet path
// between them and steps through its hops. Large clusters open on an overview; a node is drilled into
// by a click or a search. All data arrives via postMessage; nothing here fetches or evaluates anything.
import type {
  ClusterView,
  HostToWebview,
  PacketPath,
  SceneLayout,
  TopologyResponse,
  TopologyResult,
} from '../../server/src/protocol';
import { hiddenPodsId, podKey } from '../../server/src/topology/ids';
import { pathOverlay, type PathOverlay } from '../../server/src/topology/pathOverlay';
import { buildScene, OVERVIEW_ABOVE, type Scene, type SceneBox } from '../../server/src/topology/scene';
import { topologyResultFromWire } from '../../server/src/topology/wire';
import { button, htmlElement, svgElement } from './dom';
import { PathPanel } from './pathPanel';
import { Popover } from './popover';
import { describeBox, renderOverlay, renderScene, type RenderedScene, type RenderHandlers } from './render';
import { findInTopology, SearchField } from './search';
import { restoreState, type SavedState } from './state';
import { Viewport } from './viewport';

const vscode = acquireVsCodeApi();
const RELAYOUT_DELAY_MS = 80;

class TopologyApp {
  private state: SavedState = restoreState(vscode.getState());
  private result: TopologyResult | undefined;
  private view: ClusterView | undefined;
  private scene: Scene | undefined;
  private rendered: RenderedScene | undefined;
  private overlay: PathOverlay | undefined;
  private sceneJson = '';
  private path: PacketPath | undefined;
  /** `namespace/name` → pod id and node, and pod id → `namespace/name`, for the shown cluster. */
  private pods = new Map<string, { id: string; node: string }>();
  private podKeys = new Map<string, string>();
  private relayoutTimer: ReturnType<typeof setTimeout> | undefined;
  /** What the last action found or did, shown in the status until the selection or the cluster changes. */
  private notice: string | undefined;

  private readonly picker: HTMLSelectElement;
  private readonly pickerLabel: HTMLLabelElement;
  private readonly backButton: HTMLButtonElement;
  private readonly search: SearchField;
  private readonly zoomLabel: HTMLButtonElement;
  private readonly clearButton: HTMLButtonElement;
  private readonly exportButton: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly surface: SVGSVGElement;
  private readonly sceneLayer: SVGGElement;
  private readonly overlayLayer: SVGGElement;
  private readonly placeholder: HTMLElement;
  private readonly popover: Popover;
  private readonly viewport: Viewport;
  private readonly panel: PathPanel;
  private readonly handlers: RenderHandlers = {
    activate: (box) => this.activate(box),
    point: (box, element) => {
      if (box && element) this.popover.show(box, element, element === document.activeElement);
      else this.popover.hide();
    },
    hop: (index) => this.goToHop(index),
  };

  constructor(root: HTMLElement) {
    const toolbar = htmlElement(
      'div',
      { className: 'toolbar', attributes: { role: 'toolbar', 'aria-label': 'Topology tools' } },
      root,
    );
    this.pickerLabel = htmlElement('label', { className: 'cluster-picker', text: 'Cluster ' }, toolbar);
    this.picker = htmlElement('select', { attributes: { 'aria-label': 'Cluster' } }, this.pickerLabel);
    this.picker.addEventListener('change', () => this.switchCluster(this.picker.value));
    this.backButton = button(
      'Back to the overview of every node',
      'All nodes',
      toolbar,
      () => this.overview(),
      'arrow-left',
    );
    this.search = new SearchField(toolbar, (query) => this.find(query));
    button('Zoom out', '', toolbar, () => this.viewport.zoomBy(0.8), 'zoom-out');
    this.zoomLabel = button('Reset zoom to 100%', '100%', toolbar, () =>
      this.viewport.set({ zoom: 1, panX: 0, panY: 0 }),
    );
    button('Zoom in', '', toolbar, () => this.viewport.zoomBy(1.25), 'zoom-in');
    button('Fit the whole cluster in the panel', 'Fit', toolbar, () => this.fit(), 'screen-full');
    this.clearButton = button(
      'Clear the selected pods and the path',
      'Clear path',
      toolbar,
      () => this.clearSelection(true),
      'clear-all',
    );
    this.exportButton = button(
      'Export the diagram as an SVG file',
      'Export SVG',
      toolbar,
      () => this.exportSvg(),
      'export',
    );
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
            'Network diagram. Arrow keys and the wheel pan, plus and minus zoom, 0 fits, slash searches. Tab moves ' +
            'through nodes, pods and devices and shows their facts; Enter picks a pod or opens a node.',
        },
      },
      main,
    );
    this.surface = svgElement('svg', { class: 'surface' }, this.canvas);
    const layer = svgElement('g', { class: 'layer' }, this.surface);
    this.sceneLayer = svgElement('g', { class: 'scene' }, layer);
    this.overlayLayer = svgElement('g', { class: 'overlay' }, layer);
    this.placeholder = htmlElement(
      'p',
      { className: 'placeholder', text: 'Waiting for the Podnet language server…' },
      this.canvas,
    );
    this.popover = new Popover(this.canvas);
    const aside = htmlElement('aside', { className: 'path-panel', attributes: { 'aria-label': 'Packet path' } }, main);
    this.panel = new PathPanel(aside, (step) => this.onStep(step));

    this.viewport = new Viewport(this.surface, layer, (view) => {
      this.zoomLabel.querySelector('.label')!.textContent = `${Math.round(view.zoom * 100)}%`;
      this.popover.hide();
      this.save({ zoom: view.zoom, panX: view.panX, panY: view.panY });
    });
    this.canvas.addEventListener('keydown', (event) => this.onKey(event));
    new ResizeObserver(() => this.scheduleRelayout()).observe(this.canvas);
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

  private onTopology(response: TopologyResponse): void {
    if (!response || !Array.isArray(response.clusters)) return;
    const result = topologyResultFromWire(response);
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
      this.sceneLayer.replaceChildren();
      this.overlayLayer.replaceChildren();
      this.rendered = this.scene = undefined;
      this.sceneJson = '';
      this.placeholder.textContent =
        'No cluster found: Podnet needs a flannel ConfigMap, Node objects or Pods in the workspace.';
      this.placeholder.hidden = false;
      this.clearSelection(false);
      this.updateControls();
      return;
    }
    this.placeholder.hidden = true;
    const { topology } = view;
    this.picker.value = topology.cluster.id;
    this.pods = new Map(
      topology.nodes.flatMap((node) => node.pods.map((pod) => [podKey(pod), { id: pod.id, node: node.name }] as const)),
    );
    this.podKeys = new Map([...this.pods].map(([key, { id }]) => [id, key]));
    this.search.suggest(topology);
    if (!sameCluster) {
      this.notice = undefined;
      this.save({ clusterId: topology.cluster.id, focusNodes: [], pinned: undefined });
      this.clearSelection(false);
    }
    this.save({ clusterId: topology.cluster.id, uri: sourceUri(view) });
    // Pods may have been renamed or removed by the edit that caused this redraw.
    if ((this.state.from && !this.pods.has(this.state.from)) || (this.state.to && !this.pods.has(this.state.to)))
      this.clearSelection(false);
    this.draw();
    if (!sameCluster || this.state.zoom === undefined) this.viewport.set({ zoom: 1, panX: 0, panY: 0 });
    else this.viewport.set({ zoom: this.state.zoom, panX: this.state.panX, panY: this.state.panY });
    // Keep showing the old path until the server's new answer for the edited manifests arrives.
    if (this.state.from && this.state.to) this.requestPath();
  }

  /** How the shown cluster is laid out now: for the canvas' size, the focused nodes and pinned pods. */
  private layout(): SceneLayout {
    const box = this.canvas.getBoundingClientRect();
    const topology = this.view?.topology;
    const focus = new Set(this.state.focusNodes);
    // A path across a large cluster shows the nodes it crosses, in detail.
    if (topology && topology.nodes.length > OVERVIEW_ABOVE && this.state.from && this.state.to)
      for (const key of [this.state.from, this.state.to]) {
        const node = this.pods.get(key)?.node;
        if (node !== undefined) focus.add(node);
      }
    const pinned = [this.state.from, this.state.to]
      .map((key) => (key ? this.pods.get(key)?.id : undefined))
      .concat(this.state.pinned);
    return {
      width: Math.max(320, Math.floor(box.width)),
      height: Math.max(200, Math.floor(box.height)),
      mode: 'auto',
      focusNodes: [...focus].filter((name) => topology?.nodes.some((n) => n.name === name)),
      pinnedPods: pinned.filter((id): id is string => id !== undefined),
    };
  }

  /** Lays out and draws the scene (only when it changed: a redraw would lose keyboard focus), then the path. */
  private draw(): void {
    if (!this.view) return;
    const scene = buildScene(this.view.topology, this.layout());
    const json = JSON.stringify(scene);
    if (json !== this.sceneJson || !this.rendered) {
      this.popover.hide();
      this.scene = scene;
      this.rendered = renderScene(this.sceneLayer, scene, this.handlers);
      this.sceneJson = json;
    }
    this.drawPath();
    this.updateControls();
  }

  private scheduleRelayout(): void {
    if (this.relayoutTimer !== undefined) clearTimeout(this.relayoutTimer);
    this.relayoutTimer = setTimeout(() => {
      this.relayoutTimer = undefined;
      this.draw();
    }, RELAYOUT_DELAY_MS);
  }

  private switchCluster(clusterId: string): void {
    const view = this.result?.clusters.find((c) => c.topology.cluster.id === clusterId);
    if (view && clusterId !== this.state.clusterId) this.show(view);
  }

  private fit(): void {
    if (this.scene) this.viewport.fit(this.scene.width, this.scene.height);
  }

  private onKey(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === '0') this.fit();
    else if (event.key === '/') this.search.input.focus();
    else if (event.key === 'Escape') {
      if (this.popover.visible) this.popover.hide();
      else this.clearSelection(true);
    } else if (!this.viewport.handleKey(event)) return;
    event.preventDefault();
  }

  private activate(box: SceneBox): void {
    const { ref } = box;
    const hop = this.overlay?.targets.indexOf(ref.id) ?? -1;
    if (ref.kind === 'node' && this.scene?.mode === 'overview') return this.openNode(ref.id, box);
    if (ref.kind === 'group' && this.view) {
      const node = this.view.topology.nodes.find((n) => hiddenPodsId(n.name) === ref.id);
      if (node) return this.openNode(node.id, box);
    }
    // A box on the shown path selects its hop in the list; other pods are picked for a path.
    if (hop >= 0 && this.path?.ok) this.goToHop(hop);
    else if (ref.kind === 'pod') this.pick(ref.id);
    vscode.postMessage({ type: 'reveal', ref: { kind: ref.kind, id: ref.id } });
  }

  /** Drills into a node: its devices and (up to a hundred of) its pods. */
  private openNode(id: string, box: SceneBox): void {
    const node = this.view?.topology.nodes.find((n) => n.id === id);
    if (!node) return;
    this.save({ focusNodes: [node.name] });
    this.draw();
    this.viewport.set({ zoom: this.viewport.current.zoom, panX: 0, panY: 0 });
    this.focusBox(node.id);
    this.announce(`${node.name}: ${node.pods.length} pods. "All nodes" goes back to the overview.`);
    vscode.postMessage({ type: 'reveal', ref: { kind: box.ref.kind, id: box.ref.id } });
  }

  private overview(): void {
    this.notice = undefined;
    this.save({ focusNodes: [], pinned: undefined });
    this.clearSelection(false);
    this.draw();
    this.viewport.set({ zoom: this.viewport.current.zoom, panX: 0, panY: 0 });
  }

  private find(query: string): void {
    const topology = this.view?.topology;
    if (!topology || !query.trim()) return;
    const hit = findInTopology(topology, query);
    if (!hit) {
      this.announce(`No pod or node matches "${query.trim()}".`);
      return;
    }
    const large = topology.nodes.length > OVERVIEW_ABOVE;
    this.save({
      focusNodes: large ? [hit.node] : this.state.focusNodes,
      pinned: hit.kind === 'pod' ? hit.podId : undefined,
    });
    this.draw();
    const id = hit.kind === 'pod' ? hit.podId : topology.nodes.find((n) => n.name === hit.node)?.id;
    if (id) this.focusBox(id);
    this.announce(hit.kind === 'pod' ? `Found ${hit.key} on ${hit.node}.` : `Found node ${hit.node}.`);
  }

  /** Pans the box into view (its top-left corner, for a box larger than the view), focuses it and marks it. */
  private focusBox(id: string): void {
    const found = this.rendered?.boxes.get(id);
    if (!found) return;
    const { box, element } = found;
    const view = this.viewport.current;
    const area = this.canvas.getBoundingClientRect();
    const left = box.x * view.zoom + view.panX;
    const top = box.y * view.zoom + view.panY;
    const right = left + Math.min(box.width * view.zoom, area.width - 48);
    const bottom = top + Math.min(box.height * view.zoom, area.height - 48);
    if (left < 0 || top < 0 || right > area.width || bottom > area.height)
      this.viewport.set({
        zoom: view.zoom,
        panX: Math.min(0, 24 - box.x * view.zoom),
        panY: Math.min(0, 24 - box.y * view.zoom),
      });
    for (const other of this.sceneLayer.querySelectorAll('.found')) other.classList.remove('found');
    element.classList.add('found');
    element.focus({ preventScroll: true });
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
    this.notice = undefined;
    this.path = undefined;
    this.panel.clear();
    this.save({ from, to, step: 0 });
    this.draw();
    if (from && to) this.requestPath();
  }

  private clearSelection(announce: boolean): void {
    const had = this.state.from !== undefined || this.path !== undefined;
    this.path = undefined;
    this.panel.clear();
    this.save({ from: undefined, to: undefined, step: 0 });
    this.draw();
    if (announce && had) this.announce('Selection cleared. Pick a source pod.');
  }

  private requestPath(): void {
    if (!this.view || !this.state.from || !this.state.to) return;
    vscode.postMessage({
      type: 'requestPath',
      clusterId: this.view.topology.cluster.id,
      from: this.state.from,
      to: this.state.to,
    });
    this.notice = undefined;
    this.status.textContent = `Tracing ${this.state.from} → ${this.state.to}…`;
  }

  /** Says what an action did; a relayout (the panel resized) does not replace it. */
  private announce(text: string): void {
    this.notice = text;
    this.status.textContent = text;
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
    if (this.pods.has(selector)) return selector;
    const matches = [...this.pods.keys()].filter((key) => key.endsWith(`/${selector}`));
    return matches.length === 1 ? matches[0] : undefined;
  }

  private onPath(path: PacketPath): void {
    if (!path || !Array.isArray(path.hops)) return;
    // An answer to a selection the user has since changed.
    if (path.from !== this.state.from || path.to !== this.state.to) return;
    this.path = path;
    this.notice = undefined;
    this.panel.show(path, this.state.step);
    this.save({ step: this.panel.currentStep });
    // The hop list may have narrowed the canvas: the layout follows through the resize observer.
    this.draw();
  }

  private onStep(step: number): void {
    this.save({ step });
    this.drawPath();
    this.keepInView(this.overlay?.targets[step]);
  }

  /** Pans the box of `id` into the middle of the view when it is not wholly in view (the hop followed). */
  private keepInView(id: string | undefined): void {
    const box = id === undefined ? undefined : this.rendered?.boxes.get(id)?.box;
    if (!box) return;
    const { zoom, panX, panY } = this.viewport.current;
    const area = this.canvas.getBoundingClientRect();
    const left = box.x * zoom + panX;
    const top = box.y * zoom + panY;
    if (left >= 0 && top >= 0 && left + box.width * zoom <= area.width && top + box.height * zoom <= area.height)
      return;
    this.viewport.set({
      zoom,
      panX: Math.min(0, area.width / 2 - (box.x + box.width / 2) * zoom),
      panY: Math.min(0, area.height / 2 - (box.y + box.height / 2) * zoom),
    });
  }

  private goToHop(index: number): void {
    this.panel.stop();
    this.panel.go(index);
  }

  /** Draws the path over the scene, marks the selected pods and tells the host what is drawn. */
  private drawPath(): void {
    if (!this.rendered || !this.scene || !this.view) return;
    this.overlay = pathOverlay(this.scene, this.path, this.state.step);
    renderOverlay(this.overlayLayer, this.rendered, this.overlay, this.handlers);
    this.markSelection();
    const drawn = [...this.rendered.boxes.values()];
    vscode.postMessage({
      type: 'rendered',
      clusterId: this.view.topology.cluster.id,
      nodes: this.scene.mode === 'overview' ? this.view.topology.nodes.map((n) => n.name) : this.scene.nodes,
      pods: drawn.filter(({ box }) => box.ref.kind === 'pod').map(({ box }) => box.ref.id),
      highlighted: [...this.overlay.onPath].sort(),
    });
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

  private exportSvg(): void {
    if (!this.view) return;
    vscode.postMessage({
      type: 'exportSvg',
      clusterId: this.view.topology.cluster.id,
      layout: this.layout(),
      step: this.state.step,
    });
  }

  private updateControls(): void {
    const large = (this.view?.topology.nodes.length ?? 0) > OVERVIEW_ABOVE;
    this.backButton.hidden = !(large && this.scene?.mode === 'detail');
    this.exportButton.disabled = !this.view;
    this.clearButton.disabled = !this.state.from;
    this.status.textContent = this.statusText();
  }

  private statusText(): string {
    if (!this.result) return '';
    if (this.notice) return this.notice;
    if (!this.view || !this.scene) return 'No cluster.';
    if (this.scene.mode === 'empty') return 'Nothing to draw in this cluster: the picture says what is missing.';
    if (this.scene.mode === 'overview')
      return `${this.view.topology.nodes.length} nodes: click a node, or search, to see its devices and pods.`;
    if (this.pods.size === 0) return 'No pods on these nodes: a packet path needs two pods.';
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
