import { el } from './el.js';

export interface Tab {
  id: string;
  /** The tab's name (a text node that may follow the language). */
  label: Node;
  panel: HTMLElement;
}

/**
 * A WAI-ARIA tab list: one tab in the Tab order (roving tabindex), arrow
 * keys, Home and End move between tabs and show each one's panel at once.
 */
export class TabList {
  readonly element: HTMLElement;
  readonly #tabs: HTMLButtonElement[];
  readonly #panels: HTMLElement[];
  #selected = 0;

  constructor(
    tabs: Tab[],
    private readonly onSelect: (id: string) => void,
  ) {
    this.#panels = tabs.map((tab) => tab.panel);
    this.#tabs = tabs.map((tab, index) => {
      const button = el(
        'button',
        {
          type: 'button',
          role: 'tab',
          id: `tab-${tab.id}`,
          class: 'settings-tab',
          'aria-controls': `panel-${tab.id}`,
          'data-section': tab.id,
        },
        tab.label,
      );
      tab.panel.id = `panel-${tab.id}`;
      tab.panel.setAttribute('role', 'tabpanel');
      tab.panel.setAttribute('aria-labelledby', button.id);
      button.addEventListener('click', () => this.select(index));
      button.addEventListener('keydown', (event) => this.#onKey(event, index));
      return button;
    });
    this.element = el('div', { role: 'tablist', class: 'settings-tabs' }, ...this.#tabs);
    this.select(0, false);
  }

  get selectedId(): string {
    return this.#tabs[this.#selected]?.dataset.section ?? '';
  }

  /** Shows tab `index` (or the tab with that id) and its panel; moves focus to the tab when asked. */
  select(which: number | string, focus = true): void {
    const index =
      typeof which === 'number' ? which : this.#tabs.findIndex((t) => t.dataset.section === which);
    if (index < 0 || index >= this.#tabs.length) return;
    this.#selected = index;
    this.#tabs.forEach((tab, i) => {
      tab.setAttribute('aria-selected', String(i === index));
      tab.tabIndex = i === index ? 0 : -1;
    });
    this.#panels.forEach((panel, i) => {
      panel.hidden = i !== index;
    });
    if (focus) this.#tabs[index]?.focus();
    this.onSelect(this.selectedId);
  }

  #onKey(event: KeyboardEvent, index: number): void {
    const last = this.#tabs.length - 1;
    const next: Record<string, number> = {
      ArrowRight: index === last ? 0 : index + 1,
      ArrowDown: index === last ? 0 : index + 1,
      ArrowLeft: index === 0 ? last : index - 1,
      ArrowUp: index === 0 ? last : index - 1,
      Home: 0,
      End: last,
    };
    const target = next[event.key];
    if (target === undefined) return;
    event.preventDefault();
    this.select(target);
  }
}
