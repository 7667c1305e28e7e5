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
];

/** The schema version this build writes and understands. */
export const latestSchemaVersion: number = migrations.at(-1)?.version ?? 0;
