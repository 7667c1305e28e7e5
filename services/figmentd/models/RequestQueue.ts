import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import type { RequestPriority } from './types.js';

interface Waiting {
  rank: number;
  start: () => void;
}

const RANK: Record<RequestPriority, number> = { interactive: 0, background: 1 };

/**
 * Runs tasks one at a time: interactive ones before background ones, and in
 * arrival order within a priority. A task aborted while it waits is rejected
 * at once with Cancelled and never runs.
 */
export class RequestQueue {
  private readonly waiting: Waiting[] = [];
  private busy = false;
  private idle: (() => void)[] = [];

  /** Tasks waiting, not counting the one running. */
  get pending(): number {
    return this.waiting.length;
  }

  /** Whether a task is running. */
  get running(): boolean {
    return this.busy;
  }

  run<T>(priority: RequestPriority, signal: AbortSignal | undefined, task: () => Promise<T>): Promise<T> {
    if (signal?.aborted) return Promise.reject(cancelledError());
    return new Promise<T>((resolve, reject) => {
      const entry: Waiting = {
        rank: RANK[priority],
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          // Start the next task before settling, so whoever awaits this one sees the queue as it is now.
          task().then(
            (value) => {
              this.next();
              resolve(value);
            },
            (error: unknown) => {
              this.next();
              reject(error);
            },
          );
        },
      };
      const onAbort = (): void => {
        const at = this.waiting.indexOf(entry);
        if (at === -1) return; // already running: the task itself honours the signal
        this.waiting.splice(at, 1);
        reject(cancelledError());
        this.notifyIdle();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // After every entry of the same or a higher priority: FIFO within a priority.
      const at = this.waiting.findIndex((other) => other.rank > entry.rank);
      this.waiting.splice(at === -1 ? this.waiting.length : at, 0, entry);
      if (!this.busy) this.next();
    });
  }

  /** Resolves once nothing runs or waits. */
  whenIdle(): Promise<void> {
    if (!this.busy && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private next(): void {
    const entry = this.waiting.shift();
    this.busy = entry !== undefined;
    if (entry) entry.start();
    else this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.busy || this.waiting.length > 0) return;
    const waiters = this.idle;
    this.idle = [];
    for (const resolve of waiters) resolve();
  }
}

function cancelledError(): FigmentError {
  return new FigmentError(ErrorCode.Cancelled, 'the generation was cancelled');
}
