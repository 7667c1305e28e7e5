import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { z } from 'zod';
import type { AppIconName, JsonValue } from '../../protocol/index.js';
import { AppManifest, AppSummary, appIcons, ErrorCode, FigmentError, Finding } from '../../protocol/index.js';
import { AppVectors, eraseVectors } from './AppVectors.js';
import { exportContext, importContext, parseExport } from './contextExport.js';
import { diffVersions } from './diffVersions.js';
import { GenerationLog } from './GenerationLog.js';
import { latestSchemaVersion, migrations } from './migrations.js';
import { newId } from './newId.js';
import { describeHit, rankHits } from './rankHits.js';
import { matchedWords, queryWords, searchWords } from './searchWords.js';
import type {
  AuditEntry,
  Embedder,
  Grant,
  Interaction,
  InteractionKind,
  SearchHit,
  StorageQuota,
  StoredVersion,
  VersionRecord,
  VersionSummary,
} from './types.js';

/** How many candidates each of words and meaning contributes before merging. */
const SEARCH_CANDIDATES = 50;

export interface ContextStoreOptions {
  /** The database file, or ':memory:' for a throwaway store. A missing folder is created. */
  path: string;
  /** Limits on each app's data. Defaults to 1 MiB per value and 5 MiB per app. */
  quota?: Partial<StorageQuota>;
  /** The clock, in ms since epoch. Defaults to `Date.now`. */
  now?: () => number;
  /** Turns text into vectors for search by meaning. Defaults to none: search by words only. */
  embedder?: Embedder;
  /** Meaning hits less similar than this (cosine, -1 to 1) are left out. Defaults to 0.3. */
  minSimilarity?: number;
}

export const defaultStorageQuota: Readonly<StorageQuota> = {
  maxValueBytes: 1024 * 1024,
  maxAppBytes: 5 * 1024 * 1024,
};

/** The database: apps, their versions and their data. The only writer is figmentd. */
export class ContextStore {
  readonly #db: Database.Database;
  readonly #statements: Statements;
  readonly #quota: StorageQuota;
  readonly #now: () => number;
  readonly #vectors: AppVectors | undefined;
  readonly #minSimilarity: number;
  #disposed = false;
  #generationLog: GenerationLog | undefined;

  private constructor(
    db: Database.Database,
    statements: Statements,
    quota: StorageQuota,
    options: ContextStoreOptions,
  ) {
    this.#db = db;
    this.#statements = statements;
    this.#quota = quota;
    this.#now = options.now ?? Date.now;
    this.#vectors = options.embedder && new AppVectors(db, options.embedder);
    this.#minSimilarity = options.minSimilarity ?? 0.3;
  }

  /** Opens (or creates) the database, checks it and brings its schema up to date. */
  static open(options: ContextStoreOptions): ContextStore {
    const { path } = options;
    const quota = resolveQuota(options.quota);
    let db: Database.Database | undefined;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      db = new Database(path);
      // sqlite-vec is loaded even without an embedder: forgetting must reach vectors an earlier run wrote.
      sqliteVec.load(db);
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = WAL');
      // FULL, not NORMAL: in WAL mode NORMAL survives a process crash but may lose
      // the last commits on a power cut, and kiosks lose power. A commit then costs
      // one fsync of the WAL (about 2 ms here); writes are a person's actions, few a second.
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      // Freed pages are overwritten with zeros, so a forgotten app's bytes leave the file.
      db.pragma('secure_delete = ON');
      // Vector search reads every vector: keep them in memory-mapped pages, not one read() per page.
      db.pragma('mmap_size = 1073741824');
      db.pragma('cache_size = -65536');
      refuseNewerSchema(db, path);
      checkIntegrity(db, path);
      migrate(db);
      const store = new ContextStore(db, prepareStatements(db), quota, options);
      store.#vectors?.prepare();
      return store;
    } catch (error) {
      db?.close();
      if (error instanceof FigmentError) throw error;
      const damaged = error instanceof Database.SqliteError && /^SQLITE_(NOTADB|CORRUPT)/.test(error.code);
      const hint = damaged
        ? recoveryHint(path)
        : 'Check that its folder exists and figmentd may write there.';
      throw new FigmentError(
        ErrorCode.Database,
        `Could not open the database at ${path}: ${errorMessage(error)}. ${hint}`,
      );
    }
  }

  /** Stores a new app and its first version, together or not at all. */
  createApp(record: VersionRecord): { app: AppSummary; versionId: string } {
    const s = this.#use();
    const manifest = checkManifest(record.bundle.manifest);
    const appId = newId('app');
    const versionId = newId('ver');
    const now = this.#now();
    this.#db
      .transaction(() => {
        s.insertApp.run({
          id: appId,
          ...manifestColumns(manifest),
          currentVersionId: versionId,
          now,
        });
        s.insertVersion.run(versionColumns(versionId, appId, null, record, manifest, now));
        // The model's icon starts the app off; later versions leave the icon to the person.
        if (manifest.icon) s.setIcon.run(manifest.icon, appId);
      })
      .immediate();
    this.#vectors?.touch(appId);
    return { app: this.#getApp(appId), versionId };
  }

  /**
   * Stores a new version of an app, derived from `parentId`, and makes it current.
   * The app's name, description and capabilities follow the new manifest; its data is untouched.
   */
  addVersion(appId: string, parentId: string, record: VersionRecord): string {
    const s = this.#use();
    const manifest = checkManifest(record.bundle.manifest);
    const versionId = newId('ver');
    const now = this.#now();
    this.#db
      .transaction(() => {
        this.#requireApp(appId);
        if (s.selectVersionAppId.get(parentId) !== appId) {
          throw new FigmentError(ErrorCode.NotFound, `App ${appId} has no version ${parentId}.`);
        }
        s.insertVersion.run(versionColumns(versionId, appId, parentId, record, manifest, now));
        s.updateAppVersion.run({ id: appId, ...manifestColumns(manifest), currentVersionId: versionId, now });
      })
      .immediate();
    this.#vectors?.touch(appId);
    return versionId;
  }

  /** Every app, most recently opened or updated first. */
  listApps(): AppSummary[] {
    return this.#use().selectApps.all().map(toSummary);
  }

  getApp(id: string): AppSummary | undefined {
    const row = this.#use().selectApp.get(id);
    return row && toSummary(row);
  }

  getVersion(id: string): StoredVersion | undefined {
    const row = this.#use().selectVersion.get(id);
    return row && toStoredVersion(row);
  }

  markOpened(appId: string): void {
    const { changes } = this.#use().markOpened.run(this.#now(), appId);
    if (changes === 0) throw notFound(appId);
  }

  /** Pins an app to the launcher (keeping when it was first pinned), or unpins it. */
  pin(appId: string, pinned: boolean): AppSummary {
    const { changes } = this.#use().pin.run({ at: pinned ? this.#now() : null, id: appId });
    if (changes === 0) throw notFound(appId);
    return this.#getApp(appId);
  }

  /** Sets the icon the person chose for an app; null goes back to the one made from its name. */
  setIcon(appId: string, icon: AppIconName | null): AppSummary {
    const { changes } = this.#use().setIcon.run(icon, appId);
    if (changes === 0) throw notFound(appId);
    return this.#getApp(appId);
  }

  /** The value stored under `key`, or null when there is none. */
  getData(appId: string, key: string): JsonValue | null {
    const s = this.#use();
    this.#requireApp(appId);
    const text = s.selectData.get(appId, key);
    return text === undefined ? null : (JSON.parse(text) as JsonValue);
  }

  /** Stores `value` under `key`, within the app's quota; a refused write changes nothing. */
  setData(appId: string, key: string, value: JsonValue): void {
    const s = this.#use();
    const text = JSON.stringify(value);
    const bytes = Buffer.byteLength(text, 'utf8');
    const { maxValueBytes, maxAppBytes } = this.#quota;
    if (bytes > maxValueBytes) {
      throw new FigmentError(
        ErrorCode.StorageQuota,
        `The value for "${key}" is ${formatBytes(bytes, Math.ceil)}; one value may be at most ${formatBytes(maxValueBytes)}.`,
      );
    }
    this.#db
      .transaction(() => {
        this.#requireApp(appId);
        const others = s.selectBytesExcept.get(appId, key) ?? 0;
        if (others + bytes > maxAppBytes) {
          throw new FigmentError(
            ErrorCode.StorageQuota,
            `This app's storage is full: saving "${key}" needs ${formatBytes(bytes, Math.ceil)}, but only ` +
              `${formatBytes(maxAppBytes - others, Math.floor)} of the ${formatBytes(maxAppBytes)} an app may keep is left.`,
          );
        }
        s.upsertData.run(appId, key, text, bytes, this.#now());
      })
      .immediate();
  }

  countApps(): number {
    return this.#use().countApps.get() ?? 0;
  }

  /**
   * Finds apps by the person's words: FTS5 over names, descriptions and past
   * requests, merged with nearest neighbours in meaning when an embedder is set.
   * Best first, each with the reason it was found.
   */
  async search(
    query: string,
    options: {
      limit?: number;
      /** Filled with milliseconds spent in each stage, for benchmarks. Defaults to none. */
      stages?: Record<string, number>;
    } = {},
  ): Promise<SearchHit[]> {
    this.#use();
    const limit = options.limit ?? 10;
    const stages = options.stages;
    let mark = performance.now();
    const lap = (stage: string) => {
      if (!stages) return;
      const now = performance.now();
      stages[stage] = (stages[stage] ?? 0) + now - mark;
      mark = now;
    };
    const words = queryWords(query);
    // Only stop words ("the app I made"): nothing says which app, so nothing is offered.
    if (words.length === 0) return [];
    let byMeaning: { rowid: number; similarity: number }[] = [];
    if (this.#vectors) {
      await this.#vectors.refresh();
      lap('refresh');
      const vector = await this.#vectors.embedQuery(query);
      lap('embed');
      this.#use();
      byMeaning = this.#vectors
        .nearest(vector, SEARCH_CANDIDATES, lap)
        .filter((hit) => hit.similarity >= this.#minSimilarity);
    }
    const s = this.#use();
    const byWords = searchWords(this.#db, words, SEARCH_CANDIDATES);
    lap('words');
    // Equal scores (two apps matched the same way): the one used more recently first.
    // Only that is read for every candidate; whole rows only for those returned.
    const ranked = rankHits(byWords, byMeaning).flatMap((candidate) => {
      const recency = s.selectRecencyByRowid.get(BigInt(candidate.rowid));
      return recency === undefined ? [] : [{ ...candidate, recency }];
    });
    ranked.sort((a, b) => b.score - a.score || b.recency - a.recency);
    const shown = ranked.slice(0, limit);
    lap('fuse');
    const matched = matchedWords(
      this.#db,
      words,
      shown.flatMap((candidate) => (candidate.wordRank === null ? [] : [candidate.rowid])),
    );
    lap('reasons');
    const hits = shown.flatMap((candidate) => {
      const row = s.selectAppByRowid.get(BigInt(candidate.rowid));
      if (!row) return [];
      const found = matched.get(candidate.rowid) ?? [];
      return {
        app: toSummary(row),
        score: candidate.score,
        reason: describeHit(found, candidate.similarity),
        words: found.map((match) => match.word),
        matches: found,
        similarity: candidate.similarity,
      };
    });
    lap('rows');
    return hits;
  }

  /** Embeds whatever apps changed since their vectors were made; search does this itself. */
  async indexVectors(): Promise<void> {
    this.#use();
    await this.#vectors?.refresh();
  }

  /** An app's versions, newest first. */
  listVersions(appId: string): VersionSummary[] {
    const s = this.#use();
    const app = this.#getApp(appId);
    return s.selectVersionSummaries.all(appId).map((row) => ({
      id: row.id,
      parentId: row.parent_id,
      intent: row.intent,
      model: row.model,
      promptVersion: row.prompt_version,
      findingCount: row.finding_count,
      repairAttempts: row.repair_attempts,
      createdAt: row.created_at,
      current: row.id === app.currentVersionId,
    }));
  }

  /** What changed from one version of an app to another, as a unified diff. */
  diffVersions(fromVersionId: string, toVersionId: string): string {
    const from = this.getVersion(fromVersionId);
    const to = this.getVersion(toVersionId);
    if (!from) throw new FigmentError(ErrorCode.NotFound, `There is no version ${fromVersionId}.`);
    if (!to) throw new FigmentError(ErrorCode.NotFound, `There is no version ${toVersionId}.`);
    if (from.appId !== to.appId) {
      throw new FigmentError(ErrorCode.Validation, 'Only two versions of the same app can be compared.');
    }
    return diffVersions(from, to);
  }

  /**
   * Makes an earlier (or later) version current again. Newer versions stay in
   * the history, and the app's data is not touched.
   */
  rollback(appId: string, versionId: string): AppSummary {
    const s = this.#use();
    const now = this.#now();
    this.#db
      .transaction(() => {
        const app = this.#getApp(appId);
        const version = this.getVersion(versionId);
        if (!version || version.appId !== appId) {
          throw new FigmentError(ErrorCode.NotFound, `App ${appId} has no version ${versionId}.`);
        }
        s.updateAppVersion.run({
          id: appId,
          ...manifestColumns(version.manifest),
          currentVersionId: versionId,
          now,
        });
        this.#audit('app.rollback', appId, { from: app.currentVersionId, to: versionId });
      })
      .immediate();
    this.#vectors?.touch(appId);
    return this.#getApp(appId);
  }

  /**
   * Forgets an app entirely: its versions, data, grants, the exchanges about
   * it, its audit entries, its words in the index and its vector. The audit
   * log keeps only that an app was forgotten, not which.
   */
  forgetApp(appId: string): void {
    this.#use();
    const forgotten = this.#db
      .transaction(() => {
        const rowid = this.#statements.selectAppRowid.get(appId);
        if (rowid === undefined) throw notFound(appId);
        this.#forgetApps([rowid]);
        this.#audit('app.forgotten', null, {});
        return rowid;
      })
      .immediate();
    this.#vectors?.forgotten([forgotten]);
    this.#scrubFile();
  }

  /**
   * Forgets a session: what was asked and answered in it, and every app first
   * made in it. Later changes made in it to older apps lose the words that
   * asked for them (the code stays, as the app runs on it).
   */
  forgetSession(sessionId: string): { apps: number } {
    const s = this.#use();
    let forgotten: number[] = [];
    this.#db
      .transaction(() => {
        if (s.selectSession.get(sessionId) === undefined) {
          throw new FigmentError(ErrorCode.NotFound, `There is no session ${sessionId}.`);
        }
        const rowids = s.selectAppsMadeInSession.all(sessionId);
        this.#forgetApps(rowids);
        forgotten = rowids;
        for (const appId of s.selectAppsChangedInSession.all(sessionId)) this.#vectors?.touch(appId);
        s.redactSessionIntents.run(sessionId);
        s.deleteSession.run(sessionId);
        this.#audit('session.forgotten', null, { apps: rowids.length });
      })
      .immediate();
    this.#vectors?.forgotten(forgotten);
    this.#scrubFile();
    return { apps: forgotten.length };
  }

  /** Starts a session (one sitting at the kiosk) and returns its id. */
  startSession(): string {
    const id = newId('ses');
    this.#use().insertSession.run(id, this.#now());
    return id;
  }

  endSession(sessionId: string): void {
    const { changes } = this.#use().endSession.run(this.#now(), sessionId);
    if (changes === 0) throw new FigmentError(ErrorCode.NotFound, `There is no session ${sessionId}.`);
  }

  /** Records one exchange: what the person asked or answered, or what Figment asked or replied. */
  recordInteraction(entry: {
    sessionId: string;
    kind: InteractionKind;
    text: string;
    appId?: string;
  }): number {
    const s = this.#use();
    try {
      return Number(
        s.insertInteraction.run(entry.sessionId, entry.kind, entry.text, entry.appId ?? null, this.#now())
          .lastInsertRowid,
      );
    } catch (error) {
      if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw new FigmentError(ErrorCode.NotFound, 'That session or app does not exist.');
      }
      throw error;
    }
  }

  listInteractions(sessionId: string): Interaction[] {
    return this.#use()
      .selectInteractions.all(sessionId)
      .map((row) => ({
        id: row.id,
        sessionId: row.session_id,
        kind: row.kind,
        text: row.text,
        appId: row.app_id,
        createdAt: row.created_at,
      }));
  }

  /** Records that the broker allowed an app a capability, until `expiresAt` if given. */
  grant(appId: string, capability: string, expiresAt: number | null = null): void {
    const s = this.#use();
    const now = this.#now();
    this.#db
      .transaction(() => {
        this.#requireApp(appId);
        s.upsertGrant.run(appId, capability, now, expiresAt);
        this.#audit('grant.given', appId, { capability, expiresAt });
      })
      .immediate();
  }

  revokeGrant(appId: string, capability: string): void {
    const s = this.#use();
    this.#db
      .transaction(() => {
        if (s.deleteGrant.run(appId, capability).changes > 0) {
          this.#audit('grant.revoked', appId, { capability });
        }
      })
      .immediate();
  }

  /** The grants an app holds now (expired ones left out). */
  listGrants(appId: string): Grant[] {
    return this.#use()
      .selectGrants.all(appId, this.#now())
      .map((row) => ({
        appId: row.app_id,
        capability: row.capability,
        grantedAt: row.granted_at,
        expiresAt: row.expires_at,
      }));
  }

  /**
   * Records one audited event (the broker's requests, decisions and uses).
   * An app id that names no stored app is kept in the detail, not as the row's app.
   */
  recordAudit(action: string, appId: string | null, detail: Record<string, JsonValue> = {}): void {
    const s = this.#use();
    const known = appId !== null && s.selectAppRowid.get(appId) !== undefined;
    this.#audit(action, known ? appId : null, known || appId === null ? detail : { ...detail, appId });
  }

  /** The audit log, newest first. */
  listAudit(limit = 100): AuditEntry[] {
    return this.#use()
      .selectAudit.all(limit)
      .map((row) => ({
        id: row.id,
        at: row.at,
        action: row.action,
        appId: row.app_id,
        detail: JSON.parse(row.detail),
      }));
  }

  /**
   * Writes everything (sessions, apps, versions, data, grants, audit) to one
   * JSON file in a versioned format. The file is written aside and renamed, so
   * a crash leaves the old file or the new one, never half of one.
   */
  exportTo(path: string): { apps: number } {
    const { text, apps } = this.exportText();
    const temporary = `${path}.partial`;
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
    return { apps };
  }

  /** The text of an export file (what exportTo writes), for a client to save where it likes. */
  exportText(): { text: string; apps: number } {
    this.#use();
    const file = this.#db.transaction(() => exportContext(this.#db, latestSchemaVersion, this.#now()))();
    return { text: JSON.stringify(file), apps: file.tables.apps.length };
  }

  /**
   * Forgets everything: every app (as forgetApp does), every session and
   * exchange, every generation record and the audit log. The audit log then
   * holds one entry: that everything was forgotten, and how many apps.
   */
  forgetAll(): { apps: number } {
    this.#use();
    let apps = 0;
    this.#db
      .transaction(() => {
        const rowids = this.#db.prepare<[], number>('SELECT rowid FROM apps').pluck().all();
        this.#forgetApps(rowids);
        apps = rowids.length;
        // What no app holds on to: sessions (and their exchanges and attempts by cascade), the rest of the log.
        for (const table of ['generation_attempts', 'interactions', 'sessions', 'audit_log']) {
          this.#db.prepare(`DELETE FROM ${table}`).run();
        }
        this.#audit('context.forgotten', null, { apps });
      })
      .immediate();
    this.#scrubFile();
    return { apps };
  }

  /** Adds everything in an export file, all or nothing. Refuses apps this store already has. */
  importFrom(path: string): { apps: number } {
    this.#use();
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new FigmentError(ErrorCode.NotFound, `Could not read ${path}: ${errorMessage(error)}.`);
    }
    const file = parseExport(text);
    const appIds = this.#db
      .transaction(() => {
        const ids = importContext(this.#db, file);
        this.#checkForeignKeys();
        this.#audit('context.imported', null, { apps: ids.length });
        return ids;
      })
      .immediate();
    for (const appId of appIds) this.#vectors?.touch(appId);
    return { apps: appIds.length };
  }

  /** The record of generation attempts and runtime failures, in this database. */
  get generationLog(): GenerationLog {
    this.#use();
    this.#generationLog ??= new GenerationLog(this.#db, this.#now);
    return this.#generationLog;
  }

  /** Runs several writes as one transaction: all of them or none. */
  batch<T>(work: () => T): T {
    this.#use();
    return this.#db.transaction(work).immediate();
  }

  /** Closes the database. Harmless to call twice; any other use afterwards throws. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#db.close();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #use(): Statements {
    if (this.#disposed) {
      throw new FigmentError(
        ErrorCode.Internal,
        'The context store was used after dispose(); open it again.',
      );
    }
    return this.#statements;
  }

  #audit(action: string, appId: string | null, detail: Record<string, JsonValue>): void {
    this.#statements.insertAudit.run(this.#now(), action, appId, JSON.stringify(detail));
  }

  /** Deletes apps and all that hangs on them; call inside a transaction. */
  #forgetApps(rowids: readonly number[]): void {
    eraseVectors(this.#db, rowids);
    // Versions, data, grants, interactions and audit rows go by ON DELETE CASCADE,
    // words by the apps_fts_delete trigger (secure-delete clears them from the index).
    for (const rowid of rowids) this.#statements.deleteAppByRowid.run(rowid);
  }

  /**
   * After forgetting: moves every page out of the WAL into the database (where
   * secure_delete has zeroed what was freed) and empties the WAL, so no old
   * copy of a forgotten page stays on disk in either file.
   */
  #scrubFile(): void {
    this.#db.pragma('wal_checkpoint(TRUNCATE)');
  }

  #checkForeignKeys(): void {
    const broken = this.#db.pragma('foreign_key_check') as { table: string }[];
    if (broken.length > 0) {
      throw new FigmentError(
        ErrorCode.Validation,
        `Nothing was imported: the file refers to rows it does not hold (in ${broken[0]?.table}).`,
      );
    }
  }

  #requireApp(appId: string): void {
    if (this.#statements.selectAppExists.get(appId) === undefined) throw notFound(appId);
  }

  #getApp(id: string): AppSummary {
    const app = this.getApp(id);
    if (!app) throw notFound(id);
    return app;
  }
}

interface AppRow {
  id: string;
  name: string;
  description: string;
  capabilities: string;
  current_version_id: string;
  created_at: number;
  updated_at: number;
  last_opened_at: number | null;
  pinned_at: number | null;
  icon: string | null;
}

interface VersionRow {
  id: string;
  app_id: string;
  parent_id: string | null;
  intent: string;
  manifest: string;
  html: string;
  model: string;
  prompt_version: string;
  prompt_tokens: number;
  completion_tokens: number;
  generation_ms: number;
  validation_ms: number;
  created_at: number;
  findings: string;
  repair_attempts: number;
  session_id: string | null;
}

type ManifestColumns = ReturnType<typeof manifestColumns>;
type VersionColumns = ReturnType<typeof versionColumns>;
type AppColumns = ManifestColumns & { id: string; currentVersionId: string; now: number };
type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: Database.Database) {
  return {
    insertApp: db.prepare<AppColumns>(
      `INSERT INTO apps (id, name, description, capabilities, current_version_id, created_at, updated_at)
       VALUES (@id, @name, @description, @capabilities, @currentVersionId, @now, @now)`,
    ),
    updateAppVersion: db.prepare<AppColumns>(
      `UPDATE apps SET name = @name, description = @description, capabilities = @capabilities,
         current_version_id = @currentVersionId, updated_at = @now
       WHERE id = @id`,
    ),
    markOpened: db.prepare<[number, string]>('UPDATE apps SET last_opened_at = ? WHERE id = ?'),
    // Pinning again keeps the first time, so pinned apps keep their places.
    pin: db.prepare<{ at: number | null; id: string }>(
      'UPDATE apps SET pinned_at = CASE WHEN @at IS NULL THEN NULL ELSE coalesce(pinned_at, @at) END WHERE id = @id',
    ),
    setIcon: db.prepare<[string | null, string]>('UPDATE apps SET icon = ? WHERE id = ?'),
    selectApp: db.prepare<[string], AppRow>('SELECT * FROM apps WHERE id = ?'),
    selectAppByRowid: db.prepare<[bigint], AppRow>('SELECT * FROM apps WHERE rowid = ?'),
    selectRecencyByRowid: db
      .prepare<[bigint], number>(
        'SELECT max(coalesce(last_opened_at, 0), updated_at) FROM apps WHERE rowid = ?',
      )
      .pluck(),
    selectAppRowid: db.prepare<[string], number>('SELECT rowid FROM apps WHERE id = ?').pluck(),
    deleteAppByRowid: db.prepare<[number]>('DELETE FROM apps WHERE rowid = ?'),
    selectVersionSummaries: db.prepare<
      [string],
      {
        id: string;
        parent_id: string | null;
        intent: string;
        model: string;
        prompt_version: string;
        finding_count: number;
        repair_attempts: number;
        created_at: number;
      }
    >(
      `SELECT id, parent_id, intent, model, prompt_version, json_array_length(findings) AS finding_count,
         repair_attempts, created_at
       FROM app_versions WHERE app_id = ? ORDER BY created_at DESC, rowid DESC`,
    ),
    insertSession: db.prepare<[string, number]>('INSERT INTO sessions (id, started_at) VALUES (?, ?)'),
    endSession: db.prepare<[number, string]>('UPDATE sessions SET ended_at = ? WHERE id = ?'),
    selectSession: db.prepare<[string], 1>('SELECT 1 FROM sessions WHERE id = ?').pluck(),
    deleteSession: db.prepare<[string]>('DELETE FROM sessions WHERE id = ?'),
    selectAppsMadeInSession: db
      .prepare<[string], number>(
        `SELECT a.rowid FROM apps a JOIN app_versions v ON v.app_id = a.id
         WHERE v.session_id = ? AND v.parent_id IS NULL`,
      )
      .pluck(),
    selectAppsChangedInSession: db
      .prepare<[string], string>('SELECT DISTINCT app_id FROM app_versions WHERE session_id = ?')
      .pluck(),
    redactSessionIntents: db.prepare<[string]>("UPDATE app_versions SET intent = '' WHERE session_id = ?"),
    insertInteraction: db.prepare<[string, string, string, string | null, number]>(
      'INSERT INTO interactions (session_id, kind, text, app_id, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    selectInteractions: db.prepare<
      [string],
      {
        id: number;
        session_id: string;
        kind: InteractionKind;
        text: string;
        app_id: string | null;
        created_at: number;
      }
    >('SELECT * FROM interactions WHERE session_id = ? ORDER BY id'),
    upsertGrant: db.prepare<[string, string, number, number | null]>(
      `INSERT INTO grants (app_id, capability, granted_at, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (app_id, capability) DO UPDATE SET granted_at = excluded.granted_at, expires_at = excluded.expires_at`,
    ),
    deleteGrant: db.prepare<[string, string]>('DELETE FROM grants WHERE app_id = ? AND capability = ?'),
    selectGrants: db.prepare<
      [string, number],
      { app_id: string; capability: string; granted_at: number; expires_at: number | null }
    >('SELECT * FROM grants WHERE app_id = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY capability'),
    insertAudit: db.prepare<[number, string, string | null, string]>(
      'INSERT INTO audit_log (at, action, app_id, detail) VALUES (?, ?, ?, ?)',
    ),
    selectAudit: db.prepare<
      [number],
      { id: number; at: number; action: string; app_id: string | null; detail: string }
    >('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?'),
    selectAppExists: db.prepare<[string], 1>('SELECT 1 FROM apps WHERE id = ?').pluck(),
    // The same expression as the apps_by_recent_use index, so the index serves it.
    selectApps: db.prepare<[], AppRow>(
      `SELECT * FROM apps
       ORDER BY max(coalesce(last_opened_at, 0), updated_at) DESC, created_at DESC, id`,
    ),
    countApps: db.prepare<[], number>('SELECT count(*) FROM apps').pluck(),
    insertVersion: db.prepare<VersionColumns>(
      `INSERT INTO app_versions (id, app_id, parent_id, intent, manifest, html, model, prompt_version,
         prompt_tokens, completion_tokens, generation_ms, validation_ms, created_at,
         findings, repair_attempts, session_id)
       VALUES (@id, @appId, @parentId, @intent, @manifest, @html, @model, @promptVersion,
         @promptTokens, @completionTokens, @generationMs, @validationMs, @now,
         @findings, @repairAttempts, @sessionId)`,
    ),
    selectVersion: db.prepare<[string], VersionRow>('SELECT * FROM app_versions WHERE id = ?'),
    selectVersionAppId: db.prepare<[string], string>('SELECT app_id FROM app_versions WHERE id = ?').pluck(),
    selectData: db
      .prepare<[string, string], string>('SELECT value FROM app_data WHERE app_id = ? AND key = ?')
      .pluck(),
    selectBytesExcept: db
      .prepare<[string, string], number>(
        'SELECT coalesce(sum(bytes), 0) FROM app_data WHERE app_id = ? AND key <> ?',
      )
      .pluck(),
    upsertData: db.prepare<[string, string, string, number, number]>(
      `INSERT INTO app_data (app_id, key, value, bytes, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (app_id, key) DO UPDATE
         SET value = excluded.value, bytes = excluded.bytes, updated_at = excluded.updated_at`,
    ),
  };
}

function manifestColumns(manifest: AppManifest) {
  return {
    name: manifest.name,
    description: manifest.description,
    capabilities: JSON.stringify(manifest.capabilities),
  };
}

function versionColumns(
  id: string,
  appId: string,
  parentId: string | null,
  record: VersionRecord,
  manifest: AppManifest,
  now: number,
) {
  return {
    id,
    appId,
    parentId,
    intent: record.intent,
    manifest: JSON.stringify(manifest),
    html: record.bundle.html,
    model: record.model,
    promptVersion: record.promptVersion,
    promptTokens: record.promptTokens,
    completionTokens: record.completionTokens,
    generationMs: record.generationMs,
    validationMs: record.validationMs,
    now,
    findings: JSON.stringify(record.findings ?? []),
    repairAttempts: record.repairAttempts ?? 0,
    sessionId: record.sessionId ?? null,
  };
}

function toSummary(row: AppRow): AppSummary {
  return parseStored(AppSummary, `app ${row.id}`, {
    id: row.id,
    name: row.name,
    description: row.description,
    capabilities: JSON.parse(row.capabilities),
    currentVersionId: row.current_version_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastOpenedAt: row.last_opened_at,
    pinnedAt: row.pinned_at,
    // A name the catalogue no longer has falls back to the made icon rather than failing the list.
    icon: row.icon !== null && row.icon in appIcons ? row.icon : null,
  });
}

function toStoredVersion(row: VersionRow): StoredVersion {
  return {
    id: row.id,
    appId: row.app_id,
    parentId: row.parent_id,
    intent: row.intent,
    manifest: parseStored(AppManifest, `manifest of version ${row.id}`, JSON.parse(row.manifest)),
    html: row.html,
    model: row.model,
    promptVersion: row.prompt_version,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    generationMs: row.generation_ms,
    validationMs: row.validation_ms,
    findings: parseStored(z.array(Finding), `findings of version ${row.id}`, JSON.parse(row.findings)),
    repairAttempts: row.repair_attempts,
    sessionId: row.session_id,
    createdAt: row.created_at,
  };
}

/** Checks what comes back from disk: a row that no longer fits its schema is damage, not a bug to pass on. */
function parseStored<T>(schema: z.ZodType<T>, what: string, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new FigmentError(
    ErrorCode.Database,
    `The stored ${what} is damaged: ${z.prettifyError(result.error)}`,
  );
}

function checkManifest(manifest: AppManifest): AppManifest {
  const result = AppManifest.safeParse(manifest);
  if (result.success) return result.data;
  throw new FigmentError(
    ErrorCode.Validation,
    `The app's manifest is not valid: ${z.prettifyError(result.error)}`,
  );
}

function refuseNewerSchema(db: Database.Database, path: string): void {
  const found = db.pragma('user_version', { simple: true }) as number;
  if (found <= latestSchemaVersion) return;
  throw new FigmentError(
    ErrorCode.Database,
    `The database at ${path} has schema version ${found}, but this build of Figment knows versions up to ` +
      `${latestSchemaVersion}. A newer Figment wrote it: run that version again, or move the file aside ` +
      'to start with an empty database (keep the file: a newer Figment can still read it).',
    { found, known: latestSchemaVersion },
  );
}

function checkIntegrity(db: Database.Database, path: string): void {
  const problems = (db.pragma('quick_check') as { quick_check: string }[]).map((row) => row.quick_check);
  if (problems.length === 1 && problems[0] === 'ok') return;
  throw new FigmentError(
    ErrorCode.Database,
    `The database at ${path} failed its integrity check (${problems.slice(0, 3).join('; ')}). ${recoveryHint(path)}`,
    { problems },
  );
}

/** Runs each pending migration in its own transaction, so a failed one leaves the previous version intact. */
function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}

function resolveQuota(quota: Partial<StorageQuota> = {}): StorageQuota {
  const resolved = { ...defaultStorageQuota, ...quota };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new FigmentError(
        ErrorCode.Config,
        `Storage quota ${name} must be a positive whole number of bytes.`,
      );
    }
  }
  return resolved;
}

function recoveryHint(path: string): string {
  return (
    `Stop figmentd and move ${path} (with its -wal and -shm files) aside; Figment then starts with an empty ` +
    `database. The sqlite3 tool's ".recover" command may rescue data from the old file.`
  );
}

function notFound(appId: string): FigmentError {
  return new FigmentError(ErrorCode.NotFound, `There is no app ${appId}.`);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Sizes in plain units; callers round a need up and a room down so the two never look equal. */
function formatBytes(bytes: number, round: (x: number) => number = Math.round): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [unit, size] = bytes < 1024 * 1024 ? ['KiB', 1024] : ['MiB', 1024 * 1024];
  return `${(round((bytes / size) * 10) / 10).toFixed(1)} ${unit}`;
}
