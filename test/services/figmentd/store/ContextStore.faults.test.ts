import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from './fixtures.js';
import {
  buildWriter,
  checkAfterKill,
  killWriterAt,
  nothingAcknowledged,
  recordAcks,
  seededRandom,
} from './killedWriter.js';

/** 200 kills in CI; `npm run soak:context` asks for 1,000 or more. */
const rounds = Number(process.env.FIGMENT_FAULT_ROUNDS ?? 200);
/** Writers killed side by side, each on its own database, so the run takes less wall time. */
const lanes = Number(process.env.FIGMENT_FAULT_LANES ?? 4);
/** A fixed seed repeats a failing run; each run otherwise picks its own (printed on failure). */
const seed = Number(process.env.FIGMENT_FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe('ContextStore: kill -9 at random moments', () => {
  let temp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    temp = tempDir();
  });
  afterEach(() => temp.remove());

  it(
    `keeps every acknowledged write and a sound database through ${rounds} SIGKILLs (seed ${seed})`,
    async () => {
      const writer = await buildWriter(temp.dir);
      const totals = { writes: 0, killedBeforeReady: 0, forgotten: 0, kills: 0 };

      const lane = async (laneIndex: number, laneRounds: number) => {
        const path = join(temp.dir, `lane-${laneIndex}.db`);
        const random = seededRandom(seed + laneIndex);
        const acked = nothingAcknowledged();
        for (let round = 0; round < laneRounds; round++) {
          // One kill in five is blind, up to 400 ms after spawning: while node starts, or while
          // the store opens, recovers the WAL, checks or migrates. The rest land 0–40 ms into
          // writing, which at a few ms a commit falls inside or between transactions.
          const blind = random() < 0.2;
          const delay = Math.floor(random() * (blind ? 400 : 40));
          const lines = await killWriterAt(writer, path, round, delay, blind);
          totals.kills++;
          if (lines[0] !== 'ready') totals.killedBeforeReady++;
          totals.writes += Math.max(0, lines.length - 2);
          recordAcks(acked, lines);
          const problems = checkAfterKill(path, acked);
          expect(
            problems,
            `lane ${laneIndex} round ${round}, seed ${seed}, ${blind ? 'blind, ' : ''}${delay} ms`,
          ).toEqual([]);
        }
        totals.forgotten += acked.forgotten.size;
      };
      await Promise.all(
        Array.from({ length: lanes }, (_, index) =>
          lane(index, Math.floor(rounds / lanes) + (index < rounds % lanes ? 1 : 0)),
        ),
      );

      // The run must have exercised what it claims: kills while writing, during start, after forgetting.
      expect(totals.kills).toBe(rounds);
      expect(totals.writes).toBeGreaterThan(rounds);
      expect(totals.killedBeforeReady).toBeGreaterThan(0);
      expect(totals.forgotten).toBeGreaterThan(0);
      console.log(JSON.stringify({ seed, lanes, ...totals }));
    },
    // Generous: each kill starts a node process, and a busy machine slows that many times over.
    Math.max(180_000, rounds * 2_000),
  );
});
