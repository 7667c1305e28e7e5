import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import {
  type BrokerGrant,
  type BrokerStore,
  type ConsentPrompter,
  type ConsentRequest,
  type Decision,
  type GrantChange,
  type GrantScope,
  type SensorCapability,
  sensorCapabilities,
} from './types.js';

export interface BrokerOptions {
  store: BrokerStore;
  /** The clock, in ms since epoch. Defaults to `Date.now`. */
  now?: () => number;
  /** How long a consent card waits for an answer before it counts as "no". Defaults to 60 s. */
  consentTimeoutMs?: number;
  /** How long an unused "this time" grant lasts. Defaults to 60 s. */
  onceForMs?: number;
  /** Longest a "while open" grant lasts if the app is never closed. Defaults to 12 h. */
  whileOpenForMs?: number;
  /** How long an "always" grant lasts before the person is asked again. Defaults to 90 days. */
  alwaysForMs?: number;
}

export interface BrokerEvents {
  /** Grants of this app for this capability changed. */
  grants: [appId: string, capability: SensorCapability, change: GrantChange];
}

interface Pending {
  request: ConsentRequest;
  prompter: ConsentPrompter;
  promise: Promise<BrokerGrant>;
  settle(decision: Decision | 'timeout'): void;
}

/**
 * Decides who may use a sensor: asks the person through the shell, keeps
 * grants ("this time" and "while open" in memory, "always" in the store),
 * records every request, decision and use in the audit log, and tells
 * listeners when grants change. Nothing is granted without a yes.
 */
export class Broker extends EventEmitter<BrokerEvents> {
  readonly #store: BrokerStore;
  readonly #now: () => number;
  readonly #ephemeral = new Map<string, BrokerGrant>();
  readonly #pending = new Map<string, Pending>();
  readonly #prompters: ConsentPrompter[] = [];
  /** App and capability pairs the person said no to (or revoked) while the app is open: no new cards. */
  readonly #blocked = new Set<string>();
  #expiryTimer: NodeJS.Timeout | undefined;
  #disposed = false;

  constructor(private readonly options: BrokerOptions) {
    super();
    this.#store = options.store;
    this.#now = options.now ?? Date.now;
  }

  /** Attaches a consent UI (the shell); returns the function that detaches it. */
  attachPrompter(prompter: ConsentPrompter): () => void {
    this.#prompters.push(prompter);
    return () => {
      const index = this.#prompters.indexOf(prompter);
      if (index >= 0) this.#prompters.splice(index, 1);
      // Cards shown by a shell that went away can no longer be answered.
      for (const pending of [...this.#pending.values()]) {
        if (pending.prompter === prompter) pending.settle('timeout');
      }
    };
  }

  /**
   * Asks for a sensor on an app's behalf. Answers at once with a current
   * grant, otherwise shows a consent card and waits for the person.
   * Throws NotGranted when they say no, do not answer, or no one can be asked.
   */
  async requestAccess(appId: string, capability: string, reason: string, via: string): Promise<BrokerGrant> {
    this.#use();
    const cap = parseCapability(capability);
    const app = this.#requireApp(appId);
    const words = reason.trim().slice(0, 200);
    this.#store.recordAudit('sensor.request', appId, { capability: cap, reason: words, via });
    const current = this.check(appId, cap);
    if (current) return current;
    const key = `${appId}\u0000${cap}`;
    if (this.#blocked.has(key)) {
      // Asking again at once would nag the person; the app may ask again once reopened.
      this.#store.recordAudit('sensor.refused', appId, { capability: cap, why: 'refused while open' });
      throw new FigmentError(
        ErrorCode.NotGranted,
        `"${app.name}" may not use the ${cap}: the person said no. It may ask again after it is reopened.`,
      );
    }
    const waiting = this.#pending.get(key);
    if (waiting) return waiting.promise;
    const prompter = this.#prompters.at(-1);
    if (!prompter) {
      this.#store.recordAudit('sensor.refused', appId, { capability: cap, why: 'no one to ask' });
      throw new FigmentError(
        ErrorCode.NotGranted,
        `No one could be asked whether "${app.name}" may use the ${cap}, so it may not.`,
      );
    }
    const timeoutMs = this.options.consentTimeoutMs ?? 60_000;
    const request: ConsentRequest = {
      id: `cns_${randomBytes(12).toString('base64url')}`,
      appId,
      appName: app.name,
      capability: cap,
      reason: words,
      expiresAt: this.#now() + timeoutMs,
    };
    let settle!: (decision: Decision | 'timeout') => void;
    const promise = new Promise<BrokerGrant>((resolve, reject) => {
      const timer = setTimeout(() => settle('timeout'), timeoutMs);
      settle = (decision) => {
        if (this.#pending.get(key)?.request.id !== request.id) return;
        clearTimeout(timer);
        this.#pending.delete(key);
        prompter.settle(request.id);
        this.#store.recordAudit('sensor.decision', appId, { capability: cap, decision });
        if (decision === 'deny') this.#blocked.add(key);
        if (decision === 'deny' || decision === 'timeout') {
          const why = decision === 'deny' ? 'The person said no' : 'No one answered';
          reject(new FigmentError(ErrorCode.NotGranted, `${why}: "${app.name}" may not use the ${cap}.`));
          return;
        }
        resolve(this.#grant(appId, cap, decision));
      };
    });
    this.#pending.set(key, { request, prompter, promise, settle });
    prompter.show(request);
    return promise;
  }

  /** The person's answer to a card. False when the card is no longer waiting. */
  decide(requestId: string, decision: Decision): boolean {
    for (const pending of this.#pending.values()) {
      if (pending.request.id === requestId) {
        pending.settle(decision);
        return true;
      }
    }
    return false;
  }

  /** The cards waiting for an answer (for a shell that connects while one is up). */
  pendingRequests(): ConsentRequest[] {
    return [...this.#pending.values()].map((p) => p.request);
  }

  /** The current grant of an app for a capability, if any; never prompts. */
  check(appId: string, capability: string): BrokerGrant | undefined {
    this.#use();
    const cap = parseCapability(capability);
    return this.listGrants(appId).find((g) => g.capability === cap);
  }

  /**
   * Records one use of a sensor and spends a "this time" grant. Throws
   * NotGranted without a current grant.
   */
  use(appId: string, capability: string, detail: Record<string, string | number> = {}): BrokerGrant {
    this.#use();
    const cap = parseCapability(capability);
    const grant = this.check(appId, cap);
    if (!grant) {
      this.#store.recordAudit('sensor.refused', appId, { capability: cap, why: 'no grant' });
      throw new FigmentError(ErrorCode.NotGranted, `This app has not been allowed to use the ${cap}.`);
    }
    this.#store.recordAudit('sensor.use', appId, { capability: cap, scope: grant.scope, ...detail });
    if (grant.scope === 'once') {
      this.#ephemeral.delete(`${appId}\u0000${cap}`);
      this.emit('grants', appId, cap, 'used');
    }
    return grant;
  }

  /** Takes back every grant of an app for a capability; live streams of it must stop. */
  revoke(appId: string, capability: string): boolean {
    this.#use();
    const cap = parseCapability(capability);
    const had = this.check(appId, cap) !== undefined;
    this.#ephemeral.delete(`${appId}\u0000${cap}`);
    this.#blocked.add(`${appId}\u0000${cap}`);
    if (this.#store.getApp(appId)) this.#store.revokeGrant(appId, cap);
    this.#store.recordAudit('sensor.revoked', appId, { capability: cap });
    if (had) this.emit('grants', appId, cap, 'revoked');
    return had;
  }

  /** The app was closed: its "while open" and unused "this time" grants end, and it may ask again. */
  appClosed(appId: string): void {
    this.#use();
    for (const key of this.#blocked) if (key.startsWith(`${appId}\u0000`)) this.#blocked.delete(key);
    for (const [key, grant] of this.#ephemeral) {
      if (grant.appId !== appId) continue;
      this.#ephemeral.delete(key);
      this.emit('grants', appId, grant.capability, 'closed');
    }
  }

  /** Current grants, of one app or all; expired ones are left out. */
  listGrants(appId?: string): BrokerGrant[] {
    this.#use();
    const now = this.#now();
    const grants: BrokerGrant[] = [];
    for (const grant of this.#ephemeral.values()) {
      if ((appId === undefined || grant.appId === appId) && grant.expiresAt > now) grants.push(grant);
    }
    const appIds = appId === undefined ? this.#store.listApps().map((a) => a.id) : [appId];
    for (const id of appIds) {
      if (!this.#store.getApp(id)) continue;
      for (const stored of this.#store.listGrants(id)) {
        const capability = stored.capability as SensorCapability;
        if (!sensorCapabilities.includes(capability)) continue;
        if (grants.some((g) => g.appId === id && g.capability === capability)) continue;
        const expiresAt = stored.expiresAt ?? Number.MAX_SAFE_INTEGER;
        if (expiresAt <= now) continue;
        grants.push({ appId: id, capability, scope: 'always', grantedAt: stored.grantedAt, expiresAt });
      }
    }
    return grants.sort((a, b) => a.appId.localeCompare(b.appId) || a.capability.localeCompare(b.capability));
  }

  dispose(): void {
    if (this.#disposed) return;
    for (const pending of [...this.#pending.values()]) pending.settle('timeout');
    this.#disposed = true;
    clearTimeout(this.#expiryTimer);
    this.#ephemeral.clear();
    this.removeAllListeners();
  }

  #grant(appId: string, capability: SensorCapability, scope: GrantScope): BrokerGrant {
    const now = this.#now();
    const forMs =
      scope === 'once'
        ? (this.options.onceForMs ?? 60_000)
        : scope === 'while-open'
          ? (this.options.whileOpenForMs ?? 12 * 3600_000)
          : (this.options.alwaysForMs ?? 90 * 24 * 3600_000);
    const grant: BrokerGrant = { appId, capability, scope, grantedAt: now, expiresAt: now + forMs };
    const key = `${appId}\u0000${capability}`;
    if (scope === 'always') {
      this.#ephemeral.delete(key);
      this.#store.grant(appId, capability, grant.expiresAt);
    } else {
      this.#ephemeral.set(key, grant);
    }
    this.emit('grants', appId, capability, 'granted');
    this.#scheduleExpiry();
    return grant;
  }

  /** Tells listeners when the next grant runs out, so nothing keeps using it. */
  #scheduleExpiry(): void {
    clearTimeout(this.#expiryTimer);
    if (this.#disposed) return;
    const now = this.#now();
    const grants = this.listGrants();
    const next = grants.reduce((soonest, g) => Math.min(soonest, g.expiresAt), Number.POSITIVE_INFINITY);
    if (!Number.isFinite(next)) return;
    // setTimeout holds at most ~24.8 days; a later expiry is looked at again then.
    const delay = Math.min(Math.max(0, next - now) + 5, 2 ** 31 - 1);
    this.#expiryTimer = setTimeout(() => {
      const later = this.#now();
      for (const grant of grants) {
        if (grant.expiresAt <= later) {
          this.#ephemeral.delete(`${grant.appId}\u0000${grant.capability}`);
          this.#store.recordAudit('sensor.expired', grant.appId, { capability: grant.capability });
          this.emit('grants', grant.appId, grant.capability, 'expired');
        }
      }
      this.#scheduleExpiry();
    }, delay);
    this.#expiryTimer.unref();
  }

  #requireApp(appId: string): { id: string; name: string } {
    const app = this.#store.getApp(appId);
    if (!app) throw new FigmentError(ErrorCode.NotFound, `There is no app ${appId.slice(0, 64)}.`);
    return app;
  }

  #use(): void {
    if (this.#disposed) throw new FigmentError(ErrorCode.Internal, 'the broker is stopped');
  }
}

/** Checks a capability name; anything but a sensor is refused with BadMessage. */
export function parseCapability(capability: string): SensorCapability {
  if ((sensorCapabilities as readonly string[]).includes(capability)) return capability as SensorCapability;
  throw new FigmentError(
    ErrorCode.BadMessage,
    `"${capability.slice(0, 40)}" is not a sensor; ask for one of ${sensorCapabilities.join(', ')}.`,
  );
}
