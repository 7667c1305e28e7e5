/**
 * The icons a person may choose for an app: plain symbols that the shell's
 * own font draws in the text colour (so every theme keeps its contrast),
 * each with the name a screen reader says. Apart from zod so it stays plain data.
 */
export const appIcons = {
  star: { glyph: '★', label: 'Star' },
  heart: { glyph: '♥', label: 'Heart' },
  sun: { glyph: '☀', label: 'Sun' },
  moon: { glyph: '☾', label: 'Moon' },
  cloud: { glyph: '☁', label: 'Cloud' },
  umbrella: { glyph: '☂', label: 'Umbrella' },
  snow: { glyph: '❄', label: 'Snowflake' },
  bolt: { glyph: '⚡', label: 'Lightning' },
  cup: { glyph: '☕', label: 'Hot drink' },
  music: { glyph: '♫', label: 'Music' },
  letter: { glyph: '✉', label: 'Letter' },
  phone: { glyph: '☎', label: 'Telephone' },
  pencil: { glyph: '✎', label: 'Pencil' },
  check: { glyph: '✓', label: 'Tick' },
  flag: { glyph: '⚑', label: 'Flag' },
  gear: { glyph: '⚙', label: 'Gear' },
  plane: { glyph: '✈', label: 'Aeroplane' },
  house: { glyph: '⌂', label: 'House' },
  leaf: { glyph: '☘', label: 'Leaf' },
  flower: { glyph: '✿', label: 'Flower' },
  smile: { glyph: '☺', label: 'Smile' },
  scissors: { glyph: '✂', label: 'Scissors' },
  money: { glyph: '€', label: 'Money' },
  scales: { glyph: '⚖', label: 'Scales' },
} as const satisfies Record<string, { glyph: string; label: string }>;

export type AppIconName = keyof typeof appIcons;
export const appIconNames = Object.keys(appIcons) as [AppIconName, ...AppIconName[]];
