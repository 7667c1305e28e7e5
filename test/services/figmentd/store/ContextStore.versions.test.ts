import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContextStore } from '../../../../services/figmentd/store/ContextStore.js';
import { ErrorCode } from '../../../../services/protocol/index.js';
import { figmentError, steppingClock, tempDir, versionRecord } from './fixtures.js';

describe('ContextStore: versions, grants, audit, export and import', () => {
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

  function history() {
    const { app, versionId: v1 } = store.createApp(versionRecord('Budget tracker'));
    const v2 = store.addVersion(app.id, v1, {
      ...versionRecord('Dark budget tracker', { intent: 'add a dark mode' }),
      findings: [{ code: 'a11y.contrast', severity: 'warning', message: 'low contrast' }],
      repairAttempts: 2,
    });
    return { appId: app.id, v1, v2 };
  }

  it('lists versions newest first, with findings, repairs and which one is current', () => {
    const { appId, v1, v2 } = history();
    expect(store.listVersions(appId)).toEqual([
      expect.objectContaining({
        id: v2,
        parentId: v1,
        intent: 'add a dark mode',
        findingCount: 1,
        repairAttempts: 2,
        current: true,
      }),
      expect.objectContaining({ id: v1, parentId: null, findingCount: 0, repairAttempts: 0, current: false }),
    ]);
    expect(store.getVersion(v2)?.findings).toEqual([
      { code: 'a11y.contrast', severity: 'warning', message: 'low contrast' },
    ]);
  });

  it('diffs two versions of an app as a unified patch, and refuses versions of two apps', () => {
    const { v1, v2 } = history();
    const patch = store.diffVersions(v1, v2);
    expect(patch).toContain(`--- ${v1}/manifest.json`);
    expect(patch).toContain('-  "name": "Budget tracker",');
    expect(patch).toContain('+  "name": "Dark budget tracker",');
    expect(patch).toContain('+<!doctype html><html lang="en"><title>Dark budget tracker</title>');
    const other = store.createApp(versionRecord('Other')).versionId;
    expect(figmentError(() => store.diffVersions(v1, other)).code).toBe(ErrorCode.Validation);
    expect(figmentError(() => store.diffVersions(v1, 'ver_doesnotexist0000')).code).toBe(ErrorCode.NotFound);
  });

  it('rolls back to an earlier version and forward again, never touching the data', () => {
    const { appId, v1, v2 } = history();
    store.setData(appId, 'expenses', [{ what: 'rent', amount: 900 }]);

    const rolledBack = store.rollback(appId, v1);
    expect(rolledBack).toMatchObject({ currentVersionId: v1, name: 'Budget tracker' });
    expect(store.getData(appId, 'expenses')).toEqual([{ what: 'rent', amount: 900 }]);
    expect(store.listVersions(appId).map((version) => version.id)).toEqual([v2, v1]);

    expect(store.rollback(appId, v2)).toMatchObject({ currentVersionId: v2, name: 'Dark budget tracker' });
    expect(store.getData(appId, 'expenses')).toEqual([{ what: 'rent', amount: 900 }]);
    expect(store.listAudit().map((entry) => entry.action)).toEqual(['app.rollback', 'app.rollback']);

    const other = store.createApp(versionRecord('Other')).versionId;
    expect(figmentError(() => store.rollback(appId, other)).code).toBe(ErrorCode.NotFound);
    expect(store.getApp(appId)?.currentVersionId).toBe(v2);
  });

  it('keeps grants until they expire or are revoked, and audits both', () => {
    const { appId } = history();
    store.grant(appId, 'location');
    store.grant(appId, 'camera', 1); // long expired
    expect(store.listGrants(appId).map((grant) => grant.capability)).toEqual(['location']);
    store.revokeGrant(appId, 'location');
    expect(store.listGrants(appId)).toEqual([]);
    expect(store.listAudit().map((entry) => [entry.action, entry.detail])).toEqual([
      ['grant.revoked', { capability: 'location' }],
      ['grant.given', { capability: 'camera', expiresAt: 1 }],
      ['grant.given', { capability: 'location', expiresAt: null }],
    ]);
    expect(figmentError(() => store.grant('app_doesnotexist0000', 'camera')).code).toBe(ErrorCode.NotFound);
  });

  it('exports everything to one file and imports it into another kiosk, equal; a second import changes nothing', async () => {
    const { appId, v1, v2 } = history();
    store.setData(appId, 'expenses', [1, 2, 3]);
    store.grant(appId, 'location');
    store.pin(appId, true);
    store.setIcon(appId, 'star');
    const session = store.startSession();
    store.recordInteraction({ sessionId: session, kind: 'ask', text: 'a budget tracker', appId });
    const file = join(temp.dir, 'backup.figment.json');
    expect(store.exportTo(file)).toEqual({ apps: 1 });

    const target = ContextStore.open({ path: join(temp.dir, 'other.db') });
    try {
      expect(target.importFrom(file)).toEqual({ apps: 1 });
      expect(target.listApps()).toEqual(store.listApps());
      expect(target.getVersion(v1)).toEqual(store.getVersion(v1));
      expect(target.getVersion(v2)).toEqual(store.getVersion(v2));
      expect(target.getData(appId, 'expenses')).toEqual([1, 2, 3]);
      expect(target.listGrants(appId)).toEqual(store.listGrants(appId));
      expect(target.listInteractions(session).map((entry) => entry.text)).toEqual(['a budget tracker']);
      expect((await target.search('budget')).map((hit) => hit.app.id)).toEqual([appId]);

      const again = figmentError(() => target.importFrom(file));
      expect(again.code).toBe(ErrorCode.Validation);
      expect(again.message).toMatch(/already has it/);
      expect(target.countApps()).toBe(1);
      expect(target.listAudit().filter((entry) => entry.action === 'context.imported')).toHaveLength(1);
    } finally {
      target.dispose();
    }
  });

  it('imports a format 1 file (before pins and icons) unpinned, and an icon it does not know as none', () => {
    const { appId } = history();
    store.pin(appId, true);
    store.setIcon(appId, 'star');
    const exported = JSON.parse(store.exportText().text) as {
      formatVersion: number;
      tables: { apps: unknown[][] };
    };
    expect(exported.formatVersion).toBe(2);
    const older = {
      ...exported,
      formatVersion: 1,
      tables: { ...exported.tables, apps: exported.tables.apps.map((row) => row.slice(0, -2)) },
    };
    const newer = {
      ...exported,
      tables: {
        ...exported.tables,
        apps: exported.tables.apps.map((row) => [...row.slice(0, -1), 'unicorn']),
      },
    };
    const pinnedAt = store.listApps()[0]?.pinnedAt;
    expect(pinnedAt).toEqual(expect.any(Number));
    for (const [name, file, expected] of [
      ['format 1', older, { pinnedAt: null, icon: null }],
      ['unknown icon', newer, { pinnedAt, icon: null }],
    ] as const) {
      const path = join(temp.dir, `${name}.json`);
      writeFileSync(path, JSON.stringify(file));
      const target = ContextStore.open({ path: join(temp.dir, `${name}.db`) });
      try {
        expect(target.importFrom(path), name).toEqual({ apps: 1 });
        expect(target.listApps()[0], name).toMatchObject({ id: appId, ...expected });
      } finally {
        target.dispose();
      }
    }
  });

  it('refuses an import file that is not an export, is damaged or is from a newer format, importing nothing', () => {
    const file = join(temp.dir, 'bad.json');
    const cases: [string, RegExp][] = [
      ['not json', /not JSON/],
      ['{"format":"something-else"}', /not a Figment export/],
      ['{"format":"figment-context","formatVersion":99}', /format version 99/],
      [
        '{"format":"figment-context","formatVersion":1,"schemaVersion":2,"exportedAt":1,"tables":{}}',
        /damaged/,
      ],
    ];
    for (const [text, message] of cases) {
      writeFileSync(file, text);
      const error = figmentError(() => store.importFrom(file));
      expect(error.code).toBe(ErrorCode.Validation);
      expect(error.message).toMatch(message);
    }
    expect(figmentError(() => store.importFrom(join(temp.dir, 'missing.json'))).code).toBe(
      ErrorCode.NotFound,
    );
    expect(store.countApps()).toBe(0);
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
