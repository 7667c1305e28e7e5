import type { z } from 'zod';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import {
  type EventData,
  type EventName,
  MAX_MESSAGE_BYTES,
  type Method,
  methods,
  type Params,
  RequestEnvelope,
  type Result,
  requestParams,
  type ServerMessage,
} from '../../protocol/messages.js';
import type { Logger } from '../log/Logger.js';

/** What a handler knows about the request it serves. */
export interface RequestContext {
  requestId: string;
  /** Identifies the client connection, for per-connection state such as cancellation. */
  connectionId: string;
  /** Aborted when the client disconnects. */
  signal: AbortSignal;
  sendEvent<E extends EventName>(event: E, data: EventData<E>): void;
}

export type Handlers = {
  [M in Method]: (params: Params<M>, context: RequestContext) => Promise<Result<M>> | Result<M>;
};

/**
 * Parses one raw message, checks it against the protocol and runs its
 * handler. Every failure becomes a coded error reply; nothing thrown here
 * can reach the socket layer.
 */
export class RequestRouter {
  constructor(
    private readonly handlers: Handlers,
    private readonly logger: Logger,
  ) {}

  async handle(
    raw: string,
    context: Omit<RequestContext, 'requestId'>,
    reply: (message: ServerMessage) => void,
  ): Promise<void> {
    let requestId: string | null = null;
    try {
      if (Buffer.byteLength(raw) > MAX_MESSAGE_BYTES) {
        throw new FigmentError(ErrorCode.Limit, `message larger than ${MAX_MESSAGE_BYTES} bytes`);
      }
      const envelope = RequestEnvelope.safeParse(parseJson(raw));
      if (!envelope.success) throw badMessage('request', envelope.error);
      requestId = envelope.data.id;
      const method = envelope.data.method;
      if (!isMethod(method)) {
        throw new FigmentError(ErrorCode.UnknownMethod, `unknown method "${method.slice(0, 64)}"`);
      }
      const params = requestParams[method].safeParse(envelope.data.params ?? {});
      if (!params.success) throw badMessage(`params of ${method}`, params.error);
      const handler = this.handlers[method] as (p: unknown, c: RequestContext) => Promise<unknown> | unknown;
      const result = await handler(params.data, { ...context, requestId });
      reply({ type: 'reply', id: requestId, result });
    } catch (error) {
      const coded = FigmentError.from(error);
      if (coded.code === ErrorCode.Internal) this.logger.error('request failed', { requestId, error });
      else this.logger.debug('request refused', { requestId, code: coded.code, message: coded.message });
      const message =
        coded.code === ErrorCode.Internal ? 'Something went wrong inside Figment.' : coded.message;
      reply({ type: 'error', id: requestId, error: { code: coded.code, message } });
    }
  }
}

function isMethod(name: string): name is Method {
  return (methods as string[]).includes(name);
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new FigmentError(ErrorCode.BadMessage, 'message is not valid JSON');
  }
}

function badMessage(what: string, error: z.ZodError): FigmentError {
  const issues = error.issues.map((issue) => `${issue.path.join('.') || what}: ${issue.message}`).join('; ');
  return new FigmentError(ErrorCode.BadMessage, `invalid ${what}: ${issues}`);
}
