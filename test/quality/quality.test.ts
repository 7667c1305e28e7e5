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
async function runnerFor(plans: ScriptedIntent[], maxRepairs = 3): Promise<QualityRunner> {
  const script = join(mkdtempSync(join(tmpdir(), 'figment-quality-')), 'script.json');
  writeFileSync(script, JSON.stringify(scriptFor(plans)));
  const daemon: RunningDaemon = await startDaemon({
    env: { FIGMENT_MODEL_SCRIPT: script, FIGMENT_BUS: 'off' },
  });
  const runner = new QualityRunner({ daemon, browser, maxRepairs });
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
