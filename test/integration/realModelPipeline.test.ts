import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/ApiClient.js';
import { type RunningDaemon, startDaemon } from '../support/startDaemon.js';
import { testModelPath } from '../support/testModels.js';

/**
 * The real node-llama-cpp path, end to end through figmentd: the tiny
 * stories260K model cannot write a useful app, but whatever it writes is
 * constrained to the bundle grammar, parsed, validated, repaired within the
 * bound, and every attempt is stored with the prompt version and the model.
 */
let daemon: RunningDaemon;
let client: ApiClient;

beforeAll(async () => {
  daemon = await startDaemon({
    env: {
      FIGMENT_MODEL_BACKEND: 'llama',
      FIGMENT_MODEL_PATH: testModelPath('stories260K.gguf'),
      FIGMENT_MODEL_GPU: 'false',
      // Its 512-token vocabulary makes the v2 prompt ~5,000 tokens, and a repair prompt carries the last answer too.
      FIGMENT_MODEL_CONTEXT: '10240',
      FIGMENT_MAX_TOKENS: '400',
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

  it('streams grammar-constrained answers that are validated, repaired within the bound and recorded', async () => {
    const reply = await client.call(
      'ask',
      { text: 'a counter with a big plus button', skipQuestions: true },
      200_000,
    );
    const progress = client.messages.filter((m) => m.type === 'event' && m.event === 'generation.progress');
    const stages = new Set(
      progress.map((m) => (m.type === 'event' ? (m.data as { stage: string }).stage : '')),
    );
    expect(stages).toContain('generating');
    expect(stages).toContain('validating');

    const db = new Database(join(daemon.stateDir, 'figment.db'), { readonly: true });
    try {
      const attempts = db
        .prepare(
          'SELECT attempt, kind, outcome, model, prompt_version, completion_tokens, findings, app_id, version_id FROM generation_attempts ORDER BY id',
        )
        .all() as {
        attempt: number;
        kind: string;
        outcome: string;
        model: string;
        prompt_version: string;
        completion_tokens: number;
        findings: string;
        app_id: string | null;
        version_id: string | null;
      }[];
      expect(attempts.length).toBeGreaterThanOrEqual(1);
      expect(attempts.length).toBeLessThanOrEqual(4);
      expect(attempts.map((a) => a.attempt)).toEqual(attempts.map((_, i) => i + 1));
      for (const attempt of attempts) {
        expect(attempt).toMatchObject({ model: 'stories260K.gguf', prompt_version: '3' });
        expect(attempt.completion_tokens).toBeGreaterThan(0);
      }
      const last = attempts.at(-1);
      if (reply.type === 'reply') {
        // Stored: the version records the prompt version and is the app's current one.
        const result = reply.result as { kind: string; app: { id: string }; versionId: string };
        expect(result.kind).toBe('made');
        expect(last).toMatchObject({
          outcome: 'stored',
          app_id: result.app.id,
          version_id: result.versionId,
        });
        expect(
          db.prepare('SELECT prompt_version FROM app_versions WHERE id = ?').pluck().get(result.versionId),
        ).toBe('3');
      } else {
        // Refused: every attempt has precise coded findings, and nothing was stored as an app.
        expect(reply).toMatchObject({ type: 'error', error: { code: 'FIGMENT_ERR_VALIDATION' } });
        expect(reply.type === 'error' && reply.error.message).toMatch(/after \d attempts?/);
        for (const attempt of attempts) {
          expect(attempt.outcome).not.toBe('stored');
          const codes = (JSON.parse(attempt.findings) as { code: string }[]).map((f) => f.code);
          expect(codes.length).toBeGreaterThan(0);
          expect(codes.every((code) => /^[a-z0-9]+\.[a-z0-9.]+$/.test(code))).toBe(true);
        }
        expect(db.prepare('SELECT count(*) FROM apps').pluck().get()).toBe(0);
      }
    } finally {
      db.close();
    }
  }, 240_000);
});
