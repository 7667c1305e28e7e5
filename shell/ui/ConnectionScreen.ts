import type { ConnectionState } from './DaemonClient.js';
import { el } from './el.js';
import type { Words } from './Language.js';
import type { MessageKey } from './shellMessages.js';

/**
 * What the person sees whenever the shell is not talking to figmentd:
 * always words and, where it helps, a button; never a blank screen.
 */
export class ConnectionScreen {
  readonly #title = el('h1', { id: 'connection-title', tabindex: -1 });
  readonly #text = el('p');
  readonly #retry: HTMLButtonElement;
  readonly element: HTMLElement;

  constructor(
    onRetry: () => void,
    private readonly words: Words,
  ) {
    this.#retry = el('button', { type: 'button' }, words.t('connection.retry'));
    this.element = el(
      'section',
      { class: 'connection', 'aria-labelledby': 'connection-title', hidden: true },
      el('div', { class: 'connection-box', 'aria-live': 'polite' }, this.#title, this.#text, this.#retry),
    );
    this.#retry.addEventListener('click', onRetry);
  }

  show(state: ConnectionState): void {
    const wasHidden = this.element.hidden;
    this.element.hidden = state.kind === 'connected';
    if (state.kind === 'connected') return;
    const [title, text, canRetry] = keysFor(state);
    this.#title.textContent = this.words.t(title);
    this.#text.textContent = this.words.t(
      text,
      state.kind === 'incompatible' ? { message: state.message } : {},
    );
    this.#retry.hidden = !canRetry;
    this.element.dataset.state = state.kind;
    // The rest of the screen just went inert; put focus where it can be read.
    if (wasHidden) this.#title.focus();
  }
}

/** The title, the text, and whether "Try now" helps. */
function keysFor(state: Exclude<ConnectionState, { kind: 'connected' }>): [MessageKey, MessageKey, boolean] {
  switch (state.kind) {
    case 'connecting':
      return ['connection.connecting', 'connection.moment', false];
    case 'reconnecting':
      return ['connection.reconnecting', 'connection.notAnswering', true];
    case 'unauthorized':
      return state.hasToken
        ? ['connection.refused', 'connection.newKey', true]
        : ['connection.noToken', 'connection.openLink', false];
    case 'incompatible':
      return ['connection.mismatch', 'connection.restart', false];
  }
}
