import type { AppSummary } from '../../services/protocol/index.js';
import { confirmAction } from './confirmAction.js';
import type { DaemonClient } from './DaemonClient.js';
import { describeError } from './describeError.js';
import { el } from './el.js';
import type { Language } from './Language.js';

/**
 * Settings' Privacy section: forget one app, export everything to one file
 * (the format `figment` import reads), forget everything. Forgetting asks
 * first; figmentd refuses all three on a kiosk without the admin PIN.
 */
export class PrivacySettings {
  readonly #apps = el('ul', { class: 'forget-list' });
  readonly #status = el('p', { class: 'privacy-status', role: 'status' });
  readonly #export = el('button', { type: 'button', class: 'secondary' });
  readonly #forgetAll = el('button', { type: 'button', class: 'danger' });
  readonly element: HTMLElement;

  constructor(
    private readonly client: DaemonClient,
    private readonly language: Language,
    /** Told after each action (something may be forgotten), so the launcher can redraw. */
    private readonly onForgotten: () => void,
  ) {
    this.#export.append(language.text('privacy.export'));
    this.#forgetAll.append(language.text('privacy.forgetAll'));
    this.element = el(
      'div',
      { class: 'settings-section' },
      el('h3', {}, language.text('privacy.apps')),
      this.#apps,
      el('h3', {}, language.text('privacy.everything')),
      el('div', { class: 'privacy-actions' }, this.#export, this.#forgetAll),
      this.#status,
    );
    this.#export.addEventListener('click', () => void this.#exportAll());
    this.#forgetAll.addEventListener('click', () => void this.#forgetEverything());
  }

  async show(): Promise<void> {
    this.#status.textContent = '';
    try {
      const { apps } = await this.client.request('apps.list', {});
      this.#apps.replaceChildren(
        ...(apps.length === 0
          ? [el('li', { class: 'empty' }, this.language.t('privacy.noApps'))]
          : apps.map((app) => this.#appRow(app))),
      );
    } catch (error) {
      this.#say(describeError(error).title, true);
    }
  }

  #appRow(app: AppSummary): HTMLElement {
    const forget = el(
      'button',
      {
        type: 'button',
        class: 'secondary',
        'aria-label': this.language.t('privacy.forgetApp', { name: app.name }),
      },
      this.language.t('privacy.forget'),
    );
    forget.addEventListener('click', async () => {
      const sure = await confirmAction(this.element, {
        question: this.language.t('privacy.forgetAppQuestion', { name: app.name }),
        detail: this.language.t('privacy.forgetAppDetail'),
        confirm: this.language.t('confirm.forget'),
        cancel: this.language.t('confirm.keep'),
      });
      if (!sure) return forget.focus();
      await this.#run(async () => {
        await this.client.request('apps.forget', { appId: app.id });
        await this.show();
        this.#say(this.language.t('privacy.forgotApp', { name: app.name }));
      });
    });
    return el('li', { class: 'forget-row', 'data-app': app.id }, el('span', {}, app.name), forget);
  }

  async #forgetEverything(): Promise<void> {
    const sure = await confirmAction(this.element, {
      question: this.language.t('privacy.forgetAllQuestion'),
      detail: this.language.t('privacy.forgetAllDetail'),
      confirm: this.language.t('privacy.forgetAll'),
      cancel: this.language.t('confirm.keep'),
    });
    if (!sure) return this.#forgetAll.focus();
    await this.#run(async () => {
      const { apps } = await this.client.request('context.forgetAll', {});
      await this.show();
      this.#say(this.language.t('privacy.forgotAll', { count: apps }));
    });
  }

  async #exportAll(): Promise<void> {
    await this.#run(async () => {
      const { fileName, text, apps } = await this.client.request('context.export', {});
      const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      const link = el('a', { href: url, download: fileName, hidden: true });
      this.element.append(link);
      link.click();
      link.remove();
      // The download has its own copy; free the page's.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.#say(this.language.t('privacy.exported', { count: apps, file: fileName }));
    });
  }

  /** Runs one action, with a coded refusal (no PIN, gone) shown in the status line. */
  async #run(action: () => Promise<void>): Promise<void> {
    try {
      await action();
      this.onForgotten();
    } catch (error) {
      const words = describeError(error);
      this.#say(`${words.title} ${words.detail}`.trim(), true);
    }
  }

  #say(words: string, problem = false): void {
    this.#status.textContent = words;
    this.#status.classList.toggle('problem', problem);
  }
}
