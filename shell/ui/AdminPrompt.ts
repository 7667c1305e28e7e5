import { type AdminStatus, FigmentError } from '../../services/protocol/index.js';
import type { DaemonClient } from './DaemonClient.js';
import { el } from './el.js';
import type { Language } from './Language.js';

/**
 * Asks for the kiosk's admin PIN (or, on first use, asks to choose one).
 * figmentd checks it and unlocks this connection only; the page never
 * decides by itself, and figmentd refuses the admin methods without it.
 */
export class AdminPrompt {
  readonly #pin = el('input', {
    id: 'admin-pin',
    type: 'password',
    inputmode: 'numeric',
    autocomplete: 'off',
    pattern: '[0-9]*',
    maxlength: 12,
  });
  readonly #repeat = el('input', {
    id: 'admin-pin-repeat',
    type: 'password',
    inputmode: 'numeric',
    autocomplete: 'off',
    pattern: '[0-9]*',
    maxlength: 12,
  });
  readonly #title = el('h3', { id: 'admin-title', tabindex: -1 });
  readonly #explain = el('p');
  readonly #pinLabel = el('label', { for: 'admin-pin' });
  readonly #repeatRow = el(
    'div',
    { class: 'admin-field' },
    el('label', { for: 'admin-pin-repeat' }),
    this.#repeat,
  );
  readonly #submit = el('button', { type: 'submit' });
  readonly #problem = el('p', { class: 'admin-problem', role: 'alert' });
  readonly element = el(
    'form',
    { class: 'admin-prompt', 'aria-labelledby': 'admin-title', novalidate: true },
    this.#title,
    this.#explain,
    el('div', { class: 'admin-field' }, this.#pinLabel, this.#pin),
    this.#repeatRow,
    this.#submit,
    this.#problem,
  );
  #choosing = false;

  constructor(
    private readonly client: DaemonClient,
    private readonly language: Language,
    private readonly onUnlocked: (status: AdminStatus) => void,
  ) {
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#send();
    });
    language.onChange(() => this.#words());
  }

  /** Shows the prompt for `status` (enter the PIN, or choose one when none is set). */
  show(status: AdminStatus): void {
    this.#choosing = !status.pinSet;
    this.#pin.value = '';
    this.#repeat.value = '';
    this.#problem.textContent = '';
    this.#repeatRow.hidden = !this.#choosing;
    this.#words();
  }

  focus(): void {
    this.#pin.focus();
  }

  #words(): void {
    const t = (key: Parameters<Language['t']>[0]) => this.language.t(key);
    this.#title.textContent = t(this.#choosing ? 'admin.chooseTitle' : 'admin.title');
    this.#explain.textContent =
      `${this.#choosing ? t('admin.chooseExplain') : ''} ${t('admin.explain')}`.trim();
    this.#pinLabel.textContent = t(this.#choosing ? 'admin.newPin' : 'admin.pin');
    const repeatLabel = this.#repeatRow.querySelector('label');
    if (repeatLabel) repeatLabel.textContent = t('admin.repeatPin');
    this.#submit.textContent = t(this.#choosing ? 'admin.choose' : 'admin.unlock');
  }

  async #send(): Promise<void> {
    const pin = this.#pin.value.trim();
    if (!/^\d{4,12}$/.test(pin)) return this.#fail(this.language.t('admin.format'));
    if (this.#choosing && pin !== this.#repeat.value.trim())
      return this.#fail(this.language.t('admin.mismatch'));
    this.#submit.disabled = true;
    try {
      const status = await this.client.request(this.#choosing ? 'admin.setPin' : 'admin.unlock', { pin });
      this.#pin.value = '';
      this.#repeat.value = '';
      this.#problem.textContent = '';
      this.onUnlocked(status);
    } catch (error) {
      // figmentd's words say what happened and how long to wait (wrong PIN, too many tries).
      const coded = FigmentError.from(error);
      this.#fail(coded.message, coded.code);
      this.#pin.value = '';
    } finally {
      this.#submit.disabled = false;
    }
  }

  #fail(words: string, code?: string): void {
    this.#problem.textContent = words;
    if (code) this.#problem.dataset.code = code;
    else delete this.#problem.dataset.code;
    this.#pin.focus();
  }
}
