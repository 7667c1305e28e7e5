import { type AppIconName, type AppSummary, appIconNames, appIcons } from '../../services/protocol/index.js';
import { appIcon } from './appIcon.js';
import { el } from './el.js';
import type { Language } from './Language.js';

/** The radio value that stands for "no chosen icon: make one from the name". */
const MADE = 'made';

/**
 * A modal dialog to choose an app's icon from the catalogue, or go back to
 * the one made from its name. The browser's modal dialog keeps focus inside
 * and closes on Escape; nothing is changed unless the person confirms.
 */
export class IconPicker {
  readonly #title = el('h2', { id: 'icon-picker-title' });
  readonly #choices = el('div', { class: 'icon-choices' });
  readonly #save: HTMLButtonElement;
  readonly #cancel: HTMLButtonElement;
  readonly #form: HTMLFormElement;
  readonly element: HTMLDialogElement;
  #settle: ((choice: AppIconName | null | undefined) => void) | undefined;

  constructor(private readonly language: Language) {
    this.#save = el('button', { type: 'submit' }, language.text('icons.use'));
    this.#cancel = el('button', { type: 'button', class: 'secondary' }, language.text('intent.cancel'));
    this.#form = el(
      'form',
      { method: 'dialog' },
      el(
        'fieldset',
        { class: 'icon-fieldset' },
        el('legend', { class: 'visually-hidden' }, language.text('icons.legend')),
        this.#choices,
      ),
      el('div', { class: 'dialog-actions' }, this.#save, this.#cancel),
    );
    this.element = el(
      'dialog',
      { class: 'shell-dialog icon-picker', 'aria-labelledby': 'icon-picker-title' },
      this.#title,
      this.#form,
    );
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      const picked = new FormData(this.#form).get('icon');
      this.#finish(picked === MADE ? null : (picked as AppIconName));
    });
    this.#cancel.addEventListener('click', () => this.#finish(undefined));
    // Escape closes the dialog without a choice.
    this.element.addEventListener('close', () => this.#finish(undefined));
  }

  /** Asks for an icon for `app`: resolves with the choice (null: made from the name), or undefined when cancelled. */
  choose(app: AppSummary): Promise<AppIconName | null | undefined> {
    this.#finish(undefined);
    this.#title.textContent = this.language.t('icons.title', { name: app.name });
    const option = (value: string, icon: HTMLElement, label: string) =>
      el(
        'label',
        { class: 'icon-choice' },
        el('input', {
          type: 'radio',
          name: 'icon',
          value,
          checked: value === (app.icon ?? MADE),
        }),
        icon,
        el('span', { class: 'icon-choice-name' }, label),
      );
    this.#choices.replaceChildren(
      option(MADE, appIcon({ ...app, icon: null }, 'small'), this.language.t('icons.letters')),
      ...appIconNames.map((name) =>
        option(name, appIcon({ ...app, icon: name }, 'small'), appIcons[name].label),
      ),
    );
    this.element.showModal();
    this.#choices.querySelector<HTMLInputElement>('input:checked')?.focus();
    return new Promise((resolve) => {
      this.#settle = resolve;
    });
  }

  #finish(choice: AppIconName | null | undefined): void {
    const settle = this.#settle;
    this.#settle = undefined;
    if (this.element.open) this.element.close();
    settle?.(choice);
  }
}
