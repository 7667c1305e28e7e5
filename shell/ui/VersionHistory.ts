import type { AppSummary, VersionSummary } from '../../services/protocol/index.js';
import type { DaemonClient } from './DaemonClient.js';
import { describeError } from './describeError.js';
import { el } from './el.js';

export interface VersionHistoryOptions {
  client: DaemonClient;
  /** figmentd now runs another version of the app: open it at that version. */
  onRolledBack(app: AppSummary, version: VersionSummary): void;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * A modal dialog with an app's versions, newest first: when each was made
 * and what was asked for, and a way back to any earlier one. Going back
 * keeps newer versions in the list and never touches the app's data.
 */
export class VersionHistory {
  readonly #title = el('h2', { id: 'versions-title' });
  readonly #body = el('div', { class: 'versions-body', 'aria-live': 'polite' });
  readonly #done = el('button', { type: 'button', class: 'secondary' }, 'Done');
  readonly element = el(
    'dialog',
    { class: 'shell-dialog versions', 'aria-labelledby': 'versions-title' },
    this.#title,
    el(
      'p',
      { class: 'versions-note' },
      'Going back to a version keeps what the app saved, and newer versions stay in this list.',
    ),
    this.#body,
    el('div', { class: 'dialog-actions' }, this.#done),
  );
  #app: AppSummary | undefined;
  #loads = 0;

  constructor(private readonly options: VersionHistoryOptions) {
    this.#done.addEventListener('click', () => this.element.close());
  }

  /** Shows `app`'s history; the dialog closes on "Done", Escape, or once a version is chosen. */
  async open(app: AppSummary): Promise<void> {
    const load = ++this.#loads;
    this.#app = app;
    this.#title.textContent = `Versions of “${app.name}”`;
    this.#body.replaceChildren(el('p', {}, 'Reading its history…'));
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
      this.#problem('Its history could not be read.', error);
    }
  }

  #item(version: VersionSummary): HTMLLIElement {
    const whenId = `version-when-${version.id}`;
    const made = new Date(version.createdAt);
    const item = el(
      'li',
      { class: 'version', 'data-current': version.current },
      el(
        'p',
        { class: 'version-when', id: whenId },
        el('time', { datetime: made.toISOString() }, dateFormat.format(made)),
        version.current && el('span', { class: 'version-current' }, ' · running now'),
      ),
      el(
        'p',
        { class: 'version-intent' },
        version.intent ? `“${version.intent}”` : 'The request that made it was forgotten.',
      ),
    );
    if (!version.current) {
      const back = el(
        'button',
        { type: 'button', class: 'secondary', 'aria-describedby': whenId },
        'Go back to this version',
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
      this.#problem('It could not go back to that version.', error);
    }
  }

  #problem(title: string, error: unknown): void {
    const words = describeError(error);
    this.#body.prepend(
      el(
        'div',
        { class: 'problem', role: 'alert' },
        el('p', { class: 'problem-title' }, `${title} ${words.title}`),
        words.detail && el('p', { class: 'problem-detail' }, words.detail),
      ),
    );
  }
}
