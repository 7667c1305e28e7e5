import type { DecodedImage } from './decodePng.js';

/** What a screenshot shows, as far as the boot test cares. */
export interface ScreenVerdict {
  /** True when the shell's page fills the screen (its background, with text and controls on it). */
  shell: boolean;
  /** Share of pixels in the shell's background colour, 0–1. */
  background: number;
  /** Distinct colours seen (a blank or console screen has few). */
  colours: number;
}

/** The shell's light background (--bg in shell/ui/shell.css), and its dark one. */
const BACKGROUNDS = [
  [0xf5, 0xf4, 0xef],
  [0x15, 0x16, 0x1a],
] as const;

/**
 * Judges a screendump: the shell is on screen when most of it is the shell's
 * background and there is enough detail (text, the intent bar) on top.
 */
export function shellOnScreen(
  image: DecodedImage,
  backgrounds: readonly (readonly number[])[] = BACKGROUNDS,
): ScreenVerdict {
  const { pixels, channels } = image;
  const counts = new Map<number, number>();
  const total = image.width * image.height;
  for (let i = 0; i < total; i++) {
    const at = i * channels;
    const key = ((pixels[at] ?? 0) << 16) | ((pixels[at + 1] ?? 0) << 8) | (pixels[at + 2] ?? 0);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let best = 0;
  for (const [r, g, b] of backgrounds) {
    best = Math.max(best, (counts.get(((r ?? 0) << 16) | ((g ?? 0) << 8) | (b ?? 0)) ?? 0) / total);
  }
  return { shell: best >= 0.3 && counts.size >= 16, background: best, colours: counts.size };
}
