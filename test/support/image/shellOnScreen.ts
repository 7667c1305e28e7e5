import type { DecodedImage } from './decodePng.js';

/** What a screenshot shows, as far as the boot test cares. */
export interface ScreenVerdict {
  /** True when the shell is drawn: its field colour and its text colour, with detail around them. */
  shell: boolean;
  /** Share of pixels in the shell's field colour (--bg: the intent bar), 0–1. */
  field: number;
  /** Share of pixels in the shell's text colour (--text), 0–1. */
  text: number;
  /** Distinct colours seen (a blank page or a console has few). */
  colours: number;
}

/** The shell's --bg and --text (shell/ui/shell.css), light and dark themes. */
const THEMES = [
  { field: 0xf5f4ef, text: 0x1b1b1f },
  { field: 0x15161a, text: 0xf1f1f4 },
] as const;

/**
 * Judges a screendump: the shell is on screen when its intent bar's field
 * colour covers a visible area (≥ 1 %), its text colour is there (≥ 0.05 %)
 * and the picture has detail. A console, a blank page or a browser error
 * page fails at least one of these.
 */
export function shellOnScreen(image: DecodedImage): ScreenVerdict {
  const { pixels, channels } = image;
  const counts = new Map<number, number>();
  const total = image.width * image.height;
  for (let i = 0; i < total; i++) {
    const at = i * channels;
    const key = ((pixels[at] ?? 0) << 16) | ((pixels[at + 1] ?? 0) << 8) | (pixels[at + 2] ?? 0);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let best = { field: 0, text: 0 };
  for (const theme of THEMES) {
    const field = (counts.get(theme.field) ?? 0) / total;
    const text = (counts.get(theme.text) ?? 0) / total;
    if (field + text > best.field + best.text) best = { field, text };
  }
  return {
    shell: best.field >= 0.01 && best.text >= 0.0005 && counts.size >= 16,
    ...best,
    colours: counts.size,
  };
}
