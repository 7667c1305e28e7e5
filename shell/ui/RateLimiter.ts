/** A token bucket: up to `perSecond` calls in a burst, refilled at `perSecond` a second. */
export class RateLimiter {
  #tokens: number;
  #last: number;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#tokens = perSecond;
    this.#last = now();
  }

  /** Takes one call's worth; false means the caller is over its limit. */
  take(): boolean {
    const now = this.now();
    this.#tokens = Math.min(this.perSecond, this.#tokens + ((now - this.#last) / 1000) * this.perSecond);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
