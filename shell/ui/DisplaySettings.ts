import type { Theme, ThemeMode } from '../../services/protocol/index.js';
import { el } from './el.js';
import type { Language } from './Language.js';
import type { MessageKey } from './shellMessages.js';
import type { ThemeSettings } from './ThemeSettings.js';

const MODES: Array<[ThemeMode, MessageKey]> = [
  ['light', 'display.light'],
  ['dark', 'display.dark'],
  ['high-contrast', 'display.highContrast'],
];
const SCALES: Array<[number, MessageKey]> = [
  [1, 'display.normal'],
  [1.25, 'display.large'],
  [1.5, 'display.larger'],
  [2, 'display.largest'],
];

/**
 * Settings' Display section: colours (light, dark, high contrast), text
 * size up to 200 % and reduced motion. Every change applies at once, to the
 * shell and to the running apps; it needs no admin PIN, even on a kiosk.
 */
export class DisplaySettings {
  readonly #mode = el('select', { id: 'display-mode' });
  readonly #scale = el('select', { id: 'display-scale' });
  readonly #motion = el('input', { id: 'display-motion', type: 'checkbox' });
  readonly element: HTMLElement;

  constructor(settings: ThemeSettings, language: Language) {
    for (const [value, key] of MODES) this.#mode.append(el('option', { value }, language.text(key)));
    for (const [value, key] of SCALES) this.#scale.append(el('option', { value }, language.text(key)));
    this.element = el(
      'div',
      { class: 'settings-section display-settings' },
      el('p', {}, language.text('display.note')),
      el('label', { for: 'display-mode' }, language.text('display.colours')),
      this.#mode,
      el('label', { for: 'display-scale' }, language.text('display.textSize')),
      this.#scale,
      el('label', { class: 'display-check' }, this.#motion, ' ', language.text('display.motion')),
    );
    this.#show(settings.current);
    this.#mode.addEventListener('change', () => settings.update({ mode: this.#mode.value as ThemeMode }));
    this.#scale.addEventListener('change', () => settings.update({ textScale: Number(this.#scale.value) }));
    this.#motion.addEventListener('change', () => settings.update({ reducedMotion: this.#motion.checked }));
    settings.onChange((theme) => this.#show(theme));
  }

  show(): void {}

  #show(theme: Theme): void {
    this.#mode.value = theme.mode;
    this.#scale.value = String(theme.textScale);
    this.#motion.checked = theme.reducedMotion;
    // The shell follows the same choice as the apps.
    const root = document.documentElement;
    root.dataset.theme = theme.mode;
    root.style.setProperty('--text-scale', String(theme.textScale));
    root.dataset.textScale = String(theme.textScale);
    root.toggleAttribute('data-reduced-motion', theme.reducedMotion);
  }
}
