import type { ConsentRequest } from '../../services/protocol/index.js';
import type { DaemonClient } from './DaemonClient.js';
import { el } from './el.js';
import type { Language } from './Language.js';
import type { MessageKey } from './shellMessages.js';

type Decision = 'deny' | 'once' | 'while-open' | 'always';

const choices: [Decision, MessageKey][] = [
  ['deny', 'consent.deny'],
  ['once', 'consent.once'],
  ['while-open', 'consent.whileOpen'],
  ['always', 'consent.always'],
];

/**
 * The consent prompt: one card per question figmentd's broker asks, over
 * everything else, until the person answers or the broker gives up. The
 * app's reason is shown as the app's words, never as Figment's.
 *
 * The cards sit in a modal <dialog>: opened last, it goes above any dialog
 * already open (choosing an icon, the versions), which waits inert beneath.
 */
export class ConsentCard {
  readonly element = el('dialog', { class: 'consent-layer', role: 'alertdialog' });
  readonly #cards = new Map<string, HTMLElement>();

  constructor(
    private readonly client: DaemonClient,
    private readonly language: Language,
  ) {
    // Escape does not dismiss a question: the person answers it (the first button says no).
    this.element.addEventListener('cancel', (event) => event.preventDefault());
  }

  /** Starts listening; asks figmentd for the cards already waiting. Call on every (re)connect. */
  async watch(): Promise<void> {
    const { pending } = await this.client.request('broker.watch', {});
    for (const request of pending) this.show(request);
  }

  listen(): void {
    this.client.on('broker.consent', (request) => this.show(request));
    this.client.on('broker.settled', ({ requestId }) => this.#remove(requestId));
  }

  show(request: ConsentRequest): void {
    if (this.#cards.has(request.id)) return;
    const titleId = `consent-${request.id}`;
    const t = this.language.t.bind(this.language);
    const buttons = choices.map(([decision, label]) => {
      const button = el(
        'button',
        { type: 'button', class: decision === 'deny' ? 'secondary' : undefined, 'data-decision': decision },
        t(label),
      );
      button.addEventListener('click', () => this.#decide(request.id, decision));
      return button;
    });
    const card = el(
      'section',
      { class: 'consent-card', 'aria-labelledby': titleId },
      el(
        'h2',
        { id: titleId },
        t('consent.title', { name: request.appName, sensor: t(`sensor.${request.capability}`) }),
      ),
      request.reason && el('p', { class: 'consent-reason' }, t('consent.reason', { reason: request.reason })),
      el('p', { class: 'consent-note' }, t('consent.note')),
      el('div', { class: 'consent-actions' }, ...buttons),
    );
    this.#cards.set(request.id, card);
    this.element.append(card);
    this.#layerChanged();
    buttons[0]?.focus();
  }

  #decide(requestId: string, decision: Decision): void {
    this.#remove(requestId);
    this.client.request('broker.decide', { requestId, decision }).catch((error: unknown) => {
      console.error('figment: the answer could not be sent', error);
    });
  }

  #remove(requestId: string): void {
    this.#cards.get(requestId)?.remove();
    this.#cards.delete(requestId);
    this.#layerChanged();
  }

  /** Opens the layer while a card waits (named by the first one), closes it when none does. */
  #layerChanged(): void {
    const first = this.#cards.values().next().value;
    if (!first) {
      if (this.element.open) this.element.close();
      return;
    }
    this.element.setAttribute('aria-labelledby', first.getAttribute('aria-labelledby') ?? '');
    // showModal needs the layer in the document; main.ts puts it there before connecting.
    if (!this.element.open && this.element.isConnected) this.element.showModal();
  }
}
