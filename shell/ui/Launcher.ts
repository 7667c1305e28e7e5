import type { AppSummary } from '../../services/protocol/index.js';
import type { DaemonClient } from './DaemonClient.js';
import { describeError } from './describeError.js';
import { el } from './el.js';

/** Things to ask for, shown when there are no apps yet. */
const SUGGESTIONS = [
  'a counter with a big plus button',
  'a timer for brushing teeth',
  'a shopping list I can tick off',
  'a tracker for glasses of water today',
];

export interface LauncherOptions {
  client: DaemonClient;
  onOpen(app: AppSummary): void;
  /** A suggestion was chosen: put its words in the intent bar. */
  onSuggest(text: string): void;
}

/** The person's stored apps as large buttons, most recently used first. */
export class Launcher {
  readonly #title = el('h2', { id: 'launcher-title', tabindex: -1 }, 'Your apps');
  readonly #body = el('div', { class: 'launcher-body' });
  readonly element = el(
    'section',
    { class: 'launcher', 'aria-labelledby': 'launcher-title' },
    this.#title,
    this.#body,
  );
  #loads = 0;

  constructor(private readonly options: LauncherOptions) {}

  /** Asks figmentd for the list again; a failure shows words and a way to retry. */
  async refresh(): Promise<void> {
    const load = ++this.#loads;
    try {
      const { apps } = await this.options.client.request('apps.list', {});
      if (load === this.#loads) this.render(apps);
    } catch (error) {
      if (load !== this.#loads) return;
      const words = describeError(error);
      const retry = el('button', { type: 'button' }, 'Try again');
      retry.addEventListener('click', () => void this.refresh());
      this.#body.replaceChildren(
        el(
          'div',
          { class: 'problem', role: 'alert' },
          el('p', {}, 'Your apps could not be listed. ', words.detail),
          retry,
        ),
      );
    }
  }

  render(apps: AppSummary[]): void {
    if (apps.length === 0) {
      this.#body.replaceChildren(this.#emptyState());
      return;
    }
    const recent = (app: AppSummary) => app.lastOpenedAt ?? app.updatedAt;
    const sorted = [...apps].sort((a, b) => recent(b) - recent(a));
    this.#body.replaceChildren(el('ul', { class: 'app-list' }, ...sorted.map((app) => this.#tile(app))));
  }

  focus(): void {
    this.#title.focus();
  }

  #tile(app: AppSummary): HTMLLIElement {
    const button = el(
      'button',
      { type: 'button', class: 'app-tile' },
      el('span', { class: 'app-name' }, app.name),
      app.description && el('span', { class: 'app-description' }, app.description),
    );
    button.addEventListener('click', () => this.options.onOpen(app));
    return el('li', {}, button);
  }

  #emptyState(): HTMLElement {
    const list = el(
      'ul',
      { class: 'suggestions', 'aria-label': 'Ideas to ask for' },
      ...SUGGESTIONS.map((text) => {
        const button = el('button', { type: 'button', class: 'suggestion' }, text);
        button.addEventListener('click', () => this.options.onSuggest(text));
        return el('li', {}, button);
      }),
    );
    return el(
      'div',
      { class: 'empty' },
      el(
        'p',
        { class: 'empty-lead' },
        'No apps yet. Say what you need in the box above, and Figment makes it.',
      ),
      el('p', {}, 'For example:'),
      list,
    );
  }
}
