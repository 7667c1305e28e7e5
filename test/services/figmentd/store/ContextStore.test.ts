import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContextStore } from '../../../../services/figmentd/store/ContextStore.js';
import { ErrorCode } from '../../../../services/protocol/index.js';
import { figmentError, steppingClock, tempDir, versionRecord } from './fixtures.js';

describe('ContextStore: apps and versions', () => {
  let temp: ReturnType<typeof tempDir>;
  let path: string;
  let store: ContextStore;
  beforeEach(() => {
    temp = tempDir();
    path = join(temp.dir, 'figment.db');
    store = ContextStore.open({ path, now: steppingClock() });
  });
  afterEach(() => {
    store.dispose();
    temp.remove();
  });

  /** Counts rows through a second connection, so nothing the store caches can hide a row. */
  function rowCount(table: 'apps' | 'app_versions' | 'app_data'): number {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get()!;
    } finally {
      db.close();
    }
  }

  it('stores a new app with its first version, and reads both back equal', () => {
    const record = versionRecord('Budget tracker');
    const { app, versionId } = store.createApp(record);

    expect(app).toEqual({
      id: expect.stringMatching(/^app_/),
      name: 'Budget tracker',
      description: 'A budget tracker.',
      capabilities: ['storage'],
      currentVersionId: versionId,
      createdAt: expect.any(Number),
      updatedAt: app.createdAt,
      lastOpenedAt: null,
      pinnedAt: null,
      icon: null,
    });
    expect(store.getApp(app.id)).toEqual(app);
    expect(store.getVersion(versionId)).toEqual({
      id: versionId,
      appId: app.id,
      parentId: null,
      intent: record.intent,
      manifest: record.bundle.manifest,
      html: record.bundle.html,
      model: record.model,
      promptVersion: record.promptVersion,
      promptTokens: record.promptTokens,
      completionTokens: record.completionTokens,
      generationMs: record.generationMs,
      validationMs: record.validationMs,
      findings: [],
      repairAttempts: 0,
      sessionId: null,
      createdAt: app.createdAt,
    });
    expect(store.countApps()).toBe(1);
  });

  it('answers undefined for an app or version it does not have', () => {
    expect(store.getApp('app_doesnotexist0000')).toBeUndefined();
    expect(store.getVersion('ver_doesnotexist0000')).toBeUndefined();
  });

  it('makes a new version current, records its parent and lets the app follow its manifest', () => {
    const { app, versionId: first } = store.createApp(versionRecord('Budget tracker'));
    const second = store.addVersion(
      app.id,
      first,
      versionRecord('Dark budget tracker', { intent: 'add a dark mode' }),
    );

    const updated = store.getApp(app.id)!;
    expect(updated.currentVersionId).toBe(second);
    expect(updated.name).toBe('Dark budget tracker');
    expect(updated.description).toBe('A dark budget tracker.');
    expect(updated.createdAt).toBe(app.createdAt);
    expect(updated.updatedAt).toBeGreaterThan(app.updatedAt);
    expect(store.getVersion(second)).toMatchObject({
      appId: app.id,
      parentId: first,
      intent: 'add a dark mode',
    });
    // The old version stays, unchanged, as the last good one to go back to.
    expect(store.getVersion(first)).toMatchObject({ appId: app.id, parentId: null });
  });

  it("leaves the app's data untouched when a new version is added", () => {
    const { app, versionId } = store.createApp(versionRecord());
    store.setData(app.id, 'expenses', [{ what: 'bread', amount: 2.5 }]);
    store.setData(app.id, 'currency', 'EUR');

    store.addVersion(app.id, versionId, versionRecord('Budget tracker', { intent: 'sort by amount' }));

    expect(store.getData(app.id, 'expenses')).toEqual([{ what: 'bread', amount: 2.5 }]);
    expect(store.getData(app.id, 'currency')).toBe('EUR');
  });

  it('refuses a version whose parent belongs to another app, changing nothing', () => {
    const budget = store.createApp(versionRecord('Budget tracker'));
    const todo = store.createApp(versionRecord('To-do list'));

    expect(figmentError(() => store.addVersion(budget.app.id, todo.versionId, versionRecord())).code).toBe(
      ErrorCode.NotFound,
    );
    expect(
      figmentError(() => store.addVersion('app_doesnotexist0000', budget.versionId, versionRecord())).code,
    ).toBe(ErrorCode.NotFound);
    expect(store.getApp(budget.app.id)).toEqual(budget.app);
    expect(rowCount('app_versions')).toBe(2);
  });

  it('refuses an invalid manifest before writing anything', () => {
    const record = versionRecord();
    record.bundle.manifest.name = '   ';
    expect(figmentError(() => store.createApp(record)).code).toBe(ErrorCode.Validation);
    expect(rowCount('apps')).toBe(0);
  });

  it('lists apps most recently opened or updated first', () => {
    const a = store.createApp(versionRecord('A')).app;
    const b = store.createApp(versionRecord('B')).app;
    const c = store.createApp(versionRecord('C')).app;
    expect(store.listApps().map((app) => app.name)).toEqual(['C', 'B', 'A']);

    store.markOpened(a.id);
    expect(store.listApps().map((app) => app.name)).toEqual(['A', 'C', 'B']);
    expect(store.getApp(a.id)!.lastOpenedAt).toBeGreaterThan(c.updatedAt);

    store.markOpened(b.id);
    expect(store.listApps().map((app) => app.name)).toEqual(['B', 'A', 'C']);

    // Changing an app counts as using it, too.
    store.addVersion(c.id, c.currentVersionId, versionRecord('C'));
    expect(store.listApps().map((app) => app.name)).toEqual(['C', 'B', 'A']);
  });

  it('refuses to mark an unknown app as opened', () => {
    expect(figmentError(() => store.markOpened('app_doesnotexist0000')).code).toBe(ErrorCode.NotFound);
  });

  it('leaves nothing behind when createApp fails halfway', () => {
    // The app row is written first; the version breaks a CHECK constraint after it.
    expect(() => store.createApp(versionRecord('Broken', { promptTokens: -1 }))).toThrow(/CHECK constraint/);

    expect(store.countApps()).toBe(0);
    expect(store.listApps()).toEqual([]);
    expect(rowCount('apps')).toBe(0);
    expect(rowCount('app_versions')).toBe(0);
    // And the store still works afterwards.
    expect(store.createApp(versionRecord()).app.name).toBe('Budget tracker');
  });

  it('leaves the app as it was when addVersion fails halfway', () => {
    const { app, versionId } = store.createApp(versionRecord('Budget tracker'));
    expect(() =>
      store.addVersion(app.id, versionId, versionRecord('Renamed', { generationMs: 1.5 })),
    ).toThrow(/INTEGER/);
    expect(store.getApp(app.id)).toEqual(app);
    expect(rowCount('app_versions')).toBe(1);
  });

  it('refuses every use after dispose, and disposing twice is harmless', () => {
    const { app, versionId } = store.createApp(versionRecord());
    store.dispose();
    store.dispose();
    store[Symbol.dispose]();

    const uses: Array<() => unknown> = [
      () => store.createApp(versionRecord()),
      () => store.addVersion(app.id, versionId, versionRecord()),
      () => store.listApps(),
      () => store.getApp(app.id),
      () => store.getVersion(versionId),
      () => store.markOpened(app.id),
      () => store.getData(app.id, 'k'),
      () => store.setData(app.id, 'k', 1),
      () => store.countApps(),
    ];
    for (const use of uses) expect(use).toThrow(/after dispose/);
  });

  it('works as a throwaway in-memory database too', () => {
    const memory = ContextStore.open({ path: ':memory:' });
    const { app } = memory.createApp(versionRecord());
    expect(memory.listApps()).toEqual([app]);
    memory.dispose();
  });
});
