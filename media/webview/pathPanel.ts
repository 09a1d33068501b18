// The side panel of a traced packet: a summary, Previous/Play/Next, and every hop with what happens to
// the packet there. It owns the step and the play timer; the diagram follows through `onStep`.
import type { PacketPath } from '../../server/src/protocol';
import { button, htmlElement, setButtonContent } from './dom';

type Hop = PacketPath['hops'][number];

const PLAY_INTERVAL_MS = 700;

export class PathPanel {
  private path: PacketPath | undefined;
  private step = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly heading: HTMLHeadingElement;
  private readonly summary: HTMLElement;
  private readonly reason: HTMLElement;
  private readonly controls: HTMLElement;
  private readonly previous: HTMLButtonElement;
  private readonly play: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private readonly position: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly notes: HTMLUListElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly onStep: (step: number) => void,
  ) {
    this.heading = htmlElement('h2', { text: 'Packet path' }, root);
    this.summary = htmlElement('div', { className: 'summary' }, root);
    this.reason = htmlElement('p', { className: 'reason', attributes: { role: 'alert' } }, root);
    this.controls = htmlElement(
      'div',
      { className: 'controls', attributes: { role: 'group', 'aria-label': 'Step through the hops' } },
      root,
    );
    this.previous = button('Previous hop', 'Previous', this.controls, () => this.go(this.step - 1), 'arrow-left');
    this.play = button('Play the path hop by hop', 'Play', this.controls, () => this.togglePlay(), 'debug-start');
    this.next = button('Next hop', 'Next', this.controls, () => this.go(this.step + 1), 'arrow-right');
    this.position = htmlElement(
      'span',
      { className: 'position', attributes: { 'aria-live': 'polite' } },
      this.controls,
    );
    this.list = htmlElement('ol', { className: 'hops' }, root);
    this.notes = htmlElement('ul', { className: 'notes' }, root);
    this.clear();
  }

  get currentStep(): number {
    return this.step;
  }

  clear(): void {
    this.stop();
    this.path = undefined;
    this.step = 0;
    this.root.hidden = true;
  }

  show(path: PacketPath, step: number): void {
    this.stop();
    this.path = path;
    this.root.hidden = false;
    this.heading.textContent = `${path.from} → ${path.to}`;
    this.reason.textContent = path.ok ? '' : (path.reason ?? 'No path can be drawn.');
    this.reason.hidden = path.ok;
    this.controls.hidden = !path.ok || path.hops.length === 0;
    this.summary.replaceChildren();
    if (path.ok) this.fillSummary(path);
    this.list.replaceChildren(...path.hops.map((hop, i) => this.hopItem(hop, i)));
    this.notes.replaceChildren(...path.notes.map((note) => htmlElement('li', { text: note })));
    this.step = path.ok ? Math.min(Math.max(0, step), Math.max(0, path.hops.length - 1)) : 0;
    this.update(false);
  }

  go(step: number): void {
    if (!this.path?.ok) return;
    const last = this.path.hops.length - 1;
    this.step = Math.min(Math.max(0, step), last);
    if (this.step >= last) this.stop();
    this.update(true);
  }

  togglePlay(): void {
    if (this.timer !== undefined) return this.stop();
    if (!this.path?.ok) return;
    if (this.step >= this.path.hops.length - 1) this.step = 0;
    this.update(true);
    this.timer = setInterval(() => this.go(this.step + 1), PLAY_INTERVAL_MS);
    this.setPlayLabel(true);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.setPlayLabel(false);
  }

  private setPlayLabel(playing: boolean): void {
    setButtonContent(this.play, playing ? 'Pause' : 'Play', playing ? 'debug-pause' : 'debug-start');
    this.play.setAttribute('aria-label', playing ? 'Pause' : 'Play the path hop by hop');
    this.play.setAttribute('aria-pressed', String(playing));
  }

  private update(notify: boolean): void {
    const count = this.path?.ok ? this.path.hops.length : 0;
    this.previous.disabled = this.step <= 0;
    this.next.disabled = this.step >= count - 1;
    this.position.textContent = count > 0 ? `Hop ${this.step + 1} of ${count}` : '';
    [...this.list.children].forEach((item, i) => {
      const current = i === this.step && count > 0;
      item.classList.toggle('current', current);
      item.classList.toggle('passed', i < this.step);
      if (current) {
        item.setAttribute('aria-current', 'step');
        item.scrollIntoView({ block: 'nearest' });
      } else {
        item.removeAttribute('aria-current');
      }
    });
    if (notify) this.onStep(this.step);
  }

  private fillSummary(path: PacketPath): void {
    const facts: Array<[string, string]> = [
      ['Backend', path.backend || '(none)'],
      ['Path MTU', String(path.mtu)],
      ['TTL at delivery', `${path.ttl} (sent with 64)`],
    ];
    if (path.encapsulation) facts.push(['On the wire', encapsulationText(path.encapsulation)]);
    this.summary.appendChild(definitionList(facts));
  }

  private hopItem(hop: Hop, index: number): HTMLLIElement {
    const item = htmlElement('li', { className: `hop hop-${safeAction(hop.action)}` });
    const head = htmlElement(
      'button',
      {
        className: 'hop-head',
        attributes: {
          type: 'button',
          'aria-label': `Go to hop ${index + 1}: ${hop.action} at ${hop.device} on ${hop.node}`,
        },
      },
      item,
    );
    htmlElement(
      'span',
      { className: 'hop-number', text: String(index + 1), attributes: { 'aria-hidden': 'true' } },
      head,
    );
    htmlElement('span', { className: 'hop-action', text: hop.action }, head);
    const device = hop.deviceAssumed ? `${hop.device} (name assumed)` : hop.device;
    htmlElement('span', { className: 'hop-where', text: `${hop.node} · ${hop.netns} · ${device}` }, head);
    head.addEventListener('click', () => {
      this.stop();
      this.go(index);
    });
    htmlElement('p', { className: 'hop-description', text: hop.description }, item);
    const facts: Array<[string, string]> = [];
    if (hop.address) facts.push(['Address', hop.address]);
    if (hop.route) facts.push(['Route', hop.route]);
    if (hop.src || hop.dst) facts.push(['Inner', `${hop.src ?? '?'} → ${hop.dst ?? '?'}`]);
    if (hop.encapsulation) facts.push(['Outer', encapsulationText(hop.encapsulation)]);
    facts.push(['TTL', String(hop.ttl)]);
    item.appendChild(definitionList(facts));
    return item;
  }
}

function encapsulationText(encapsulation: NonNullable<PacketPath['encapsulation']>): string {
  const parts = [`${encapsulation.type} ${encapsulation.outerSrc} → ${encapsulation.outerDst}`];
  if (encapsulation.vni !== undefined) parts.push(`VNI ${encapsulation.vni}`);
  if (encapsulation.port !== undefined) parts.push(`UDP port ${encapsulation.port}`);
  parts.push(`+${encapsulation.overhead} bytes`);
  return parts.join(', ');
}

function definitionList(facts: Array<[string, string]>): HTMLDListElement {
  const list = htmlElement('dl');
  for (const [term, value] of facts) {
    htmlElement('dt', { text: term }, list);
    htmlElement('dd', { text: value }, list);
  }
  return list;
}

const safeAction = (action: string) => (/^[a-z-]{1,20}$/.test(action) ? action : 'other');
