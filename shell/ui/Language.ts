import { type LanguageCode, languageNames, type MessageKey, shellMessages } from './shellMessages.js';

/** Something that gives the shell's words for a key: a {@link Language}, or {@link english}. */
export interface Words {
  t(key: MessageKey, values?: Record<string, string | number>): string;
}

/** The words for `key` in `code`, with `{name}` placeholders filled in; English when that language lacks them. */
export function wordsFor(
  code: LanguageCode,
  key: MessageKey,
  values: Record<string, string | number> = {},
): string {
  const words: string = (shellMessages[code] as Record<MessageKey, string>)[key] ?? shellMessages.en[key];
  return words.replace(/\{(\w+)\}/g, (all, name: string) => String(values[name] ?? all));
}

/** English words, for code that runs before (or without) the person's choice. */
export const english: Words = { t: (key, values) => wordsFor('en', key, values) };

/** Where the shell keeps the person's choice (its own origin's storage). */
const STORAGE_KEY = 'figment.language';

/**
 * The language of the shell's own words. `text` gives a text node that
 * follows later changes, so screens need not rebuild themselves; `t` gives
 * words for one moment (lists that are redrawn anyway).
 */
export class Language implements Words {
  #code: LanguageCode;
  readonly #listeners = new Set<(code: LanguageCode) => void>();

  constructor(initial: LanguageCode = Language.load()) {
    this.#code = initial;
    document.documentElement.lang = initial;
  }

  get current(): LanguageCode {
    return this.#code;
  }

  static get codes(): LanguageCode[] {
    return Object.keys(languageNames) as LanguageCode[];
  }

  set(code: LanguageCode): void {
    if (!(code in shellMessages) || code === this.#code) return;
    this.#code = code;
    document.documentElement.lang = code;
    try {
      localStorage.setItem(STORAGE_KEY, code);
    } catch {
      // Private mode or a full store: the choice still holds for this session.
    }
    for (const listener of this.#listeners) listener(code);
  }

  /** The words for `key` now, with `{name}` placeholders filled in; English when this language lacks them. */
  t(key: MessageKey, values: Record<string, string | number> = {}): string {
    return wordsFor(this.#code, key, values);
  }

  /** A text node showing `key`, kept up to date when the language changes. */
  text(key: MessageKey): Text {
    const node = document.createTextNode(this.t(key));
    this.onChange(() => {
      node.data = this.t(key);
    });
    return node;
  }

  /** Keeps an attribute (aria-label, …) of `element` showing `key`. */
  bind(element: Element, attribute: string, key: MessageKey): void {
    element.setAttribute(attribute, this.t(key));
    this.onChange(() => element.setAttribute(attribute, this.t(key)));
  }

  onChange(listener: (code: LanguageCode) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The saved choice, else the browser's language when the shell has it, else English. */
  static load(): LanguageCode {
    try {
      const saved = localStorage.getItem(STORAGE_KEY);
      if (saved && saved in shellMessages) return saved as LanguageCode;
    } catch {
      // Unreadable: fall back below.
    }
    const preferred = (navigator.language ?? 'en').slice(0, 2);
    return preferred in shellMessages ? (preferred as LanguageCode) : 'en';
  }
}
