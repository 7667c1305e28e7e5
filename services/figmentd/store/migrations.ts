/** One forward-only schema step. `version` is what `PRAGMA user_version` holds once it has run. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Every migration, oldest first. Append only: never edit one that has shipped,
 * since databases in the field have already run it. Times are ms since epoch.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'apps, versions and app data',
    sql: `
      CREATE TABLE apps (
        id                 TEXT PRIMARY KEY,
        name               TEXT NOT NULL,
        description        TEXT NOT NULL,
        capabilities       TEXT NOT NULL CHECK (json_valid(capabilities)),
        current_version_id TEXT NOT NULL,
        created_at         INTEGER NOT NULL,
        updated_at         INTEGER NOT NULL,
        last_opened_at     INTEGER,
        -- The current version must be one of this app's own. Deferred, because
        -- an app and its first version are inserted in the same transaction.
        FOREIGN KEY (id, current_version_id) REFERENCES app_versions (app_id, id)
          DEFERRABLE INITIALLY DEFERRED
      ) STRICT;

      CREATE TABLE app_versions (
        id                TEXT PRIMARY KEY,
        app_id            TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
        parent_id         TEXT,
        intent            TEXT NOT NULL,
        manifest          TEXT NOT NULL CHECK (json_valid(manifest)),
        html              TEXT NOT NULL,
        model             TEXT NOT NULL,
        prompt_version    TEXT NOT NULL,
        prompt_tokens     INTEGER NOT NULL CHECK (prompt_tokens >= 0),
        completion_tokens INTEGER NOT NULL CHECK (completion_tokens >= 0),
        generation_ms     INTEGER NOT NULL CHECK (generation_ms >= 0),
        validation_ms     INTEGER NOT NULL CHECK (validation_ms >= 0),
        created_at        INTEGER NOT NULL,
        UNIQUE (app_id, id),
        -- A version's parent is a version of the same app.
        FOREIGN KEY (app_id, parent_id) REFERENCES app_versions (app_id, id)
      ) STRICT;

      -- An app's data, kept apart from its code so regenerating never touches it.
      -- bytes is the UTF-8 size of value, kept so quota checks need not read every value.
      CREATE TABLE app_data (
        app_id     TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
        key        TEXT NOT NULL,
        value      TEXT NOT NULL CHECK (json_valid(value)),
        bytes      INTEGER NOT NULL CHECK (bytes = octet_length(value)),
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (app_id, key)
      ) STRICT;

      -- An app's history, newest first.
      CREATE INDEX app_versions_by_app ON app_versions (app_id, created_at DESC);
      -- Finding a version's children (and checking the parent key on delete).
      CREATE INDEX app_versions_by_parent ON app_versions (app_id, parent_id);
      -- The launcher's order: most recently opened or updated first.
      CREATE INDEX apps_by_recent_use ON apps (max(coalesce(last_opened_at, 0), updated_at) DESC);
    `,
  },
  {
    version: 2,
    name: 'sessions, interactions, grants, audit log, findings and repairs, word index',
    sql: `
      -- One sitting at the kiosk: what was asked, answered and clarified in it.
      CREATE TABLE sessions (
        id         TEXT PRIMARY KEY,
        started_at INTEGER NOT NULL,
        ended_at   INTEGER
      ) STRICT;

      CREATE TABLE interactions (
        id         INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        kind       TEXT NOT NULL CHECK (kind IN ('ask', 'answer', 'clarify', 'reply')),
        text       TEXT NOT NULL,
        -- The app the exchange was about, if any; forgetting the app forgets the exchange.
        app_id     TEXT REFERENCES apps (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX interactions_by_session ON interactions (session_id, id);
      CREATE INDEX interactions_by_app ON interactions (app_id) WHERE app_id IS NOT NULL;

      -- What the broker allowed an app (camera, location…), until it expires or is revoked.
      CREATE TABLE grants (
        app_id     TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
        capability TEXT NOT NULL,
        granted_at INTEGER NOT NULL,
        expires_at INTEGER,
        PRIMARY KEY (app_id, capability)
      ) STRICT;

      -- Who did what, when. Rows about an app go when the app is forgotten.
      CREATE TABLE audit_log (
        id     INTEGER PRIMARY KEY,
        at     INTEGER NOT NULL,
        action TEXT NOT NULL,
        app_id TEXT REFERENCES apps (id) ON DELETE CASCADE,
        detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
      ) STRICT;
      CREATE INDEX audit_log_by_app ON audit_log (app_id) WHERE app_id IS NOT NULL;

      -- What validation said of each version, and how many repairs it took to get there.
      ALTER TABLE app_versions ADD COLUMN findings TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(findings));
      ALTER TABLE app_versions ADD COLUMN repair_attempts INTEGER NOT NULL DEFAULT 0 CHECK (repair_attempts >= 0);
      ALTER TABLE app_versions ADD COLUMN session_id TEXT REFERENCES sessions (id) ON DELETE SET NULL;
      CREATE INDEX app_versions_by_session ON app_versions (session_id) WHERE session_id IS NOT NULL;

      -- Words of each app (name, description, every intent), kept in step by triggers so
      -- the index is written in the same transaction as the app. secure-delete removes a
      -- forgotten app's words from the index itself, not only from the results.
      CREATE VIRTUAL TABLE apps_fts USING fts5 (name, description, intents, tokenize = 'porter unicode61');
      INSERT INTO apps_fts (apps_fts, rank) VALUES ('secure-delete', 1);
      INSERT INTO apps_fts (rowid, name, description, intents)
        SELECT a.rowid, a.name, a.description,
          (SELECT group_concat(v.intent, ' ') FROM app_versions v WHERE v.app_id = a.id)
        FROM apps a;

      CREATE TRIGGER apps_fts_insert AFTER INSERT ON apps BEGIN
        INSERT INTO apps_fts (rowid, name, description, intents) VALUES (new.rowid, new.name, new.description, '');
      END;
      CREATE TRIGGER apps_fts_update AFTER UPDATE OF name, description ON apps BEGIN
        UPDATE apps_fts SET name = new.name, description = new.description WHERE rowid = new.rowid;
      END;
      CREATE TRIGGER apps_fts_delete AFTER DELETE ON apps BEGIN
        DELETE FROM apps_fts WHERE rowid = old.rowid;
      END;
      CREATE TRIGGER apps_fts_intents AFTER INSERT ON app_versions BEGIN
        UPDATE apps_fts SET intents = (SELECT group_concat(intent, ' ') FROM app_versions WHERE app_id = new.app_id)
        WHERE rowid = (SELECT rowid FROM apps WHERE id = new.app_id);
      END;
      CREATE TRIGGER apps_fts_intents_redacted AFTER UPDATE OF intent ON app_versions BEGIN
        UPDATE apps_fts SET intents = (SELECT group_concat(intent, ' ') FROM app_versions WHERE app_id = new.app_id)
        WHERE rowid = (SELECT rowid FROM apps WHERE id = new.app_id);
      END;

      -- Which embedder wrote the vectors, and what text each app's vector was made from.
      -- The vector table itself (app_vectors, sqlite-vec) is made at open, sized for the
      -- embedder in use, and rebuilt from these when the embedder changes.
      CREATE TABLE vector_meta (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        embedder   TEXT NOT NULL,
        dimensions INTEGER NOT NULL CHECK (dimensions > 0)
      ) STRICT;
      CREATE TABLE app_vector_state (
        app_rowid INTEGER PRIMARY KEY,
        text_hash TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: 'generation attempts and runtime failures',
    sql: `
      -- Every model attempt at making, changing or repairing an app, kept or not:
      -- what it was asked to do, what came of it and what validation found.
      CREATE TABLE generation_attempts (
        id                INTEGER PRIMARY KEY,
        request_id        TEXT NOT NULL,
        -- The app it was for; NULL while a new app has no valid version yet.
        app_id            TEXT REFERENCES apps (id) ON DELETE CASCADE,
        session_id        TEXT REFERENCES sessions (id) ON DELETE CASCADE,
        attempt           INTEGER NOT NULL CHECK (attempt >= 1),
        kind              TEXT NOT NULL CHECK (kind IN ('new', 'edit', 'rewrite', 'repair')),
        cause             TEXT NOT NULL CHECK (cause IN ('request', 'validation', 'patch', 'runtime')),
        outcome           TEXT NOT NULL CHECK (outcome IN ('stored', 'invalid', 'unreadable', 'patch-failed', 'failed')),
        parent_version_id TEXT,
        version_id        TEXT,
        intent            TEXT NOT NULL,
        findings          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(findings)),
        message           TEXT,
        model             TEXT NOT NULL,
        prompt_version    TEXT NOT NULL,
        prompt_tokens     INTEGER NOT NULL CHECK (prompt_tokens >= 0),
        completion_tokens INTEGER NOT NULL CHECK (completion_tokens >= 0),
        generation_ms     INTEGER NOT NULL CHECK (generation_ms >= 0),
        validation_ms     INTEGER NOT NULL CHECK (validation_ms >= 0),
        created_at        INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX generation_attempts_by_request ON generation_attempts (request_id, attempt);
      CREATE INDEX generation_attempts_by_app ON generation_attempts (app_id) WHERE app_id IS NOT NULL;
      CREATE INDEX generation_attempts_by_version ON generation_attempts (version_id) WHERE version_id IS NOT NULL;

      -- What the shell saw a version do wrong while it ran (reported by the SDK and the supervisor).
      CREATE TABLE runtime_failures (
        id         INTEGER PRIMARY KEY,
        app_id     TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
        version_id TEXT NOT NULL,
        kind       TEXT NOT NULL CHECK (kind IN ('error', 'rejection', 'unresponsive')),
        message    TEXT NOT NULL,
        stack      TEXT,
        created_at INTEGER NOT NULL,
        FOREIGN KEY (app_id, version_id) REFERENCES app_versions (app_id, id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX runtime_failures_by_version ON runtime_failures (version_id);
    `,
  },
  {
    version: 4,
    name: 'pinned apps and chosen icons',
    sql: `
      -- The launcher's own state of each app: pinned (and since when, for a stable order)
      -- and the icon the person chose (a name from the shell's catalogue; NULL: made from the name).
      ALTER TABLE apps ADD COLUMN pinned_at INTEGER;
      ALTER TABLE apps ADD COLUMN icon TEXT CHECK (icon IS NULL OR length(icon) BETWEEN 1 AND 40);
    `,
  },
];

/** The schema version this build writes and understands. */
export const latestSchemaVersion: number = migrations.at(-1)?.version ?? 0;
