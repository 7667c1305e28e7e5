import type {
  AppSummary,
  GenerationProgress,
  GenerationStage,
  Params,
} from '../../services/protocol/index.js';
import { appChoiceCards, type CardChoice, questionCards, reusedCard } from './ClarifyCards.js';
import type { DaemonClient } from './DaemonClient.js';
import { describeError } from './describeError.js';
import { el } from './el.js';
import type { Language } from './Language.js';
import { nextStep } from './nextStep.js';
import { PreviewFrame } from './PreviewFrame.js';

const STAGE_WORDS = {
  queued: 'stage.queued',
  prompting: 'stage.prompting',
  generating: 'stage.generating',
  validating: 'stage.validating',
  saving: 'stage.saving',
  repairing: 'stage.repairing',
} as const satisfies Record<GenerationStage, string>;

export interface IntentBarOptions {
  client: DaemonClient;
  language: Language;
  /** A new or changed app was made, or a stored one answers the request; open it. */
  onMade(app: AppSummary): void;
  /** The app on screen, which "it" in a request refers to. */
  openAppId?: () => string | undefined;
  /** Shows the System page (model status), the next step when there is no working model. Defaults to none. */
  openSystem?: () => void;
}

/** A screen reader hears how far the model got at most this often (stages are announced at once). */
const ANNOUNCE_EVERY_MS = 15_000;

/** What the person said plus what they chose on cards since. */
type Ask = Omit<Params<'ask'>, 'text'>;

/**
 * The one place to ask for an app: a labelled field and a "Make it" button,
 * and while the model works, its progress with a way to stop it.
 */
export class IntentBar {
  readonly #input = el('input', {
    id: 'intent-input',
    type: 'text',
    name: 'intent',
    autocomplete: 'off',
    spellcheck: 'true',
    maxlength: 2000,
    'aria-describedby': 'intent-status',
  });
  readonly #submit: HTMLButtonElement;
  readonly #status = el('div', { id: 'intent-status', class: 'intent-status', 'aria-live': 'polite' });
  readonly element: HTMLFormElement;
  #running: { requestId: string; cancel: HTMLButtonElement; stop(): void } | undefined;

  constructor(private readonly options: IntentBarOptions) {
    const { language } = options;
    this.#submit = el('button', { type: 'submit' }, language.text('intent.make'));
    this.element = el(
      'form',
      { class: 'intent' },
      el('label', { for: 'intent-input' }, language.text('intent.label')),
      el('div', { class: 'intent-row' }, this.#input, this.#submit),
      this.#status,
    );
    language.bind(this.element, 'aria-label', 'intent.form');
    this.element.addEventListener('submit', (event) => {
      // No navigation: the form only gathers the words (and CSP forbids form actions anyway).
      event.preventDefault();
      void this.make(this.#input.value);
    });
    // Escape stops the model, from the field or the Cancel button alike.
    this.element.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || !this.#running || this.#running.cancel.disabled) return;
      event.preventDefault();
      this.#running.cancel.click();
    });
  }

  /** Puts words in the field for the person to check and send. */
  suggest(text: string): void {
    this.#input.value = text;
    this.#input.focus();
  }

  focus(): void {
    this.#input.focus();
  }

  /** Says something in the bar's live status line (e.g. how a repair went). */
  announce(text: string): void {
    this.#showMessage(text);
  }

  async make(words: string, choices: Ask = {}): Promise<void> {
    const intent = words.trim();
    if (this.#running) return;
    const { language } = this.options;
    if (!intent) {
      this.#showMessage(language.t('intent.empty'));
      this.#input.focus();
      return;
    }
    const { client } = this.options;
    const openAppId = this.options.openAppId?.();
    const call = client.call('ask', { text: intent, ...(openAppId ? { openAppId } : {}), ...choices });
    const started = Date.now();
    let latest: GenerationProgress = { requestId: call.id, stage: 'queued', tokens: 0, elapsedMs: 0 };

    const stage = el('p', { class: 'progress-stage' });
    // Counters tick every second: readable on demand, not announced each time.
    const counts = el('p', { class: 'progress-counts' });
    // What a screen reader hears: each new stage at once, and how far it got now and then.
    const announcer = el('p', { class: 'visually-hidden', role: 'status' });
    const preview = new PreviewFrame(language);
    const cancel = el(
      'button',
      { type: 'button', class: 'secondary', 'aria-keyshortcuts': 'Escape' },
      language.t('intent.cancel'),
    );
    let lastAnnounced = Date.now();
    const elapsedSeconds = () => Math.floor(Math.max(latest.elapsedMs, Date.now() - started) / 1000);
    const showStage = () => {
      stage.textContent = language.t(STAGE_WORDS[latest.stage]);
      announcer.textContent = stage.textContent;
      lastAnnounced = Date.now();
    };
    const showCounts = () => {
      const figures = { tokens: latest.tokens.toLocaleString(language.current), seconds: elapsedSeconds() };
      counts.textContent = language.t('intent.counts', figures);
      if (Date.now() - lastAnnounced >= ANNOUNCE_EVERY_MS) {
        lastAnnounced = Date.now();
        announcer.textContent = language.t('intent.stillWorking', figures);
      }
    };
    showStage();
    showCounts();
    const ticker = window.setInterval(showCounts, 1000);
    const unsubscribe = client.on('generation.progress', (progress) => {
      if (progress.requestId !== call.id) return;
      const stageChanged = progress.stage !== latest.stage;
      latest = progress;
      if (stageChanged) showStage();
      showCounts();
      if (progress.previewHtml) preview.show(progress.previewHtml);
    });
    cancel.addEventListener('click', () => {
      cancel.disabled = true;
      cancel.textContent = language.t('intent.stopping');
      client.request('generate.cancel', { requestId: call.id }).catch(() => undefined);
    });

    this.#running = {
      requestId: call.id,
      cancel,
      stop: () => {
        window.clearInterval(ticker);
        unsubscribe();
      },
    };
    this.#setBusy(true);
    this.#status.replaceChildren(
      el(
        'div',
        // The live region is the announcer alone; the rest changes too often to be read out.
        { class: 'progress', role: 'group', 'aria-label': language.t('intent.making'), 'aria-live': 'off' },
        el('div', { class: 'progress-bar', 'aria-hidden': 'true' }),
        stage,
        counts,
        cancel,
        announcer,
        preview.element,
      ),
    );
    cancel.focus();

    try {
      const answer = await call.result;
      this.#finish();
      const again = (choice: CardChoice) => {
        const next: Ask = { ...choices };
        if (choice.kind === 'answers') next.answers = choice.answers;
        if (choice.kind === 'skip') next.skipQuestions = true;
        if (choice.kind === 'app') next.appId = choice.appId;
        if (choice.kind === 'fresh') Object.assign(next, { fresh: true });
        void this.make(intent, next);
      };
      switch (answer.kind) {
        case 'questions':
          this.#status.replaceChildren(questionCards(answer.questions, again, language));
          this.#status.querySelector('input')?.focus();
          return;
        case 'choose':
          this.#status.replaceChildren(appChoiceCards(answer.question, answer.apps, again));
          this.#status.querySelector('button')?.focus();
          return;
        case 'reply':
          this.#showMessage(answer.message);
          return;
        case 'open':
          this.#input.value = '';
          if (answer.reused) this.#status.replaceChildren(reusedCard(answer.app, again, language));
          else this.#showMessage(language.t('intent.opened', { name: answer.app.name }));
          this.options.onMade(answer.app);
          return;
        case 'made':
          this.#input.value = '';
          this.#showMessage(
            language.t(answer.intent === 'change' ? 'intent.changed' : 'intent.made', {
              name: answer.app.name,
            }),
          );
          this.options.onMade(answer.app);
      }
    } catch (error) {
      this.#finish();
      this.#showFailure(intent, choices, error, openAppId !== undefined);
    }
  }

  #finish(): void {
    this.#running?.stop();
    this.#running = undefined;
    this.#setBusy(false);
  }

  #setBusy(busy: boolean): void {
    this.#submit.disabled = busy;
    this.#input.readOnly = busy;
    this.element.setAttribute('aria-busy', String(busy));
  }

  #showMessage(text: string): void {
    this.#status.replaceChildren(el('p', { class: 'intent-message' }, text));
  }

  /** Says what went wrong in plain words, with one obvious next step (focused) and at most one other. */
  #showFailure(intent: string, choices: Ask, error: unknown, changingAnApp: boolean): void {
    const { language } = this.options;
    const words = describeError(error, language);
    const step = nextStep(words.code, changingAnApp);
    if (step === 'none') {
      this.#showMessage(words.title);
      this.#input.focus();
      return;
    }
    const button = (label: string, primary: boolean, action: () => void) => {
      const b = el('button', { type: 'button', ...(primary ? {} : { class: 'secondary' }) }, label);
      b.addEventListener('click', action);
      return b;
    };
    const retry = (primary: boolean) =>
      button(language.t('action.retry'), primary, () => void this.make(intent, choices));
    const rephrase = (primary: boolean) =>
      button(language.t('intent.rephrase'), primary, () => {
        this.#status.replaceChildren();
        this.#input.select();
        this.#input.focus();
      });
    const actions: HTMLButtonElement[] = [];
    if (step === 'keep') {
      actions.push(
        button(language.t('intent.keep'), true, () => {
          this.#input.value = '';
          this.#showMessage(language.t('intent.kept'));
          this.#input.focus();
        }),
        retry(false),
      );
    } else if (step === 'retry') actions.push(retry(true), rephrase(false));
    else if (step === 'rephrase') actions.push(rephrase(true));
    else if (step === 'system' && this.options.openSystem) {
      const open = this.options.openSystem;
      actions.push(button(language.t('intent.openSystem'), true, () => open()));
    } else actions.push(retry(true));
    this.#status.replaceChildren(
      el(
        'div',
        { class: 'problem' },
        el('p', { class: 'problem-title' }, words.title),
        words.detail && el('p', { class: 'problem-detail' }, words.detail),
        el('div', { class: 'problem-actions' }, ...actions),
      ),
    );
    actions[0]?.focus();
  }
}
