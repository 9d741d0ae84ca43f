type Child = Node | string | number | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined;
/** Attributes by name; `on<event>` keys take listeners. */
type Attrs = Record<string, AttrValue | ((event: Event) => void)>;

function assign(element: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
}

function append(element: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
}

/** An HTML element with attributes and children: the whole rendering library. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  assign(element, attrs);
  append(element, children);
  return element;
}

export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  assign(element, attrs);
  append(element, children);
  return element;
}

/** Sets text only when it changed, so screen readers are not told the same thing twice. */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

let ids = 0;
/** A document-unique id, for label/aria-describedby pairs. */
export function uniqueId(prefix: string): string {
  ids += 1;
  return `${prefix}-${ids}`;
}

/**
 * Makes `parent`'s children exactly `children`, in order, moving as few nodes as it can:
 * a node that stays put keeps its focus, which replaceChildren would drop.
 */
export function syncChildren(parent: Element, children: readonly Element[]): void {
  children.forEach((child, i) => {
    const current = parent.children[i];
    if (current !== child) parent.insertBefore(child, current ?? null);
  });
  while (parent.children.length > children.length) parent.lastElementChild?.remove();
}
