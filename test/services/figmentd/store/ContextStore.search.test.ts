import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContextStore } from '../../../../services/figmentd/store/ContextStore.js';
import { HashingEmbedder } from '../../../support/HashingEmbedder.js';
import { steppingClock, tempDir, versionRecord } from './fixtures.js';

/**
 * The meaning path here uses HashingEmbedder, a deterministic STAND-IN for an
 * embedding model (no embedding GGUF small enough exists in this repository's
 * test models; see ../shared/models/SOURCES.md). The real node-llama-cpp path is
 * exercised in test/integration/llamaEmbeddings.test.ts.
 */
describe('ContextStore: search by words and meaning', () => {
  let temp: ReturnType<typeof tempDir>;
  let path: string;
  let store: ContextStore;
  beforeEach(() => {
    temp = tempDir();
    path = join(temp.dir, 'figment.db');
    store = ContextStore.open({ path, now: steppingClock(), embedder: new HashingEmbedder() });
  });
  afterEach(() => {
    store.dispose();
    temp.remove();
  });

  function make(name: string, description: string, intent: string) {
    return store.createApp(
      versionRecord(name, {
        intent,
        bundle: {
          manifest: { name, description, capabilities: ['storage'] },
          html: `<title>${name}</title>`,
        },
      }),
    );
  }

  function seedApps() {
    return {
      budget: make(
        'Budget tracker',
        'Monthly spending by category',
        'make me a budget tracker for my spending',
      ),
      habits: make('Habit tracker', 'Tick off daily habits', 'something to keep my exercise streaks'),
      todo: make('To-do list', 'Tasks sorted by urgency', 'a to-do list that sorts by urgency'),
      weather: make('Weather board', 'The forecast at a glance', 'show the forecast for the week'),
    };
  }

  it('finds the budget tracker from a paraphrase ("expense app") through meaning, saying so', async () => {
    const { budget } = seedApps();
    const [first, ...rest] = await store.search('expense app');
    expect(first?.app.id).toBe(budget.app.id);
    expect(first?.words).toEqual([]);
    expect(first?.similarity).toBeGreaterThan(0.3);
    expect(first?.reason).toMatch(/^close in meaning \(similarity 0\.\d\d\)$/);
    // Nothing else is close enough in meaning to be offered.
    expect(rest).toEqual([]);
  });

  it('finds nothing for the paraphrase without an embedder, but still finds words', async () => {
    const { budget } = seedApps();
    store.dispose();
    store = ContextStore.open({ path });
    expect(await store.search('expense app')).toEqual([]);

    const hits = await store.search('spending');
    expect(hits.map((hit) => hit.app.id)).toEqual([budget.app.id]);
    expect(hits[0]?.reason).toBe('matched "spending" in the description');
    expect(hits[0]?.similarity).toBeNull();
  });

  it('returns both trackers for "the tracker I made earlier", ranked, and lets more words decide', async () => {
    const { budget, habits } = seedApps();

    const hits = await store.search('the tracker I made earlier');
    expect(new Set(hits.map((hit) => hit.app.id))).toEqual(new Set([budget.app.id, habits.app.id]));
    for (const hit of hits) expect(hit.reason).toMatch(/"tracker" in the name/);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);

    const budgetFirst = await store.search('budget tracker');
    expect(budgetFirst.map((hit) => hit.app.id)).toEqual([budget.app.id, habits.app.id]);
    expect(budgetFirst[0]!.score).toBeGreaterThan(budgetFirst[1]!.score);
    expect(budgetFirst[0]!.reason).toMatch(/"budget" in the name.*close in meaning/);

    const habitsFirst = await store.search('the habit tracker');
    expect(habitsFirst.map((hit) => hit.app.id)).toEqual([habits.app.id, budget.app.id]);
  });

  it('puts the more recently used app first when two match equally', async () => {
    store.dispose();
    store = ContextStore.open({ path, now: steppingClock(1_800_000_000_000) });
    const first = make('Step counter', 'Counts steps', 'count steps');
    const second = make('Step counter', 'Counts steps', 'count steps');
    expect((await store.search('step counter')).map((hit) => hit.app.id)).toEqual([
      second.app.id,
      first.app.id,
    ]);
    store.markOpened(first.app.id);
    expect((await store.search('step counter')).map((hit) => hit.app.id)).toEqual([
      first.app.id,
      second.app.id,
    ]);
  });

  it('matches word beginnings and past requests, and keeps up with new versions', async () => {
    const { todo } = seedApps();
    expect((await store.search('urgen')).map((hit) => hit.app.id)).toEqual([todo.app.id]);
    expect(await store.search('colour')).toEqual([]);

    store.addVersion(
      todo.app.id,
      todo.versionId,
      versionRecord('To-do list', { intent: 'colour-code the deadlines' }),
    );
    const hits = await store.search('colour');
    expect(hits.map((hit) => hit.app.id)).toEqual([todo.app.id]);
    expect(hits[0]!.reason).toMatch(/"colour" in the earlier requests/);
  });

  it('answers nothing for an empty or stop-word-only query, and takes odd characters as words', async () => {
    seedApps();
    expect(await store.search('')).toEqual([]);
    expect((await store.search('the app')).length).toBe(0);
    expect(await store.search('"budget* OR (NEAR')).toHaveLength(1);
  });

  it('after forgetting an app finds nothing of it, and leaves nothing of it in any table, index or file', async () => {
    const { budget, habits } = seedApps();
    const marker = 'Zanzibarquokka';
    const secret = store.addVersion(
      budget.app.id,
      budget.versionId,
      versionRecord(`${marker} budget`, { intent: `add ${marker} categories` }),
    );
    store.setData(budget.app.id, 'expenses', [{ what: `${marker} rent`, amount: 900 }]);
    store.grant(budget.app.id, 'location');
    const session = store.startSession();
    store.recordInteraction({
      sessionId: session,
      kind: 'ask',
      text: `open the ${marker} one`,
      appId: budget.app.id,
    });
    await store.indexVectors();
    expect((await store.search(marker)).map((hit) => hit.app.id)).toEqual([budget.app.id]);
    const vector = (await new HashingEmbedder().embed([`${marker} budget`]))[0]!;

    store.forgetApp(budget.app.id);

    expect(await store.search(marker)).toEqual([]);
    expect((await store.search('budget tracker')).map((hit) => hit.app.id)).not.toContain(budget.app.id);
    expect(store.getApp(budget.app.id)).toBeUndefined();
    expect(store.getVersion(secret)).toBeUndefined();
    expect(store.listAudit().map((entry) => [entry.action, entry.appId])).toEqual([['app.forgotten', null]]);
    store.dispose();

    const db = new Database(path, { readonly: true });
    sqliteVec.load(db);
    try {
      // Every table, shadow tables of the word and vector indexes included.
      const tables = db
        .prepare<[], string>(
          "SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'",
        )
        .pluck()
        .all();
      expect(tables).toEqual(expect.arrayContaining(['apps_fts_data', 'apps_fts_content', 'app_embeddings']));
      for (const table of tables) {
        const text = JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).raw().all(), (_key, value) =>
          Buffer.isBuffer(value) ? value.toString('latin1') : value,
        );
        expect(text, table).not.toContain(budget.app.id);
        expect(text.toLowerCase(), table).not.toContain(marker.toLowerCase());
      }
      // The index itself has no entry for the word, and no vector is near the forgotten one.
      expect(
        db.prepare("SELECT count(*) FROM apps_fts WHERE apps_fts MATCH 'zanzibarquokka'").pluck().get(),
      ).toBe(0);
      const nearest = db
        .prepare('SELECT vec_distance_cosine(embedding, ?) AS distance FROM app_embeddings')
        .all(vector) as { distance: number }[];
      expect(nearest).toHaveLength(3);
      for (const row of nearest) expect(row.distance).toBeGreaterThan(0.3);
      expect(db.prepare('SELECT count(*) FROM app_vector_state').pluck().get()).toBe(3);
    } finally {
      db.close();
    }
    // Nor in the bytes on disk: secure_delete zeroed freed pages and the WAL was emptied.
    const bytes = Buffer.concat([readFileSync(path), readFileSync(`${path}-wal`, { flag: 'a+' })]);
    expect(bytes.includes(marker)).toBe(false);
    expect(bytes.includes(marker.toLowerCase())).toBe(false);
    expect(bytes.includes(budget.app.id)).toBe(false);

    store = ContextStore.open({ path, embedder: new HashingEmbedder() });
    expect((await store.search('habit')).map((hit) => hit.app.id)).toEqual([habits.app.id]);
  });

  it('carries vectors the first layout kept (a sqlite-vec table) forward, without embedding them again', async () => {
    const { budget } = seedApps();
    await store.indexVectors();
    store.dispose();
    // The database as the first layout left it: vectors in app_vectors (sqlite-vec), no app_embeddings.
    const old = new Database(path);
    sqliteVec.load(old);
    old.exec(`
      CREATE VIRTUAL TABLE app_vectors USING vec0 (embedding float[256] distance_metric=cosine);
      INSERT INTO app_vectors (rowid, embedding) SELECT app_rowid, embedding FROM app_embeddings;
      DROP TABLE app_embeddings;
    `);
    old.close();

    const embedder = new HashingEmbedder();
    store = ContextStore.open({ path, now: steppingClock(), embedder });
    const [first] = await store.search('expense app');
    expect(first?.app.id).toBe(budget.app.id);
    expect(first?.similarity).toBeGreaterThan(0.3);
    // Only the query was embedded: the apps' vectors came across.
    expect(embedder.texts).toBe(1);
    store.dispose();

    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'app_vectors%'").all()).toEqual([]);
      expect(db.prepare('SELECT count(*) FROM app_embeddings').pluck().get()).toBe(4);
    } finally {
      db.close();
    }
    store = ContextStore.open({ path, now: steppingClock(), embedder });
  });

  it('forgets a session: its exchanges and the apps made in it; older apps it changed lose those words', async () => {
    const older = make('Habit tracker', 'Daily habits', 'keep my streaks');
    const session = store.startSession();
    store.recordInteraction({ sessionId: session, kind: 'ask', text: 'a Quokkabudget planner' });
    const made = store.createApp({ ...versionRecord('Quokkabudget planner'), sessionId: session });
    const changed = store.addVersion(older.app.id, older.versionId, {
      ...versionRecord('Habit tracker', { intent: 'add Quokkastreak badges' }),
      sessionId: session,
    });
    const other = store.startSession();
    store.recordInteraction({ sessionId: other, kind: 'ask', text: 'something else' });

    expect(store.forgetSession(session)).toEqual({ apps: 1 });

    expect(store.getApp(made.app.id)).toBeUndefined();
    expect(store.getApp(older.app.id)?.currentVersionId).toBe(changed);
    expect(store.getVersion(changed)).toMatchObject({ intent: '', sessionId: null });
    expect(store.listInteractions(session)).toEqual([]);
    expect(store.listInteractions(other)).toHaveLength(1);
    expect(await store.search('Quokkabudget')).toEqual([]);
    expect(await store.search('Quokkastreak')).toEqual([]);
    expect(store.listAudit()[0]).toMatchObject({
      action: 'session.forgotten',
      appId: null,
      detail: { apps: 1 },
    });
  });

  it('rebuilds the vectors when the embedder changes, and never compares vectors of two embedders', async () => {
    const { budget } = seedApps();
    await store.indexVectors();
    store.dispose();

    const other = new HashingEmbedder(64, 'another-stand-in');
    store = ContextStore.open({ path, embedder: other });
    const hits = await store.search('expense app');
    expect(hits.map((hit) => hit.app.id)).toEqual([budget.app.id]);
    expect(other.texts).toBe(4 + 1); // every app re-embedded once, plus the query
    await store.search('expense app');
    expect(other.texts).toBe(4 + 1 + 1);
  });
});
