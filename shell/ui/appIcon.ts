import { type AppSummary, appIcons } from '../../services/protocol/index.js';
import { el } from './el.js';

/** How many background hues icons are drawn on (shell.css has one rule per hue). */
export const ICON_HUES = 8;

/**
 * An app's icon: the symbol chosen for it (by the model that made it, or by
 * the person since), or else up to two initials of its name, on a background
 * hue that follows from the app's id, so the same app always looks the same. Decorative: the app's name is always beside it.
 */
export function appIcon(app: Pick<AppSummary, 'id' | 'name' | 'icon'>, size: 'large' | 'small' = 'large') {
  const chosen = app.icon ? appIcons[app.icon] : undefined;
  return el(
    'span',
    {
      class: `app-icon app-icon-${size}`,
      'aria-hidden': 'true',
      'data-hue': hueOf(app.id),
      'data-kind': chosen ? 'symbol' : 'initials',
    },
    // U+FE0E asks for the plain text form, so a colour emoji font never overrides the theme's colours.
    chosen ? `${chosen.glyph}\uFE0E` : initialsOf(app.name),
  );
}

/** Up to two letters: the first of the first two words ("Budget tracker" → "BT"). */
export function initialsOf(name: string): string {
  const words = name.match(/[\p{L}\p{N}]+/gu) ?? [];
  const letters = words.slice(0, 2).map((word) => [...word][0] ?? '');
  return letters.join('').toLocaleUpperCase() || '?';
}

function hueOf(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return hash % ICON_HUES;
}
