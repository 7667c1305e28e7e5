import type { AppSummary } from '../../services/protocol/index.js';
import { appIcon } from './appIcon.js';
import { el } from './el.js';
import type { Language } from './Language.js';

export interface AppSwitcherOptions {
  language: Language;
  /** Show an open app (by id), or the launcher (null); `moveFocus` false keeps focus on the tabs. */
  onSelect(appId: string | null, moveFocus: boolean): void;
  /** The element the "Your apps" tab shows. */
  launcherId: string;
  /** The id of the panel that shows an open app. */
  panelId(appId: string): string;
}

/**
 * The open apps as a tab list: "Your apps" first, then each open app.
 * Arrow keys, Home and End move between tabs and show the one reached;
 * Alt+1…9 show the nth open app and Alt+0 the launcher from anywhere in the shell.
 */
export class AppSwitcher {
  readonly #list = el('div', { role: 'tablist', class: 'switcher-tabs' });
  readonly element: HTMLElement;
  #apps: AppSummary[] = [];
  #active: string | null = null;
  /** What the tabs show now, so showing the same again changes nothing. */
  #drawn = '';

  constructor(private readonly options: AppSwitcherOptions) {
    const { language } = options;
    this.element = el(
      'nav',
      { class: 'switcher', hidden: true },
      this.#list,
      el('p', { class: 'switcher-hint', id: 'switcher-hint' }, language.text('switcher.hint')),
    );
    language.bind(this.#list, 'aria-label', 'switcher.tabs');
    language.bind(this.element, 'aria-label', 'switcher.nav');
    // The "Your apps" tab has words of its own: draw the tabs again.
    language.onChange(() => {
      this.#drawn = '';
      this.show(this.#apps, this.#active);
    });
    this.#list.addEventListener('keydown', (event) => this.#onKey(event));
  }

  /** Listens for the shortcuts on the shell's page (an app frame's own keys stay its own). */
  listen(): void {
    window.addEventListener('keydown', this.#onShortcut);
  }

  stop(): void {
    window.removeEventListener('keydown', this.#onShortcut);
  }

  /** Redraws the tabs for these open apps, with `active` (null: the launcher) selected; the same tabs are left alone. */
  show(apps: readonly AppSummary[], active: string | null): void {
    this.#apps = [...apps];
    this.#active = active;
    const drawn = JSON.stringify([active, apps.map((app) => [app.id, app.name, app.icon])]);
    if (drawn === this.#drawn) return;
    this.#drawn = drawn;
    const focusedIndex = this.#tabs().indexOf(document.activeElement as HTMLElement);
    this.element.hidden = apps.length === 0;
    this.#list.replaceChildren(
      this.#tab(null, this.options.language.t('launcher.title'), active === null),
      ...apps.map((app) => this.#tab(app, app.name, app.id === active)),
    );
    // Redrawing must not lose the keyboard's place in the list.
    if (focusedIndex >= 0) this.#tabs()[Math.min(focusedIndex, this.#tabs().length - 1)]?.focus();
  }

  #tab(app: AppSummary | null, name: string, selected: boolean): HTMLButtonElement {
    const tab = el(
      'button',
      {
        type: 'button',
        role: 'tab',
        class: 'switcher-tab',
        id: app ? `tab-${app.id}` : 'tab-launcher',
        'aria-selected': String(selected),
        'aria-controls': app ? this.options.panelId(app.id) : this.options.launcherId,
        'aria-describedby': 'switcher-hint',
        // One tab stop for the list; arrows move within it.
        tabindex: selected ? 0 : -1,
      },
      app ? appIcon(app, 'small') : '',
      el('span', {}, name),
    );
    tab.addEventListener('click', () => this.#select(app?.id ?? null, false));
    return tab;
  }

  #tabs(): HTMLElement[] {
    return [...this.#list.querySelectorAll<HTMLElement>('[role="tab"]')];
  }

  #select(appId: string | null, moveFocus: boolean): void {
    if (appId === this.#active) return;
    this.options.onSelect(appId, moveFocus);
  }

  #onKey(event: KeyboardEvent): void {
    const tabs = this.#tabs();
    const index = tabs.indexOf(event.target as HTMLElement);
    if (index < 0) return;
    const next =
      event.key === 'ArrowRight' || event.key === 'ArrowDown'
        ? (index + 1) % tabs.length
        : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
          ? (index - 1 + tabs.length) % tabs.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? tabs.length - 1
              : -1;
    if (next < 0) return;
    event.preventDefault();
    // Automatic activation: open apps stay running, so showing one is instant.
    this.#select(next === 0 ? null : (this.#apps[next - 1]?.id ?? null), false);
    this.#tabs()[next]?.focus();
  }

  /** Shows the nth open app (0: the launcher), as Alt+n does; false when there is none to show. */
  switchTo(n: number): boolean {
    if (this.#apps.length === 0 || n > this.#apps.length) return false;
    this.#select(n === 0 ? null : (this.#apps[n - 1]?.id ?? null), true);
    return true;
  }

  readonly #onShortcut = (event: KeyboardEvent): void => {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (!/^Digit[0-9]$/.test(event.code)) return;
    if (this.switchTo(Number(event.code.slice(5)))) event.preventDefault();
  };
}
