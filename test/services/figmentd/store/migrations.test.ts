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
      expect(tables).toEqual(['app_data', 'app_versions', 'apps']);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
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
