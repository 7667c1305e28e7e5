/** Why the supervisor stopped a frame. */
export type StopReason = 'unresponsive' | 'errors' | 'flood' | 'memory' | 'dom';

/** The limits one app frame lives within. */
export interface SupervisorLimits {
  /** How often the shell asks the frame for a heartbeat. Defaults to 1000 ms. */
  heartbeatMs: number;
  /** A frame that has not answered a heartbeat for this long is stopped. Defaults to 5000 ms. */
  unresponsiveMs: number;
  /** Time a new frame has to answer its first heartbeat (loading included). Defaults to 10 000 ms. */
  startupMs: number;
  /** Error reports allowed within `windowMs` before the frame is stopped. Defaults to 30. */
  maxErrors: number;
  /** Messages refused (over the rate limit or malformed) within `windowMs` before the frame is stopped. Defaults to 200. */
  maxRefused: number;
  /** The sliding window for errors and refused messages. Defaults to 10 000 ms. */
  windowMs: number;
  /** Elements the frame's document may hold. Defaults to 50 000. */
  maxDomNodes: number;
  /**
   * JavaScript heap the frame may grow by, as it reports it: growth over the lowest figure it
   * reported, because frames of one site share a process and its heap (another app's leftovers
   * must not count against this one). Defaults to 256 MiB.
   */
  maxHeapBytes: number;
}

export const defaultSupervisorLimits: Readonly<SupervisorLimits> = {
  heartbeatMs: 1000,
  unresponsiveMs: 5000,
  startupMs: 10_000,
  maxErrors: 30,
  maxRefused: 200,
  windowMs: 10_000,
  maxDomNodes: 50_000,
  maxHeapBytes: 256 * 1024 * 1024,
};

/** What a frame says about itself when it answers a heartbeat. */
export interface HeartbeatReport {
  seq: number;
  domNodes: number;
  heapBytes?: number;
}

/**
 * Decides when an app frame must be stopped. Pure bookkeeping with an
 * injected clock: the host feeds it what the frame did and acts on the
 * reason it returns. What a frame reports about itself (DOM and heap size)
 * can be forged by a hostile app; the heartbeat cannot be answered by a frame
 * that is stuck, and a frame that outgrows its process dies and goes silent.
 */
export class FrameSupervisor {
  readonly limits: SupervisorLimits;
  readonly #now: () => number;
  #sent = 0;
  #lastAnswer: number;
  #answered = false;
  readonly #errors: number[] = [];
  readonly #refused: number[] = [];
  #stopped: StopReason | undefined;
  #lowestHeap = Number.POSITIVE_INFINITY;

  constructor(limits: Partial<SupervisorLimits> = {}, now: () => number = () => performance.now()) {
    this.limits = { ...defaultSupervisorLimits, ...limits };
    this.#now = now;
    this.#lastAnswer = now();
  }

  /** The reason the frame was stopped, once it was. */
  get stopped(): StopReason | undefined {
    return this.#stopped;
  }

  /** The sequence number of the next heartbeat to send. */
  nextHeartbeat(): number {
    this.#sent += 1;
    return this.#sent;
  }

  /** Call on every tick: stops a frame that has been silent too long. */
  check(): StopReason | undefined {
    const allowed = this.#answered ? this.limits.unresponsiveMs : this.limits.startupMs;
    if (this.#now() - this.#lastAnswer > allowed) return this.#stop('unresponsive');
    return this.#stopped;
  }

  heartbeat(report: HeartbeatReport): StopReason | undefined {
    // An answer to a heartbeat not yet sent is forged; it proves nothing.
    if (report.seq < 1 || report.seq > this.#sent) return this.#stopped;
    this.#answered = true;
    this.#lastAnswer = this.#now();
    if (report.domNodes > this.limits.maxDomNodes) return this.#stop('dom');
    if (report.heapBytes !== undefined) {
      this.#lowestHeap = Math.min(this.#lowestHeap, report.heapBytes);
      if (report.heapBytes - this.#lowestHeap > this.limits.maxHeapBytes) return this.#stop('memory');
    }
    return this.#stopped;
  }

  errorReported(): StopReason | undefined {
    return this.#count(this.#errors, this.limits.maxErrors, 'errors');
  }

  /** A refused message; `weight` counts an oversized one as many. */
  messageRefused(weight = 1): StopReason | undefined {
    return this.#count(this.#refused, this.limits.maxRefused, 'flood', weight);
  }

  #count(times: number[], max: number, reason: StopReason, weight = 1): StopReason | undefined {
    const now = this.#now();
    for (let i = 0; i < weight; i++) times.push(now);
    while (times.length > 0 && now - (times[0] ?? now) > this.limits.windowMs) times.shift();
    return times.length > max ? this.#stop(reason) : this.#stopped;
  }

  #stop(reason: StopReason): StopReason {
    this.#stopped ??= reason;
    return this.#stopped;
  }
}
