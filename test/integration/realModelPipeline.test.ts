import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/ApiClient.js';
import { type RunningDaemon, startDaemon } from '../support/startDaemon.js';
import { testModelPath } from '../support/testModels.js';

/**
 * The real node-llama-cpp path, end to end through figmentd: the tiny
 * stories260K model cannot write a useful app, but whatever it writes is
 * constrained to the bundle grammar, validated, stored and listed.
 */
let daemon: RunningDaemon;
let client: ApiClient;

beforeAll(async () => {
  daemon = await startDaemon({
    env: {
      FIGMENT_MODEL_BACKEND: 'llama',
      FIGMENT_MODEL_PATH: testModelPath('stories260K.gguf'),
      FIGMENT_MODEL_GPU: 'false',
      // Its 512-token vocabulary makes the v1 prompt (SDK reference included) ~3,000 tokens,
      // past the 2,048 it was trained on; the room left must still hold a whole bundle.
      FIGMENT_MODEL_CONTEXT: '8192',
    },
  });
  client = await ApiClient.connect(`ws+unix://${daemon.socketPath}:/api`);
});

afterAll(async () => {
  client?.close();
  await daemon?.stop();
});

describe('generation on a real GGUF model', () => {
  it('reports the model by its file name', async () => {
    const hello = await client.call('hello', { protocol: 1, client: 'test' });
    expect(hello).toMatchObject({
      type: 'reply',
      result: { model: { backend: 'llama', name: 'stories260K.gguf' } },
    });
  });

  it('streams a grammar-constrained bundle that is validated, stored and listed', async () => {
    const reply = await client.call('generate', { intent: 'a counter with a big plus button' }, 100_000);
    expect(reply.type).toBe('reply');
    if (reply.type !== 'reply') return;
    const { app, versionId } = reply.result as { app: { id: string; name: string }; versionId: string };
    expect(app.name.trim().length).toBeGreaterThan(0);

    const progress = client.messages.filter((m) => m.type === 'event' && m.event === 'generation.progress');
    const generating = progress.filter(
      (m) => m.type === 'event' && (m.data as { stage: string }).stage === 'generating',
    );
    expect(generating.length).toBeGreaterThan(0);

    const list = await client.call('apps.list');
    expect(
      (list as { result: { apps: Array<{ id: string; currentVersionId: string }> } }).result.apps,
    ).toEqual([expect.objectContaining({ id: app.id, currentVersionId: versionId })]);
    const logs = daemon.logs();
    expect(logs).toMatch(/"msg":"app generated"/);
  }, 120_000);
});
