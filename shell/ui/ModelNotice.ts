import type { ModelStatus } from '../../services/protocol/index.js';
import { el } from './el.js';

/**
 * A banner that says plainly when Figment cannot make apps because its
 * model is missing or broken, with the daemon's own words on how to fix it.
 */
export class ModelNotice {
  readonly #title = el('h2', { class: 'notice-title' });
  readonly #message = el('p', { class: 'notice-message' });
  readonly element = el(
    'section',
    { class: 'model-notice', role: 'status', hidden: true },
    this.#title,
    this.#message,
  );

  show(model: ModelStatus): void {
    const text = noticeFor(model);
    this.element.hidden = text === undefined;
    if (!text) return;
    this.element.dataset.state = model.state;
    this.#title.textContent = text.title;
    // `command` spans in the daemon's message become <code>, the rest stays text.
    this.#message.replaceChildren(
      ...text.message.split('`').map((part, index) => (index % 2 === 1 ? el('code', {}, part) : part)),
    );
  }
}

function noticeFor(model: ModelStatus): { title: string; message: string } | undefined {
  switch (model.state) {
    case 'missing':
      return {
        title: 'Figment needs a language model before it can make apps',
        message: model.message ?? 'No model is set up yet. Ask whoever looks after this machine to add one.',
      };
    case 'error':
      return {
        title: 'The language model could not start',
        message:
          model.message ??
          'Figment could not load its model. Ask whoever looks after this machine to check it.',
      };
    case 'loading':
      return { title: 'The language model is starting', message: 'Your first app may take a little longer.' };
    case 'ready':
      return undefined;
  }
}
