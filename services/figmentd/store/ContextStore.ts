import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import type { JsonValue } from '../../protocol/index.js';
import { AppManifest, AppSummary, ErrorCode, FigmentError } from '../../protocol/index.js';
import { latestSchemaVersion, migrations } from './migrations.js';
import { newId } from './newId.js';
import type { StorageQuota, StoredVersion, VersionRecord } from './types.js';

export interface ContextStoreOptions {
  /** The database file, or ':memory:' for a throwaway store. A missing folder is created. */
  path: string;
  /** Limits on each app's data. Defaults to 1 MiB per value and 5 MiB per app. */
  quota?: Partial<StorageQuota>;
  /** The clock, in ms since epoch. Defaults to `Date.now`. */
  now?: () => number;
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
  #disposed = false;

  private constructor(db: Database.Database, statements: Statements, quota: StorageQuota, now: () => number) {
    this.#db = db;
    this.#statements = statements;
    this.#quota = quota;
    this.#now = now;
  }

  /** Opens (or creates) the database, checks it and brings its schema up to date. */
  static open(options: ContextStoreOptions): ContextStore {
    const { path } = options;
    const quota = resolveQuota(options.quota);
    let db: Database.Database | undefined;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      db = new Database(path);
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = WAL');
      // FULL, not NORMAL: in WAL mode NORMAL survives a process crash but may lose
      // the last commits on a power cut, and kiosks lose power. Writes are few.
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      refuseNewerSchema(db, path);
      checkIntegrity(db, path);
      migrate(db);
      return new ContextStore(db, prepareStatements(db), quota, options.now ?? Date.now);
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
      })
      .immediate();
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
    selectApp: db.prepare<[string], AppRow>('SELECT * FROM apps WHERE id = ?'),
    selectAppExists: db.prepare<[string], 1>('SELECT 1 FROM apps WHERE id = ?').pluck(),
    // The same expression as the apps_by_recent_use index, so the index serves it.
    selectApps: db.prepare<[], AppRow>(
      `SELECT * FROM apps
       ORDER BY max(coalesce(last_opened_at, 0), updated_at) DESC, created_at DESC, id`,
    ),
    countApps: db.prepare<[], number>('SELECT count(*) FROM apps').pluck(),
    insertVersion: db.prepare<VersionColumns>(
      `INSERT INTO app_versions (id, app_id, parent_id, intent, manifest, html, model, prompt_version,
         prompt_tokens, completion_tokens, generation_ms, validation_ms, created_at)
       VALUES (@id, @appId, @parentId, @intent, @manifest, @html, @model, @promptVersion,
         @promptTokens, @completionTokens, @generationMs, @validationMs, @now)`,
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
