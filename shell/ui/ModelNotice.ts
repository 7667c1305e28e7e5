import type { ModelStatus } from '../../services/protocol/index.js';
import { el } from './el.js';
import type { Language, Words } from './Language.js';

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

  #model: ModelStatus | undefined;

  constructor(private readonly language: Language) {
    language.onChange(() => {
      if (this.#model) this.show(this.#model);
    });
  }

  show(model: ModelStatus): void {
    this.#model = model;
    const text = noticeFor(model, this.language);
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

/** The notice's words; figmentd's own message, which names files and commands, stays as it is. */
function noticeFor(model: ModelStatus, words: Words): { title: string; message: string } | undefined {
  switch (model.state) {
    case 'missing':
      return { title: words.t('model.missingTitle'), message: model.message ?? words.t('model.missing') };
    case 'error':
      return { title: words.t('model.errorTitle'), message: model.message ?? words.t('model.error') };
    case 'loading':
      return { title: words.t('model.loadingTitle'), message: words.t('model.loading') };
    case 'ready':
      return undefined;
  }
}
