import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../support/ApiClient.js';
import { type RunningDaemon, repoRoot, startDaemon } from '../../../support/startDaemon.js';

let daemon: RunningDaemon;
let client: ApiClient;

beforeAll(async () => {
  daemon = await startDaemon();
  client = await ApiClient.connect(`${daemon.url.replace('http', 'ws')}/api?token=${daemon.token}`);
});

afterAll(async () => {
  client?.close();
  await daemon?.stop();
});

const wsUrl = () => daemon.url.replace('http', 'ws');

describe('connecting', () => {
  it('closes a WebSocket without the right token with code 4401, before reading anything', async () => {
    for (const address of [`${wsUrl()}/api`, `${wsUrl()}/api?token=wrong`]) {
      const intruder = await ApiClient.connect(address);
      const code = await new Promise<number>((resolve) => intruder.ws.once('close', resolve));
      expect(code).toBe(4401);
      expect(intruder.messages).toEqual([]);
    }
  });

  it('refuses a browser page from another origin even with the token', async () => {
    const attempt = ApiClient.connect(`${wsUrl()}/api?token=${daemon.token}`, {
      Origin: 'http://evil.example',
    });
    await expect(attempt).rejects.toThrow(/403/);
  });

  it('lets the Electron shell page (figment://shell) connect with the token, and still checks the token', async () => {
    const shell = await ApiClient.connect(`${wsUrl()}/api?token=${daemon.token}`, {
      Origin: 'figment://shell',
    });
    const reply = await shell.call('hello', { protocol: 1, client: 'test' });
    shell.close();
    expect(reply.type).toBe('reply');
    const impostor = await ApiClient.connect(`${wsUrl()}/api?token=wrong`, { Origin: 'figment://shell' });
    const code = await new Promise<number>((resolve) => impostor.ws.once('close', resolve));
    expect(code).toBe(4401);
    const otherHost = ApiClient.connect(`${wsUrl()}/api?token=${daemon.token}`, { Origin: 'figment://evil' });
    await expect(otherHost).rejects.toThrow(/403/);
  });

  it('refuses requests for another host name (DNS rebinding)', async () => {
    // fetch() may not set Host, so speak HTTP directly.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const { port } = new URL(daemon.url);
      request(
        { host: '127.0.0.1', port, path: '/', headers: { Host: `evil.example:${port}` } },
        (response) => {
          response.resume();
          resolve(response.statusCode);
        },
      )
        .on('error', reject)
        .end();
    });
    expect(status).toBe(421);
  });

  it('serves the same API on the Unix socket without a token', async () => {
    const local = await ApiClient.connect(`ws+unix://${daemon.socketPath}:/api`);
    const reply = await local.call('hello', { protocol: 1, client: 'test' });
    local.close();
    expect(reply).toMatchObject({ type: 'reply', result: { protocol: 1 } });
  });
});

describe('bad input never crashes the daemon', () => {
  it('answers malformed JSON with a coded error', async () => {
    client.sendRaw('{not json');
    const error = await client.waitFor((m) => m.type === 'error' && m.id === null);
    expect(error).toMatchObject({ error: { code: 'FIGMENT_ERR_BAD_MESSAGE' } });
  });

  it('answers an unknown method with its own code', async () => {
    const reply = await client.call('apps.delete-everything', {});
    expect(reply).toMatchObject({ type: 'error', error: { code: 'FIGMENT_ERR_UNKNOWN_METHOD' } });
  });

  it('answers wrong params with a message naming the field', async () => {
    const reply = await client.call('apps.open', { appId: 42 });
    expect(reply).toMatchObject({ type: 'error', error: { code: 'FIGMENT_ERR_BAD_MESSAGE' } });
    expect(reply.type === 'error' && reply.error.message).toMatch(/appId/);
  });

  it('keeps serving after a burst of garbage', async () => {
    const garbage = [
      '',
      '[]',
      'null',
      '{"id":1}',
      '{"id":"x","method":"generate","params":{"intent":""}}',
      '💥',
    ];
    for (const text of garbage) client.sendRaw(text);
    client.ws.send(Buffer.from([0, 1, 2]), { binary: true });
    const reply = await client.call('status');
    expect(reply).toMatchObject({ type: 'reply', result: { model: { state: 'ready' } } });
  });
});

describe('making and using an app', () => {
  it('generates an app with progress, stores it and lists it', async () => {
    const reply = await client.call('generate', { intent: 'a counter with a big plus button' });
    expect(reply).toMatchObject({
      type: 'reply',
      result: { app: { name: 'Counter', capabilities: ['storage'] } },
    });
    const progress = client.messages.filter((m) => m.type === 'event' && m.event === 'generation.progress');
    const stages = progress.map((m) => (m.type === 'event' ? (m.data as { stage: string }).stage : ''));
    expect(stages).toContain('generating');
    expect(stages.at(-1)).toBe('saving');

    const list = await client.call('apps.list');
    expect(list.type === 'reply' && (list.result as { apps: unknown[] }).apps).toHaveLength(1);
  });

  it('serves the app frame only with its capability, under a strict CSP', async () => {
    const list = await client.call('apps.list');
    const appId = (list as { result: { apps: Array<{ id: string }> } }).result.apps[0]?.id;
    const open = await client.call('apps.open', { appId });
    const { frameUrl, versionId } = (open as { result: { frameUrl: string; versionId: string } }).result;

    const frame = await fetch(`${daemon.url}${frameUrl}`);
    expect(frame.status).toBe(200);
    expect(frame.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    const html = await frame.text();
    expect(html.indexOf('figment')).toBeLessThan(html.indexOf('<h1>Counter'));

    const forged = await fetch(`${daemon.url}/frame/${versionId}?cap=forged`);
    expect(forged.status).toBe(404);
  });

  it("serves the warm frame under the app frames' CSP, without the SDK: one script that lays out its text", async () => {
    const warm = await fetch(`${daemon.url}/frame-warm`);
    expect(warm.status).toBe(200);
    expect(warm.headers.get('content-security-policy')).toMatch(/^default-src 'none'.*frame-ancestors/);
    const html = await warm.text();
    expect(html.match(/<script>(.*?)<\/script>/gi)).toEqual([
      '<script>document.body.getBoundingClientRect();</script>',
    ]);
    expect(html).not.toContain('figment.');
  });

  it("lists each app's frame address, which serves the version it names", async () => {
    const list = await client.call('apps.list');
    const { apps, frames } = (
      list as { result: { apps: { currentVersionId: string }[]; frames: Record<string, string> } }
    ).result;
    expect(Object.keys(frames)).toEqual(apps.map((app) => app.currentVersionId));
    for (const [versionId, frameUrl] of Object.entries(frames)) {
      expect(frameUrl).toMatch(new RegExp(`^/frame/${versionId}\\?cap=`));
      expect((await fetch(`${daemon.url}${frameUrl}`)).status).toBe(200);
    }
  });

  it('keeps app data by app id', async () => {
    const list = await client.call('apps.list');
    const appId = (list as { result: { apps: Array<{ id: string }> } }).result.apps[0]?.id;
    expect(await client.call('storage.set', { appId, key: 'count', value: 3 })).toMatchObject({
      type: 'reply',
    });
    expect(await client.call('storage.get', { appId, key: 'count' })).toMatchObject({ result: { value: 3 } });
    const missing = await client.call('storage.get', { appId: 'app_doesnotexist', key: 'count' });
    expect(missing).toMatchObject({ type: 'error', error: { code: 'FIGMENT_ERR_NOT_FOUND' } });
  });

  it('searches, lists versions, rolls back and forgets apps through the API', async () => {
    const search = await client.call('apps.search', { query: 'the counter I made' });
    const hits = (
      search as { result: { hits: Array<{ app: { id: string; name: string }; reason: string }> } }
    ).result.hits;
    expect(hits.map((hit) => hit.app.name)).toEqual(['Counter']);
    expect(hits[0]?.reason).toMatch(/"counter" in the name/);
    const appId = hits[0]?.app.id;

    const versions = await client.call('apps.versions', { appId });
    const list = (versions as { result: { versions: Array<{ id: string; current: boolean }> } }).result
      .versions;
    expect(list).toHaveLength(1);
    expect(list[0]?.current).toBe(true);
    expect(await client.call('apps.rollback', { appId, versionId: list[0]?.id })).toMatchObject({
      result: { app: { id: appId, currentVersionId: list[0]?.id } },
    });
    expect(await client.call('apps.rollback', { appId, versionId: 'ver_doesnotexist' })).toMatchObject({
      error: { code: 'FIGMENT_ERR_NOT_FOUND' },
    });

    expect(await client.call('apps.forget', { appId })).toMatchObject({ type: 'reply', result: {} });
    expect(await client.call('apps.search', { query: 'counter' })).toMatchObject({ result: { hits: [] } });
    expect(await client.call('apps.versions', { appId })).toMatchObject({
      error: { code: 'FIGMENT_ERR_NOT_FOUND' },
    });
  });

  it('answers a request the scripted model has no app for with a coded error', async () => {
    const reply = await client.call('generate', { intent: 'a spaceship simulator' });
    expect(reply).toMatchObject({ type: 'error', error: { code: 'FIGMENT_ERR_MODEL_OUTPUT' } });
  });
});

describe('first run without a model', () => {
  it('says no model is configured and how to get one, and refuses to generate', async () => {
    const bare = await startDaemon({
      env: { FIGMENT_MODEL_BACKEND: 'llama', FIGMENT_MODEL_PATH: '/nonexistent/model.gguf' },
    });
    try {
      const api = await ApiClient.connect(`ws+unix://${bare.socketPath}:/api`);
      const hello = await api.call('hello', { protocol: 1, client: 'test' });
      expect(hello).toMatchObject({ result: { model: { state: 'missing' } } });
      expect(JSON.stringify(hello)).toMatch(/\/nonexistent\/model\.gguf/);
      const generate = await api.call('generate', { intent: 'a counter' });
      expect(generate).toMatchObject({ type: 'error', error: { code: 'FIGMENT_ERR_NO_MODEL' } });
      api.close();
    } finally {
      await bare.stop();
    }
  });
});

describe('configuration', () => {
  it('refuses a wrong value with a message naming the field, and exit status 78', () => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'dist/services/figmentd/main.js')], {
      env: { PATH: process.env.PATH, FIGMENT_PORT: '99999', FIGMENT_LOG_LEVEL: 'loud' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toMatch(/api\.port/);
    expect(result.stderr).toMatch(/logLevel/);
  });
});
