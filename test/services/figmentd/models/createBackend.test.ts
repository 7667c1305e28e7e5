import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../../../services/figmentd/models/createBackend.js';
import { LlamaBackend } from '../../../../services/figmentd/models/LlamaBackend.js';
import { RoutedBackend } from '../../../../services/figmentd/models/RoutedBackend.js';
import { ScriptedBackend } from '../../../../services/figmentd/models/ScriptedBackend.js';
import { ErrorCode, FigmentError } from '../../../../services/protocol/errors.js';

const base = { path: '/nowhere/model.gguf', threads: 'auto', gpu: false, contextSize: 4096 } as const;

describe('createBackend', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'figment-create-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('routes through a remote model when one is configured, reading its key from the named variable', async () => {
    const remote = {
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'm',
      apiKeyEnv: 'TEST_KEY',
      timeoutMs: 1000,
      policy: 'remote-first',
    } as const;
    const backend = createBackend({ ...base, backend: 'llama', remote }, undefined, { TEST_KEY: 'secret' });
    expect(backend).toBeInstanceOf(RoutedBackend);
    expect((backend as RoutedBackend).route({ privacy: 'shareable' })).toBe('remote');
    expect(backend.status()).toMatchObject({ backend: 'llama', state: 'missing' });
    await backend.dispose();
    expect(() => createBackend({ ...base, backend: 'llama', remote }, undefined, {})).toThrow(
      expect.objectContaining({ code: ErrorCode.Config, message: expect.stringContaining('TEST_KEY') }),
    );
  });

  it('builds a llama backend for the configured GGUF without loading it', async () => {
    const backend = createBackend({ ...base, backend: 'llama' });
    expect(backend).toBeInstanceOf(LlamaBackend);
    expect(backend.name).toBe('model.gguf');
    expect(backend.status().state).toBe('missing');
    await backend.dispose();
  });

  it('builds a scripted backend from its script file', async () => {
    const scriptPath = join(dir, 'script.json');
    writeFileSync(scriptPath, JSON.stringify({ responses: [{ match: '.', output: 'hi' }] }));
    const backend = createBackend({ ...base, backend: 'scripted', scriptPath });
    expect(backend).toBeInstanceOf(ScriptedBackend);
    expect((await backend.generate({ system: '', user: 'x', maxTokens: 10 })).text).toBe('hi');
  });

  it('refuses a scripted backend without a script file', () => {
    let error: unknown;
    try {
      createBackend({ ...base, backend: 'scripted' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FigmentError);
    expect((error as FigmentError).code).toBe(ErrorCode.Config);
  });
});
