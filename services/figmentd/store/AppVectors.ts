import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ErrorCode, FigmentError } from '../../protocol/index.js';
import { SignatureIndex } from './SignatureIndex.js';
import type { Embedder } from './types.js';

/** Texts sent to the embedder at once; one transaction writes each batch. */
const BATCH = 64;

interface AppText {
  rowid: number;
  id: string;
  text: string;
}

/** Apps the coarse pass hands to the exact one: enough that the true nearest are among them. */
const COARSE_CANDIDATES = 1_000;

/**
 * The meaning index: one vector per app (name, description and every request
 * that shaped it), kept in step with the apps lazily. Writes to apps stay
 * synchronous; vectors catch up before the next search, so a crash between the
 * two only leaves vectors to redo, never wrong ones.
 *
 * Search is two passes: the apps whose signatures (SignatureIndex, in memory)
 * are nearest the query's, then the exact cosine (sqlite-vec) of those few.
 * Reading every full vector instead would read 1.5 KB an app, 120 MB at
 * 80,000 apps. figmentd is the only writer, so the memory copy stays in step.
 */
export class AppVectors {
  readonly #db: Database.Database;
  readonly #embedder: Embedder;
  /** App ids changed by this process since the last refresh; null means "check every app". */
  #pending: Set<string> | null = null;
  #refreshing: Promise<void> | undefined;
  #signatures: SignatureIndex | undefined;
  #loaded = false;
  #rerank:
    | Database.Statement<[Float32Array, string, number], { rowid: number; distance: number }>
    | undefined;

  constructor(db: Database.Database, embedder: Embedder) {
    this.#db = db;
    this.#embedder = embedder;
  }

  /**
   * Makes the vector table fit the embedder, starting over when the embedder
   * changed. Vectors an earlier layout kept in a sqlite-vec table (app_vectors)
   * are carried over, not embedded again.
   */
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
    const same = meta?.embedder === name && meta.dimensions === dimensions;
    const signatures = new SignatureIndex(dimensions);
    if (!same || !hasTable(this.#db, 'app_embeddings')) {
      this.#db
        .transaction(() => {
          const carried = same && hasTable(this.#db, 'app_vectors') ? oldVectors(this.#db) : [];
          this.#db.exec(`DROP TABLE IF EXISTS app_vectors; DROP TABLE IF EXISTS app_embeddings;
            ${carried.length === 0 ? 'DELETE FROM app_vector_state;' : ''}
            ${createEmbeddings}`);
          const insert = this.#db.prepare<[number, Float32Array, Buffer]>(insertEmbedding);
          for (const { rowid, vector } of carried) insert.run(rowid, vector, signatures.sign(vector));
          this.#db
            .prepare(
              `INSERT INTO vector_meta (id, embedder, dimensions) VALUES (1, ?, ?)
               ON CONFLICT (id) DO UPDATE SET embedder = excluded.embedder, dimensions = excluded.dimensions`,
            )
            .run(name, dimensions);
        })
        .immediate();
    }
    this.#signatures = signatures;
    this.#loaded = false;
    this.#pending = null;
    this.#rerank = undefined;
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
  nearest(
    vector: Float32Array,
    k: number,
    lap: (stage: string) => void = () => {},
  ): { rowid: number; similarity: number }[] {
    const signatures = this.#loadSignatures();
    const signature = signatures.sign(vector);
    lap('sign');
    const candidates = signatures.nearest(signature, Math.max(k, COARSE_CANDIDATES));
    lap('scan');
    this.#rerank ??= this.#db.prepare(
      `SELECT app_rowid AS rowid, vec_distance_cosine(embedding, ?) AS distance FROM app_embeddings
       WHERE app_rowid IN (SELECT value FROM json_each(?)) ORDER BY distance LIMIT ?`,
    );
    const rows = this.#rerank.all(vector, JSON.stringify(candidates), k);
    lap('rerank');
    return rows.map((row) => ({ rowid: row.rowid, similarity: 1 - row.distance }));
  }

  /** Drops forgotten apps from the signatures in memory; call once their rows are gone. */
  forgotten(rowids: readonly number[]): void {
    for (const rowid of rowids) this.#signatures?.delete(rowid);
  }

  #loadSignatures(): SignatureIndex {
    const signatures = this.#signatures;
    if (!signatures) throw new FigmentError(ErrorCode.Internal, 'AppVectors.prepare() was not called.');
    if (!this.#loaded) {
      signatures.clear();
      const rows = this.#db
        .prepare<[], [number, Buffer]>('SELECT app_rowid, signature FROM app_embeddings')
        .raw()
        .iterate();
      for (const [rowid, signature] of rows) signatures.set(rowid, signature);
      this.#loaded = true;
    }
    return signatures;
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
    const upsert = this.#db.prepare<[number, Float32Array, Buffer]>(
      `${insertEmbedding} ON CONFLICT (app_rowid) DO UPDATE SET embedding = excluded.embedding, signature = excluded.signature`,
    );
    const state = this.#db.prepare<[number, string]>(
      `INSERT INTO app_vector_state (app_rowid, text_hash) VALUES (?, ?)
       ON CONFLICT (app_rowid) DO UPDATE SET text_hash = excluded.text_hash`,
    );
    const signatures = this.#loadSignatures();
    const written: [number, Buffer][] = [];
    this.#db
      .transaction(() => {
        batch.forEach((app, index) => {
          const row = current.get(app.rowid);
          if (!row || row.id !== app.id) return;
          if (appText(row.name, row.description, row.intents ?? '') !== app.text) {
            this.#pending?.add(app.id);
            return;
          }
          const vector = vectors[index] as Float32Array;
          const signature = signatures.sign(vector);
          upsert.run(app.rowid, vector, signature);
          state.run(app.rowid, hashText(app.text));
          written.push([app.rowid, signature]);
        });
      })
      .immediate();
    // Only once committed: a rolled-back batch leaves memory as the database is.
    for (const [rowid, signature] of written) signatures.set(rowid, signature);
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

/** Exact vectors, for re-ranking, and their signatures (SignatureIndex), for the coarse pass. */
const createEmbeddings = `CREATE TABLE app_embeddings (
  app_rowid INTEGER PRIMARY KEY,
  embedding BLOB NOT NULL,
  signature BLOB NOT NULL
) STRICT;`;
const insertEmbedding = 'INSERT INTO app_embeddings (app_rowid, embedding, signature) VALUES (?, ?, ?)';

/** Whether a table exists (the vector tables are made at open, sized for the embedder, not by a migration). */
function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare('SELECT 1 FROM sqlite_schema WHERE name = ?').get(name) !== undefined;
}

/** Vectors the first layout kept in a sqlite-vec table, to carry into the current one. */
function oldVectors(db: Database.Database): { rowid: number; vector: Float32Array }[] {
  return db
    .prepare<[], [number, Buffer]>('SELECT rowid, embedding FROM app_vectors')
    .raw()
    .all()
    .map(([rowid, blob]) => ({
      rowid,
      vector: new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength)),
    }));
}

/**
 * Removes apps' vectors for good. Call inside the transaction that forgets the
 * apps. Plain rows go with secure_delete on; the first layout's sqlite-vec
 * table (if a store without an embedder still has one) marks a deleted row
 * free but leaves its bytes in the chunk, so those are overwritten first.
 */
export function eraseVectors(db: Database.Database, rowids: readonly number[]): void {
  if (rowids.length === 0) return;
  const forgetState = db.prepare<[number]>('DELETE FROM app_vector_state WHERE app_rowid = ?');
  for (const rowid of rowids) forgetState.run(rowid);
  if (hasTable(db, 'app_embeddings')) {
    const remove = db.prepare<[number]>('DELETE FROM app_embeddings WHERE app_rowid = ?');
    for (const rowid of rowids) remove.run(rowid);
  }
  if (!hasTable(db, 'app_vectors')) return;
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
