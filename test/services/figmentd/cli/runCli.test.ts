import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../services/figmentd/cli/runCli.js';
import { testModelPath } from '../../../support/testModels.js';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough() as unknown as NodeJS.WriteStream;
  let outText = '';
  let errText = '';
  out.on('data', (chunk) => (outText += chunk));
  (err as unknown as PassThrough).on('data', (chunk) => (errText += chunk));
  const code = await runCli(argv, out, err);
  return { code, out: outText, err: errText };
}

describe('figment CLI', () => {
  let dir: string;
  const saved = { ...process.env };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'figment-cli-'));
    process.env.FIGMENT_STATE_DIR = dir;
    process.env.FIGMENT_MODEL_PATH = testModelPath('stories260K.gguf');
  });

  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('doctor reports cores, memory, compute, threads and the configured model', async () => {
    const { code, out } = await run(['doctor', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.hardware.physicalCores).toBeGreaterThanOrEqual(1);
    expect(report.gpu === false || typeof report.gpu === 'string').toBe(true);
    expect(report.threads).toBeGreaterThanOrEqual(1);
    expect(['board', 'mini-pc', 'gpu']).toContain(report.tier);
    expect(report.recommended.length).toBeGreaterThan(0);
    expect(report.model).toMatchObject({ present: true, info: { architecture: 'llama', blockCount: 5 } });
    const text = await run(['doctor']);
    expect(text.out).toContain('Threads');
    expect(text.out).toContain('figment models pull');
  });

  it('models info prints a GGUF header as JSON', async () => {
    const { code, out } = await run(['models', 'info', testModelPath('llama-2-tiny-random.gguf')]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ vocabularySize: 32_000, contextLength: 4096 });
  });

  it('models list shows the catalogue with sizes and licences', async () => {
    const { code, out } = await run(['models', 'list']);
    expect(code).toBe(0);
    expect(out).toMatch(/qwen2\.5-coder-7b\s+generation/);
    expect(out).toContain('Apache-2.0');
  });

  it('answers bad usage with status 64 and a coded error with status 1', async () => {
    expect((await run(['frobnicate'])).code).toBe(64);
    expect((await run(['models', 'pull'])).code).toBe(64);
    const missing = await run(['models', 'use', 'not-downloaded']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('FIGMENT_ERR_NOT_FOUND');
  });
});
