/** An sRGB colour, channels 0–255. */
export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/** Colour names common in generated CSS; anything else is treated as unknown, not guessed. */
const named: Record<string, string> = {
  black: '#000000',
  white: '#ffffff',
  red: '#ff0000',
  green: '#008000',
  blue: '#0000ff',
  yellow: '#ffff00',
  orange: '#ffa500',
  gray: '#808080',
  grey: '#808080',
  silver: '#c0c0c0',
  navy: '#000080',
  purple: '#800080',
  maroon: '#800000',
  teal: '#008080',
  lightgray: '#d3d3d3',
  lightgrey: '#d3d3d3',
  darkgray: '#a9a9a9',
  darkgrey: '#a9a9a9',
  whitesmoke: '#f5f5f5',
};

/** Parses #rgb, #rrggbb, rgb()/rgba() with opaque alpha, and a few names; undefined for anything else. */
export function parseColor(text: string): Rgb | undefined {
  const value = text.trim().toLowerCase();
  const hex = named[value] ?? value;
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(hex);
  if (short) {
    const [r, g, b] = short.slice(1).map((c) => Number.parseInt(c + c, 16)) as [number, number, number];
    return { r, g, b };
  }
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})(ff)?$/.exec(hex);
  if (long) {
    const [r, g, b] = long.slice(1, 4).map((c) => Number.parseInt(c, 16)) as [number, number, number];
    return { r, g, b };
  }
  const rgb = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)\s*(?:[,/]\s*([\d.]+%?)\s*)?\)$/.exec(value);
  if (rgb) {
    const alpha = rgb[4];
    // A translucent colour depends on what is behind it; only opaque ones are judged.
    if (alpha !== undefined && alpha !== '1' && alpha !== '100%') return undefined;
    const [r, g, b] = rgb.slice(1, 4).map(Number) as [number, number, number];
    if (r > 255 || g > 255 || b > 255) return undefined;
    return { r, g, b };
  }
  return undefined;
}

/** WCAG 2 relative luminance. */
function luminance({ r, g, b }: Rgb): number {
  const linear = (channel: number) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG 2 contrast ratio of two colours, 1 to 21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}
