import type { DefaultTreeAdapterTypes } from 'parse5';

export type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

/** Every element under `node`, in document order, template contents included. */
export function* elements(node: ParentNode): Generator<Element> {
  for (const child of node.childNodes) {
    if (!('tagName' in child)) continue;
    yield child;
    yield* elements(
      child.tagName === 'template' ? (child as DefaultTreeAdapterTypes.Template).content : child,
    );
  }
}

export function attr(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name.toLowerCase() === name)?.value;
}

/** The element's own text, without its descendants'. */
export function ownText(element: Element): string {
  return element.childNodes
    .map((node) => ('value' in node && node.nodeName === '#text' ? node.value : ''))
    .join('');
}

/** All text inside the element, descendants included. */
export function deepText(element: Element): string {
  let text = ownText(element);
  for (const child of elements(element)) text += ownText(child);
  return text;
}
