import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import type { ModelStatus } from '../../protocol/index.js';
import type { ModelLogger } from './LlamaBackend.js';
import type { GenerateRequest, GenerateResult, ModelBackend, PrivacyLabel } from './types.js';

/**
 * 'local-only' never sends anything off the machine; 'remote-first' sends
 * requests labelled 'shareable' to the remote model and keeps the rest local.
 */
export type RoutingPolicy = 'local-only' | 'remote-first';

export interface RoutedBackendOptions {
  local: ModelBackend;
  remote: ModelBackend;
  /** Defaults to 'local-only'. */
  policy?: RoutingPolicy;
  /**
   * The label of a request that carries none (the owner's choice for app
   * generation). Defaults to 'private': nothing unlabelled leaves the machine.
   */
  defaultPrivacy?: PrivacyLabel;
  logger?: ModelLogger;
}

/**
 * Chooses per request between the local model and a remote one. Privacy
 * decides first: a request not labelled 'shareable' never leaves the
 * machine. A remote failure falls back to the local model with a notice.
 */
export class RoutedBackend implements ModelBackend {
  private readonly local: ModelBackend;
  private readonly remote: ModelBackend;
  private readonly policy: RoutingPolicy;
  private readonly defaultPrivacy: PrivacyLabel;
  private readonly logger: ModelLogger | undefined;

  constructor(options: RoutedBackendOptions) {
    this.local = options.local;
    this.remote = options.remote;
    this.policy = options.policy ?? 'local-only';
    this.defaultPrivacy = options.defaultPrivacy ?? 'private';
    this.logger = options.logger;
  }

  /** The backend unlabelled requests go to, so records name the model that wrote an app. */
  private get primary(): ModelBackend {
    return this.route({}) === 'remote' ? this.remote : this.local;
  }

  get kind(): ModelBackend['kind'] {
    return this.primary.kind;
  }

  get name(): string {
    return this.primary.name;
  }

  /**
   * The local model's status: it is the one every request can fall back to —
   * unless unlabelled requests go remote, when a missing local model still
   * leaves a working one.
   */
  status(): ModelStatus {
    const local = this.local.status();
    if (local.state === 'missing' && this.route({}) === 'remote') return this.remote.status();
    return local;
  }

  load(): Promise<void> {
    return this.local.load();
  }

  /** Where a request would go, for logs and tests. */
  route(request: Pick<GenerateRequest, 'privacy'>): 'local' | 'remote' {
    const privacy = request.privacy ?? this.defaultPrivacy;
    return this.policy === 'remote-first' && privacy === 'shareable' ? 'remote' : 'local';
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    if (this.route(request) === 'local') return this.local.generate(request);
    try {
      return await this.remote.generate(request);
    } catch (error) {
      const coded = FigmentError.from(error, ErrorCode.Remote);
      if (coded.code === ErrorCode.Cancelled) throw coded;
      const notice = `The remote model failed (${coded.message}); the local model answered instead.`;
      this.logger?.warn('remote model failed; falling back to the local model', { error: coded.message });
      request.onNotice?.(notice);
      const result = await this.local.generate(request);
      return { ...result, servedBy: result.servedBy ?? this.local.kind, notice };
    }
  }

  async dispose(): Promise<void> {
    await Promise.all([this.local.dispose(), this.remote.dispose()]);
  }
}
