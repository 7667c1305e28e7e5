import { z } from 'zod';
import { themeModes } from './themePalettes.js';

export * from './themePalettes.js';

/**
 * The look the person chose in the shell's settings, which every app frame
 * follows live. The shell sends it; the SDK turns it into CSS custom
 * properties (`--figment-bg`, …) on the app's root element.
 */
export const ThemeMode = z.enum(themeModes);
export type ThemeMode = z.infer<typeof ThemeMode>;

export const Theme = z.strictObject({
  mode: ThemeMode,
  /** Multiplies the base text size (16px); 1 to 2. */
  textScale: z.number().min(1).max(2),
  reducedMotion: z.boolean(),
});
export type Theme = z.infer<typeof Theme>;

export const defaultTheme: Theme = { mode: 'light', textScale: 1, reducedMotion: false };
