/**
 * Context store benchmark: for 1k, 10k and 100k stored app versions, prints one
 * JSON line each with the insert rate, search p50/p99 (hybrid and words only)
 * and the database size. `npm run bench:context [-- 1000 10000]` picks sizes.
 * Search times are given as wall time and as CPU time: on a busy machine the
 * first includes waiting for a core, so the 1-minute load average is printed too.
 *
 * Vectors come from HashingEmbedder, a STAND-IN for an embedding model (no
 * embedding GGUF exists in this repository's test models): it costs almost
 * nothing, so the figures are the store's own cost, not a model's. Its
 * dimension, 384, is that of common small embedding models.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContextStore } from '../services/figmentd/store/ContextStore.js';
import type { VersionRecord } from '../services/figmentd/store/types.js';
import { HashingEmbedder } from '../test/support/HashingEmbedder.js';

const sizes = process.argv.slice(2).map(Number).filter(Boolean);
/** `--stages` adds each search stage's p50/p99 (wall ms) to the line. */
const showStages = process.argv.includes('--stages');
/**
 * FIGMENT_BENCH_KEEP_DIR keeps each size's database in that folder and reuses
 * it on the next run (no insert figures then), to iterate on search quickly.
 */
const keepDir = process.env.FIGMENT_BENCH_KEEP_DIR;
const dimensions = 384;
/** The last inserts of each size are timed one transaction each, as figmentd writes them. */
const timedInserts = 2_000;
const queries = 300;

const words = (
  'budget expense habit tracker todo list weather forecast recipe meal planner timer clock counter notes journal ' +
  'diary shopping grocery workout fitness water reminder calendar schedule chores family kids school homework ' +
  'reading books library movie music playlist garden plants watering bills savings goals sleep mood steps quiz ' +
  'flashcards vocabulary math spelling colour dark mode big buttons sort urgency deadline category monthly weekly ' +
  'daily chart graph table score game puzzle memory drawing paint piano drums metronome tuner unit converter ' +
  'currency temperature distance kitchen inventory pantry pharmacy medicine doses appointment visitor guestbook ' +
  'kiosk menu order queue ticket parking bus train map room booking survey poll vote feedback'
).split(' ');

let seed = 42;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
}
const pick = () => words[Math.floor(random() * words.length)] as string;
const phrase = (count: number) => Array.from({ length: count }, pick).join(' ');

function record(): VersionRecord {
  const name = `${pick()} ${pick()}`;
  return {
    intent: `make me a ${phrase(6)}`,
    bundle: {
      manifest: { name, description: phrase(10), capabilities: ['storage'] },
      html: `<!doctype html><html lang="en"><title>${name}</title><main>${phrase(200)}</main></html>`,
    },
    model: 'bench',
    promptVersion: 'v1',
    promptTokens: 1_000,
    completionTokens: 800,
    generationMs: 4_000,
    validationMs: 30,
  };
}

/** Adds one version: a new app four times in five, else a change to a recent app. */
function addOne(store: ContextStore, apps: { id: string; version: string }[]): void {
  const last = apps[Math.floor(random() * apps.length)];
  if (last && random() < 0.2) {
    last.version = store.addVersion(last.id, last.version, record());
  } else {
    const { app, versionId } = store.createApp(record());
    apps.push({ id: app.id, version: versionId });
  }
}

function percentile(sorted: number[], p: number): number {
  return Number((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0).toFixed(2));
}

/**
 * Wall time and CPU time of each search. On a busy machine the wall time
 * includes waiting for a core; the CPU time (this process, all threads) is
 * close to what a quiet machine would take.
 */
async function timeSearches(store: ContextStore) {
  const wall: number[] = [];
  const cpu: number[] = [];
  const byStage = new Map<string, number[]>();
  for (let i = 0; i < queries; i++) {
    const query = random() < 0.5 ? `the ${pick()} ${pick()} I made` : `${pick()} app`;
    const stages: Record<string, number> = {};
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    await store.search(query, showStages ? { stages } : {});
    const used = process.cpuUsage(cpuStarted);
    wall.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1_000);
    for (const [stage, ms] of Object.entries(stages)) byStage.set(stage, [...(byStage.get(stage) ?? []), ms]);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const stages = Object.fromEntries(
    [...byStage].map(([stage, times]) => {
      times.sort((a, b) => a - b);
      return [stage, { p50: percentile(times, 0.5), p99: percentile(times, 0.99) }];
    }),
  );
  return {
    p50: percentile(wall, 0.5),
    p99: percentile(wall, 0.99),
    cpuP50: percentile(cpu, 0.5),
    cpuP99: percentile(cpu, 0.99),
    stages,
  };
}

async function bench(versions: number): Promise<void> {
  const dir = keepDir ? join(keepDir, String(versions)) : mkdtempSync(join(tmpdir(), 'figment-bench-'));
  const path = join(dir, 'figment.db');
  const reused = keepDir !== undefined && existsSync(path);
  mkdirSync(dir, { recursive: true });
  try {
    const store = ContextStore.open({ path, embedder: new HashingEmbedder(dimensions, 'bench-stand-in') });
    const apps: { id: string; version: string }[] = [];
    const untimed = reused ? versions : Math.max(0, versions - timedInserts);
    // The bulk is loaded in batches to get to size quickly; it is not what is measured.
    for (let done = 0; !reused && done < untimed; done += 1_000) {
      store.batch(() => {
        for (let i = done; i < Math.min(untimed, done + 1_000); i++) addOne(store, apps);
      });
    }
    const insertStarted = performance.now();
    for (let i = untimed; i < versions; i++) addOne(store, apps);
    if (reused) for (let i = store.countApps(); i > 0; i--) apps.push({ id: '', version: '' });
    const insertSeconds = (performance.now() - insertStarted) / 1_000;

    const indexStarted = performance.now();
    await store.indexVectors();
    const indexSeconds = (performance.now() - indexStarted) / 1_000;

    const loadBefore = loadavg()[0] ?? 0;
    const hybrid = await timeSearches(store);
    store.dispose();
    const wordsOnly = ContextStore.open({ path });
    const words = await timeSearches(wordsOnly);
    wordsOnly.dispose();

    console.log(
      JSON.stringify({
        bench: 'context',
        versions,
        apps: apps.length,
        // A reused database was built by an earlier run: nothing was inserted or indexed now.
        ...(reused
          ? {}
          : {
              insertsPerSecond: Math.round((versions - untimed) / insertSeconds),
              insertNote: `last ${versions - untimed} inserts, one synchronous=FULL transaction each`,
              vectorsIndexedPerSecond: Math.round(apps.length / indexSeconds),
            }),
        searchP50Ms: hybrid.p50,
        searchP99Ms: hybrid.p99,
        wordsOnlySearchP50Ms: words.p50,
        wordsOnlySearchP99Ms: words.p99,
        searchCpuP50Ms: hybrid.cpuP50,
        searchCpuP99Ms: hybrid.cpuP99,
        wordsOnlySearchCpuP50Ms: words.cpuP50,
        wordsOnlySearchCpuP99Ms: words.cpuP99,
        ...(showStages ? { searchStagesMs: hybrid.stages, wordsOnlyStagesMs: words.stages } : {}),
        ...(reused ? { reusedDatabase: path } : {}),
        embedder: `HashingEmbedder stand-in, ${dimensions} dimensions`,
        dbBytes: statSync(path).size,
        // Other work on the machine inflates the tails; this says how busy it was while searching.
        cpus: cpus().length,
        loadAverage1mBefore: Number(loadBefore.toFixed(2)),
        loadAverage1mAfter: Number(loadavg()[0]?.toFixed(2)),
      }),
    );
  } finally {
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
  }
}

for (const versions of sizes.length > 0 ? sizes : [1_000, 10_000, 100_000]) await bench(versions);
