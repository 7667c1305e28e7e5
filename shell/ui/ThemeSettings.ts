import { defaultTheme, Theme } from '../../services/protocol/index.js';

/** Where the shell keeps the person's choice (its own origin's storage; apps never see it). */
const STORAGE_KEY = 'figment.theme';

/**
 * The person's theme: starts from what they chose before, else from the
 * system's preferences (dark, more contrast, reduced motion), and tells
 * every listener (the app frame host, the shell page) when it changes.
 */
export class ThemeSettings {
  #theme: Theme;
  readonly #listeners = new Set<(theme: Theme) => void>();

  constructor(initial: Theme = ThemeSettings.load()) {
    this.#theme = initial;
  }

  get current(): Theme {
    return { ...this.#theme };
  }

  /** Changes part of the theme; an invalid value is refused with a zod error and changes nothing. */
  update(change: Partial<Theme>): Theme {
    this.#theme = Theme.parse({ ...this.#theme, ...change });
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(this.#theme));
    } catch {
      // Private mode or a full store: the choice still holds for this session.
    }
    for (const listener of this.#listeners) listener(this.current);
    return this.current;
  }

  onChange(listener: (theme: Theme) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The saved theme, or one that follows the system's preferences. */
  static load(): Theme {
    try {
      const saved = Theme.safeParse(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null'));
      if (saved.success) return saved.data;
    } catch {
      // Unreadable: fall back to the system's preferences.
    }
    const prefers = (query: string) => window.matchMedia?.(query).matches === true;
    return {
      ...defaultTheme,
      mode: prefers('(prefers-contrast: more)')
        ? 'high-contrast'
        : prefers('(prefers-color-scheme: dark)')
          ? 'dark'
          : 'light',
      reducedMotion: prefers('(prefers-reduced-motion: reduce)'),
    };
  }
}
