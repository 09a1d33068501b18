// Small DOM builders. Every piece of manifest text goes in through textContent or an attribute value,
// never through markup, so a pod named `<img onerror=…>` stays a string.

const SVG_NS = 'http://www.w3.org/2000/svg';

type Attributes = Record<string, string | number | undefined>;

function setAttributes(element: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes))
    if (value !== undefined) element.setAttribute(name, String(value));
}

export function svgElement<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  parent?: Element,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  setAttributes(element, attributes);
  parent?.appendChild(element);
  return element;
}

export function htmlElement<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: { className?: string; text?: string; attributes?: Attributes } = {},
  parent?: Element,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.text !== undefined) element.textContent = options.text;
  if (options.attributes) setAttributes(element, options.attributes);
  parent?.appendChild(element);
  return element;
}

/** A codicon (from the codicon font the panel loads), hidden from screen readers: labels say what it is. */
export function codicon(name: string, parent?: Element): HTMLSpanElement {
  return htmlElement('span', { className: `codicon codicon-${name}`, attributes: { 'aria-hidden': 'true' } }, parent);
}

/** A button with a codicon and optional visible text; `label` names it for screen readers and tooltips. */
export function button(
  label: string,
  text: string,
  parent: Element,
  onClick: () => void,
  icon?: string,
): HTMLButtonElement {
  const element = htmlElement('button', { attributes: { type: 'button', 'aria-label': label, title: label } }, parent);
  setButtonContent(element, text, icon);
  element.addEventListener('click', onClick);
  return element;
}

export function setButtonContent(element: HTMLButtonElement, text: string, icon?: string): void {
  element.replaceChildren();
  if (icon) codicon(icon, element);
  if (text) htmlElement('span', { className: 'label', text }, element);
}

/** Scene classes come from the server; keep only plain CSS identifiers (classList throws on spaces). */
export function safeClasses(classes: readonly string[]): string[] {
  return classes.filter((c) => /^[A-Za-z0-9_-]{1,64}$/.test(c));
}
