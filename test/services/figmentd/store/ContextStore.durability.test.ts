import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContextStore } from '../../../../services/figmentd/store/ContextStore.js';
import { ErrorCode } from '../../../../services/protocol/index.js';
import { figmentError, tempDir, versionRecord } from './fixtures.js';

const storeModule = fileURLToPath(
  new URL('../../../../services/figmentd/store/ContextStore.ts', import.meta.url),
);

describe('ContextStore: durability and damaged files', () => {
  let temp: ReturnType<typeof tempDir>;
  let path: string;
  beforeEach(() => {
    temp = tempDir();
    path = join(temp.dir, 'figment.db');
  });
  afterEach(() => temp.remove());

  it('keeps apps, versions and data across closing and reopening', () => {
    const first = ContextStore.open({ path });
    const { app, versionId } = first.createApp(versionRecord());
    const second = first.addVersion(
      app.id,
      versionId,
      versionRecord('Budget tracker', { intent: 'dark mode' }),
    );
    first.markOpened(app.id);
    first.setData(app.id, 'expenses', [{ what: 'rent', amount: 900 }]);
    const before = first.getApp(app.id);
    first.dispose();

    const reopened = ContextStore.open({ path });
    expect(reopened.listApps()).toEqual([before]);
    expect(reopened.getVersion(second)).toMatchObject({ parentId: versionId, intent: 'dark mode' });
    expect(reopened.getData(app.id, 'expenses')).toEqual([{ what: 'rent', amount: 900 }]);
    reopened.dispose();
  });

  it('keeps every acknowledged write when the process is killed with SIGKILL', () => {
    // A child process writes, reports each acknowledged write, then kills itself
    // without closing the database (no checkpoint, the WAL is left as it was).
    const script = `
      import { ContextStore } from ${JSON.stringify(storeModule)};
      const store = ContextStore.open({ path: ${JSON.stringify(path)} });
      const { app } = store.createApp(${JSON.stringify(versionRecord())});
      for (let i = 0; i < 20; i++) store.setData(app.id, 'count', i);
      process.stdout.write(app.id, () => process.kill(process.pid, 'SIGKILL'));
    `;
    let appId = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
    } catch (error) {
      const { signal, stdout } = error as { signal: string; stdout: string };
      expect(signal).toBe('SIGKILL');
      appId = stdout;
    }
    expect(appId).toMatch(/^app_/);

    const store = ContextStore.open({ path });
    expect(store.getApp(appId)?.name).toBe('Budget tracker');
    expect(store.getData(appId, 'count')).toBe(19);
    store.dispose();
  });

  it('refuses a file that is not a database, saying how to recover', () => {
    writeFileSync(path, 'these are not the bytes of a SQLite database, not at all'.repeat(100));
    const error = figmentError(() => ContextStore.open({ path }));
    expect(error.code).toBe(ErrorCode.Database);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/move .* aside/);
  });

  it('says so with a code when the database cannot be created at all', () => {
    writeFileSync(join(temp.dir, 'a-file'), '');
    const error = figmentError(() => ContextStore.open({ path: join(temp.dir, 'a-file', 'figment.db') }));
    expect(error.code).toBe(ErrorCode.Database);
    expect(error.message).toMatch(/figmentd may write there/);
  });

  it('refuses a database whose pages are damaged, saying how to recover', () => {
    const store = ContextStore.open({ path });
    const { app } = store.createApp(versionRecord());
    for (let i = 0; i < 50; i++) store.setData(app.id, `key-${i}`, 'x'.repeat(500));
    store.dispose();

    // Scribble over the first page of the app_data table's b-tree.
    const db = new Database(path, { readonly: true });
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const rootPage = db
      .prepare<[], number>("SELECT rootpage FROM sqlite_schema WHERE name = 'app_data'")
      .pluck()
      .get()!;
    db.close();
    const fd = openSync(path, 'r+');
    const offset = (rootPage - 1) * pageSize;
    const page = Buffer.alloc(pageSize);
    readSync(fd, page, 0, pageSize, offset);
    page.fill(0xa5, 0, 64);
    writeSync(fd, page, 0, pageSize, offset);
    closeSync(fd);

    const error = figmentError(() => ContextStore.open({ path }));
    expect(error.code).toBe(ErrorCode.Database);
    expect(error.message).toMatch(/malformed/);
    expect(error.message).toMatch(/move .* aside/);
  });

  it('refuses a database whose rows break its own rules, saying how to recover', () => {
    const store = ContextStore.open({ path });
    const { app } = store.createApp(versionRecord());
    store.setData(app.id, 'note', 'hello');
    store.dispose();

    // A row whose recorded size is wrong: only damage (or another writer) could put it there.
    const db = new Database(path);
    db.pragma('ignore_check_constraints = ON');
    db.prepare("UPDATE app_data SET bytes = 1 WHERE key = 'note'").run();
    db.close();

    const error = figmentError(() => ContextStore.open({ path }));
    expect(error.code).toBe(ErrorCode.Database);
    expect(error.message).toContain('failed its integrity check (CHECK constraint failed in app_data');
    expect(error.message).toMatch(/move .* aside/);
  });
});
