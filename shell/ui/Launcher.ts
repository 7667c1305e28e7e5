import type { AppIconName, AppSummary, SearchHit } from '../../services/protocol/index.js';
import { appIcon } from './appIcon.js';
import type { DaemonClient } from './DaemonClient.js';
import { describeError } from './describeError.js';
import { el } from './el.js';
import type { Language } from './Language.js';
import { searchReason } from './searchReason.js';
import type { MessageKey } from './shellMessages.js';

/** Things to ask for, shown when there are no apps yet. */
const SUGGESTIONS: MessageKey[] = ['idea.counter', 'idea.timer', 'idea.shopping', 'idea.water'];

/** How long typing must pause before the launcher searches. */
const SEARCH_DELAY_MS = 200;

export interface LauncherOptions {
  client: DaemonClient;
  /** The shell's words; the launcher redraws itself when the person changes language. */
  language: Language;
  onOpen(app: AppSummary): void;
  /** A fresh list came with the frame address of each app's current version. */
  onListed?(frames: Record<string, string>): void;
  /** A suggestion was chosen: put its words in the intent bar. */
  onSuggest(text: string): void;
  /** Asks the person for an icon; resolves with the choice (null: made from the name) or undefined. */
  chooseIcon(app: AppSummary): Promise<AppIconName | null | undefined>;
  /** Whether an app is open (running in the background) now. Defaults to none. */
  isRunning?(appId: string): boolean;
  /** The person pinned an app or changed its icon. */
  onChanged?(app: AppSummary): void;
}

/**
 * The person's stored apps: pinned ones first, in the order they were
 * pinned, then the rest, most recently opened first; a search over all of
 * them that says why each was found; and, with no apps yet, ideas to ask for.
 */
export class Launcher {
  readonly #title: HTMLHeadingElement;
  readonly #search = el('input', {
    id: 'launcher-search',
    type: 'search',
    autocomplete: 'off',
    maxlength: 200,
    'aria-describedby': 'launcher-search-status',
  });
  readonly #searchStatus = el('p', {
    id: 'launcher-search-status',
    class: 'visually-hidden',
    role: 'status',
  });
  readonly #searchBox: HTMLDivElement;
  readonly #body = el('div', { class: 'launcher-body' });
  readonly element: HTMLElement;
  #apps: AppSummary[] = [];
  /** The body shows figmentd's list (not a problem, nor nothing yet). */
  #listed = false;
  /** Apps were opened since the tiles were drawn: their order is out of date. */
  #reordered = false;
  /**
   * Apps opened since the newest list was asked for, with when (and the refresh then current):
   * a list figmentd gave before an open still shows the app where it was, so the open is laid over it.
   */
  readonly #openedLately = new Map<string, { at: number; load: number }>();
  #loads = 0;
  #searches = 0;
  #searchTimer: number | undefined;

  constructor(private readonly options: LauncherOptions) {
    const { language } = options;
    this.#title = el('h2', { id: 'launcher-title', tabindex: -1 }, language.text('launcher.title'));
    this.#searchBox = el(
      'div',
      { class: 'launcher-search', role: 'search', hidden: true },
      el('label', { for: 'launcher-search' }, language.text('launcher.find')),
      this.#search,
      this.#searchStatus,
    );
    this.element = el(
      'section',
      { id: 'launcher', class: 'launcher', 'aria-labelledby': 'launcher-title' },
      el('div', { class: 'launcher-head' }, this.#title, this.#searchBox),
      this.#body,
    );
    // Tiles, groups and hits are drawn with the words of the moment: draw them again.
    language.onChange(() => {
      if (this.#query()) void this.#runSearch();
      else if (this.#listed) this.render(this.#apps);
    });
    this.#search.addEventListener('input', () => {
      window.clearTimeout(this.#searchTimer);
      this.#searchTimer = window.setTimeout(() => void this.#runSearch(), SEARCH_DELAY_MS);
    });
    this.#search.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || this.#search.value === '') return;
      event.preventDefault();
      this.#search.value = '';
      void this.#runSearch();
    });
  }

  /**
   * Asks figmentd for the list again and returns it; a failure shows words
   * and a way to retry, and returns undefined (so does a refresh overtaken by a newer one).
   */
  async refresh(): Promise<AppSummary[] | undefined> {
    const load = ++this.#loads;
    // The order figmentd is about to give, drawn at once, so no tile moves when its list arrives.
    if (this.#reordered && !this.#query()) this.render(this.#apps);
    // Screen readers (and tests) learn the list is about to change: its tiles may move.
    this.#body.setAttribute('aria-busy', 'true');
    try {
      const { apps, frames } = await this.options.client.request('apps.list', {});
      if (load !== this.#loads) return undefined;
      this.options.onListed?.(frames);
      // figmentd marks an open before it answers a later request: a list asked for after it knows.
      for (const [appId, opened] of this.#openedLately)
        if (load > opened.load) this.#openedLately.delete(appId);
      const listed = this.#withLateOpens(apps);
      this.#apps = listed;
      if (this.#query()) await this.#runSearch();
      else this.render(listed);
      return listed;
    } catch (error) {
      if (load !== this.#loads) return undefined;
      const words = describeError(error, this.#words);
      this.#listed = false;
      const retry = el('button', { type: 'button' }, this.#words.t('action.retry'));
      retry.addEventListener('click', () => void this.refresh());
      this.#body.replaceChildren(
        el(
          'div',
          { class: 'problem', role: 'alert' },
          el('p', {}, this.#words.t('launcher.listFailed'), words.detail),
          retry,
        ),
      );
      return undefined;
    } finally {
      if (load === this.#loads) this.#body.removeAttribute('aria-busy');
    }
  }

  /**
   * figmentd was asked to open an app: it now lists it first among the recent apps. The launcher is
   * hidden meanwhile; it takes that order as it shows again (see {@link refresh}), so a tile
   * never moves under a finger when the list comes back.
   */
  noteOpened(appId: string): void {
    this.#openedLately.set(appId, { at: Date.now(), load: this.#loads });
    this.#apps = this.#withLateOpens(this.#apps);
    this.#reordered = true;
  }

  #withLateOpens(apps: AppSummary[]): AppSummary[] {
    return apps.map((app) => {
      const opened = this.#openedLately.get(app.id);
      return opened && opened.at > (app.lastOpenedAt ?? 0) ? { ...app, lastOpenedAt: opened.at } : app;
    });
  }

  render(apps: AppSummary[]): void {
    this.#apps = apps;
    this.#reordered = false;
    this.#listed = true;
    this.#searchBox.hidden = apps.length === 0;
    if (apps.length === 0) {
      this.#body.replaceChildren(this.#emptyState());
      return;
    }
    const pinned = apps
      .filter((app) => app.pinnedAt !== null)
      .sort((a, b) => (a.pinnedAt ?? 0) - (b.pinnedAt ?? 0));
    const opened = (app: AppSummary) => app.lastOpenedAt ?? app.createdAt;
    const recent = apps.filter((app) => app.pinnedAt === null).sort((a, b) => opened(b) - opened(a));
    this.#body.replaceChildren(
      pinned.length > 0 ? this.#group('pinned', this.#words.t('launcher.pinned'), pinned) : '',
      recent.length > 0 ? this.#group('recent', this.#words.t('launcher.recent'), recent) : '',
    );
  }

  focus(): void {
    this.#title.focus();
  }

  get #words(): Language {
    return this.options.language;
  }

  #query(): string {
    return this.#search.value.trim();
  }

  /** Searches figmentd (words and meaning) and shows the hits with their reasons; an empty query shows the lists. */
  async #runSearch(): Promise<void> {
    window.clearTimeout(this.#searchTimer);
    const search = ++this.#searches;
    const query = this.#query();
    if (!query) {
      this.#searchStatus.textContent = '';
      this.render(this.#apps);
      return;
    }
    try {
      const { hits } = await this.options.client.request('apps.search', { query, limit: 12 });
      if (search !== this.#searches) return;
      this.#showHits(query, hits);
    } catch (error) {
      if (search !== this.#searches) return;
      this.#searchStatus.textContent = '';
      this.#body.replaceChildren(
        el(
          'div',
          { class: 'problem', role: 'alert' },
          el('p', {}, this.#words.t('launcher.searchFailed'), describeError(error, this.#words).detail),
        ),
      );
    }
  }

  #showHits(query: string, hits: SearchHit[]): void {
    const words = this.#words;
    this.#searchStatus.textContent =
      hits.length === 0
        ? words.t('launcher.noMatch')
        : hits.length === 1
          ? words.t('launcher.oneMatch')
          : words.t('launcher.matches', { count: hits.length });
    if (hits.length === 0) {
      const ask = el('button', { type: 'button', class: 'secondary' }, words.t('launcher.ask', { query }));
      ask.addEventListener('click', () => this.options.onSuggest(query));
      this.#body.replaceChildren(
        el('div', { class: 'launcher-none' }, el('p', {}, words.t('launcher.noneMatches', { query })), ask),
      );
      return;
    }
    this.#body.replaceChildren(
      el(
        'section',
        { class: 'app-group', 'aria-labelledby': 'launcher-found' },
        el('h3', { id: 'launcher-found' }, words.t('launcher.found', { query })),
        el(
          'ul',
          { class: 'app-list' },
          ...hits.map((hit) =>
            this.#tile(
              hit.app,
              'found',
              words.t('launcher.foundBecause', { reason: searchReason(hit, words.current) }),
            ),
          ),
        ),
      ),
    );
  }

  #group(key: string, title: string, apps: AppSummary[]): HTMLElement {
    const titleId = `launcher-${key}`;
    return el(
      'section',
      { class: 'app-group', 'aria-labelledby': titleId },
      el('h3', { id: titleId }, title),
      el('ul', { class: 'app-list' }, ...apps.map((app) => this.#tile(app, key))),
    );
  }

  #tile(app: AppSummary, group: string, reason?: string): HTMLLIElement {
    const key = `${group}-${app.id}`;
    const nameId = `name-${key}`;
    const running = this.options.isRunning?.(app.id) === true;
    const open = el(
      'button',
      {
        type: 'button',
        class: 'app-tile',
        'aria-describedby':
          [reason && `reason-${key}`, running && `running-${key}`].filter(Boolean).join(' ') || undefined,
      },
      appIcon(app),
      el(
        'span',
        { class: 'app-tile-text' },
        el('span', { class: 'app-name', id: nameId }, app.name),
        app.description && el('span', { class: 'app-description' }, app.description),
        // Said after the name (described by), so the button's name stays the app's name.
        running &&
          el(
            'span',
            { class: 'app-running', id: `running-${key}`, 'aria-hidden': 'true' },
            this.#words.t('launcher.openNow'),
          ),
      ),
    );
    open.addEventListener('click', () => this.options.onOpen(app));

    // "Pin" and "Icon" read with the app's name after them, so each says which app it is for.
    const pin = el(
      'button',
      { type: 'button', class: 'secondary small', 'aria-describedby': nameId },
      this.#words.t(app.pinnedAt === null ? 'launcher.pin' : 'launcher.unpin'),
    );
    pin.addEventListener('click', () => void this.#pin(app, app.pinnedAt === null));
    const icon = el(
      'button',
      { type: 'button', class: 'secondary small', 'aria-describedby': nameId },
      this.#words.t('launcher.icon'),
    );
    icon.addEventListener('click', () => void this.#chooseIcon(app));

    return el(
      'li',
      { class: 'app-item', 'data-app-id': app.id },
      open,
      reason && el('p', { class: 'app-reason', id: `reason-${key}` }, reason),
      el('div', { class: 'app-item-actions' }, pin, icon),
    );
  }

  async #pin(app: AppSummary, pinned: boolean): Promise<void> {
    await this.#change(app, 'Pin', () => this.options.client.request('apps.pin', { appId: app.id, pinned }));
  }

  async #chooseIcon(app: AppSummary): Promise<void> {
    const choice = await this.options.chooseIcon(app);
    if (choice === undefined) {
      this.#focusItem(app.id, 'Icon');
      return;
    }
    await this.#change(app, 'Icon', () =>
      this.options.client.request('apps.setIcon', { appId: app.id, icon: choice }),
    );
  }

  /** Saves a change to an app's place or look, then redraws and puts focus back on the app's item. */
  async #change(
    app: AppSummary,
    focusAfter: 'Pin' | 'Icon',
    save: () => Promise<{ app: AppSummary }>,
  ): Promise<void> {
    try {
      const { app: changed } = await save();
      this.#apps = this.#apps.map((known) => (known.id === changed.id ? changed : known));
      this.options.onChanged?.(changed);
      if (this.#query()) await this.#runSearch();
      else this.render(this.#apps);
      this.#focusItem(app.id, focusAfter);
    } catch (error) {
      const words = describeError(error, this.#words);
      this.#searchStatus.textContent = '';
      this.#body.prepend(
        el(
          'div',
          { class: 'problem', role: 'alert' },
          el('p', {}, this.#words.t('launcher.changeFailed', { name: app.name, title: words.title })),
          words.detail && el('p', {}, words.detail),
        ),
      );
    }
  }

  /** Focuses the first item of `appId`'s action named `label` (after a redraw the old button is gone). */
  #focusItem(appId: string, label: 'Pin' | 'Icon'): void {
    const item = this.#body.querySelector(`li[data-app-id="${CSS.escape(appId)}"]`);
    const buttons = item ? [...item.querySelectorAll<HTMLButtonElement>('.app-item-actions button')] : [];
    (label === 'Icon' ? buttons[1] : buttons[0])?.focus();
  }

  #emptyState(): HTMLElement {
    const list = el(
      'ul',
      { class: 'suggestions', 'aria-label': this.#words.t('launcher.ideas') },
      ...SUGGESTIONS.map((key) => {
        const text = this.#words.t(key);
        const button = el('button', { type: 'button', class: 'suggestion' }, text);
        button.addEventListener('click', () => this.options.onSuggest(text));
        return el('li', {}, button);
      }),
    );
    return el(
      'div',
      { class: 'empty' },
      el('p', { class: 'empty-lead' }, this.#words.t('launcher.empty')),
      el('p', {}, this.#words.t('launcher.example')),
      list,
    );
  }
}
