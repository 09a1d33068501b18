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

export function button(label: string, text: string, parent: Element, onClick: () => void): HTMLButtonElement {
  const element = htmlElement(
    'button',
    { text, attributes: { type: 'button', 'aria-label': label, title: label } },
    parent,
  );
  element.addEventListener('click', onClick);
  return element;
}

/** Scene classes come from the server; keep only plain CSS identifiers (classList throws on spaces). */
export function safeClasses(classes: readonly string[]): string[] {
  return classes.filter((c) => /^[A-Za-z0-9_-]{1,64}$/.test(c));
}
