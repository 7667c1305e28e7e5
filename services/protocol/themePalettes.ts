/**
 * The theme's plain data, apart from its zod schema so the SDK bundle can
 * import it without zod.
 */
export const themeModes = ['light', 'dark', 'high-contrast'] as const;
export type ThemeMode = (typeof themeModes)[number];

/** The colour tokens an app may use, as `var(--figment-<name>)`. */
export const themeColorNames = [
  'bg',
  'fg',
  'muted',
  'surface',
  'border',
  'accent',
  'accent-fg',
  'danger',
  'focus',
] as const;
export type ThemeColorName = (typeof themeColorNames)[number];

/** Each mode's colours; every pair of text and background meets WCAG AA (high contrast: AAA). */
export const themePalettes: Record<ThemeMode, Record<ThemeColorName, string>> = {
  light: {
    bg: '#ffffff',
    fg: '#1b1b1f',
    muted: '#5d5e66',
    surface: '#f2f2f7',
    border: '#c4c5cf',
    accent: '#0b57d0',
    'accent-fg': '#ffffff',
    danger: '#b3261e',
    focus: '#1b1b1f',
  },
  dark: {
    bg: '#121316',
    fg: '#e4e2e6',
    muted: '#a9aab4',
    surface: '#1f2024',
    border: '#45464f',
    accent: '#a8c7fa',
    'accent-fg': '#062e6f',
    danger: '#ffb4ab',
    focus: '#e4e2e6',
  },
  'high-contrast': {
    bg: '#000000',
    fg: '#ffffff',
    muted: '#ffffff',
    surface: '#000000',
    border: '#ffffff',
    accent: '#ffff00',
    'accent-fg': '#000000',
    danger: '#ff6e6e',
    focus: '#ffff00',
  },
};
