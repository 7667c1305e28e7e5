import type { AppSummary, Capability, SensorGrant } from '../../services/protocol/index.js';
import { appIcon } from './appIcon.js';
import { el } from './el.js';

type Sensor = Exclude<Capability, 'storage'>;

const SENSOR_NAMES: Record<Sensor, string> = {
  location: 'Location',
  camera: 'Camera',
  microphone: 'Microphone',
};

const IN_USE_WORDS: Record<Sensor, string> = {
  location: 'Finding your location',
  camera: 'Using the camera',
  microphone: 'Listening with the microphone',
};

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
  readonly #uses = el('ul', { class: 'app-uses', 'aria-label': 'What it may use' });
  readonly #inUse = el('p', { class: 'app-in-use', role: 'status' });
  readonly #buttons: Record<keyof AppChromeActions, HTMLButtonElement> = {
    change: el('button', { type: 'button', class: 'secondary small' }, 'Change this'),
    fix: el('button', { type: 'button', class: 'secondary small' }, 'Fix this'),
    versions: el('button', { type: 'button', class: 'secondary small' }, 'Versions'),
    close: el('button', { type: 'button', class: 'secondary small' }, 'Close'),
  };
  readonly element: HTMLElement;
  readonly #active = new Map<Sensor, number>();
  #app: AppSummary;
  #grants: SensorGrant[] = [];

  constructor(app: AppSummary, actions: AppChromeActions) {
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
    this.show(app);
  }

  get app(): AppSummary {
    return this.#app;
  }

  /** Shows the app as figmentd now describes it (a new version may have a new name or capabilities). */
  show(app: AppSummary): void {
    this.#app = app;
    this.title.textContent = app.name;
    this.#icon.replaceChildren(appIcon(app, 'small'));
    this.#drawUses();
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
      if (capability === 'storage') return el('li', { class: 'app-use' }, 'Keeps its data');
      const grant = this.#grants.find((candidate) => candidate.capability === capability);
      const state = grant ? (grant.scope === 'always' ? 'allowed' : 'allowed for now') : 'asks first';
      return el(
        'li',
        { class: 'app-use', 'data-sensor': capability, 'data-active': this.#active.has(capability) },
        `${SENSOR_NAMES[capability]}: ${state}`,
      );
    });
    this.#uses.replaceChildren(...items);
    this.#uses.hidden = items.length === 0;
  }

  #drawInUse(): void {
    const words = [...this.#active.keys()].map((sensor) => IN_USE_WORDS[sensor]);
    this.#inUse.textContent = words.join(', ');
    this.#inUse.toggleAttribute('data-active', words.length > 0);
    this.#drawUses();
  }
}
