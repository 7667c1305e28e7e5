import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedBackend } from '../../../../services/figmentd/models/ScriptedBackend.js';
import type { GenerateRequest } from '../../../../services/figmentd/models/types.js';
import { ErrorCode, FigmentError } from '../../../../services/protocol/errors.js';

function request(user: string, extra: Partial<GenerateRequest> = {}): GenerateRequest {
  return { system: 'system text', user, maxTokens: 1000, ...extra };
}

async function errorOf(promise: Promise<unknown>): Promise<FigmentError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FigmentError) return error;
    throw error;
  }
  throw new Error('expected the promise to reject');
}

function thrownBy(run: () => unknown): FigmentError {
  try {
    run();
  } catch (error) {
    if (error instanceof FigmentError) return error;
    throw error;
  }
  throw new Error('expected a FigmentError');
}

describe('ScriptedBackend', () => {
  it('answers with the first response whose pattern matches the user text, ignoring case', async () => {
    const backend = new ScriptedBackend([
      { match: 'to-?do', output: 'todo app' },
      { match: '.*', output: 'anything else' },
    ]);
    expect((await backend.generate(request('Make a TODO list'))).text).toBe('todo app');
    expect((await backend.generate(request('a timer'))).text).toBe('anything else');
  });

  it('is always ready under its name', async () => {
    const backend = new ScriptedBackend([], { name: 'demo' });
    await backend.load();
    expect(backend.status()).toEqual({ state: 'ready', backend: 'scripted', name: 'demo' });
    expect(backend.kind).toBe('scripted');
  });

  it('streams the output in chunks, one token each', async () => {
    const backend = new ScriptedBackend([{ match: 'x', output: 'abcdefghij' }], { chunkChars: 4 });
    const seen: [string, number][] = [];
    const result = await backend.generate(
      request('x', { onText: (chunk, tokens) => seen.push([chunk, tokens]) }),
    );
    expect(seen).toEqual([
      ['abcd', 1],
      ['efgh', 2],
      ['ij', 3],
    ]);
    expect(result).toMatchObject({ text: 'abcdefghij', completionTokens: 3, stopReason: 'eos' });
    expect(result.promptTokens).toBeGreaterThan(0);
  });

  it('stops at maxTokens', async () => {
    const backend = new ScriptedBackend([{ match: 'x', output: 'abcdefghij' }], { chunkChars: 2 });
    const result = await backend.generate(request('x', { maxTokens: 2 }));
    expect(result).toMatchObject({ text: 'abcd', completionTokens: 2, stopReason: 'maxTokens' });
  });

  it('paces chunks by delayMs', async () => {
    const backend = new ScriptedBackend([{ match: 'x', output: 'abc' }], { chunkChars: 1, delayMs: 20 });
    const started = performance.now();
    await backend.generate(request('x'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('rejects with Cancelled when aborted mid-stream', async () => {
    const backend = new ScriptedBackend([{ match: 'x', output: 'a'.repeat(100) }], {
      chunkChars: 10,
      delayMs: 5,
    });
    const controller = new AbortController();
    const chunks: string[] = [];
    const error = await errorOf(
      backend.generate(
        request('x', {
          signal: controller.signal,
          onText: (chunk) => {
            chunks.push(chunk);
            if (chunks.length === 2) controller.abort();
          },
        }),
      ),
    );
    expect(error.code).toBe(ErrorCode.Cancelled);
    expect(chunks).toHaveLength(2);
    expect((await backend.generate(request('x'))).text).toHaveLength(100);
  });

  it('rejects with Cancelled when aborted between chunks without a delay', async () => {
    const backend = new ScriptedBackend([{ match: 'x', output: 'abcdef' }], { chunkChars: 1 });
    const controller = new AbortController();
    const pending = backend.generate(request('x', { signal: controller.signal }));
    controller.abort();
    expect((await errorOf(pending)).code).toBe(ErrorCode.Cancelled);
  });

  it('fails with a ModelOutput error when nothing matches', async () => {
    const backend = new ScriptedBackend([{ match: '^weather', output: '{}' }]);
    const error = await errorOf(backend.generate(request('a calculator')));
    expect(error.code).toBe(ErrorCode.ModelOutput);
    expect(error.message).toContain('the scripted backend has no response for "a calculator"');
  });

  it('records every request in order', async () => {
    const backend = new ScriptedBackend([{ match: '.', output: 'ok' }]);
    await backend.generate(request('first'));
    await backend.generate(request('second', { jsonSchema: { type: 'object' } }));
    expect(backend.requests.map((r) => r.user)).toEqual(['first', 'second']);
    expect(backend.requests[1]?.jsonSchema).toEqual({ type: 'object' });
  });

  it('refuses an invalid pattern with a Config error', () => {
    expect(thrownBy(() => new ScriptedBackend([{ match: '(', output: '' }])).code).toBe(ErrorCode.Config);
  });

  it('refuses every call once disposed', async () => {
    const backend = new ScriptedBackend([{ match: '.', output: 'ok' }]);
    await backend.dispose();
    expect(() => backend.status()).toThrow(FigmentError);
    await expect(backend.generate(request('x'))).rejects.toThrow(FigmentError);
  });
});

describe('ScriptedBackend.fromFile', () => {
  let dir: string;
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'figment-scripted-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads string outputs as they are and other JSON values as their JSON text', async () => {
    const bundle = { manifest: { name: 'Timer', description: '', capabilities: [] }, html: '<p>hi</p>' };
    const path = write(
      'ok.json',
      JSON.stringify({
        responses: [
          { match: 'timer', output: bundle },
          { match: 'hello', output: 'plain text' },
        ],
      }),
    );
    const backend = ScriptedBackend.fromFile(path, { name: 'from-file' });
    expect(JSON.parse((await backend.generate(request('A timer'))).text)).toEqual(bundle);
    expect((await backend.generate(request('hello'))).text).toBe('plain text');
    expect(backend.name).toBe('from-file');
  });

  it('names a missing file in a Config error', () => {
    const path = join(dir, 'absent.json');
    const error = thrownBy(() => ScriptedBackend.fromFile(path));
    expect(error.code).toBe(ErrorCode.Config);
    expect(error.message).toContain(path);
  });

  it('refuses a file that is not JSON', () => {
    const error = thrownBy(() => ScriptedBackend.fromFile(write('bad.json', '{ responses: ')));
    expect(error.code).toBe(ErrorCode.Config);
    expect(error.message).toContain('could not read the scripted responses');
  });

  it('names the wrong field of a badly shaped file', () => {
    const path = write(
      'shape.json',
      JSON.stringify({ responses: [{ match: 'a', output: 'x' }, { output: 'y' }] }),
    );
    const error = thrownBy(() => ScriptedBackend.fromFile(path));
    expect(error.code).toBe(ErrorCode.Config);
    expect(error.message).toContain('responses.1.match');
  });

  it('refuses an invalid regular expression and unknown keys', () => {
    const badPattern = write('pattern.json', JSON.stringify({ responses: [{ match: '[', output: 'x' }] }));
    expect(thrownBy(() => ScriptedBackend.fromFile(badPattern)).message).toContain(
      'responses.0.match: not a valid regular expression',
    );
    const extra = write('extra.json', JSON.stringify({ responses: [{ match: 'a', output: 'x', delay: 1 }] }));
    expect(thrownBy(() => ScriptedBackend.fromFile(extra)).code).toBe(ErrorCode.Config);
  });

  it('refuses a file with no responses', () => {
    const error = thrownBy(() => ScriptedBackend.fromFile(write('empty.json', '{ "responses": [] }')));
    expect(error.code).toBe(ErrorCode.Config);
    expect(error.message).toContain('responses');
  });
});
