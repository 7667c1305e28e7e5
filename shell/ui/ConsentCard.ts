import type { ConsentRequest } from '../../services/protocol/index.js';
import type { DaemonClient } from './DaemonClient.js';
import { el } from './el.js';
import { sensorWords } from './sensorWords.js';

type Decision = 'deny' | 'once' | 'while-open' | 'always';

const choices: [Decision, string][] = [
  ['deny', 'Don’t allow'],
  ['once', 'Allow this time'],
  ['while-open', 'Allow while open'],
  ['always', 'Always allow'],
];

/**
 * The consent prompt: one card per question figmentd's broker asks, over
 * everything else, until the person answers or the broker gives up. The
 * app's reason is shown as the app's words, never as Figment's.
 */
export class ConsentCard {
  readonly element = el('div', { class: 'consent-layer', hidden: true });
  readonly #cards = new Map<string, HTMLElement>();

  constructor(private readonly client: DaemonClient) {}

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
    const buttons = choices.map(([decision, label]) => {
      const button = el(
        'button',
        { type: 'button', class: decision === 'deny' ? 'secondary' : undefined, 'data-decision': decision },
        label,
      );
      button.addEventListener('click', () => this.#decide(request.id, decision));
      return button;
    });
    const card = el(
      'section',
      { class: 'consent-card', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': titleId },
      el('h2', { id: titleId }, `“${request.appName}” wants to use ${sensorWords(request.capability)}`),
      request.reason && el('p', { class: 'consent-reason' }, `The app says: “${request.reason}”`),
      el('p', { class: 'consent-note' }, 'You can take this back at any time in Privacy.'),
      el('div', { class: 'consent-actions' }, ...buttons),
    );
    this.#cards.set(request.id, card);
    this.element.append(card);
    this.element.hidden = false;
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
    this.element.hidden = this.#cards.size === 0;
  }
}
