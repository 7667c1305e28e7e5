import type { IntentResult } from './QualityRunner.js';
import { summarize, type TierSummary } from './summarize.js';

/** What a run was measured with, so two reports can be compared honestly. */
export interface RunInfo {
  startedAt: string;
  model: string;
  backend: string;
  promptVersion: string;
  sdkVersion: string;
  daemonVersion: string;
  gitCommit: string;
  maxTokens: number;
  maxRepairs: number;
  hardware: { cpu: string; cores: number; memoryGiB: number; platform: string; gpu: string };
  /** Which intents ran, when not all. */
  subset: string | null;
}

export interface QualityReport {
  schema: 'figment.quality/1';
  run: RunInfo;
  summary: ReturnType<typeof summarize>;
  results: IntentResult[];
}

export function buildReport(run: RunInfo, results: IntentResult[]): QualityReport {
  return { schema: 'figment.quality/1', run, summary: summarize(results), results };
}

const esc = (value: unknown) =>
  String(value).replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c,
  );
const pct = (rate: number) => `${Math.round(rate * 100)} %`;
const tiers = ['simple', 'medium', 'complex', 'all'] as const;

/** Stacked bars per tier: first run, after repair, failed (as shares of the tier's intents). */
function outcomeChart(summary: Record<string, TierSummary>): string {
  const width = 520;
  const bar = 380;
  const rows = tiers.map((tier, i) => {
    const s = summary[tier] as TierSummary;
    const parts = [
      { n: s.firstRun, colour: '#146c2e', label: 'first run' },
      { n: s.afterRepair, colour: '#e8a200', label: 'after repair' },
      { n: s.failed, colour: '#b3261e', label: 'failed' },
    ];
    let x = 100;
    const rects = parts.map((part) => {
      const w = s.intents ? (part.n / s.intents) * bar : 0;
      const rect = `<rect x="${x.toFixed(1)}" y="${i * 34 + 8}" width="${w.toFixed(1)}" height="24" fill="${part.colour}"><title>${part.label}: ${part.n}</title></rect>`;
      x += w;
      return rect;
    });
    return `<text x="0" y="${i * 34 + 25}">${tier}</text>${rects.join('')}<text x="${100 + bar + 6}" y="${i * 34 + 25}">${pct(s.successRate)}</text>`;
  });
  const legend = [
    ['#146c2e', 'works first time'],
    ['#e8a200', 'works after repair'],
    ['#b3261e', 'does not work'],
  ]
    .map(
      ([colour, label], i) =>
        `<rect x="${i * 170}" y="148" width="14" height="14" fill="${colour}"/><text x="${i * 170 + 20}" y="160">${label}</text>`,
    )
    .join('');
  return `<svg role="img" aria-label="Outcomes per tier" viewBox="0 0 ${width} 170" width="${width}" height="170" font-size="14">${rows.join('')}${legend}</svg>`;
}

/** Bars per tier for one measure. */
function measureChart(
  summary: Record<string, TierSummary>,
  label: string,
  pick: (s: TierSummary) => number,
): string {
  const values = tiers.slice(0, 3).map((tier) => pick(summary[tier] as TierSummary));
  const max = Math.max(1, ...values);
  const bars = values
    .map((value, i) => {
      const w = (value / max) * 300;
      return `<text x="0" y="${i * 30 + 21}">${tiers[i]}</text><rect x="80" y="${i * 30 + 6}" width="${w.toFixed(1)}" height="20" fill="#0b57d0"/><text x="${86 + w}" y="${i * 30 + 21}">${value}</text>`;
    })
    .join('');
  return `<figure><figcaption>${esc(label)}</figcaption><svg role="img" aria-label="${esc(label)} per tier" viewBox="0 0 480 96" width="480" height="96" font-size="14">${bars}</svg></figure>`;
}

/** A static page: no scripts, no external references; open it anywhere. */
export function renderReport(report: QualityReport): string {
  const { run, summary, results } = report;
  const head = `<tr><th>tier</th><th>intents</th><th>first run</th><th>after repair</th><th>failed</th><th>of which no valid app</th><th>success</th><th>attempts</th><th>runtime repairs</th><th>tokens</th><th>generation s</th><th>median first preview ms</th><th>axe violations</th></tr>`;
  const tierRows = tiers
    .map((tier) => {
      const s = summary[tier];
      return `<tr><th>${tier}</th><td>${s.intents}</td><td>${s.firstRun}</td><td>${s.afterRepair}</td><td>${s.failed}</td><td>${s.generationFailed}</td><td>${pct(s.successRate)}</td><td>${s.attempts}</td><td>${s.runtimeRepairs}</td><td>${s.tokens}</td><td>${(s.generationMs / 1000).toFixed(1)}</td><td>${s.medianFirstPreviewMs ?? '—'}</td><td>${s.a11yViolations}</td></tr>`;
    })
    .join('');
  const intentRows = results
    .map(
      (r) =>
        `<tr><td>${esc(r.id)}</td><td>${r.tier}</td><td>${r.terminal}</td><td class="${r.outcome}">${r.outcome}</td><td>${r.generationAttempts}</td><td>${r.runtimeRepairs}</td><td>${r.tokens}</td><td>${(r.generationMs / 1000).toFixed(1)}</td><td>${r.firstPreviewMs ?? '—'}</td><td>${r.a11yViolations ?? '—'} ${esc(r.a11yRules.join(', '))}</td><td>${esc(r.problem ?? '')}</td></tr>`,
    )
    .join('');
  const info = Object.entries({ ...run, hardware: undefined })
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `<tr><th>${esc(key)}</th><td>${esc(value)}</td></tr>`)
    .join('');
  const hw = run.hardware;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Figment quality: ${esc(run.model)}</title>
<style>body{font:15px system-ui,sans-serif;margin:24px;color:#111}table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.first-run{color:#146c2e}.after-repair{color:#8a5a00}.failed{color:#b3261e}figure{display:inline-block;margin:8px 24px 8px 0}</style>
</head><body><main>
<h1>Figment quality report</h1>
<p>How often generated apps really work: each intent generated fresh, validated, opened in the shell's sandboxed frame in Chromium, checked step by step and with axe-core, and repaired within the bound when it did not work.</p>
<h2>Run</h2><table>${info}<tr><th>hardware</th><td>${esc(`${hw.cpu}, ${hw.cores} cores, ${hw.memoryGiB} GiB, ${hw.platform}, GPU: ${hw.gpu}`)}</td></tr></table>
<h2>Per tier</h2><table>${head}${tierRows}</table>
${outcomeChart(summary)}
<div>${measureChart(summary, 'Tokens', (s) => s.tokens)}${measureChart(summary, 'Model answers (attempts)', (s) => s.attempts)}${measureChart(summary, 'Generation time, s', (s) => Math.round(s.generationMs / 100) / 10)}${measureChart(summary, 'axe-core violations', (s) => s.a11yViolations)}</div>
<h2>Per intent</h2><table><tr><th>intent</th><th>tier</th><th>terminal</th><th>outcome</th><th>generation attempts</th><th>runtime repairs</th><th>tokens</th><th>generation s</th><th>first preview ms</th><th>axe</th><th>first problem</th></tr>${intentRows}</table>
</main></body></html>
`;
}
