import type { DaemonClient } from './DaemonClient.js';
import { describeError } from './describeError.js';
import { el } from './el.js';

/** The System page: what `figment doctor` says about this machine and its model. */
export class SystemStatus {
  readonly #rows = el('dl', { class: 'doctor-rows' });
  readonly #close = el('button', { type: 'button', class: 'secondary' }, 'Done');
  readonly element = el(
    'section',
    { class: 'settings', 'aria-labelledby': 'system-title', hidden: true },
    el('header', { class: 'app-bar' }, el('h2', { id: 'system-title', tabindex: -1 }, 'System'), this.#close),
    el('div', { 'aria-live': 'polite' }, this.#rows),
  );

  constructor(
    private readonly client: DaemonClient,
    private readonly onClose: () => void,
  ) {
    this.#close.addEventListener('click', () => this.hide());
  }

  async open(): Promise<void> {
    this.element.hidden = false;
    this.element.querySelector<HTMLElement>('#system-title')?.focus();
    this.#rows.replaceChildren(el('p', {}, 'Checking this machine…'));
    try {
      const { rows } = await this.client.request('system.doctor', {});
      this.#rows.replaceChildren(
        ...rows.flatMap((row) => [el('dt', {}, row.label), el('dd', {}, row.value)]),
      );
    } catch (error) {
      const words = describeError(error);
      this.#rows.replaceChildren(
        el('p', { role: 'alert' }, 'This machine could not be checked. ', words.detail),
      );
    }
  }

  hide(): void {
    this.element.hidden = true;
    this.onClose();
  }
}
