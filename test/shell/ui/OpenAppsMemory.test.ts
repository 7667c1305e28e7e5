import { describe, expect, it } from 'vitest';
import { OpenAppsMemory } from '../../../shell/ui/OpenAppsMemory.js';

/** The Storage interface over a Map, as sessionStorage behaves for one tab. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

describe('OpenAppsMemory', () => {
  it('gives back the open apps and the one on screen, under figment.openApps', () => {
    const storage = memoryStorage();
    new OpenAppsMemory(storage).save({ open: ['app_aaaaaaaa', 'app_bbbbbbbb'], active: 'app_bbbbbbbb' });
    expect(JSON.parse(storage.getItem('figment.openApps') ?? '')).toEqual({
      open: ['app_aaaaaaaa', 'app_bbbbbbbb'],
      active: 'app_bbbbbbbb',
    });
    expect(new OpenAppsMemory(storage).load()).toEqual({
      open: ['app_aaaaaaaa', 'app_bbbbbbbb'],
      active: 'app_bbbbbbbb',
    });
  });

  it('reads nothing open from an empty, damaged or odd entry, and drops an active app that is not open', () => {
    const storage = memoryStorage();
    const memory = new OpenAppsMemory(storage);
    expect(memory.load()).toEqual({ open: [], active: null });
    storage.setItem('figment.openApps', '{not json');
    expect(memory.load()).toEqual({ open: [], active: null });
    storage.setItem(
      'figment.openApps',
      JSON.stringify({ open: ['app_aaaaaaaa', 7, null], active: 'app_zzzzzzzz' }),
    );
    expect(memory.load()).toEqual({ open: ['app_aaaaaaaa'], active: null });
  });

  it('keeps working when storage refuses to write', () => {
    const storage = memoryStorage();
    storage.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    expect(() => new OpenAppsMemory(storage).save({ open: ['app_aaaaaaaa'], active: null })).not.toThrow();
  });
});
