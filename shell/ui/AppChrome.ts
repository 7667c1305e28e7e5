import type { AppSummary, Capability, SensorGrant } from '../../services/protocol/index.js';
import { appIcon } from './appIcon.js';
import { el } from './el.js';
import type { Words } from './Language.js';

type Sensor = Exclude<Capability, 'storage'>;

const BUTTON_WORDS = {
  change: 'app.change',
  fix: 'app.fix',
  versions: 'app.versions',
  close: 'app.close',
} as const;

/** What the person can do from an app's chrome. */
export interface AppChromeActions {
  close(): void;
  fix(): void;
  change(): void;
  versions(): void;
}

/**
 * The trusted bar above one open app: its name and icon, what it may use
 * (from its manifest and the person's grants), a live sign while it uses a
 * sensor, and the person's controls. It is the shell's own DOM outside the
 * app's frame, so the app can neither draw over it nor change it.
 */
export class AppChrome {
  readonly #icon = el('span', { class: 'app-bar-icon' });
  readonly title: HTMLHeadingElement;
  readonly #uses = el('ul', { class: 'app-uses' });
  readonly #inUse = el('p', { class: 'app-in-use', role: 'status' });
  readonly #buttons: Record<keyof AppChromeActions, HTMLButtonElement> = {
    change: el('button', { type: 'button', class: 'secondary small' }),
    fix: el('button', { type: 'button', class: 'secondary small' }),
    versions: el('button', { type: 'button', class: 'secondary small' }),
    close: el('button', { type: 'button', class: 'secondary small' }),
  };
  readonly element: HTMLElement;
  readonly #active = new Map<Sensor, number>();
  #app: AppSummary;
  #grants: SensorGrant[] = [];

  constructor(
    app: AppSummary,
    actions: AppChromeActions,
    private readonly words: Words,
  ) {
    this.#app = app;
    this.title = el('h2', { id: `app-title-${app.id}`, class: 'app-title', tabindex: -1 });
    this.element = el(
      'header',
      { class: 'app-bar' },
      el('div', { class: 'app-identity' }, this.#icon, this.title),
      this.#uses,
      this.#inUse,
      el(
        'div',
        { class: 'app-actions' },
        this.#buttons.change,
        this.#buttons.fix,
        this.#buttons.versions,
        this.#buttons.close,
      ),
    );
    for (const [name, button] of Object.entries(this.#buttons)) {
      button.addEventListener('click', () => actions[name as keyof AppChromeActions]());
    }
    this.#label();
    this.#draw();
  }

  /** Says everything again in the words of the moment (the person changed language). */
  relabel(): void {
    this.#label();
    this.#drawInUse();
  }

  #label(): void {
    this.#uses.setAttribute('aria-label', this.words.t('app.uses'));
    for (const [name, key] of Object.entries(BUTTON_WORDS)) {
      this.#buttons[name as keyof AppChromeActions].textContent = this.words.t(key);
    }
  }

  get app(): AppSummary {
    return this.#app;
  }

  /** Shows the app as figmentd now describes it (a new version may have a new name or capabilities). */
  show(app: AppSummary): void {
    const before = this.#app;
    this.#app = app;
    this.#draw(before);
  }

  /**
   * Draws what differs from `before` (everything when there was nothing): a redraw costs a
   * layout and a repaint while the app's frame is painting its first frame.
   */
  #draw(before?: AppSummary): void {
    const app = this.#app;
    if (app.name !== before?.name) this.title.textContent = app.name;
    if (app.name !== before?.name || app.icon !== before?.icon)
      this.#icon.replaceChildren(appIcon(app, 'small'));
    if (app.capabilities.join() !== before?.capabilities.join()) this.#drawUses();
  }

  /** The broker's grants for this app, so each sensor says whether it is allowed or asks first. */
  showGrants(grants: readonly SensorGrant[]): void {
    this.#grants = grants.filter((grant) => grant.appId === this.#app.id);
    this.#drawUses();
  }

  /** Marks a sensor as in use while `work` runs, so the person sees it. */
  async using<T>(sensor: Sensor, work: () => Promise<T>): Promise<T> {
    this.#active.set(sensor, (this.#active.get(sensor) ?? 0) + 1);
    this.#drawInUse();
    try {
      return await work();
    } finally {
      const left = (this.#active.get(sensor) ?? 1) - 1;
      if (left > 0) this.#active.set(sensor, left);
      else this.#active.delete(sensor);
      this.#drawInUse();
    }
  }

  #drawUses(): void {
    const items = this.#app.capabilities.map((capability) => {
      if (capability === 'storage') return el('li', { class: 'app-use' }, this.words.t('app.keepsData'));
      const grant = this.#grants.find((candidate) => candidate.capability === capability);
      const state = grant
        ? grant.scope === 'always'
          ? 'app.allowed'
          : 'app.allowedForNow'
        : 'app.asksFirst';
      return el(
        'li',
        { class: 'app-use', 'data-sensor': capability, 'data-active': this.#active.has(capability) },
        this.words.t('app.sensorState', {
          sensor: this.words.t(`sensorName.${capability}`),
          state: this.words.t(state),
        }),
      );
    });
    this.#uses.replaceChildren(...items);
    this.#uses.hidden = items.length === 0;
  }

  #drawInUse(): void {
    const words = [...this.#active.keys()].map((sensor) => this.words.t(`inUse.${sensor}`));
    this.#inUse.textContent = words.join(', ');
    this.#inUse.toggleAttribute('data-active', words.length > 0);
    this.#drawUses();
  }
}
