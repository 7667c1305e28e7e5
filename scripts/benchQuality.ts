/**
 * `npm run bench:quality -- --model <file.gguf>`: how often generated apps
 * really work with that model on this machine. Starts a real figmentd (fresh
 * state dir, so nothing is reused), generates each intent in test/quality/,
 * runs it in the shell in Chromium, repairs within the bound, and writes
 * results.json and report.html (default: test-results/quality/<time>/).
 * Prints one JSON line per intent and one for the summary.
 *
 * Options: --only id,id  --tier simple|medium|complex  --max-tokens N
 *          --repairs N (default 3)  --out DIR  --script FILE (scripted model)
 *          --context N (the model's context size; default figmentd's 'auto')
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import si from 'systeminformation';
import { SDK_VERSION } from '../services/protocol/bridge.js';
import { intents as allIntents } from '../test/quality/intents.js';
import { emptyResult, type IntentResult, QualityRunner } from '../test/quality/QualityRunner.js';
import { remoteConfig } from '../test/quality/remoteConfig.js';
import { buildReport, renderReport } from '../test/quality/renderReport.js';
import { ApiClient } from '../test/support/ApiClient.js';
import { launchChromium } from '../test/support/browser.js';
import { repoRoot, startDaemon } from '../test/support/startDaemon.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    remote: { type: 'string' },
    'remote-model': { type: 'string', default: 'default' },
    script: { type: 'string' },
    only: { type: 'string' },
    tier: { type: 'string' },
    'max-tokens': { type: 'string', default: '3000' },
    repairs: { type: 'string', default: '3' },
    out: { type: 'string' },
    context: { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(`bench:quality: ${message}`);
  process.exit(64);
}

if (!values.model && !values.remote && !values.script)
  fail('say which model: --model <file.gguf>, --remote <url> (or --script <scripted.json>)');

const only = values.only?.split(',').map((id) => id.trim());
const intents = allIntents.filter(
  (intent) => (!only || only.includes(intent.id)) && (!values.tier || intent.tier === values.tier),
);
if (intents.length === 0) fail('no intent matches --only/--tier');
const maxTokens = Number(values['max-tokens']);
const maxRepairs = Number(values.repairs);

if (process.env.FIGMENT_TEST_SKIP_BUILD !== '1')
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });

const env: Record<string, string> = { FIGMENT_BUS: 'off', FIGMENT_MAX_TOKENS: String(maxTokens) };
if (values.context) env.FIGMENT_MODEL_CONTEXT = values.context;
if (values.model)
  Object.assign(env, { FIGMENT_MODEL_BACKEND: 'llama', FIGMENT_MODEL_PATH: resolve(values.model) });
else if (values.remote)
  Object.assign(env, {
    FIGMENT_MODEL_BACKEND: 'llama',
    FIGMENT_CONFIG: remoteConfig(values.remote, values['remote-model']),
  });
else if (values.script) Object.assign(env, { FIGMENT_MODEL_SCRIPT: resolve(values.script) });

const startedAt = new Date().toISOString();
const daemon = await startDaemon({ env });
const browser = await launchChromium();
const runner = new QualityRunner({ daemon, browser, maxRepairs });
const results: IntentResult[] = [];
let hello: { daemonVersion: string; model: { name?: string; backend: string } } | undefined;
try {
  const client = await ApiClient.connect(`${daemon.url.replace(/^http/, 'ws')}/api?token=${daemon.token}`);
  const reply = await client.call('hello', { protocol: 1, client: 'test' });
  if (reply.type === 'reply') hello = reply.result as typeof hello;
  client.close();
  for (const intent of intents) {
    let result: IntentResult;
    try {
      result = await runner.run(intent);
    } catch (error) {
      // The harness itself failed on this intent (a timeout, a crash): counted as failed, with why.
      result = {
        ...emptyResult(intent),
        failedAt: 'checks',
        problem: `harness error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      };
    }
    results.push(result);
    console.log(JSON.stringify({ bench: 'quality.intent', ...result }));
  }
} finally {
  await runner.dispose();
  await browser.close();
  await daemon.stop();
}

const graphics = await si.graphics().catch(() => ({ controllers: [] as { model: string }[] }));
const defaultPrompts = JSON.parse(readFileSync(join(repoRoot, 'prompts/v3/prompt.json'), 'utf8')) as {
  version: string;
};
const report = buildReport(
  {
    startedAt,
    model: values.model
      ? resolve(values.model)
      : values.remote
        ? `${values['remote-model']} at ${values.remote}`
        : `scripted (${values.script})`,
    backend: hello?.model.backend ?? 'unknown',
    promptVersion: results.find((r) => r.promptVersion)?.promptVersion ?? defaultPrompts.version,
    sdkVersion: SDK_VERSION,
    daemonVersion: hello?.daemonVersion ?? 'unknown',
    gitCommit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).trim(),
    maxTokens,
    maxRepairs,
    hardware: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      platform: `${platform()} ${release()}`,
      gpu: graphics.controllers.map((c) => c.model).join(', ') || 'none found',
    },
    subset: intents.length === allIntents.length ? null : intents.map((intent) => intent.id).join(','),
  },
  results,
);
const out = resolve(values.out ?? join(repoRoot, 'test-results/quality', startedAt.replace(/[:.]/g, '-')));
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(out, 'report.html'), renderReport(report));
console.log(
  JSON.stringify({
    bench: 'quality.summary',
    model: report.run.model,
    out,
    ...report.summary.all,
    tiers: report.summary,
  }),
);
