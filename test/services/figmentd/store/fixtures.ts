import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VersionRecord } from '../../../../services/figmentd/store/types.js';
import { FigmentError } from '../../../../services/protocol/index.js';

/** A version record as the generator would hand it over. */
export function versionRecord(
  name = 'Budget tracker',
  overrides: Partial<VersionRecord> = {},
): VersionRecord {
  return {
    intent: `make me a ${name.toLowerCase()}`,
    bundle: {
      manifest: { name, description: `A ${name.toLowerCase()}.`, capabilities: ['storage'] },
      html: `<!doctype html><html lang="en"><title>${name}</title><h1>${name}</h1></html>`,
    },
    model: 'tiny-test-model',
    promptVersion: 'v1',
    promptTokens: 1200,
    completionTokens: 800,
    generationMs: 4200,
    validationMs: 35,
    ...overrides,
  };
}

/** A fresh folder under the system temp dir, and a way to remove it. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'figment-store-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A clock that moves forward 1 ms on every reading, so orderings never tie. */
export function steppingClock(start = 1_700_000_000_000): () => number {
  let now = start;
  return () => ++now;
}

/** Runs `fn` and returns the FigmentError it throws; fails when it throws nothing or something else. */
export function figmentError(fn: () => unknown): FigmentError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FigmentError) return error;
    throw new Error(`expected a FigmentError, got: ${String(error)}`);
  }
  throw new Error('expected a FigmentError, but nothing was thrown');
}
