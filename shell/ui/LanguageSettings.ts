import { el } from './el.js';
import { Language } from './Language.js';
import { type LanguageCode, languageNames } from './shellMessages.js';

/** Settings' Language section: the language of the shell's own screens, kept for next time. */
export class LanguageSettings {
  readonly #choice = el('select', { id: 'shell-language' });
  readonly element: HTMLElement;

  constructor(language: Language) {
    for (const code of Language.codes) {
      this.#choice.append(el('option', { value: code, lang: code }, languageNames[code]));
    }
    this.#choice.value = language.current;
    this.#choice.addEventListener('change', () => language.set(this.#choice.value as LanguageCode));
    this.element = el(
      'div',
      { class: 'settings-section' },
      el('label', { for: 'shell-language' }, language.text('language.label')),
      this.#choice,
      el('p', {}, language.text('language.note')),
    );
  }

  show(): void {}
}
