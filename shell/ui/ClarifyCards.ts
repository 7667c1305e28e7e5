import type { AppSummary, Question } from '../../services/protocol/index.js';
import { el } from './el.js';
import type { Words } from './Language.js';

/** What the person chose on a card. */
export type CardChoice =
  | { kind: 'answers'; answers: { question: string; answer: string }[] }
  | { kind: 'skip' }
  | { kind: 'app'; appId: string }
  | { kind: 'fresh' };

/**
 * Cards for figmentd's questions: clarifying questions (offered answers with
 * the default chosen, "Make it" and "Just make it"), which app was meant,
 * and "make a fresh one" after a stored app was reused. DOM only; the
 * intent bar sends the choice back with the same words.
 */
export function questionCards(
  questions: readonly Question[],
  choose: (choice: CardChoice) => void,
  words: Words,
): HTMLElement {
  const fieldsets = questions.map((q) =>
    el(
      'fieldset',
      { class: 'card' },
      el('legend', {}, q.question),
      ...q.options.map((option, index) =>
        el(
          'label',
          { class: 'card-option' },
          el('input', {
            type: 'radio',
            name: q.id,
            value: option,
            checked: option === q.default,
            'data-index': index,
          }),
          ` ${option}`,
        ),
      ),
    ),
  );
  const make = el('button', { type: 'button' }, words.t('intent.make'));
  const skip = el('button', { type: 'button', class: 'secondary' }, words.t('cards.skip'));
  const cards = el(
    'div',
    { class: 'cards', role: 'group', 'aria-label': words.t('cards.questions') },
    el('p', { class: 'cards-title' }, words.t('cards.questions')),
    ...fieldsets,
    el('div', { class: 'cards-actions' }, make, skip),
  );
  make.addEventListener('click', () => {
    const answers = questions.map((q) => {
      const picked = cards.querySelector<HTMLInputElement>(`input[name="${CSS.escape(q.id)}"]:checked`);
      return { question: q.question, answer: picked?.value ?? q.default };
    });
    choose({ kind: 'answers', answers });
  });
  skip.addEventListener('click', () => choose({ kind: 'skip' }));
  return cards;
}

export function appChoiceCards(
  question: string,
  apps: readonly AppSummary[],
  choose: (choice: CardChoice) => void,
): HTMLElement {
  return el(
    'div',
    { class: 'cards', role: 'group', 'aria-label': question },
    el('p', { class: 'cards-title' }, question),
    ...apps.map((app) => {
      const button = el('button', { type: 'button', class: 'card card-app' }, app.name);
      if (app.description) button.append(el('span', { class: 'card-detail' }, app.description));
      button.addEventListener('click', () => choose({ kind: 'app', appId: app.id }));
      return button;
    }),
  );
}

export function reusedCard(app: AppSummary, choose: (choice: CardChoice) => void, words: Words): HTMLElement {
  const fresh = el('button', { type: 'button', class: 'secondary' }, words.t('cards.fresh'));
  fresh.addEventListener('click', () => choose({ kind: 'fresh' }));
  return el(
    'div',
    { class: 'cards' },
    el('p', { class: 'intent-message' }, words.t('cards.reused', { name: app.name })),
    fresh,
  );
}
