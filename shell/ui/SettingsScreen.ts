import type { AdminStatus } from '../../services/protocol/index.js';
import { AdminPrompt } from './AdminPrompt.js';
import type { DaemonClient } from './DaemonClient.js';
import { DisplaySettings } from './DisplaySettings.js';
import { describeError } from './describeError.js';
import { el } from './el.js';
import type { Language } from './Language.js';
import { LanguageSettings } from './LanguageSettings.js';
import { PrivacySettings } from './PrivacySettings.js';
import { SensorSettings } from './SensorSettings.js';
import { SystemStatus } from './SystemStatus.js';
import type { MessageKey } from './shellMessages.js';
import { TabList } from './TabList.js';
import type { ThemeSettings } from './ThemeSettings.js';

/** One section of Settings: its content, and whether a kiosk asks for the admin PIN before showing it. */
interface Section {
  id: string;
  label: MessageKey;
  content: { element: HTMLElement; show(): void | Promise<void> };
  /** Display and Language stay open on a kiosk: whoever stands there must be able to make text bigger. */
  admin: boolean;
}

export interface SettingsScreenOptions {
  client: DaemonClient;
  theme: ThemeSettings;
  language: Language;
  /** Settings closed (Done or Escape): show what was there before. */
  onClose(): void;
  /** Something may have been forgotten: the launcher redraws. */
  onChanged(): void;
}

/**
 * The one Settings screen, in sections behind a tab list: System, Display,
 * Language, Privacy, Permissions. On a kiosk the admin sections show the PIN
 * prompt until figmentd has unlocked this connection; closing locks it again.
 */
export class SettingsScreen {
  readonly element: HTMLElement;
  readonly #tabs: TabList;
  readonly #sections: Section[];
  readonly #panels = new Map<string, HTMLElement>();
  readonly #prompt: AdminPrompt;
  readonly #problem = el('p', { class: 'problem', role: 'alert', hidden: true });
  #status: AdminStatus = { kiosk: false, pinSet: true, unlocked: true, retryInMs: 0 };
  /** False while the constructor runs (the tab list selects its first tab before the screen exists). */
  #ready = false;

  constructor(private readonly options: SettingsScreenOptions) {
    const { client, theme, language } = options;
    this.#sections = [
      { id: 'system', label: 'section.system', content: new SystemStatus(client, language), admin: true },
      {
        id: 'display',
        label: 'section.display',
        content: new DisplaySettings(theme, language),
        admin: false,
      },
      { id: 'language', label: 'section.language', content: new LanguageSettings(language), admin: false },
      {
        id: 'privacy',
        label: 'section.privacy',
        content: new PrivacySettings(client, language, () => options.onChanged()),
        admin: true,
      },
      {
        id: 'permissions',
        label: 'section.permissions',
        content: new SensorSettings(client, language),
        admin: true,
      },
    ];
    this.#prompt = new AdminPrompt(client, language, (status) => {
      this.#status = status;
      void this.#showSection(this.#tabs.selectedId, true);
    });
    this.#tabs = new TabList(
      this.#sections.map((section) => {
        const panel = el('div', { class: 'settings-panel' }, section.content.element);
        this.#panels.set(section.id, panel);
        return { id: section.id, label: language.text(section.label), panel };
      }),
      (id) => void this.#showSection(id),
    );
    language.bind(this.#tabs.element, 'aria-label', 'settings.sections');
    const done = el('button', { type: 'button', class: 'secondary' }, language.text('settings.done'));
    done.addEventListener('click', () => this.hide());
    this.element = el(
      'section',
      { class: 'settings', 'aria-labelledby': 'settings-title', hidden: true },
      el(
        'header',
        { class: 'app-bar' },
        el('h2', { id: 'settings-title', tabindex: -1 }, language.text('settings.title')),
        done,
      ),
      this.#problem,
      this.#tabs.element,
      ...this.#panels.values(),
    );
    this.#ready = true;
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !event.defaultPrevented && !this.element.querySelector('dialog[open]')) {
        this.hide();
      }
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** Opens Settings at a section (the first by default); a kiosk asks for the PIN there. */
  async open(sectionId = 'system'): Promise<void> {
    this.element.hidden = false;
    this.#problem.hidden = true;
    try {
      this.#status = await this.options.client.request('admin.status', {});
    } catch (error) {
      this.#problem.textContent = describeError(error).title;
      this.#problem.hidden = false;
    }
    this.#tabs.select(sectionId, false);
    // On a locked kiosk the PIN is what is asked for first; otherwise the heading, for screen readers.
    if (this.element.querySelector('.admin-prompt')?.isConnected) this.#prompt.focus();
    else this.element.querySelector<HTMLElement>('#settings-title')?.focus();
  }

  hide(): void {
    if (this.element.hidden) return;
    this.element.hidden = true;
    // The PIN opens Settings once: whoever comes next must enter it again.
    if (this.#status.kiosk) this.options.client.request('admin.lock', {}).catch(() => {});
    this.#status = { ...this.#status, unlocked: !this.#status.kiosk };
    this.options.onClose();
  }

  async #showSection(id: string, focusContent = false): Promise<void> {
    const section = this.#sections.find((candidate) => candidate.id === id);
    const panel = this.#panels.get(id);
    if (!section || !panel || !this.#ready || this.element.hidden) return;
    const locked = section.admin && this.#status.kiosk && !this.#status.unlocked;
    if (locked) {
      this.#prompt.show(this.#status);
      panel.replaceChildren(this.#prompt.element);
      if (focusContent) this.#prompt.focus();
      return;
    }
    panel.replaceChildren(section.content.element);
    await section.content.show();
    if (focusContent) section.content.element.querySelector<HTMLElement>('button, select, input')?.focus();
  }
}
