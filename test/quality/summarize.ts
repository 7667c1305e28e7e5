import type { IntentResult } from './QualityRunner.js';
import type { Tier } from './types.js';

export interface TierSummary {
  intents: number;
  firstRun: number;
  afterRepair: number;
  failed: number;
  /** No app passed validation. */
  generationFailed: number;
  /** (firstRun + afterRepair) / intents. */
  successRate: number;
  firstRunRate: number;
  attempts: number;
  runtimeRepairs: number;
  tokens: number;
  generationMs: number;
  /** Median time to the first preview over intents that had one, ms. */
  medianFirstPreviewMs: number | null;
  a11yViolations: number;
}

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** Sums per tier and over all. */
export function summarize(results: IntentResult[]): Record<Tier | 'all', TierSummary> {
  const of = (rows: IntentResult[]): TierSummary => {
    const count = (outcome: IntentResult['outcome']) => rows.filter((row) => row.outcome === outcome).length;
    const sum = (pick: (row: IntentResult) => number) => rows.reduce((total, row) => total + pick(row), 0);
    const rate = (n: number) => (rows.length ? Math.round((n / rows.length) * 1000) / 1000 : 0);
    return {
      intents: rows.length,
      firstRun: count('first-run'),
      afterRepair: count('after-repair'),
      failed: count('failed'),
      generationFailed: rows.filter((row) => row.failedAt === 'generation').length,
      successRate: rate(count('first-run') + count('after-repair')),
      firstRunRate: rate(count('first-run')),
      attempts: sum((row) => row.attempts),
      runtimeRepairs: sum((row) => row.runtimeRepairs),
      tokens: sum((row) => row.tokens),
      generationMs: sum((row) => row.generationMs),
      medianFirstPreviewMs: median(
        rows.flatMap((row) => (row.firstPreviewMs === null ? [] : [row.firstPreviewMs])),
      ),
      a11yViolations: sum((row) => row.a11yViolations ?? 0),
    };
  };
  return {
    simple: of(results.filter((row) => row.tier === 'simple')),
    medium: of(results.filter((row) => row.tier === 'medium')),
    complex: of(results.filter((row) => row.tier === 'complex')),
    all: of(results),
  };
}
