import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ErrorCode, FigmentError } from '../../protocol/index.js';
import type { Embedder } from './types.js';

/** Texts sent to the embedder at once; one transaction writes each batch. */
const BATCH = 64;

interface AppText {
  rowid: number;
  id: string;
  text: string;
}

/**
 * The meaning index: one vector per app (name, description and every request
 * that shaped it) in a sqlite-vec table, kept in step with the apps lazily.
 * Writes to apps stay synchronous; vectors catch up before the next search,
 * so a crash between the two only leaves vectors to redo, never wrong ones.
 */
export class AppVectors {
  readonly #db: Database.Database;
  readonly #embedder: Embedder;
  /** App ids changed by this process since the last refresh; null means "check every app". */
  #pending: Set<string> | null = null;
  #refreshing: Promise<void> | undefined;
  #nearest: Database.Statement<[Float32Array, number], { rowid: number; distance: number }> | undefined;

  constructor(db: Database.Database, embedder: Embedder) {
    this.#db = db;
    this.#embedder = embedder;
  }

  /** Makes the vector table fit the embedder, starting over when the embedder changed. */
  prepare(): void {
    const { dimensions } = this.#embedder;
    if (!Number.isSafeInteger(dimensions) || dimensions <= 0 || dimensions > 8192) {
      throw new FigmentError(
        ErrorCode.Config,
        `An embedder's dimensions must be 1 to 8192, not ${dimensions}.`,
      );
    }
    const name = this.#embedder.name ?? 'embedder';
    const meta = this.#db.prepare('SELECT embedder, dimensions FROM vector_meta WHERE id = 1').get() as
      | { embedder: string; dimensions: number }
      | undefined;
    const same = meta?.embedder === name && meta.dimensions === dimensions && hasVectorTable(this.#db);
    if (!same) {
      this.#db
        .transaction(() => {
          this.#db.exec('DROP TABLE IF EXISTS app_vectors; DELETE FROM app_vector_state;');
          this.#db.exec(
            `CREATE VIRTUAL TABLE app_vectors USING vec0 (embedding float[${dimensions}] distance_metric=cosine)`,
          );
          this.#db
            .prepare(
              `INSERT INTO vector_meta (id, embedder, dimensions) VALUES (1, ?, ?)
               ON CONFLICT (id) DO UPDATE SET embedder = excluded.embedder, dimensions = excluded.dimensions`,
            )
            .run(name, dimensions);
        })
        .immediate();
    }
    this.#pending = null;
    this.#nearest = undefined;
  }

  /** Notes that an app's words changed, so its vector is redone before the next search. */
  touch(appId: string): void {
    this.#pending?.add(appId);
  }

  /** Embeds every app whose text changed since its vector was made. Concurrent calls share one run. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** Turns a query into a vector with the same embedder as the apps. */
  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.#embedder.embed([text]);
    return this.#checked(vector);
  }

  /** The `k` apps nearest in meaning, as apps.rowid and cosine similarity (1 is the same). */
  nearest(vector: Float32Array, k: number): { rowid: number; similarity: number }[] {
    this.#nearest ??= this.#db.prepare<[Float32Array, number], { rowid: number; distance: number }>(
      'SELECT rowid, distance FROM app_vectors WHERE embedding MATCH ? AND k = ? ORDER BY distance',
    );
    const rows = this.#nearest.all(vector, k);
    return rows.map((row) => ({ rowid: row.rowid, similarity: 1 - row.distance }));
  }

  async #refresh(): Promise<void> {
    const pending = this.#pending;
    this.#pending = new Set();
    const stale = this.#staleApps(pending);
    for (let start = 0; start < stale.length; start += BATCH) {
      const batch = stale.slice(start, start + BATCH);
      let vectors: Float32Array[];
      try {
        vectors = await this.#embedder.embed(batch.map((app) => app.text));
      } catch (error) {
        // Try these again next time; searching by words still works meanwhile.
        for (const app of stale.slice(start)) this.#pending?.add(app.id);
        throw FigmentError.from(error);
      }
      if (vectors.length !== batch.length) {
        throw new FigmentError(
          ErrorCode.Internal,
          `The embedder returned ${vectors.length} vectors for ${batch.length} texts.`,
        );
      }
      this.#write(
        batch,
        vectors.map((vector) => this.#checked(vector)),
      );
    }
  }

  #staleApps(only: Set<string> | null): AppText[] {
    const select = `SELECT a.rowid AS rowid, a.id AS id, a.name AS name, a.description AS description,
        (SELECT group_concat(intent, ' ') FROM app_versions WHERE app_id = a.id) AS intents,
        s.text_hash AS hash
      FROM apps a LEFT JOIN app_vector_state s ON s.app_rowid = a.rowid`;
    type Row = {
      rowid: number;
      id: string;
      name: string;
      description: string;
      intents: string | null;
      hash: string | null;
    };
    const rows: Row[] =
      only === null
        ? (this.#db.prepare(select).all() as Row[])
        : [...only].flatMap((id) => this.#db.prepare(`${select} WHERE a.id = ?`).all(id) as Row[]);
    return rows.flatMap((row) => {
      const text = appText(row.name, row.description, row.intents ?? '');
      return hashText(text) === row.hash ? [] : [{ rowid: row.rowid, id: row.id, text }];
    });
  }

  /** Writes a batch, skipping apps forgotten or changed while it was being embedded. */
  #write(batch: AppText[], vectors: Float32Array[]): void {
    const current = this.#db.prepare<
      [number],
      { id: string; name: string; description: string; intents: string | null }
    >(
      `SELECT id, name, description, (SELECT group_concat(intent, ' ') FROM app_versions WHERE app_id = apps.id) AS intents
       FROM apps WHERE rowid = ?`,
    );
    const remove = this.#db.prepare<[bigint]>('DELETE FROM app_vectors WHERE rowid = ?');
    const insert = this.#db.prepare<[bigint, Float32Array]>(
      'INSERT INTO app_vectors (rowid, embedding) VALUES (?, ?)',
    );
    const state = this.#db.prepare<[number, string]>(
      `INSERT INTO app_vector_state (app_rowid, text_hash) VALUES (?, ?)
       ON CONFLICT (app_rowid) DO UPDATE SET text_hash = excluded.text_hash`,
    );
    this.#db
      .transaction(() => {
        batch.forEach((app, index) => {
          const row = current.get(app.rowid);
          if (!row || row.id !== app.id) return;
          if (appText(row.name, row.description, row.intents ?? '') !== app.text) {
            this.#pending?.add(app.id);
            return;
          }
          // vec0 has no upsert: replace the row.
          remove.run(BigInt(app.rowid));
          insert.run(BigInt(app.rowid), vectors[index] as Float32Array);
          state.run(app.rowid, hashText(app.text));
        });
      })
      .immediate();
  }

  #checked(vector: Float32Array | undefined): Float32Array {
    if (!(vector instanceof Float32Array) || vector.length !== this.#embedder.dimensions) {
      throw new FigmentError(
        ErrorCode.Internal,
        `The embedder returned a vector of ${vector?.length ?? 0} numbers; it promised ${this.#embedder.dimensions}.`,
      );
    }
    return vector;
  }
}

/** Whether the sqlite-vec table exists (it is made at open, not by a migration). */
export function hasVectorTable(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'app_vectors'").get() !== undefined;
}

/**
 * Removes apps' vectors for good: overwritten with zeros first, because
 * sqlite-vec marks a deleted row free but leaves its bytes in the chunk.
 * Call inside the transaction that forgets the apps.
 */
export function eraseVectors(db: Database.Database, rowids: readonly number[]): void {
  if (rowids.length === 0) return;
  const forgetState = db.prepare<[number]>('DELETE FROM app_vector_state WHERE app_rowid = ?');
  for (const rowid of rowids) forgetState.run(rowid);
  if (!hasVectorTable(db)) return;
  const dimensions = db.prepare('SELECT dimensions FROM vector_meta WHERE id = 1').pluck().get() as number;
  const zero = db.prepare<[Float32Array, bigint]>('UPDATE app_vectors SET embedding = ? WHERE rowid = ?');
  const remove = db.prepare<[bigint]>('DELETE FROM app_vectors WHERE rowid = ?');
  for (const rowid of rowids) {
    zero.run(new Float32Array(dimensions), BigInt(rowid));
    remove.run(BigInt(rowid));
  }
}

function appText(name: string, description: string, intents: string): string {
  return `${name}. ${description}. ${intents}`.trim();
}

function hashText(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
