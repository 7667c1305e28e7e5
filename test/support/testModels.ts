import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the tiny GGUF test models live: $FIGMENT_TEST_MODELS_DIR, else <repo>/../shared/models. */
export function testModelsDir(): string {
  return process.env.FIGMENT_TEST_MODELS_DIR ?? join(repoRoot, '..', 'shared', 'models');
}

/**
 * The path of a test model file. A missing file throws instead of skipping:
 * in CI a missing dependency is a failure, not a pass.
 */
export function testModelPath(name: string): string {
  const path = join(testModelsDir(), name);
  if (!existsSync(path)) {
    throw new Error(
      `test model ${name} not found at ${path}; put it there or set FIGMENT_TEST_MODELS_DIR to the folder that holds it`,
    );
  }
  return path;
}
