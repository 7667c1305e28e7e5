import { type DefaultTreeAdapterTypes, defaultTreeAdapter, html, parse, serialize } from 'parse5';

type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

/**
 * Content-Security-Policy of every app frame. Deny by default: the app may
 * run its own inline code and styles and show images, media and fonts it
 * made itself (data:, blob:), and nothing else: no network, no forms, no
 * nested frames. `sandbox` keeps the frame in an opaque origin even when its
 * URL is opened directly, outside the shell's sandboxed iframe.
 */
export const FRAME_CSP = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  "style-src 'unsafe-inline'",
  'img-src data: blob:',
  'media-src data: blob:',
  'font-src data: blob:',
  "connect-src 'none'",
  "frame-src 'none'",
  "form-action 'none'",
  "base-uri 'none'",
  'sandbox allow-scripts',
].join('; ');

/**
 * Content-Security-Policy of the shell page. `origin` is the daemon's own
 * HTTP origin (`http://127.0.0.1:PORT`); the shell may open a WebSocket to
 * that origin and nowhere else.
 */
export function shellCsp(origin: string): string {
  const url = new URL(origin);
  // Refuse anything but a bare origin, so nothing can smuggle in a directive.
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== origin) {
    throw new TypeError(`shellCsp wants a bare http(s) origin such as http://127.0.0.1:8080, got ${origin}`);
  }
  const socketOrigin = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${socketOrigin}`,
    "frame-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * Builds the document an app frame loads: the app's HTML with the Figment
 * SDK as the first element of <head>, so `window.figment` exists before any
 * of the app's own code runs. parse5 repairs whatever the app left out
 * (no <html>, no <head>), and the app's attributes (such as `lang`) are kept.
 */
export function composeFrameDocument(appHtml: string, sdkScript: string): string {
  // The SDK is our own bundle; inside a <script> these sequences would end it early or change how it parses.
  if (/<\/script|<!--/i.test(sdkScript)) {
    throw new Error('The SDK script contains "</script" or "<!--" and cannot be inlined');
  }
  const document = parse(appHtml);
  // Standards mode, whatever doctype (or none) the app wrote.
  defaultTreeAdapter.setDocumentType(document, 'html', '', '');
  // setDocumentType appends a doctype it creates; it must come first to count.
  const doctype = document.childNodes.findIndex((node) => defaultTreeAdapter.isDocumentTypeNode(node));
  if (doctype > 0) document.childNodes.unshift(...document.childNodes.splice(doctype, 1));

  const htmlElement = childElement(document, 'html');
  const head = htmlElement && childElement(htmlElement, 'head');
  // parse5 follows the HTML parsing algorithm, which always creates both.
  if (!head) throw new Error('parse5 produced a document without <html> or <head>');

  const script = defaultTreeAdapter.createElement('script', html.NS.HTML, []);
  defaultTreeAdapter.insertText(script, sdkScript);
  const first = head.childNodes[0];
  if (first) defaultTreeAdapter.insertBefore(head, script, first);
  else defaultTreeAdapter.appendChild(head, script);

  return serialize(document);
}

function childElement(parent: ParentNode, tagName: string): Element | undefined {
  return parent.childNodes.find(
    (node): node is Element => defaultTreeAdapter.isElementNode(node) && node.tagName === tagName,
  );
}
