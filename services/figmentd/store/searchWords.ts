import type Database from 'better-sqlite3';
import type { MatchPlace } from '../../protocol/index.js';

/** A searched word an app matched, and where. */
export interface WordMatch {
  word: string;
  where: MatchPlace;
}

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
 * Scoring a match costs about half a microsecond, so a word that thousands of
 * apps share would make every search slow: past this many matches only the
 * most recently made are scored.
 */
const SCORED_MATCHES = 500;
/** Names share words far less often than whole texts do, so more of them are scored. */
const SCORED_NAMES = 1_000;

/**
 * Finds apps by their words (FTS5, BM25 with the name weighing most), best
 * first, as apps.rowid and BM25 score (lower is better). Each word also
 * matches as a prefix ("track" finds "tracker").
 *
 * When more than SCORED_MATCHES apps match, only the most recently made are
 * ranked, and older apps are found by their names alone: those take turns with
 * the recent ones, an older app's place being its place among the names.
 */
export function searchWords(
  db: Database.Database,
  words: readonly string[],
  limit: number,
): { rowid: number; score: number }[] {
  if (words.length === 0) return [];
  const s = statements(db);
  const expression = matchExpression(words);
  const recent = newestScored(s.newest, expression, SCORED_MATCHES, limit);
  if (recent.oldest === null) return recent.hits;
  const oldest = recent.oldest;
  const older = newestScored(s.newest, `name : (${expression})`, SCORED_NAMES, limit).hits.filter(
    (hit) => hit.rowid < oldest,
  );
  const merged: { rowid: number; score: number }[] = [];
  for (let i = 0; merged.length < limit && i < Math.max(recent.hits.length, older.length); i++) {
    for (const hit of [recent.hits[i], older[i]]) if (hit && merged.length < limit) merged.push(hit);
  }
  return merged;
}

/**
 * The best `limit` of the newest `cap` matches, and the oldest rowid scored
 * when older matches were left out (else null). One FTS5 query: walking the
 * matches newest first stops at the cap, so only that many are scored, and a
 * prefix word's list of matches is built once, not once per query.
 */
function newestScored(
  newest: Statements['newest'],
  expression: string,
  cap: number,
  limit: number,
): { hits: { rowid: number; score: number }[]; oldest: number | null } {
  const rows = newest.all(expression, cap);
  const oldest = rows.length === cap ? (rows.at(-1)?.rowid ?? null) : null;
  // Stable: equal scores keep newest first, as the caller's tie-break expects nothing else.
  rows.sort((a, b) => a.score - b.score);
  return { hits: rows.slice(0, limit), oldest };
}

/**
 * Which of `words` each app matched, and where, for the reason shown with a
 * hit. One query for all the apps, so FTS5 builds each prefix word's matches
 * once; `+rowid` keeps the list a filter, not one index lookup per app.
 */
export function matchedWords(
  db: Database.Database,
  words: readonly string[],
  rowids: readonly number[],
): Map<number, WordMatch[]> {
  const matched = new Map<number, WordMatch[]>();
  if (words.length === 0 || rowids.length === 0) return matched;
  // The columns of the search index, in order.
  const places: readonly MatchPlace[] = ['name', 'description', 'earlier requests'];
  for (const [rowid, ...columns] of statements(db).highlight.all(
    matchExpression(words),
    JSON.stringify(rowids),
  )) {
    const found = new Map<string, MatchPlace>();
    columns.forEach((text, column) => {
      const place = places[column];
      if (!place) return;
      for (const [, word] of text.matchAll(/\uE000([^\uE001]*)\uE001/g)) {
        const key = (word ?? '').toLowerCase();
        if (!found.has(key)) found.set(key, place);
      }
    });
    matched.set(
      rowid,
      [...found].map(([word, where]) => ({ word, where })),
    );
  }
  return matched;
}

type Statements = ReturnType<typeof prepare>;
const prepared = new WeakMap<Database.Database, Statements>();

/** Statements are prepared once per connection: search runs often and should not recompile them. */
function statements(db: Database.Database): Statements {
  let found = prepared.get(db);
  if (!found) {
    found = prepare(db);
    prepared.set(db, found);
  }
  return found;
}

function prepare(db: Database.Database) {
  return {
    newest: db.prepare<[string, number], { rowid: number; score: number }>(
      `SELECT rowid, bm25(apps_fts, 8.0, 3.0, 1.0) AS score FROM apps_fts WHERE apps_fts MATCH ?
       ORDER BY rowid DESC LIMIT ?`,
    ),
    highlight: db
      .prepare<[string, string], [number, string, string, string]>(
        `SELECT rowid, highlight(apps_fts, 0, char(57344), char(57345)),
           highlight(apps_fts, 1, char(57344), char(57345)), highlight(apps_fts, 2, char(57344), char(57345))
         FROM apps_fts WHERE apps_fts MATCH ? AND +rowid IN (SELECT value FROM json_each(?))`,
      )
      .raw(),
  };
}

function matchExpression(words: readonly string[]): string {
  return words.map((word) => `"${word.replaceAll('"', '""')}"*`).join(' OR ');
}
