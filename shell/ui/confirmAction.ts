import { el } from './el.js';

export interface ConfirmWords {
  question: string;
  detail: string;
  confirm: string;
  cancel: string;
}

/**
 * Asks the person to confirm something that cannot be undone, in a modal
 * dialog placed in `host`; "keep" has focus first, so Enter never forgets by accident.
 */
export function confirmAction(host: HTMLElement, words: ConfirmWords): Promise<boolean> {
  const keep = el('button', { type: 'button', class: 'secondary', value: 'keep' }, words.cancel);
  const go = el('button', { type: 'button', class: 'danger', value: 'confirm' }, words.confirm);
  const dialog = el(
    'dialog',
    { class: 'confirm', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-detail' },
    el('h3', { id: 'confirm-title' }, words.question),
    el('p', { id: 'confirm-detail' }, words.detail),
    el('div', { class: 'confirm-actions' }, keep, go),
  );
  host.append(dialog);
  return new Promise((resolve) => {
    const finish = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    keep.addEventListener('click', () => finish(false));
    go.addEventListener('click', () => finish(true));
    // Escape cancels.
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(false);
    });
    dialog.showModal();
    keep.focus();
  });
}
