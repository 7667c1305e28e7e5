import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../support/ApiClient.js';
import { type RunningDaemon, startDaemon } from '../../../support/startDaemon.js';

/** apps.pin and apps.setIcon on a real figmentd: checked params, coded errors, state kept across a restart. */
let daemon: RunningDaemon;
let client: ApiClient;

beforeAll(async () => {
  daemon = await startDaemon();
  client = await ApiClient.connect(`ws+unix://${daemon.socketPath}:/api`);
});
afterAll(async () => {
  client?.close();
  await daemon?.stop();
});

async function ok<T>(method: string, params: unknown): Promise<T> {
  const reply = await client.call(method, params, 20_000);
  if (reply.type !== 'reply') throw new Error(`${method} failed: ${JSON.stringify(reply)}`);
  return reply.result as T;
}
type App = { id: string; pinnedAt: number | null; icon: string | null };

describe('pinning apps and choosing their icons', () => {
  it('pins, sets an icon, and keeps both across a daemon restart', async () => {
    const { app } = await ok<{ app: App }>('generate', { intent: 'a counter with a big plus button' });
    expect(app).toMatchObject({ pinnedAt: null, icon: null });
    expect((await ok<{ app: App }>('apps.pin', { appId: app.id, pinned: true })).app.pinnedAt).toEqual(
      expect.any(Number),
    );
    expect((await ok<{ app: App }>('apps.setIcon', { appId: app.id, icon: 'star' })).app.icon).toBe('star');

    client.close();
    await daemon.stop();
    daemon = await startDaemon({ stateDir: daemon.stateDir });
    client = await ApiClient.connect(`ws+unix://${daemon.socketPath}:/api`);
    const { apps } = await ok<{ apps: App[] }>('apps.list', {});
    expect(apps).toEqual([
      expect.objectContaining({ id: app.id, pinnedAt: expect.any(Number), icon: 'star' }),
    ]);
    expect((await ok<{ app: App }>('apps.pin', { appId: app.id, pinned: false })).app.pinnedAt).toBeNull();
  });

  it('refuses an icon outside the catalogue, a missing flag and an unknown app, each with its code', async () => {
    const { apps } = await ok<{ apps: App[] }>('apps.list', {});
    const appId = apps[0]?.id;
    expect(await client.call('apps.setIcon', { appId, icon: '<img src=x>' })).toMatchObject({
      type: 'error',
      error: { code: 'FIGMENT_ERR_BAD_MESSAGE' },
    });
    expect(await client.call('apps.pin', { appId })).toMatchObject({
      type: 'error',
      error: { code: 'FIGMENT_ERR_BAD_MESSAGE' },
    });
    expect(await client.call('apps.pin', { appId: 'app_doesnotexist', pinned: true })).toMatchObject({
      type: 'error',
      error: { code: 'FIGMENT_ERR_NOT_FOUND' },
    });
    expect(await client.call('apps.setIcon', { appId: 'app_doesnotexist', icon: null })).toMatchObject({
      type: 'error',
      error: { code: 'FIGMENT_ERR_NOT_FOUND' },
    });
  });
});
