import type { AppSummary, VersionSummary } from '../../services/protocol/index.js';
import type { DaemonClient } from './DaemonClient.js';
import { describeError } from './describeError.js';
import { el } from './el.js';
import type { Language } from './Language.js';
import type { MessageKey } from './shellMessages.js';

export interface VersionHistoryOptions {
  client: DaemonClient;
  language: Language;
  /** figmentd now runs another version of the app: open it at that version. */
  onRolledBack(app: AppSummary, version: VersionSummary): void;
}

/**
 * A modal dialog with an app's versions, newest first: when each was made
 * and what was asked for, and a way back to any earlier one. Going back
 * keeps newer versions in the list and never touches the app's data.
 */
export class VersionHistory {
  readonly #title = el('h2', { id: 'versions-title' });
  readonly #body = el('div', { class: 'versions-body', 'aria-live': 'polite' });
  readonly #done: HTMLButtonElement;
  readonly element: HTMLDialogElement;
  #app: AppSummary | undefined;
  #loads = 0;

  constructor(private readonly options: VersionHistoryOptions) {
    const { language } = options;
    this.#done = el('button', { type: 'button', class: 'secondary' }, language.text('settings.done'));
    this.element = el(
      'dialog',
      { class: 'shell-dialog versions', 'aria-labelledby': 'versions-title' },
      this.#title,
      el('p', { class: 'versions-note' }, language.text('versions.note')),
      this.#body,
      el('div', { class: 'dialog-actions' }, this.#done),
    );
    this.#done.addEventListener('click', () => this.element.close());
  }

  /** Shows `app`'s history; the dialog closes on "Done", Escape, or once a version is chosen. */
  async open(app: AppSummary): Promise<void> {
    const load = ++this.#loads;
    this.#app = app;
    const words = this.options.language;
    this.#title.textContent = words.t('versions.title', { name: app.name });
    this.#body.replaceChildren(el('p', {}, words.t('versions.reading')));
    if (!this.element.open) this.element.showModal();
    this.#done.focus();
    try {
      const { versions } = await this.options.client.request('apps.versions', { appId: app.id });
      if (load !== this.#loads) return;
      this.#body.replaceChildren(
        el('ol', { class: 'version-list' }, ...versions.map((version) => this.#item(version))),
      );
    } catch (error) {
      if (load !== this.#loads) return;
      this.#problem('versions.readFailed', error);
    }
  }

  #item(version: VersionSummary): HTMLLIElement {
    const whenId = `version-when-${version.id}`;
    const words = this.options.language;
    const made = new Date(version.createdAt);
    const dateFormat = new Intl.DateTimeFormat(words.current, { dateStyle: 'medium', timeStyle: 'short' });
    const item = el(
      'li',
      { class: 'version', 'data-current': version.current },
      el(
        'p',
        { class: 'version-when', id: whenId },
        el('time', { datetime: made.toISOString() }, dateFormat.format(made)),
        version.current && el('span', { class: 'version-current' }, words.t('versions.runningNow')),
      ),
      el(
        'p',
        { class: 'version-intent' },
        version.intent ? `“${version.intent}”` : words.t('versions.forgotten'),
      ),
    );
    if (!version.current) {
      const back = el(
        'button',
        { type: 'button', class: 'secondary', 'aria-describedby': whenId },
        words.t('versions.goBack'),
      );
      back.addEventListener('click', () => void this.#rollback(version, back));
      item.append(back);
    }
    return item;
  }

  async #rollback(version: VersionSummary, button: HTMLButtonElement): Promise<void> {
    const app = this.#app;
    if (!app) return;
    button.disabled = true;
    try {
      const result = await this.options.client.request('apps.rollback', {
        appId: app.id,
        versionId: version.id,
      });
      this.element.close();
      this.options.onRolledBack(result.app, version);
    } catch (error) {
      button.disabled = false;
      this.#problem('versions.backFailed', error);
    }
  }

  #problem(title: MessageKey, error: unknown): void {
    const { language } = this.options;
    const words = describeError(error, language);
    this.#body.prepend(
      el(
        'div',
        { class: 'problem', role: 'alert' },
        el('p', { class: 'problem-title' }, `${language.t(title)} ${words.title}`),
        words.detail && el('p', { class: 'problem-detail' }, words.detail),
      ),
    );
  }
}
