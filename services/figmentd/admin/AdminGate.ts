import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import { PinHash } from './PinHash.js';

export interface AdminGateOptions {
  /** Kiosk mode: Settings and the methods that change or export things need the admin PIN. Defaults to false. */
  kiosk?: boolean;
  /** A hash from the config (`shell.adminPinHash`); when set, the PIN cannot be chosen on first use. */
  configuredHash?: string;
  /** Where a PIN chosen on first use is kept (mode 0600). */
  pinFile: string;
  /** Wrong PINs allowed before each further try must wait. Defaults to 3. */
  freeTries?: number;
  /** First wait after the free tries; it doubles with each further wrong PIN. Defaults to 5 s. */
  backoffMs?: number;
  /** Longest wait. Defaults to 5 minutes. */
  maxBackoffMs?: number;
  /** How long an unlocked connection stays unlocked. Defaults to 10 minutes. */
  unlockMs?: number;
  now?: () => number;
}

/** What the shell needs to know before it shows Settings. */
export interface AdminStatus {
  kiosk: boolean;
  /** False in kiosk mode until someone chooses the PIN. */
  pinSet: boolean;
  /** This connection may use the admin methods now. */
  unlocked: boolean;
  /** How long until the next PIN try is heard; 0 when one may try now. */
  retryInMs: number;
}

/**
 * The admin PIN, checked here and never only in the page. In kiosk mode a
 * connection is unlocked by the right PIN until it locks, closes or times
 * out; wrong PINs back off exponentially, for every connection together, so
 * reconnecting does not buy more guesses. Outside kiosk mode every
 * connection counts as unlocked.
 */
export class AdminGate {
  readonly #kiosk: boolean;
  readonly #now: () => number;
  readonly #unlocked = new Map<string, number>();
  #hash: PinHash | undefined;
  #failures = 0;
  #blockedUntil = 0;
  /** Tries run one at a time, so parallel guesses cannot all slip in before the count rises. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: AdminGateOptions) {
    this.#kiosk = options.kiosk ?? false;
    this.#now = options.now ?? Date.now;
    this.#hash = options.configuredHash
      ? PinHash.parse(options.configuredHash)
      : readPinFile(options.pinFile);
  }

  get kiosk(): boolean {
    return this.#kiosk;
  }

  status(connectionId: string): AdminStatus {
    return {
      kiosk: this.#kiosk,
      pinSet: !this.#kiosk || this.#hash !== undefined,
      unlocked: this.isUnlocked(connectionId),
      retryInMs: Math.max(0, this.#blockedUntil - this.#now()),
    };
  }

  isUnlocked(connectionId: string): boolean {
    if (!this.#kiosk) return true;
    const until = this.#unlocked.get(connectionId);
    if (until === undefined) return false;
    if (until > this.#now()) return true;
    this.#unlocked.delete(connectionId);
    return false;
  }

  /** Throws AdminRequired unless the connection is unlocked; `what` names the refused action. */
  require(connectionId: string, what: string): void {
    if (this.isUnlocked(connectionId)) return;
    throw new FigmentError(
      ErrorCode.AdminRequired,
      `${what} needs the admin PIN on this kiosk: open Settings and enter it first.`,
    );
  }

  /** Checks the PIN; unlocks the connection when right. Throws WrongPin, TooManyTries or AdminRequired (no PIN yet). */
  unlock(connectionId: string, pin: string): Promise<AdminStatus> {
    return this.#serial(async () => {
      if (!this.#kiosk) return this.status(connectionId);
      const hash = this.#hash;
      if (!hash) {
        throw new FigmentError(ErrorCode.AdminRequired, 'No admin PIN is set yet: choose one first.');
      }
      this.#refuseWhileBlocked();
      if (!(await hash.verify(pin))) {
        this.#failures++;
        const free = this.options.freeTries ?? 3;
        if (this.#failures >= free) {
          const wait = Math.min(
            this.options.maxBackoffMs ?? 300_000,
            (this.options.backoffMs ?? 5_000) * 2 ** (this.#failures - free),
          );
          this.#blockedUntil = this.#now() + wait;
        }
        const left =
          this.#blockedUntil > this.#now()
            ? ` Wait ${seconds(this.#blockedUntil - this.#now())} before trying again.`
            : '';
        throw new FigmentError(ErrorCode.WrongPin, `That is not the admin PIN.${left}`);
      }
      this.#failures = 0;
      this.#blockedUntil = 0;
      this.#unlocked.set(connectionId, this.#now() + (this.options.unlockMs ?? 600_000));
      return this.status(connectionId);
    });
  }

  /**
   * Sets the PIN: on first use (no PIN yet) by anyone at the kiosk, later
   * only by an unlocked connection. A PIN from the config cannot be changed here.
   */
  setPin(connectionId: string, pin: string): Promise<AdminStatus> {
    return this.#serial(async () => {
      if (!this.#kiosk) {
        throw new FigmentError(ErrorCode.BadMessage, 'An admin PIN is only used in kiosk mode.');
      }
      if (this.options.configuredHash) {
        throw new FigmentError(
          ErrorCode.Config,
          'The admin PIN is set in the configuration and can only be changed there.',
        );
      }
      if (this.#hash) this.require(connectionId, 'Changing the admin PIN');
      const hash = await PinHash.create(pin);
      writePinFile(this.options.pinFile, hash);
      this.#hash = hash;
      this.#unlocked.set(connectionId, this.#now() + (this.options.unlockMs ?? 600_000));
      return this.status(connectionId);
    });
  }

  /** Locks the connection again (Settings closed, or the connection went away). */
  lock(connectionId: string): void {
    this.#unlocked.delete(connectionId);
  }

  #refuseWhileBlocked(): void {
    const wait = this.#blockedUntil - this.#now();
    if (wait > 0) {
      throw new FigmentError(
        ErrorCode.TooManyTries,
        `Too many wrong PINs. Wait ${seconds(wait)} before trying again.`,
      );
    }
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => {});
    return run;
  }
}

function seconds(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s === 1 ? '1 second' : `${s} seconds`;
}

function readPinFile(path: string): PinHash | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  return PinHash.parse(text);
}

function writePinFile(path: string, hash: PinHash): void {
  const temporary = `${path}.partial`;
  writeFileSync(temporary, `${hash.toString()}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}
