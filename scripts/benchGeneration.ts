/**
 * `npm run bench:generation`: JSON lines with
 * - the pipeline's own cost per app, model time excluded (parsing, validation,
 *   storage in a real SQLite file, progress events with the preview), p50/p95 ms;
 * - the token count of each hand-written reference app in test/fixtures, with
 *   the Llama-2 tokenizer of ../shared/models/llama-2-tiny-random.gguf through
 *   node-llama-cpp (and of the v2 prompt's fixed system text).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama } from 'node-llama-cpp';
import { Generator } from '../services/figmentd/generation/Generator.js';
import { PromptSet } from '../services/figmentd/generation/PromptSet.js';
import { Logger } from '../services/figmentd/log/Logger.js';
import { ScriptedBackend } from '../services/figmentd/models/ScriptedBackend.js';
import type { GenerateRequest } from '../services/figmentd/models/types.js';
import { ContextStore } from '../services/figmentd/store/ContextStore.js';
import { referenceApps } from '../test/support/referenceApps.js';
import { repoRoot } from '../test/support/startDaemon.js';
import { testModelPath } from '../test/support/testModels.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const prompts = PromptSet.load(join(repoRoot, 'prompts/v3'));
const apps = referenceApps();

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
const round = (ms: number) => Math.round(ms * 100) / 100;

async function overhead(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'figment-bench-'));
  const store = ContextStore.open({ path: join(dir, 'figment.db') });
  try {
    for (const app of apps) {
      const backend = new ScriptedBackend([{ match: '.', output: JSON.stringify(app.bundle) }], {
        chunkChars: 16,
      });
      // Model time is what the backend spends outside our callbacks; the callbacks (progress, preview) are ours.
      let modelMs = 0;
      const generate = backend.generate.bind(backend);
      backend.generate = async (request: GenerateRequest) => {
        let callbackMs = 0;
        const onText = request.onText;
        const started = performance.now();
        const result = await generate({
          ...request,
          onText: (chunk, tokens) => {
            const at = performance.now();
            onText?.(chunk, tokens);
            callbackMs += performance.now() - at;
          },
        });
        modelMs += performance.now() - started - callbackMs;
        return result;
      };
      let events = 0;
      const generator = new Generator({
        backend,
        store,
        prompts,
        logger: new Logger('error', 'bench', () => undefined),
        maxTokens: 100_000,
        timeoutMs: 60_000,
      });
      const samples: number[] = [];
      for (let i = 0; i < RUNS + 3; i++) {
        modelMs = 0;
        const started = performance.now();
        await generator.generate(`a ${app.bundle.manifest.name.toLowerCase()}`, {
          requestId: `bench-${i}`,
          onProgress: (progress) => {
            events++;
            JSON.stringify(progress);
          },
        });
        const total = performance.now() - started;
        if (i >= 3) samples.push(total - modelMs);
      }
      console.log(
        JSON.stringify({
          bench: 'generation.overhead',
          app: app.file,
          htmlChars: app.bundle.html.length,
          runs: RUNS,
          p50Ms: round(percentile(samples, 50)),
          p95Ms: round(percentile(samples, 95)),
          progressEventsPerRun: Math.round(events / (RUNS + 3)),
          includes: 'parse, validation, SQLite storage (synchronous=FULL), attempt log, progress+preview',
        }),
      );
    }
  } finally {
    store.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function tokens(): Promise<void> {
  const modelFile = testModelPath('llama-2-tiny-random.gguf');
  const llama = await getLlama({ gpu: false });
  const model = await llama.loadModel({ modelPath: modelFile });
  try {
    const count = (text: string) => model.tokenize(text).length;
    for (const app of apps) {
      console.log(
        JSON.stringify({
          bench: 'generation.tokens',
          app: app.file,
          tokenizer: 'llama-2 (llama-2-tiny-random.gguf)',
          htmlTokens: count(app.bundle.html),
          bundleJsonTokens: count(JSON.stringify(app.bundle)),
          htmlChars: app.bundle.html.length,
        }),
      );
    }
    console.log(
      JSON.stringify({
        bench: 'generation.tokens',
        prompt: `v${prompts.version} system (fixed prefix)`,
        tokenizer: 'llama-2 (llama-2-tiny-random.gguf)',
        tokens: count(prompts.system),
      }),
    );
  } finally {
    await model.dispose();
    await llama.dispose();
  }
}

await overhead();
await tokens();
