import type { ModelStatus } from '../../services/protocol/index.js';
import type { DaemonClient } from './DaemonClient.js';
import { describeError } from './describeError.js';
import { el } from './el.js';
import type { Language } from './Language.js';

/** Settings' System section: the model's state and what `figment doctor` says about this machine. */
export class SystemStatus {
  readonly #model = el('p', { class: 'model-state' });
  readonly #rows = el('dl', { class: 'doctor-rows' });
  readonly element: HTMLElement;
  #probe: Promise<void> | undefined;

  constructor(
    private readonly client: DaemonClient,
    private readonly language: Language,
  ) {
    this.element = el(
      'div',
      { class: 'settings-section' },
      el('h3', {}, language.text('system.model')),
      this.#model,
      el('div', { 'aria-live': 'polite' }, this.#rows),
    );
  }

  /** Shows the model's state and the doctor report; one probe at a time, the last report kept until the next arrives. */
  show(): Promise<void> {
    this.#probe ??= this.#check().finally(() => {
      this.#probe = undefined;
    });
    return this.#probe;
  }

  async #check(): Promise<void> {
    if (this.#rows.querySelector('dt') === null) {
      this.#rows.replaceChildren(el('p', {}, this.language.t('system.checking')));
    }
    try {
      const [{ model }, { rows }] = await Promise.all([
        this.client.request('status', {}),
        this.client.request('system.doctor', {}),
      ]);
      this.#model.textContent = this.#modelWords(model);
      this.#rows.replaceChildren(
        ...rows.flatMap((row) => [el('dt', {}, row.label), el('dd', {}, row.value)]),
      );
    } catch (error) {
      const words = describeError(error);
      this.#rows.replaceChildren(el('p', { role: 'alert' }, this.language.t('system.failed'), words.detail));
    }
  }

  #modelWords(model: ModelStatus): string {
    const name = model.name ?? model.backend;
    const state = {
      ready: this.language.t('system.modelReady', { name }),
      loading: this.language.t('system.modelLoading', { name }),
      missing: this.language.t('system.modelMissing'),
      error: this.language.t('system.modelError'),
    }[model.state];
    return model.message && model.state !== 'ready' ? `${state}. ${model.message}` : state;
  }
}
