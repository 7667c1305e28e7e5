import type { Theme, ThemeMode } from '../../services/protocol/index.js';
import { el } from './el.js';
import type { ThemeSettings } from './ThemeSettings.js';

const MODES: Array<[ThemeMode, string]> = [
  ['light', 'Light'],
  ['dark', 'Dark'],
  ['high-contrast', 'High contrast'],
];
const SCALES: Array<[number, string]> = [
  [1, 'Normal'],
  [1.25, 'Large'],
  [1.5, 'Larger'],
  [2, 'Largest'],
];

/**
 * The person's display settings (colours, text size, motion), behind a
 * "Display" button in the top bar. Every change applies at once, to the
 * shell and to the running app.
 */
export class DisplaySettings {
  readonly #toggle = el(
    'button',
    {
      type: 'button',
      class: 'secondary display-toggle',
      'aria-expanded': 'false',
      'aria-controls': 'display-panel',
    },
    'Display',
  );
  readonly #mode = el('select', { id: 'display-mode' });
  readonly #scale = el('select', { id: 'display-scale' });
  readonly #motion = el('input', { id: 'display-motion', type: 'checkbox' });
  readonly #done = el('button', { type: 'button' }, 'Done');
  readonly #panel = el(
    'div',
    {
      id: 'display-panel',
      class: 'display-panel',
      role: 'group',
      'aria-label': 'Display settings',
      hidden: true,
    },
    el('label', { for: 'display-mode' }, 'Colours'),
    this.#mode,
    el('label', { for: 'display-scale' }, 'Text size'),
    this.#scale,
    el('label', { class: 'display-check' }, this.#motion, ' Reduce motion'),
    this.#done,
  );
  readonly element = el('div', { class: 'display-settings' }, this.#toggle, this.#panel);

  constructor(settings: ThemeSettings) {
    for (const [value, words] of MODES) this.#mode.append(el('option', { value }, words));
    for (const [value, words] of SCALES) this.#scale.append(el('option', { value }, words));
    this.#show(settings.current);
    this.#toggle.addEventListener('click', () => this.#setOpen(this.#panel.hidden !== false));
    this.#done.addEventListener('click', () => {
      this.#setOpen(false);
      this.#toggle.focus();
    });
    this.#mode.addEventListener('change', () => settings.update({ mode: this.#mode.value as ThemeMode }));
    this.#scale.addEventListener('change', () => settings.update({ textScale: Number(this.#scale.value) }));
    this.#motion.addEventListener('change', () => settings.update({ reducedMotion: this.#motion.checked }));
    settings.onChange((theme) => this.#show(theme));
  }

  #setOpen(open: boolean): void {
    this.#panel.hidden = !open;
    this.#toggle.setAttribute('aria-expanded', String(open));
    if (open) this.#mode.focus();
  }

  #show(theme: Theme): void {
    this.#mode.value = theme.mode;
    this.#scale.value = String(theme.textScale);
    this.#motion.checked = theme.reducedMotion;
    // The shell follows the same choice as the apps.
    const root = document.documentElement;
    root.dataset.theme = theme.mode;
    root.style.setProperty('--text-scale', String(theme.textScale));
    root.toggleAttribute('data-reduced-motion', theme.reducedMotion);
  }
}
