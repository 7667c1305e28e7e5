import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../../services/protocol/messages.js';
import { ApiClient } from '../../../support/ApiClient.js';
import { appHtml, bundleJson, patchJson } from '../../../support/scriptedApps.js';
import { type RunningDaemon, startDaemon } from '../../../support/startDaemon.js';

/**
 * The daemon API the shell uses for requests and runtime failures, on a real
 * figmentd with the scripted backend: a request is classified, clarified,
 * resolved or reused; the shell reports an app that throws on load or stops
 * answering (as the SDK and supervisor see it), and repair is bounded.
 */
const throwing =
  "figment.storage.get('n').then((v) => { throw new TypeError('Cannot read properties of null (reading \\'textContent\\')'); });";
const looping = 'let n = 0;\nwhile (true) { n += 1; }';
const responses = [
  // Clarifying questions are asked of requests about a "habit"; none for the rest.
  {
    match: '^Before writing[\\s\\S]*habit',
    output: { questions: [{ question: 'How many habits?', options: ['One', 'Up to five'], default: 'One' }] },
  },
  { match: '^Before writing', output: { questions: [] } },
  {
    match: '^Request: a habit tracker\\s+Details: How many habits\\? Up to five',
    output: bundleJson({ name: 'Habit tracker' }),
  },
  // Throws on load; the repair gets the runtime error back and fixes it.
  {
    match: 'did not work[\\s\\S]*runtime\\.error[\\s\\S]*textContent',
    output: bundleJson({ name: 'Budget tracker' }),
  },
  { match: '^Request: a budget tracker', output: bundleJson({ name: 'Budget tracker', script: throwing }) },
  // A change that loops forever, and a "repair" that loops the same way.
  {
    match: 'did not work[\\s\\S]*runtime\\.unresponsive',
    output: bundleJson({ name: 'Step counter', script: looping }),
  },
  {
    match: '^Change this app: make it count automatically',
    output: patchJson([{ search: 'let n = 0;\n', replace: 'let n = 0;\nwhile (true) { n += 1; }\n' }], {
      name: 'Step counter',
    }),
  },
  { match: '^Request: a step counter', output: bundleJson({ name: 'Step counter' }) },
  { match: '^Request: a sleep tracker', output: bundleJson({ name: 'Sleep tracker' }) },
];

let daemon: RunningDaemon;
let client: ApiClient;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'figment-script-'));
  const script = join(dir, 'responses.json');
  writeFileSync(script, JSON.stringify({ responses }));
  daemon = await startDaemon({ env: { FIGMENT_MODEL_SCRIPT: script } });
  client = await ApiClient.connect(`ws+unix://${daemon.socketPath}:/api`);
});
afterAll(async () => {
  client?.close();
  await daemon?.stop();
});

async function ok<T>(method: string, params: unknown): Promise<T> {
  const reply: ServerMessage = await client.call(method, params, 20_000);
  if (reply.type !== 'reply') throw new Error(`${method} failed: ${JSON.stringify(reply)}`);
  return reply.result as T;
}
type App = { id: string; name: string; currentVersionId: string };

describe('ask: intent, clarifying questions, references and reuse', () => {
  it('asks at most three questions with offers and a default, then makes the app with the answers', async () => {
    const asked = await ok<{ kind: string; questions: unknown[] }>('ask', { text: 'a habit tracker' });
    expect(asked).toEqual({
      kind: 'questions',
      intent: 'new',
      questions: [{ id: 'q1', question: 'How many habits?', options: ['One', 'Up to five'], default: 'One' }],
    });
    const made = await ok<{ kind: string; app: App }>('ask', {
      text: 'a habit tracker',
      answers: [{ question: 'How many habits?', answer: 'Up to five' }],
    });
    expect(made).toMatchObject({ kind: 'made', intent: 'new', attempts: 1, app: { name: 'Habit tracker' } });
  });

  it('opens a stored working app for the same request at once, and makes a fresh one when asked', async () => {
    const first = await ok<{ kind: string; app: App }>('ask', {
      text: 'a sleep tracker',
      skipQuestions: true,
    });
    expect(first.kind).toBe('made');
    const again = await ok<{ kind: string; app: App; reused: boolean }>('ask', { text: 'a sleep tracker' });
    expect(again).toMatchObject({ kind: 'open', reused: true, app: { id: first.app.id } });
    const fresh = await ok<{ kind: string; app: App }>('ask', {
      text: 'a sleep tracker',
      fresh: true,
      skipQuestions: true,
    });
    expect(fresh.kind).toBe('made');
    expect(fresh.app.id).not.toBe(first.app.id);
  });

  it('asks which app is meant when a reference fits several, instead of guessing', async () => {
    const answer = await ok<{ kind: string; apps: App[] }>('ask', { text: 'open the tracker' });
    expect(answer).toMatchObject({
      kind: 'choose',
      intent: 'open',
      question: expect.stringContaining('tracker'),
    });
    expect(answer.apps.map((app) => app.name).sort()).toEqual([
      'Habit tracker',
      'Sleep tracker',
      'Sleep tracker',
    ]);
    const clear = await ok<{ kind: string; app: App }>('ask', {
      text: 'open the habit tracker I made earlier',
    });
    expect(clear).toMatchObject({ kind: 'open', reused: false, app: { name: 'Habit tracker' } });
  });

  it('answers words that ask for no app without calling the model for one', async () => {
    expect(await ok('ask', { text: 'hello there' })).toMatchObject({ kind: 'reply', intent: 'other' });
  });
});

describe('runtime failures reported by the shell', () => {
  it('repairs an app that throws on load: the error goes back to the model and the repaired version is current', async () => {
    const made = await ok<{ app: App; versionId: string }>('ask', {
      text: 'a budget tracker',
      skipQuestions: true,
    });
    await ok('storage.set', { appId: made.app.id, key: 'n', value: 7 });
    // What the shell sends when the SDK reports an uncaught error from the frame.
    await ok('apps.report', {
      versionId: made.versionId,
      kind: 'error',
      message: "Uncaught TypeError: Cannot read properties of null (reading 'textContent')",
      stack: 'TypeError: Cannot read properties of null\n    at about:srcdoc:14:62',
    });
    const repaired = await ok<{ outcome: string; versionId: string; app: App }>('apps.repair', {
      versionId: made.versionId,
    });
    expect(repaired).toMatchObject({ outcome: 'repaired', attempts: 1, app: { id: made.app.id } });
    expect(repaired.versionId).not.toBe(made.versionId);
    expect(repaired.app.currentVersionId).toBe(repaired.versionId);
    expect(await ok('storage.get', { appId: made.app.id, key: 'n' })).toEqual({ value: 7 });
  });

  it('stops repairing an app that loops forever when the repair loops the same way, and brings back the last working version', async () => {
    const made = await ok<{ app: App; versionId: string }>('ask', {
      text: 'a step counter',
      skipQuestions: true,
    });
    await ok('storage.set', { appId: made.app.id, key: 'n', value: 1234 });
    const changed = await ok<{ kind: string; versionId: string }>('ask', {
      text: 'make it count automatically',
      openAppId: made.app.id,
    });
    expect(changed).toMatchObject({ kind: 'made', intent: 'change' });
    const unresponsive = { kind: 'unresponsive', message: 'no heartbeat answer for 5000 ms' } as const;

    await ok('apps.report', { versionId: changed.versionId, ...unresponsive });
    const first = await ok<{ outcome: string; versionId: string }>('apps.repair', {
      versionId: changed.versionId,
    });
    expect(first.outcome).toBe('repaired');

    // The repaired version stops answering too: the same failure again, so repair stops.
    await ok('apps.report', { versionId: first.versionId, ...unresponsive });
    const second = await ok<{ outcome: string; versionId: string; message: string }>('apps.repair', {
      versionId: first.versionId,
    });
    expect(second).toMatchObject({ outcome: 'rolled-back', versionId: made.versionId });
    expect(second.message).toMatch(/failed the same way/);
    const list = await ok<{ apps: App[] }>('apps.list', {});
    expect(list.apps.find((app) => app.id === made.app.id)?.currentVersionId).toBe(made.versionId);
    expect(await ok('storage.get', { appId: made.app.id, key: 'n' })).toEqual({ value: 1234 });
  });

  it('refuses a report about a version that does not exist, with a code', async () => {
    const reply = await client.call('apps.report', {
      versionId: 'ver_doesnotexist',
      kind: 'error',
      message: 'x',
    });
    expect(reply).toMatchObject({ type: 'error', error: { code: 'FIGMENT_ERR_NOT_FOUND' } });
  });
});

// The document the fixtures build is realistic enough to pass validation by itself.
it('fixture apps pass validation unchanged', async () => {
  const { validateBundle } = await import('../../../../services/figmentd/generation/validateBundle.js');
  expect(
    validateBundle({ manifest: { name: 'x', description: '', capabilities: ['storage'] }, html: appHtml() }),
  ).toEqual([]);
});
