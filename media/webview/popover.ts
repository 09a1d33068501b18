// The facts of a box in a themed popover beside it: on hover after a short delay, at once when the box
// gets keyboard focus (Tab), gone on leave, blur, Escape, pan or zoom. The box names it in its
// aria-describedby, so screen readers read the facts with the box.
import type { SceneBox } from '../../server/src/topology/scene';
import { htmlElement } from './dom';

const HOVER_DELAY_MS = 250;
const POPOVER_ID = 'podnet-popover';

export class Popover {
  private readonly element: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private anchor: SVGGElement | undefined;

  constructor(private readonly container: HTMLElement) {
    this.element = htmlElement(
      'div',
      { className: 'popover', attributes: { id: POPOVER_ID, role: 'tooltip' } },
      container,
    );
    this.element.hidden = true;
  }

  /** Shows `box`'s facts next to `anchor` (at once for keyboard focus, after a delay for the pointer). */
  show(box: SceneBox, anchor: SVGGElement, immediately: boolean): void {
    this.cancel();
    const open = () => this.open(box, anchor);
    if (immediately) open();
    else this.timer = setTimeout(open, HOVER_DELAY_MS);
  }

  hide(): void {
    this.cancel();
    this.element.hidden = true;
    this.anchor?.removeAttribute('aria-describedby');
    this.anchor = undefined;
  }

  get visible(): boolean {
    return !this.element.hidden;
  }

  private cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private open(box: SceneBox, anchor: SVGGElement): void {
    if (!anchor.isConnected || box.tooltip.length === 0) return;
    this.anchor?.removeAttribute('aria-describedby');
    this.anchor = anchor;
    const [first, ...rest] = box.tooltip;
    this.element.replaceChildren(
      htmlElement('div', { className: 'popover-title', text: first }),
      ...rest.map((line) => htmlElement('div', { className: 'popover-line', text: line })),
    );
    this.element.hidden = false;
    anchor.setAttribute('aria-describedby', POPOVER_ID);
    // Below the box when it fits in the canvas, else above it, else beside it (a tall box); always
    // inside the canvas.
    const area = this.container.getBoundingClientRect();
    const target = anchor.getBoundingClientRect();
    const own = this.element.getBoundingClientRect();
    const below = target.bottom - area.top + 6;
    const above = target.top - area.top - own.height - 6;
    const inside = (value: number, size: number, room: number) =>
      Math.min(Math.max(4, value), Math.max(4, room - size - 4));
    let top: number;
    let left = inside(target.left - area.left, own.width, area.width);
    if (below + own.height <= area.height) top = below;
    else if (above >= 0) top = above;
    else {
      top = inside(target.top - area.top, own.height, area.height);
      const beside = target.right - area.left + 6;
      left =
        beside + own.width <= area.width
          ? beside
          : inside(target.left - area.left - own.width - 6, own.width, area.width);
    }
    this.element.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
  }
}
