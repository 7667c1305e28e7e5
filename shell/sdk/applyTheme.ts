import {
  type ThemeColorName,
  type ThemeMode,
  themeColorNames,
  themePalettes,
} from '../../services/protocol/themePalettes.js';

/** The theme as the SDK hands it to apps: the shell's settings and the colours they resolve to. */
export interface AppliedTheme {
  mode: ThemeMode;
  textScale: number;
  reducedMotion: boolean;
  colors: Record<ThemeColorName, string>;
}

/** Base rules every app gets: text follows the scale, motion stops when the person asked. */
const BASE_CSS = `
:root { color-scheme: var(--figment-color-scheme); font-size: calc(100% * var(--figment-text-scale)); }
:root[data-figment-reduced-motion] *, :root[data-figment-reduced-motion] *::before, :root[data-figment-reduced-motion] *::after {
  animation-duration: 0.01ms !important; animation-iteration-count: 1 !important;
  transition-duration: 0.01ms !important; scroll-behavior: auto !important;
}`;

/**
 * Writes the theme onto the document's root element as CSS custom
 * properties (`--figment-bg`, `--figment-text-scale`, …) and data attributes
 * (`data-figment-theme`, `data-figment-reduced-motion`), and returns what it applied.
 */
export function applyTheme(
  document: Document,
  theme: { mode: ThemeMode; textScale: number; reducedMotion: boolean },
): AppliedTheme {
  const root = document.documentElement;
  const colors = { ...themePalettes[theme.mode] };
  for (const name of themeColorNames) root.style.setProperty(`--figment-${name}`, colors[name]);
  root.style.setProperty('--figment-text-scale', String(theme.textScale));
  root.style.setProperty('--figment-font-size', `${16 * theme.textScale}px`);
  root.style.setProperty('--figment-color-scheme', theme.mode === 'light' ? 'light' : 'dark');
  root.style.setProperty('--figment-motion', theme.reducedMotion ? '0' : '1');
  root.dataset.figmentTheme = theme.mode;
  root.toggleAttribute('data-figment-reduced-motion', theme.reducedMotion);
  if (!document.getElementById('figment-base-style')) {
    const style = document.createElement('style');
    style.id = 'figment-base-style';
    style.textContent = BASE_CSS;
    // First in <head>, so the app's own rules win where they disagree.
    (document.head ?? root).prepend(style);
  }
  return { mode: theme.mode, textScale: theme.textScale, reducedMotion: theme.reducedMotion, colors };
}

/** A cheap shape check for a theme from the shell (the SDK carries no zod). */
export function isThemeShape(
  value: unknown,
): value is { mode: ThemeMode; textScale: number; reducedMotion: boolean } {
  if (typeof value !== 'object' || value === null) return false;
  const theme = value as Record<string, unknown>;
  return (
    typeof theme.mode === 'string' &&
    Object.hasOwn(themePalettes, theme.mode) &&
    typeof theme.textScale === 'number' &&
    theme.textScale >= 1 &&
    theme.textScale <= 2 &&
    typeof theme.reducedMotion === 'boolean'
  );
}
