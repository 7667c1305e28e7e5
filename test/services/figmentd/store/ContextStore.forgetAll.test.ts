import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContextStore } from '../../../../services/figmentd/store/ContextStore.js';
import { steppingClock, tempDir, versionRecord } from './fixtures.js';

describe('ContextStore: forget everything, export as text', () => {
  let temp: ReturnType<typeof tempDir>;
  let store: ContextStore;
  beforeEach(() => {
    temp = tempDir();
    store = ContextStore.open({ path: join(temp.dir, 'figment.db'), now: steppingClock() });
  });
  afterEach(() => {
    store.dispose();
    temp.remove();
  });

  it('forgets every app, its data, grants, sessions and the audit, leaving one entry that says so', () => {
    const session = store.startSession();
    const { app } = store.createApp(versionRecord('Secret diary'));
    store.createApp(versionRecord('Shopping list'));
    store.setData(app.id, 'entry', 'my very private words');
    store.grant(app.id, 'camera');
    store.recordInteraction({ sessionId: session, kind: 'ask', text: 'a secret diary', appId: app.id });
    store.recordAudit('sensor.use', app.id, { capability: 'camera' });

    expect(store.forgetAll()).toEqual({ apps: 2 });
    expect(store.listApps()).toEqual([]);
    expect(() => store.getData(app.id, 'entry')).toThrow(/There is no app/);
    const { tables } = JSON.parse(store.exportText().text) as { tables: Record<string, unknown[]> };
    for (const table of ['apps', 'app_versions', 'app_data', 'grants', 'interactions', 'sessions']) {
      expect(tables[table], table).toEqual([]);
    }
    expect(store.listAudit().map((entry) => [entry.action, entry.appId, entry.detail])).toEqual([
      ['context.forgotten', null, { apps: 2 }],
    ]);
    store.dispose();
    // secure_delete and the WAL checkpoint leave none of it in the file.
    const bytes = readFileSync(join(temp.dir, 'figment.db'));
    expect(bytes.includes('my very private words')).toBe(false);
    expect(bytes.includes('Secret diary')).toBe(false);
    store = ContextStore.open({ path: join(temp.dir, 'figment.db') });
    expect(store.countApps()).toBe(0);
  });

  it('exports as text what exportTo writes, which import accepts', () => {
    store.createApp(versionRecord('Budget tracker'));
    const { text, apps } = store.exportText();
    expect(apps).toBe(1);
    expect(JSON.parse(text)).toMatchObject({
      format: 'figment-context',
      tables: { apps: [expect.any(Array)] },
    });
  });
});
