import { el } from './el.js';
import type { Words } from './Language.js';

/** Elements that could run code, load something or navigate: never part of a preview. */
const DROPPED = 'script, noscript, iframe, frame, object, embed, link, meta, base, form, template';
/** Where a style attribute waits until the CSSOM applies it. */
const STYLE_ATTRIBUTE = 'data-preview-style';
/** Attributes that could load or navigate; data: URLs (self-contained images) are kept. */
const URL_ATTRIBUTES = ['src', 'href', 'srcset', 'action', 'formaction', 'poster', 'xlink:href'];

/**
 * An early, rendered look at the app the model is writing: its HTML so far,
 * without scripts, in a frame that can run nothing (sandboxed without
 * `allow-scripts`, under the shell's own CSP, which is stricter than an app
 * frame's). The frame is inert: a preview is to look at, not to use.
 *
 * Inline styles are blocked by the shell's CSP, so the app's <style> text and
 * style attributes are applied through the CSSOM, which CSP does not govern.
 */
export class PreviewFrame {
  readonly #frame: HTMLIFrameElement;
  readonly element: HTMLElement;
  #shown = '';

  constructor(words: Words) {
    this.#frame = el('iframe', {
      class: 'preview-frame',
      title: words.t('preview.title'),
      // Same origin (so the shell can fill it) but no scripts: the safe half of the pair.
      sandbox: 'allow-same-origin',
      tabindex: -1,
      'aria-hidden': 'true',
      inert: true,
    });
    this.element = el(
      'figure',
      { class: 'preview', hidden: true },
      el('figcaption', { class: 'preview-caption' }, words.t('preview.caption')),
      this.#frame,
    );
  }

  /** Renders the HTML written so far; the same text twice is not repainted. */
  show(html: string): void {
    if (html === this.#shown) return;
    const doc = this.#frame.contentDocument;
    const view = this.#frame.contentWindow as (Window & typeof globalThis) | null;
    if (!doc || !view) return;
    this.#shown = html;
    // Even an inert parsed document reports <style> and style="" to the shell's CSP, so both are
    // taken out of the text first (roughly, as befits a look at half-written code) and applied below.
    const styles: string[] = [];
    const text = html
      .replace(/<style\b[^>]*>([\s\S]*?)(?:<\/style\s*>|$)/gi, (_tag, css: string) => {
        styles.push(css);
        return '';
      })
      .replace(/(<[a-z][^<>]*?\s)style(\s*=)/gi, `$1${STYLE_ATTRIBUTE}$2`);
    const parsed = new DOMParser().parseFromString(text, 'text/html');
    for (const node of parsed.querySelectorAll(DROPPED)) node.remove();
    for (const node of parsed.querySelectorAll('*')) {
      for (const name of node.getAttributeNames()) {
        const value = node.getAttribute(name) ?? '';
        if (name.startsWith('on') || name === 'style') node.removeAttribute(name);
        else if (URL_ATTRIBUTES.includes(name) && !value.trim().startsWith('data:'))
          node.removeAttribute(name);
      }
    }
    const root = doc.importNode(parsed.documentElement, true);
    doc.replaceChild(root, doc.documentElement);
    try {
      const sheet = new view.CSSStyleSheet();
      // A half-written rule is dropped by the parser; the rest still applies.
      sheet.replaceSync(styles.join('\n'));
      doc.adoptedStyleSheets = [sheet];
    } catch {
      // No styles is still a preview.
    }
    for (const node of root.querySelectorAll(`[${STYLE_ATTRIBUTE}]`)) {
      if (node instanceof view.HTMLElement) node.style.cssText = node.getAttribute(STYLE_ATTRIBUTE) ?? '';
      node.removeAttribute(STYLE_ATTRIBUTE);
    }
    this.element.hidden = false;
  }
}
