import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContextStore } from '../../../../services/figmentd/store/ContextStore.js';
import { ErrorCode } from '../../../../services/protocol/index.js';
import { figmentError, tempDir, versionRecord } from './fixtures.js';

describe('ContextStore: app data and quota', () => {
  let temp: ReturnType<typeof tempDir>;
  let store: ContextStore;
  let appId: string;
  beforeEach(() => {
    temp = tempDir();
    // Small limits so tests stay fast: 20 bytes per value, 50 per app.
    store = ContextStore.open({
      path: join(temp.dir, 'figment.db'),
      quota: { maxValueBytes: 20, maxAppBytes: 50 },
    });
    appId = store.createApp(versionRecord()).app.id;
  });
  afterEach(() => {
    store.dispose();
    temp.remove();
  });

  it('stores JSON values per key and answers null for a key never set', () => {
    store.setData(appId, 'list', [1, { two: true }]);
    store.setData(appId, 'nothing', null);
    expect(store.getData(appId, 'list')).toEqual([1, { two: true }]);
    expect(store.getData(appId, 'nothing')).toBeNull();
    expect(store.getData(appId, 'never-set')).toBeNull();

    store.setData(appId, 'list', []);
    expect(store.getData(appId, 'list')).toEqual([]);
  });

  it("keeps each app's data to itself", () => {
    const other = store.createApp(versionRecord('Other')).app.id;
    store.setData(appId, 'k', 'mine');
    expect(store.getData(other, 'k')).toBeNull();
  });

  it('refuses a value over the per-value limit, counted in UTF-8 bytes, keeping the old value', () => {
    store.setData(appId, 'note', 'short');
    // 9 characters of JSON text ("ééééééé" with quotes), but 16 bytes: fits.
    store.setData(appId, 'note', 'ééééééé');
    // 11 characters, 20 bytes: fits exactly.
    store.setData(appId, 'note', 'ééééééééé');
    expect(store.getData(appId, 'note')).toBe('ééééééééé');

    // 12 characters, 22 bytes: refused, though 12 characters would fit.
    const error = figmentError(() => store.setData(appId, 'note', 'éééééééééé'));
    expect(error.code).toBe(ErrorCode.StorageQuota);
    expect(error.message).toMatch(/"note" is 22 bytes; one value may be at most 20 bytes/);
    expect(store.getData(appId, 'note')).toBe('ééééééééé');
  });

  it('refuses a value that would take the app over its limit, and writes nothing', () => {
    store.setData(appId, 'a', 'x'.repeat(16)); // 18 bytes
    store.setData(appId, 'b', 'x'.repeat(16)); // 36 bytes in all

    const error = figmentError(() => store.setData(appId, 'c', 'x'.repeat(16)));
    expect(error.code).toBe(ErrorCode.StorageQuota);
    expect(error.message).toMatch(/storage is full/);
    expect(store.getData(appId, 'c')).toBeNull();

    // Replacing a value counts only the new one: 18 + 18 + 14 = 50 bytes fits.
    store.setData(appId, 'b', 'x'.repeat(16));
    store.setData(appId, 'c', 'x'.repeat(12));
    expect(store.getData(appId, 'c')).toBe('x'.repeat(12));
  });

  it('counts each app against its own limit', () => {
    const other = store.createApp(versionRecord('Other')).app.id;
    store.setData(appId, 'a', 'x'.repeat(16));
    store.setData(appId, 'b', 'x'.repeat(16));
    store.setData(other, 'a', 'x'.repeat(16));
    store.setData(other, 'b', 'x'.repeat(16));
    expect(store.getData(other, 'b')).toBe('x'.repeat(16));
  });

  it('refuses to read or write the data of an unknown app', () => {
    expect(figmentError(() => store.setData('app_doesnotexist0000', 'k', 1)).code).toBe(ErrorCode.NotFound);
    expect(figmentError(() => store.getData('app_doesnotexist0000', 'k')).code).toBe(ErrorCode.NotFound);
  });

  it('refuses a quota that is not a positive whole number', () => {
    const error = figmentError(() => ContextStore.open({ path: ':memory:', quota: { maxAppBytes: 0 } }));
    expect(error.code).toBe(ErrorCode.Config);
  });
});
