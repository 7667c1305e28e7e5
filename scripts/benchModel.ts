/**
 * npm run bench:model — prints JSON lines: prompt and generation tokens/s and
 * time to first token for the default thread choice and for 1…N threads,
 * the prefix-reuse saving, and whether the default is as fast as the best
 * fixed count. FIGMENT_BENCH_MODEL picks the GGUF (default: the tiny
 * stories260K next to the checkout); FIGMENT_BENCH_MAX_THREADS sets N
 * (default: the logical core count); FIGMENT_BENCH_GPU=auto tries the GPU.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { chooseThreads } from '../services/figmentd/models/chooseThreads.js';
import { detectHardware } from '../services/figmentd/models/detectHardware.js';
import { LlamaBackend } from '../services/figmentd/models/LlamaBackend.js';
import type { GenerateResult } from '../services/figmentd/models/types.js';

const root = new URL('..', import.meta.url).pathname;
const modelPath =
  process.env.FIGMENT_BENCH_MODEL ??
  join(process.env.FIGMENT_TEST_MODELS_DIR ?? join(root, '..', 'shared', 'models'), 'stories260K.gguf');
const maxThreads = Number(process.env.FIGMENT_BENCH_MAX_THREADS ?? availableParallelism());
const gpu = process.env.FIGMENT_BENCH_GPU === 'auto' ? 'auto' : false;
const REPEATS = 5;
const MAX_TOKENS = 128;
const SYSTEM =
  'Once upon a time there was a little girl named Lily. She loved to play outside in the park with her friends. ' +
  'One day she saw a big red ball under a tree and she wanted to play with it. ';

interface Sample {
  promptTps: number;
  genTps: number;
  ttftMs: number;
}

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function sample(result: GenerateResult): Sample {
  const ttft = result.firstTextMs ?? result.durationMs;
  const genMs = Math.max(1e-3, result.durationMs - ttft);
  return {
    promptTps: (result.evaluatedPromptTokens ?? result.promptTokens) / (ttft / 1000),
    genTps: Math.max(0, result.completionTokens - 1) / (genMs / 1000),
    ttftMs: ttft,
  };
}

/**
 * Measures every thread setting in interleaved rounds (auto, 1, 2, … then
 * again), so that load from other processes falls on all of them alike.
 */
async function measureAll(settings: (number | 'auto')[]): Promise<(Sample & { threads: number })[]> {
  const backends = settings.map(
    (threads) => new LlamaBackend({ modelPath, threads, gpu, contextSize: 2048 }),
  );
  try {
    for (const backend of backends) {
      await backend.load();
      await backend.generate({ system: 'warm up', user: 'Tell a story', maxTokens: 16 });
    }
    const samples: Sample[][] = backends.map(() => []);
    for (let run = 0; run < REPEATS; run += 1) {
      // A different first sentence each run: the whole prompt is evaluated, nothing reused.
      const system = `Story number ${run + 1}. ${SYSTEM.repeat(3)}`;
      for (const [index, backend] of backends.entries()) {
        const result = await backend.generate({ system, user: 'Tell me a story', maxTokens: MAX_TOKENS });
        samples[index]?.push(sample(result));
      }
    }
    return backends.map((backend, index) => {
      const mine = samples[index] ?? [];
      return {
        threads: backend.threads ?? Number.NaN,
        promptTps: median(mine.map((s) => s.promptTps)),
        genTps: median(mine.map((s) => s.genTps)),
        ttftMs: median(mine.map((s) => s.ttftMs)),
      };
    });
  } finally {
    for (const backend of backends) await backend.dispose();
  }
}

async function measurePrefixReuse(): Promise<void> {
  const backend = new LlamaBackend({ modelPath, threads: 'auto', gpu, contextSize: 2048 });
  try {
    const system = SYSTEM.repeat(6);
    const first = await backend.generate({ system, user: 'Tell me a story about a cat', maxTokens: 32 });
    const second = await backend.generate({ system, user: 'Tell me a story about a dog', maxTokens: 32 });
    const evaluatedFirst = first.evaluatedPromptTokens ?? first.promptTokens;
    const evaluatedSecond = second.evaluatedPromptTokens ?? second.promptTokens;
    emit({
      bench: 'model',
      kind: 'prefix-reuse',
      promptTokens: second.promptTokens,
      evaluatedFirst,
      evaluatedSecond,
      savedTokens: second.promptTokens - evaluatedSecond,
      savedFraction: Number((1 - evaluatedSecond / second.promptTokens).toFixed(3)),
      ttftFirstMs: first.firstTextMs,
      ttftSecondMs: second.firstTextMs,
    });
  } finally {
    await backend.dispose();
  }
}

const hardware = await detectHardware();
const autoThreads = chooseThreads({ physicalCores: hardware.physicalCores, gpu });
emit({
  bench: 'model',
  kind: 'setup',
  model: modelPath,
  gpu,
  physicalCores: hardware.physicalCores,
  logicalCores: hardware.logicalCores,
  autoThreads,
  repeats: REPEATS,
  maxTokens: MAX_TOKENS,
});
const round = (value: number): number => Math.round(value * 10) / 10;
const counts = Array.from({ length: maxThreads }, (_, index) => index + 1);
const [auto, ...fixed] = await measureAll(['auto', ...counts]);
if (!auto) throw new Error('no measurement for the default thread choice');
for (const result of fixed) {
  emit({
    bench: 'model',
    kind: 'threads',
    choice: 'fixed',
    threads: result.threads,
    promptTps: round(result.promptTps),
    genTps: round(result.genTps),
    ttftMs: round(result.ttftMs),
  });
}
emit({
  bench: 'model',
  kind: 'threads',
  choice: 'auto',
  threads: auto.threads,
  promptTps: round(auto.promptTps),
  genTps: round(auto.genTps),
  ttftMs: round(auto.ttftMs),
});
await measurePrefixReuse();
const best = fixed.reduce((a, b) => (b.genTps > a.genTps ? b : a));
// Runs of the same thread count differ by some percent on a shared VM; more than 10% is a real loss.
emit({
  bench: 'model',
  kind: 'thread-choice',
  autoThreads: auto.threads,
  autoGenTps: round(auto.genTps),
  bestFixedThreads: best.threads,
  bestFixedGenTps: round(best.genTps),
  autoNotSlower: auto.threads === best.threads || auto.genTps >= best.genTps * 0.9,
});
