import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { type RunningDaemon, startDaemon } from '../support/startDaemon.js';
import { goldenBundle, goldens } from './goldens.js';
import { intents } from './intents.js';
import { QualityRunner } from './QualityRunner.js';
import { buildReport, renderReport } from './renderReport.js';
import { type ScriptedIntent, scriptFor } from './scriptFor.js';

let browser: Browser;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await browser?.close();
});

const intentById = (id: string) => {
  const found = intents.find((intent) => intent.id === id);
  if (!found) throw new Error(`no intent ${id}`);
  return found;
};

/** A real figmentd whose scripted model answers as planned, and a runner on it. */
async function runnerFor(plans: ScriptedIntent[], maxRepairs = 3, axe = true): Promise<QualityRunner> {
  const script = join(mkdtempSync(join(tmpdir(), 'figment-quality-')), 'script.json');
  writeFileSync(script, JSON.stringify(scriptFor(plans)));
  const daemon: RunningDaemon = await startDaemon({
    env: { FIGMENT_MODEL_SCRIPT: script, FIGMENT_BUS: 'off' },
  });
  const runner = new QualityRunner({ daemon, browser, maxRepairs, axe });
  cleanups.push(
    () => daemon.stop(),
    () => runner.dispose(),
  );
  return runner;
}

const json = (bundle: unknown) => JSON.stringify(bundle);

describe('the quality suite', () => {
  it('has at least 30 intents in three tiers, leaning to accessibility and education', () => {
    expect(intents.length).toBeGreaterThanOrEqual(30);
    expect(new Set(intents.map((intent) => intent.id)).size).toBe(intents.length);
    for (const tier of ['simple', 'medium', 'complex']) {
      expect(intents.filter((intent) => intent.tier === tier).length).toBeGreaterThanOrEqual(8);
    }
    const general = intents.filter((intent) => intent.terminal === 'general').length;
    expect(general / intents.length).toBeLessThan(0.35);
  });
});

describe('golden apps and their mutants', () => {
  it('every golden app passes its checks on the first run, in the shell, with no axe violations', async () => {
    const runner = await runnerFor(
      goldens.map((golden) => ({
        intent: intentById(golden.intentId).intent,
        first: json(goldenBundle(golden)),
      })),
    );
    for (const golden of goldens) {
      const result = await runner.run(intentById(golden.intentId));
      expect({
        id: result.id,
        outcome: result.outcome,
        problem: result.problem,
        axe: result.a11yRules,
      }).toEqual({
        id: golden.intentId,
        outcome: 'first-run',
        problem: null,
        axe: [],
      });
    }
  }, 120_000);

  it('every mutant fails its checks', async () => {
    const mutants = goldens.flatMap((golden) => golden.mutants.map((mutant) => ({ golden, mutant })));
    // One daemon per mutant round: the scripted model answers each intent with one mutant.
    const rounds = Math.max(...goldens.map((golden) => golden.mutants.length));
    for (let round = 0; round < rounds; round++) {
      const these = mutants.filter(({ golden, mutant }) => golden.mutants.indexOf(mutant) === round);
      const runner = await runnerFor(
        these.map(({ golden, mutant }) => ({
          intent: intentById(golden.intentId).intent,
          first: json(goldenBundle(golden, mutant)),
        })),
        0,
        false,
      );
      for (const { golden, mutant } of these) {
        const result = await runner.run(intentById(golden.intentId));
        expect({ mutant: mutant.name, outcome: result.outcome }).toEqual({
          mutant: mutant.name,
          outcome: 'failed',
        });
        expect(result.problem).toMatch(/Acceptance check failed|did not pass its checks/);
      }
    }
  }, 120_000);
});

describe('the runner’s bookkeeping on the scripted model', () => {
  it('counts first-run successes, repairs, failures, attempts and tokens exactly, per tier', async () => {
    const golden = (id: string) => {
      const found = goldens.find((g) => g.intentId === id);
      if (!found) throw new Error(`no golden ${id}`);
      return found;
    };
    const good = (id: string) => json(goldenBundle(golden(id)));
    const broken = (id: string) => json(goldenBundle(golden(id), golden(id).mutants[0]));
    const unreadable = 'this is not an app';
    // The scripted model counts one token per 16 characters it writes.
    const tokens = (text: string) => Math.ceil(text.length / 16);
    const text = (id: string) => intentById(id).intent;
    const runner = await runnerFor(
      [
        { intent: text('counter'), first: good('counter') },
        { intent: text('unit-converter'), first: broken('unit-converter'), repair: good('unit-converter') },
        { intent: text('timer'), first: broken('timer') },
        { intent: text('flash-cards'), first: unreadable },
        { intent: text('todo-filters'), first: unreadable, repair: good('todo-filters') },
      ],
      3,
      false,
    );
    const results = [];
    for (const id of ['counter', 'unit-converter', 'timer', 'flash-cards', 'todo-filters']) {
      results.push(await runner.run(intentById(id)));
    }
    const pick = results.map(
      ({ id, outcome, failedAt, generationAttempts, runtimeRepairs, attempts, tokens }) => ({
        id,
        outcome,
        failedAt,
        generationAttempts,
        runtimeRepairs,
        attempts,
        tokens,
      }),
    );
    expect(pick).toEqual([
      {
        id: 'counter',
        outcome: 'first-run',
        failedAt: null,
        generationAttempts: 1,
        runtimeRepairs: 0,
        attempts: 1,
        tokens: tokens(good('counter')),
      },
      {
        id: 'unit-converter',
        outcome: 'after-repair',
        failedAt: null,
        generationAttempts: 1,
        runtimeRepairs: 1,
        attempts: 2,
        tokens: tokens(broken('unit-converter')) + tokens(good('unit-converter')),
      },
      // Repaired once into the same broken app; the second repair stops at once (same failure): no answer asked.
      {
        id: 'timer',
        outcome: 'failed',
        failedAt: 'checks',
        generationAttempts: 1,
        runtimeRepairs: 2,
        attempts: 2,
        tokens: 2 * tokens(broken('timer')),
      },
      // Unreadable twice in a row: figmentd stops the validation repairs.
      {
        id: 'flash-cards',
        outcome: 'failed',
        failedAt: 'generation',
        generationAttempts: 2,
        runtimeRepairs: 0,
        attempts: 2,
        tokens: 2 * tokens(unreadable),
      },
      // Unreadable, then repaired by validation: one app stored after two answers, and it works.
      {
        id: 'todo-filters',
        outcome: 'first-run',
        failedAt: null,
        generationAttempts: 2,
        runtimeRepairs: 0,
        attempts: 2,
        tokens: tokens(unreadable) + tokens(good('todo-filters')),
      },
    ]);
    for (const result of results.filter((r) => r.failedAt !== 'generation')) {
      expect(result.firstPreviewMs).not.toBeNull();
      expect(result.promptVersion).toBe('3');
      expect(result.model).toBe('scripted');
    }

    const report = buildReport(
      {
        startedAt: 'now',
        model: 'scripted',
        backend: 'scripted',
        promptVersion: '2',
        sdkVersion: '1.2.0',
        daemonVersion: '0',
        gitCommit: 'test',
        maxTokens: 3000,
        maxRepairs: 3,
        hardware: { cpu: 'x', cores: 1, memoryGiB: 1, platform: 'linux', gpu: 'none' },
        subset: null,
      },
      results,
    );
    const counts = (tier: 'simple' | 'medium' | 'all') => {
      const s = report.summary[tier];
      return [
        s.intents,
        s.firstRun,
        s.afterRepair,
        s.failed,
        s.generationFailed,
        s.attempts,
        s.runtimeRepairs,
        s.successRate,
      ];
    };
    expect(counts('simple')).toEqual([3, 1, 1, 1, 0, 5, 3, 0.667]);
    expect(counts('medium')).toEqual([2, 1, 0, 1, 1, 4, 0, 0.5]);
    expect(counts('all')).toEqual([5, 2, 1, 2, 1, 9, 3, 0.6]);
    expect(report.summary.all.tokens).toBe(pick.reduce((sum, row) => sum + row.tokens, 0));
    const html = renderReport(report);
    expect(html).toContain('<svg role="img" aria-label="Outcomes per tier"');
    expect(html).not.toMatch(/(src|href)=|<script|@import|url\(/);
  }, 120_000);

  it('checks a repaired version from a fresh start, not from what the failed try saved', async () => {
    const counter = goldens.find((golden) => golden.intentId === 'counter');
    if (!counter) throw new Error('no counter golden');
    // The mutant saves 6 after three presses; the repair must still start at 0 to pass.
    const runner = await runnerFor(
      [
        {
          intent: intentById('counter').intent,
          first: json(goldenBundle(counter, counter.mutants[0])),
          repair: json(goldenBundle(counter)),
        },
      ],
      3,
      false,
    );
    const { outcome, runtimeRepairs, problem } = await runner.run(intentById('counter'));
    expect({ outcome, runtimeRepairs, problem }).toEqual({
      outcome: 'after-repair',
      runtimeRepairs: 1,
      problem: null,
    });
  }, 60_000);
});
