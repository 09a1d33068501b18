// Zoom and pan of the drawing: the wheel scrolls (with Shift sideways), Ctrl+wheel, pinch, buttons and
// keys zoom; dragging and arrow keys pan. The view is a transform on one <g>, so redrawing the scene
// (after an edit) keeps where the user was looking. The picture is laid out for the view's width at
// 100 %, so 100 % is where it starts.

const MIN_ZOOM = 0.2;
const MAX_ZOOM = 4;
const KEY_PAN = 40;
/** Pointer travel (px) before a press becomes a drag rather than a click. */
const DRAG_THRESHOLD = 4;

export interface View {
  zoom: number;
  panX: number;
  panY: number;
}

export class Viewport {
  private view: View = { zoom: 1, panX: 0, panY: 0 };
  private drag:
    { pointerId: number; startX: number; startY: number; panX: number; panY: number; moved: boolean } | undefined;
  /** Set after a drag so that the click ending it does not select a pod. */
  private swallowClick = false;

  constructor(
    private readonly surface: SVGSVGElement,
    private readonly layer: SVGGElement,
    private readonly onChange: (view: View) => void,
  ) {
    surface.addEventListener('wheel', (event) => this.onWheel(event), { passive: false });
    surface.addEventListener('pointerdown', (event) => this.onPointerDown(event));
    surface.addEventListener('pointermove', (event) => this.onPointerMove(event));
    surface.addEventListener('pointerup', (event) => this.onPointerUp(event));
    surface.addEventListener('pointercancel', (event) => this.onPointerUp(event));
    surface.addEventListener(
      'click',
      (event) => {
        if (!this.swallowClick) return;
        this.swallowClick = false;
        event.stopPropagation();
      },
      true,
    );
  }

  get current(): View {
    return { ...this.view };
  }

  set(view: View): void {
    this.view = { zoom: clamp(view.zoom, MIN_ZOOM, MAX_ZOOM), panX: view.panX, panY: view.panY };
    this.layer.setAttribute('transform', `translate(${this.view.panX} ${this.view.panY}) scale(${this.view.zoom})`);
    this.onChange(this.current);
  }

  /** Zooms by `factor` keeping the point (x, y) of the surface where it is; default: its centre. */
  zoomBy(factor: number, x?: number, y?: number): void {
    const box = this.surface.getBoundingClientRect();
    const cx = x ?? box.width / 2;
    const cy = y ?? box.height / 2;
    const zoom = clamp(this.view.zoom * factor, MIN_ZOOM, MAX_ZOOM);
    const ratio = zoom / this.view.zoom;
    this.set({ zoom, panX: cx - (cx - this.view.panX) * ratio, panY: cy - (cy - this.view.panY) * ratio });
  }

  panBy(dx: number, dy: number): void {
    this.set({ ...this.view, panX: this.view.panX + dx, panY: this.view.panY + dy });
  }

  /**
   * Shows the whole scene, never enlarging it past 100 %. Anchored top-left rather than centred: the
   * path panel opening later narrows the canvas, and a centred picture would then be cut on the right.
   */
  fit(width: number, height: number): void {
    const box = this.surface.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || width === 0 || height === 0)
      return this.set({ zoom: 1, panX: 0, panY: 0 });
    const zoom = clamp(Math.min(box.width / width, box.height / height, 1), MIN_ZOOM, MAX_ZOOM);
    this.set({ zoom, panX: 0, panY: 0 });
  }

  /** Keys for the focused diagram; returns whether the key was used. */
  handleKey(event: KeyboardEvent): boolean {
    switch (event.key) {
      case '+':
      case '=':
        this.zoomBy(1.25);
        return true;
      case '-':
      case '_':
        this.zoomBy(0.8);
        return true;
      case 'ArrowLeft':
        this.panBy(KEY_PAN, 0);
        return true;
      case 'ArrowRight':
        this.panBy(-KEY_PAN, 0);
        return true;
      case 'ArrowUp':
        this.panBy(0, KEY_PAN);
        return true;
      case 'ArrowDown':
        this.panBy(0, -KEY_PAN);
        return true;
      default:
        return false;
    }
  }

  private onWheel(event: WheelEvent): void {
    event.preventDefault();
    const box = this.surface.getBoundingClientRect();
    // Line- and page-based wheels report small deltas; scale them to pixels first.
    const scale = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? box.height : 1;
    const dx = event.deltaX * scale;
    const dy = event.deltaY * scale;
    // Pinch gestures arrive as Ctrl+wheel.
    if (event.ctrlKey || event.metaKey)
      this.zoomBy(Math.exp(-dy * 0.0025), event.clientX - box.left, event.clientY - box.top);
    else if (event.shiftKey && dx === 0) this.panBy(-dy, 0);
    else this.panBy(-dx, -dy);
  }

  private onPointerDown(event: PointerEvent): void {
    this.swallowClick = false;
    if (event.button !== 0) return;
    this.drag = {
      pointerId: event.pointerId,
      startX: event.clientX,
      startY: event.clientY,
      panX: this.view.panX,
      panY: this.view.panY,
      moved: false,
    };
  }

  private onPointerMove(event: PointerEvent): void {
    const drag = this.drag;
    if (!drag || drag.pointerId !== event.pointerId) return;
    const dx = event.clientX - drag.startX;
    const dy = event.clientY - drag.startY;
    if (!drag.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
    if (!drag.moved) {
      drag.moved = true;
      // Captured only once it is a drag: capturing at once would retarget the click away from the box.
      this.surface.setPointerCapture(event.pointerId);
      this.surface.classList.add('dragging');
    }
    this.set({ ...this.view, panX: drag.panX + dx, panY: drag.panY + dy });
  }

  private onPointerUp(event: PointerEvent): void {
    const drag = this.drag;
    if (!drag || drag.pointerId !== event.pointerId) return;
    this.drag = undefined;
    if (!drag.moved) return;
    this.swallowClick = true;
    this.surface.classList.remove('dragging');
    if (this.surface.hasPointerCapture(event.pointerId)) this.surface.releasePointerCapture(event.pointerId);
  }
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
