import { describe, expect, it } from 'vitest';
import type { Handlers } from '../../../../services/figmentd/api/RequestRouter.js';
import { RequestRouter } from '../../../../services/figmentd/api/RequestRouter.js';
import { Logger } from '../../../../services/figmentd/log/Logger.js';
import { ErrorCode, FigmentError } from '../../../../services/protocol/errors.js';
import type { ServerMessage } from '../../../../services/protocol/messages.js';

const handlers = {
  status: () => ({ model: { state: 'ready', backend: 'scripted' }, appCount: 0 }),
  'apps.list': () => {
    throw new Error('disk on fire at /secret/path');
  },
  'apps.open': () => {
    throw new FigmentError(ErrorCode.NotFound, 'That app no longer exists.');
  },
} as unknown as Handlers;

const context = { connectionId: 'c1', signal: new AbortController().signal, sendEvent: () => {} };

async function route(raw: string): Promise<ServerMessage> {
  const logs: string[] = [];
  const router = new RequestRouter(handlers, new Logger('debug', 'test', (line) => logs.push(line)));
  let reply: ServerMessage | undefined;
  await router.handle(raw, context, (message) => (reply = message));
  if (!reply) throw new Error('no reply');
  return reply;
}

describe('RequestRouter', () => {
  it('runs a known method and replies with its id', async () => {
    expect(await route('{"id":"1","method":"status"}')).toMatchObject({ type: 'reply', id: '1' });
  });

  it('refuses unknown fields in params (strict schemas)', async () => {
    const reply = await route('{"id":"2","method":"status","params":{"admin":true}}');
    expect(reply).toMatchObject({ type: 'error', id: '2', error: { code: ErrorCode.BadMessage } });
  });

  it('keeps a coded error as it is', async () => {
    const reply = await route('{"id":"3","method":"apps.open","params":{"appId":"app_abcdefgh"}}');
    expect(reply).toEqual({
      type: 'error',
      id: '3',
      error: { code: ErrorCode.NotFound, message: 'That app no longer exists.' },
    });
  });

  it('hides the details of an unexpected failure from the client', async () => {
    const reply = await route('{"id":"4","method":"apps.list"}');
    expect(reply).toMatchObject({ type: 'error', error: { code: ErrorCode.Internal } });
    expect(JSON.stringify(reply)).not.toContain('/secret/path');
  });

  it('refuses an oversized message before parsing it', async () => {
    const reply = await route(`{"id":"5","method":"generate","params":{"intent":"${'a'.repeat(600_000)}"}}`);
    expect(reply).toMatchObject({ type: 'error', id: null, error: { code: ErrorCode.Limit } });
  });

  it('answers prototype-polluting input as a bad message without polluting', async () => {
    const reply = await route('{"id":"6","method":"status","params":{"__proto__":{"polluted":true}}}');
    expect(reply).toMatchObject({ type: 'error', error: { code: ErrorCode.BadMessage } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
