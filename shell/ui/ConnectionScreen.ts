import type { ConnectionState } from './DaemonClient.js';
import { el } from './el.js';

/**
 * What the person sees whenever the shell is not talking to figmentd:
 * always words and, where it helps, a button; never a blank screen.
 */
export class ConnectionScreen {
  readonly #title = el('h1', { id: 'connection-title', tabindex: -1 });
  readonly #text = el('p');
  readonly #retry = el('button', { type: 'button' }, 'Try now');
  readonly element = el(
    'section',
    { class: 'connection', 'aria-labelledby': 'connection-title', hidden: true },
    el('div', { class: 'connection-box', 'aria-live': 'polite' }, this.#title, this.#text, this.#retry),
  );

  constructor(onRetry: () => void) {
    this.#retry.addEventListener('click', onRetry);
  }

  show(state: ConnectionState): void {
    const wasHidden = this.element.hidden;
    this.element.hidden = state.kind === 'connected';
    if (state.kind === 'connected') return;
    const [title, text, canRetry] = words(state);
    this.#title.textContent = title;
    this.#text.textContent = text;
    this.#retry.hidden = !canRetry;
    this.element.dataset.state = state.kind;
    // The rest of the screen just went inert; put focus where it can be read.
    if (wasHidden) this.#title.focus();
  }
}

function words(state: Exclude<ConnectionState, { kind: 'connected' }>): [string, string, boolean] {
  switch (state.kind) {
    case 'connecting':
      return ['Connecting to Figment…', 'This takes a moment.', false];
    case 'reconnecting':
      return [
        'Reconnecting to Figment…',
        'Figment’s service is not answering. This screen carries on by itself as soon as it is back; nothing you saved is lost.',
        true,
      ];
    case 'unauthorized':
      return state.hasToken
        ? [
            'Figment did not accept this screen',
            'Figment may have restarted with a new key. Open the link it printed when it started (it ends in #token=…). This screen keeps trying meanwhile.',
            true,
          ]
        : [
            'This screen is not connected to Figment',
            'Open Figment with the link its service printed when it started (it ends in #token=…).',
            false,
          ];
    case 'incompatible':
      return [
        'This screen and Figment do not match',
        `${state.message} Restart Figment so that both come from the same version.`,
        false,
      ];
  }
}
