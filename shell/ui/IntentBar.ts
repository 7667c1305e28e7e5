import type {
  AppSummary,
  GenerationProgress,
  GenerationStage,
  Params,
} from '../../services/protocol/index.js';
import { ErrorCode } from '../../services/protocol/index.js';
import { appChoiceCards, type CardChoice, questionCards, reusedCard } from './ClarifyCards.js';
import type { DaemonClient } from './DaemonClient.js';
import { describeError } from './describeError.js';
import { el } from './el.js';

const STAGE_WORDS: Record<GenerationStage, string> = {
  queued: 'Waiting for its turn…',
  prompting: 'Reading your request…',
  generating: 'Writing the app…',
  validating: 'Checking that it is safe and works…',
  saving: 'Saving it…',
  repairing: 'Fixing a problem it found…',
};

export interface IntentBarOptions {
  client: DaemonClient;
  /** A new or changed app was made, or a stored one answers the request; open it. */
  onMade(app: AppSummary): void;
  /** The app on screen, which "it" in a request refers to. */
  openAppId?: () => string | undefined;
}

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
  readonly #submit = el('button', { type: 'submit' }, 'Make it');
  readonly #status = el('div', { id: 'intent-status', class: 'intent-status', 'aria-live': 'polite' });
  readonly element = el(
    'form',
    { class: 'intent', 'aria-label': 'Ask for an app' },
    el('label', { for: 'intent-input' }, 'What do you need?'),
    el('div', { class: 'intent-row' }, this.#input, this.#submit),
    this.#status,
  );
  #running: { requestId: string; stop(): void } | undefined;

  constructor(private readonly options: IntentBarOptions) {
    this.element.addEventListener('submit', (event) => {
      // No navigation: the form only gathers the words (and CSP forbids form actions anyway).
      event.preventDefault();
      void this.make(this.#input.value);
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
    if (!intent) {
      this.#showMessage('Type what you need first, for example “a timer for brushing teeth”.');
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
    const counts = el('p', { class: 'progress-counts', 'aria-live': 'off' });
    const cancel = el('button', { type: 'button', class: 'secondary' }, 'Cancel');
    // Only a change of stage rewrites the announced text; the counters may change every second.
    const showStage = () => {
      stage.textContent = STAGE_WORDS[latest.stage];
    };
    const showCounts = () => {
      const seconds = Math.floor(Math.max(latest.elapsedMs, Date.now() - started) / 1000);
      counts.textContent = `${latest.tokens.toLocaleString()} tokens written · ${seconds} s`;
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
    });
    cancel.addEventListener('click', () => {
      cancel.disabled = true;
      cancel.textContent = 'Stopping…';
      client.request('generate.cancel', { requestId: call.id }).catch(() => undefined);
    });

    this.#running = {
      requestId: call.id,
      stop: () => {
        window.clearInterval(ticker);
        unsubscribe();
      },
    };
    this.#setBusy(true);
    this.#status.replaceChildren(
      el(
        'div',
        { class: 'progress' },
        el('div', { class: 'progress-bar', 'aria-hidden': 'true' }),
        stage,
        counts,
        cancel,
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
          this.#status.replaceChildren(questionCards(answer.questions, again));
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
          if (answer.reused) this.#status.replaceChildren(reusedCard(answer.app, again));
          else this.#showMessage(`Opened “${answer.app.name}”.`);
          this.options.onMade(answer.app);
          return;
        case 'made':
          this.#input.value = '';
          this.#showMessage(`${answer.intent === 'change' ? 'Changed' : 'Made'} “${answer.app.name}”.`);
          this.options.onMade(answer.app);
      }
    } catch (error) {
      this.#finish();
      this.#showFailure(intent, error);
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

  #showFailure(intent: string, error: unknown): void {
    const words = describeError(error);
    if (words.code === ErrorCode.Cancelled) {
      this.#showMessage(words.title);
      this.#input.focus();
      return;
    }
    const retry = el('button', { type: 'button' }, 'Try again');
    retry.addEventListener('click', () => void this.make(intent));
    this.#status.replaceChildren(
      el(
        'div',
        { class: 'problem' },
        el('p', { class: 'problem-title' }, words.title),
        words.detail && el('p', { class: 'problem-detail' }, words.detail),
        retry,
      ),
    );
    retry.focus();
  }
}
