import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContextStore } from '../../../../services/figmentd/store/ContextStore.js';
import { ErrorCode } from '../../../../services/protocol/index.js';
import { figmentError, steppingClock, tempDir, versionRecord } from './fixtures.js';

describe('ContextStore: the launcher state of apps (pins and chosen icons)', () => {
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

  it('pins an app, keeps its first pin time when pinned again, and unpins it', () => {
    const { app } = store.createApp(versionRecord('Budget tracker'));
    const pinned = store.pin(app.id, true);
    expect(pinned.pinnedAt).toBeGreaterThan(app.createdAt);
    expect(store.pin(app.id, true).pinnedAt).toBe(pinned.pinnedAt);
    expect(store.pin(app.id, false).pinnedAt).toBeNull();
    expect(store.getApp(app.id)?.pinnedAt).toBeNull();
  });

  it('keeps pins and chosen icons across a restart, and leaves the app itself as it was', () => {
    const { app, versionId } = store.createApp(versionRecord('Budget tracker'));
    store.setData(app.id, 'total', 12);
    store.pin(app.id, true);
    store.setIcon(app.id, 'money');
    store.dispose();

    store = ContextStore.open({ path });
    expect(store.getApp(app.id)).toMatchObject({
      pinnedAt: expect.any(Number),
      icon: 'money',
      currentVersionId: versionId,
      updatedAt: app.updatedAt,
    });
    expect(store.getData(app.id, 'total')).toBe(12);
    expect(store.setIcon(app.id, null).icon).toBeNull();
  });

  it('starts an app with the icon the model chose; later versions leave the icon to the person', () => {
    const withIcon = (name: string, icon: 'cup' | 'leaf') => {
      const record = versionRecord(name);
      return { ...record, bundle: { ...record.bundle, manifest: { ...record.bundle.manifest, icon } } };
    };
    const { app, versionId } = store.createApp(withIcon('Tea timer', 'cup'));
    expect(app.icon).toBe('cup');
    expect(store.createApp(versionRecord('Budget tracker')).app.icon).toBeNull();
    // An icon the catalogue lacks is dropped: the app is kept, with the icon made from its name.
    const unknown = withIcon('Rocket log', 'cup');
    Object.assign(unknown.bundle.manifest, { icon: 'rocket' });
    expect(store.createApp(unknown).app.icon).toBeNull();

    // A new version's manifest names another icon: the app keeps the one it has.
    store.addVersion(app.id, versionId, withIcon('Tea timer', 'leaf'));
    expect(store.getApp(app.id)?.icon).toBe('cup');
    store.setIcon(app.id, null);
    const next = store.getApp(app.id)?.currentVersionId ?? '';
    store.addVersion(app.id, next, withIcon('Tea timer', 'leaf'));
    expect(store.getApp(app.id)?.icon).toBeNull();
  });

  it('refuses an unknown app with a coded error', () => {
    expect(figmentError(() => store.pin('app_doesnotexist0000', true)).code).toBe(ErrorCode.NotFound);
    expect(figmentError(() => store.setIcon('app_doesnotexist0000', 'star')).code).toBe(ErrorCode.NotFound);
  });

  it('shows the made icon for an icon name the catalogue no longer has, instead of failing the list', () => {
    const { app } = store.createApp(versionRecord('Budget tracker'));
    const db = new Database(path);
    try {
      db.prepare("UPDATE apps SET icon = 'retired-icon' WHERE id = ?").run(app.id);
    } finally {
      db.close();
    }
    expect(store.listApps().map((listed) => listed.icon)).toEqual([null]);
  });
});
