import type Database from 'better-sqlite3';

/** Words that say nothing about which app is meant ("the app I made earlier"). */
const stopWords = new Set(
  (
    'a an and any app apps application are as at be by can did do earlier for from had has have i in is it ' +
    'its last made make me my of on one open or please show some that the this thing to was with yesterday you'
  ).split(' '),
);

/** The query words worth matching, lower-cased, without repeats or stop words. */
export function queryWords(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((word) => !stopWords.has(word)))].slice(0, 16);
}

/**
 * Scoring every match costs about half a microsecond each, so a word that
 * thousands of apps share would make every search slow: past this many
 * matches only the most recently made are scored.
 */
const SCORED_MATCHES = 1_000;

/**
 * Finds apps by their words (FTS5, BM25 with the name weighing most), best
 * first, as apps.rowid and BM25 score (lower is better). Each word also
 * matches as a prefix ("track" finds "tracker").
 *
 * When more than SCORED_MATCHES apps match, only the most recently made are
 * ranked, and older apps are found by their names alone (names share words
 * far less often, so four times as many are ranked): those take turns with the
 * recent ones, an older app's place being its place among the names.
 */
export function searchWords(
  db: Database.Database,
  words: readonly string[],
  limit: number,
): { rowid: number; score: number }[] {
  if (words.length === 0) return [];
  const expression = matchExpression(words);
  const recent = searchCapped(db, expression, limit, SCORED_MATCHES);
  if (!recent.capped) return recent.hits;
  const older = searchCapped(db, `name : (${expression})`, limit, SCORED_MATCHES * 4).hits.filter(
    (hit) => hit.rowid < recent.oldest,
  );
  const merged: { rowid: number; score: number }[] = [];
  for (let i = 0; merged.length < limit && i < Math.max(recent.hits.length, older.length); i++) {
    for (const hit of [recent.hits[i], older[i]]) if (hit && merged.length < limit) merged.push(hit);
  }
  return merged;
}

/** The best `limit` of the `cap` newest matches, and whether older ones were left out. */
function searchCapped(
  db: Database.Database,
  expression: string,
  limit: number,
  cap: number,
): { hits: { rowid: number; score: number }[]; capped: boolean; oldest: number } {
  const s = statements(db);
  // Walking the matches newest first costs little; it is scoring them that costs.
  const oldest = s.nthNewest.get(expression, cap - 1);
  if (oldest === undefined) return { hits: s.search.all(expression, limit), capped: false, oldest: 0 };
  return { hits: s.searchSince.all(expression, BigInt(oldest), limit), capped: true, oldest };
}

/**
 * Which of `words` an app matched, and where, for the reason shown with a hit.
 * The rowid is bound as a BigInt: bound as a JS number (a REAL), FTS5 ignores
 * the rowid filter and highlights every match.
 */
export function matchedWords(
  db: Database.Database,
  words: readonly string[],
  rowid: number,
): { word: string; where: string }[] {
  if (words.length === 0) return [];
  const row = statements(db).highlight.get(matchExpression(words), BigInt(rowid));
  if (!row) return [];
  const places = ['name', 'description', 'earlier requests'];
  const found = new Map<string, string>();
  row.forEach((text, column) => {
    for (const [, word] of text.matchAll(/\uE000([^\uE001]*)\uE001/g)) {
      const key = (word ?? '').toLowerCase();
      if (!found.has(key)) found.set(key, places[column] ?? 'text');
    }
  });
  return [...found].map(([word, where]) => ({ word, where }));
}

const prepared = new WeakMap<Database.Database, ReturnType<typeof prepare>>();

/** Statements are prepared once per connection: search runs often and should not recompile them. */
function statements(db: Database.Database): ReturnType<typeof prepare> {
  let found = prepared.get(db);
  if (!found) {
    found = prepare(db);
    prepared.set(db, found);
  }
  return found;
}

function prepare(db: Database.Database) {
  return {
    search: db.prepare<[string, number], { rowid: number; score: number }>(
      `SELECT rowid, bm25(apps_fts, 8.0, 3.0, 1.0) AS score FROM apps_fts WHERE apps_fts MATCH ?
       ORDER BY score LIMIT ?`,
    ),
    // The rowid bound is a BigInt for the reason given at matchedWords.
    searchSince: db.prepare<[string, bigint, number], { rowid: number; score: number }>(
      `SELECT rowid, bm25(apps_fts, 8.0, 3.0, 1.0) AS score FROM apps_fts WHERE apps_fts MATCH ? AND rowid >= ?
       ORDER BY score LIMIT ?`,
    ),
    nthNewest: db
      .prepare<[string, number], number>(
        'SELECT rowid FROM apps_fts WHERE apps_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?',
      )
      .pluck(),
    highlight: db
      .prepare<[string, bigint], [string, string, string]>(
        `SELECT highlight(apps_fts, 0, char(57344), char(57345)), highlight(apps_fts, 1, char(57344), char(57345)),
           highlight(apps_fts, 2, char(57344), char(57345))
         FROM apps_fts WHERE apps_fts MATCH ? AND rowid = ?`,
      )
      .raw(),
  };
}

function matchExpression(words: readonly string[]): string {
  return words.map((word) => `"${word.replaceAll('"', '""')}"*`).join(' OR ');
}
