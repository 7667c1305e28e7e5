import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Generator } from '../../../../services/figmentd/generation/Generator.js';
import { PromptSet } from '../../../../services/figmentd/generation/PromptSet.js';
import { Logger } from '../../../../services/figmentd/log/Logger.js';
import {
  ScriptedBackend,
  type ScriptedResponse,
} from '../../../../services/figmentd/models/ScriptedBackend.js';
import { ContextStore } from '../../../../services/figmentd/store/ContextStore.js';
import { ErrorCode, FigmentError } from '../../../../services/protocol/errors.js';
import { appHtml, bundleJson, patchJson } from '../../../support/scriptedApps.js';
import { repoRoot } from '../../../support/startDaemon.js';
import { tempDir } from '../store/fixtures.js';

/**
 * The generation engine on a real database with the scripted backend
 * replaying realistic model answers, broken ones included. Each scenario
 * ends in its documented outcome within the bound (first answer + 3 repairs).
 */
let folder: ReturnType<typeof tempDir>;
let store: ContextStore;
const prompts = PromptSet.load(`${repoRoot}prompts/v2`);
const quiet = new Logger('error', 'test', () => undefined);

beforeEach(() => {
  folder = tempDir();
  store = ContextStore.open({ path: `${folder.dir}/figment.db` });
});
afterEach(() => {
  store.dispose();
  folder.remove();
});

function generatorWith(responses: ScriptedResponse[]) {
  const backend = new ScriptedBackend(responses, { chunkChars: 200 });
  return {
    backend,
    generator: new Generator({
      backend,
      store,
      prompts,
      logger: quiet,
      maxTokens: 20_000,
      timeoutMs: 10_000,
    }),
  };
}
const run = (requestId: string) => ({ requestId });
const good = bundleJson();

describe('self-repair of a new app', () => {
  it('repairs an unparsable script: the finding goes back to the model, the fixed app is stored', async () => {
    const broken = bundleJson({ script: "let n = ;\nfigment.storage.get('n')" });
    const { backend, generator } = generatorWith([
      { match: 'did not work[\\s\\S]*script\\.syntax', output: good },
      { match: '^Request: a tip calculator', output: broken },
    ]);
    const made = await generator.generate('a tip calculator', run('r1'));
    expect(made.attempts).toBe(2);
    // The repair prompt carried the precise finding, the app's annotation and its document.
    const repair = backend.requests[1]?.user ?? '';
    expect(repair).toMatch(/\[script\.syntax\] line \d+: script does not parse/);
    expect(repair).toContain('@figment state: n (number)');
    expect(repair).toContain('let n = ;');
    const attempts = store.generationLog.attemptsOfRequest('r1');
    expect(attempts.map((a) => [a.attempt, a.kind, a.cause, a.outcome])).toEqual([
      [1, 'new', 'request', 'invalid'],
      [2, 'repair', 'validation', 'stored'],
    ]);
    expect(attempts.every((a) => a.appId === made.app.id && a.promptVersion === '2')).toBe(true);
    const version = store.getVersion(made.versionId);
    expect(version).toMatchObject({ promptVersion: '2', repairAttempts: 1, model: 'scripted' });
  });

  it('repairs a document with missing closing tags (cut off inside a tag)', async () => {
    const cut = bundleJson({ html: appHtml().slice(0, appHtml().indexOf('<button') + 20) });
    const { generator } = generatorWith([
      { match: 'did not work[\\s\\S]*html\\.parse', output: good },
      { match: '^Request: a tip calculator', output: cut },
    ]);
    const made = await generator.generate('a tip calculator', run('r2'));
    expect(made.attempts).toBe(2);
    expect(store.generationLog.attemptsOfRequest('r2')[0]?.findings).toContainEqual(
      expect.objectContaining({
        code: 'html.parse',
        severity: 'error',
        message: expect.stringContaining('eof-in-tag'),
      }),
    );
  });

  it('repairs an SDK call for a capability the manifest did not declare', async () => {
    const { backend, generator } = generatorWith([
      { match: 'did not work[\\s\\S]*sdk\\.capability', output: good },
      { match: '^Request: a tip calculator', output: bundleJson({ capabilities: [] }) },
    ]);
    const made = await generator.generate('a tip calculator', run('r3'));
    expect(made.app.capabilities).toEqual(['storage']);
    expect(backend.requests[1]?.user).toContain('figment.storage.get needs the "storage" capability');
  });

  it('refuses an app that keeps an external <script src>, stopping as soon as the same finding repeats', async () => {
    const external = bundleJson({
      body: '<h1>Tips</h1><script src="https://cdn.example.com/chart.js"></script>',
      script: 'figment.ready();',
    });
    const { backend, generator } = generatorWith([{ match: 'tip calculator', output: external }]);
    const failure = await generator.generate('a tip calculator', run('r4')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FigmentError);
    expect(failure).toMatchObject({
      code: ErrorCode.Validation,
      message: expect.stringContaining('after 2 attempts'),
    });
    expect((failure as FigmentError).details).toMatchObject({
      findings: [
        expect.objectContaining({
          code: 'ref.external',
          message: expect.stringContaining('cdn.example.com'),
        }),
      ],
    });
    expect(backend.requests).toHaveLength(2);
    expect(store.countApps()).toBe(0);
    expect(store.generationLog.attemptsOfRequest('r4').map((a) => a.outcome)).toEqual(['invalid', 'invalid']);
  });

  it('gives up after the first answer and three repairs when every answer fails differently', async () => {
    // Each answer fails in a new way, so "the same error repeats" never stops it early; the fifth would pass.
    const answers = [
      bundleJson({ script: 'let a = ;' }),
      bundleJson({
        body: '<h1>Tips</h1><img src="http://a.example/x.png" alt="">',
        script: 'figment.ready();',
      }),
      bundleJson({ capabilities: [] }),
      bundleJson({ body: '<h1>Tips</h1><input id="amount">', script: 'figment.ready();' }),
      good,
    ];
    let turn = 0;
    const backend = new ScriptedBackend([{ match: '.', output: 'unused' }]);
    const generate = backend.generate.bind(backend);
    backend.generate = async (request) => ({
      ...(await generate(request)),
      text: answers[turn++] ?? '',
    });
    const generator = new Generator({
      backend,
      store,
      prompts,
      logger: quiet,
      maxTokens: 20_000,
      timeoutMs: 10_000,
    });
    await expect(generator.generate('a tip calculator', run('r5'))).rejects.toMatchObject({
      code: ErrorCode.Validation,
      message: expect.stringContaining('after 4 attempts'),
    });
    expect(turn).toBe(4);
    expect(store.generationLog.attemptsOfRequest('r5')).toHaveLength(4);
  });

  it('says when the answer ran out of room, and counts it as an attempt', async () => {
    const { generator } = generatorWith([{ match: '.', output: good }]);
    const small = new Generator({
      backend: (generator as unknown as { options: { backend: ScriptedBackend } }).options.backend,
      store,
      prompts,
      logger: quiet,
      maxTokens: 3,
      timeoutMs: 10_000,
    });
    await expect(small.generate('a tip calculator', run('r6'))).rejects.toMatchObject({
      code: ErrorCode.Validation,
      message: expect.stringContaining('ran out of room'),
    });
    expect(store.generationLog.attemptsOfRequest('r6').map((a) => a.outcome)).toEqual([
      'unreadable',
      'unreadable',
    ]);
  });
});

describe('edits as patches', () => {
  async function storedApp() {
    const { generator } = generatorWith([{ match: '.', output: good }]);
    const made = await generator.generate('a tip calculator', run('seed'));
    store.setData(made.app.id, 'n', 41);
    return made;
  }

  it('applies a search/replace patch to the stored version, keeping the data', async () => {
    const made = await storedApp();
    const { backend, generator } = generatorWith([
      {
        match: '^Change this app',
        output: patchJson([
          { search: '--bg: #ffffff; --fg: #111111;', replace: '--bg: #111111; --fg: #ffffff;' },
        ]),
      },
    ]);
    const changed = await generator.edit(made.app.id, 'add a dark mode', run('e1'));
    expect(backend.requests[0]?.user).toContain(appHtml());
    expect(changed.app.currentVersionId).toBe(changed.versionId);
    expect(store.getVersion(changed.versionId)).toMatchObject({
      parentId: made.versionId,
      html: expect.stringContaining('--bg: #111111'),
    });
    expect(store.getData(made.app.id, 'n')).toBe(41);
  });

  it('falls back to a full document when the patch does not apply', async () => {
    const made = await storedApp();
    const dark = bundleJson({ style: 'body { background: #000000; color: #ffffff; }' });
    const { backend, generator } = generatorWith([
      {
        match: '^Change this app[\\s\\S]*Answer with a patch',
        output: patchJson([{ search: '<nav id="menu">', replace: '<nav>' }]),
      },
      { match: '^Change this app[\\s\\S]*complete changed JSON', output: dark },
    ]);
    const changed = await generator.edit(made.app.id, 'add a dark mode', run('e2'));
    expect(changed.attempts).toBe(2);
    expect(store.generationLog.attemptsOfRequest('e2').map((a) => [a.kind, a.cause, a.outcome])).toEqual([
      ['edit', 'request', 'patch-failed'],
      ['rewrite', 'patch', 'stored'],
    ]);
    expect(store.generationLog.attemptsOfRequest('e2')[0]?.findings[0]).toMatchObject({
      code: 'patch.apply',
      message: expect.stringContaining('is not in the document'),
    });
    expect(backend.requests[1]?.user).toContain('complete changed JSON');
    expect(store.getData(made.app.id, 'n')).toBe(41);
  });

  it('keeps the last good version when no answer to a change passes the checks', async () => {
    const made = await storedApp();
    const bad = patchJson([
      {
        search: '<h1>Tip calculator</h1>',
        replace: '<h1>Tips</h1><img src="http://x.example/a.png" alt="">',
      },
    ]);
    const { generator } = generatorWith([
      { match: '^Change this app', output: bad },
      { match: 'did not work', output: bundleJson({ body: '<img src="http://x.example/a.png" alt="">' }) },
    ]);
    await expect(generator.edit(made.app.id, 'add a logo', run('e3'))).rejects.toMatchObject({
      code: ErrorCode.Validation,
      message: expect.stringContaining('last good version stays'),
    });
    expect(store.getApp(made.app.id)?.currentVersionId).toBe(made.versionId);
    expect(store.getData(made.app.id, 'n')).toBe(41);
  });
});
