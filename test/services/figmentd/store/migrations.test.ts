import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContextStore } from '../../../../services/figmentd/store/ContextStore.js';
import { latestSchemaVersion, migrations } from '../../../../services/figmentd/store/migrations.js';
import { ErrorCode } from '../../../../services/protocol/index.js';
import { figmentError, tempDir } from './fixtures.js';

describe('migrations', () => {
  let temp: ReturnType<typeof tempDir>;
  let path: string;
  beforeEach(() => {
    temp = tempDir();
    path = join(temp.dir, 'nested', 'figment.db');
  });
  afterEach(() => temp.remove());

  it('are numbered 1, 2, 3… in order, with unique names', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, index) => index + 1));
    expect(new Set(migrations.map((m) => m.name)).size).toBe(migrations.length);
    expect(latestSchemaVersion).toBe(migrations.length);
  });

  it('all run on a fresh database (in a folder made for it), which then reports the newest version', () => {
    ContextStore.open({ path }).dispose();

    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
      const tables = db
        .prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .pluck()
        .all();
      expect(tables).toEqual([
        'app_data',
        'app_vector_state',
        'app_versions',
        'apps',
        'apps_fts',
        'apps_fts_config',
        'apps_fts_content',
        'apps_fts_data',
        'apps_fts_docsize',
        'apps_fts_idx',
        'audit_log',
        'generation_attempts',
        'grants',
        'interactions',
        'runtime_failures',
        'sessions',
        'vector_meta',
      ]);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('bring a version-1 database forward, keeping its apps and indexing their words', async () => {
    const db = new Database(path.replace('nested/', ''));
    db.exec(migrations[0]!.sql);
    db.pragma('user_version = 1');
    db.exec(`
      BEGIN;
      INSERT INTO apps VALUES ('app_oldoneoldone01', 'Budget tracker', 'Money in and out', '["storage"]',
        'ver_oldoneoldone01', 1, 1, NULL);
      INSERT INTO app_versions VALUES ('ver_oldoneoldone01', 'app_oldoneoldone01', NULL, 'track my spending',
        '{"name":"Budget tracker","description":"Money in and out","capabilities":["storage"]}', '<p>', 'm', 'v1',
        1, 1, 1, 1, 1);
      INSERT INTO app_data VALUES ('app_oldoneoldone01', 'k', '1', 1, 1);
      COMMIT;
    `);
    db.close();

    const store = ContextStore.open({ path: path.replace('nested/', '') });
    try {
      expect(store.getVersion('ver_oldoneoldone01')).toMatchObject({
        findings: [],
        repairAttempts: 0,
        sessionId: null,
      });
      expect(store.getData('app_oldoneoldone01', 'k')).toBe(1);
      const hits = await store.search('spending');
      expect(hits.map((hit) => hit.app.id)).toEqual(['app_oldoneoldone01']);
    } finally {
      store.dispose();
    }
  });

  it('do not run again on a database that is up to date', () => {
    ContextStore.open({ path }).dispose();
    // A second open would fail on CREATE TABLE if it re-ran migration 1.
    const store = ContextStore.open({ path });
    expect(store.countApps()).toBe(0);
    store.dispose();
  });

  it('refuse a database from a newer Figment, naming both versions, and leave it as it was', () => {
    const newer = latestSchemaVersion + 1;
    const newerPath = join(temp.dir, 'newer.db');
    const db = new Database(newerPath);
    db.pragma(`user_version = ${newer}`);
    db.close();

    const error = figmentError(() => ContextStore.open({ path: newerPath }));
    expect(error.code).toBe(ErrorCode.Database);
    expect(error.message).toContain(`schema version ${newer}`);
    expect(error.message).toContain(`knows versions up to ${latestSchemaVersion}`);

    const after = new Database(newerPath, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(newer);
    expect(after.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get()).toBe(0);
    after.close();
  });
});
