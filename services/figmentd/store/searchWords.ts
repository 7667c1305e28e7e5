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
 * Finds apps by their words (FTS5, BM25 with the name weighing most), best
 * first, as apps.rowid. Each word also matches as a prefix ("track" finds "tracker").
 */
export function searchWords(db: Database.Database, words: readonly string[], limit: number): number[] {
  if (words.length === 0) return [];
  return db
    .prepare<[string, number], number>(
      `SELECT rowid FROM apps_fts WHERE apps_fts MATCH ?
       ORDER BY bm25(apps_fts, 8.0, 3.0, 1.0) LIMIT ?`,
    )
    .pluck()
    .all(matchExpression(words), limit);
}

/**
 * Which of `words` each app matched, and where, for the reason shown with a hit.
 * Rows are picked out by rowid here too: FTS5 may not apply a rowid filter to an OR query.
 */
export function matchedWords(
  db: Database.Database,
  words: readonly string[],
  rowids: readonly number[],
): Map<number, { word: string; where: string }[]> {
  const matches = new Map<number, { word: string; where: string }[]>();
  if (words.length === 0 || rowids.length === 0) return matches;
  const wanted = new Set(rowids);
  const rows = db
    .prepare<[string, ...number[]], [number, string, string, string]>(
      `SELECT rowid, highlight(apps_fts, 0, char(1), char(2)), highlight(apps_fts, 1, char(1), char(2)),
         highlight(apps_fts, 2, char(1), char(2))
       FROM apps_fts WHERE apps_fts MATCH ? AND rowid IN (${rowids.map(() => '?').join(', ')})`,
    )
    .raw()
    .all(matchExpression(words), ...rowids);
  const places = ['name', 'description', 'earlier requests'];
  for (const [rowid, ...columns] of rows) {
    if (!wanted.has(rowid)) continue;
    const found = new Map<string, string>();
    columns.forEach((text, column) => {
      for (const [, word] of text.matchAll(/\u0001([^\u0002]*)\u0002/g)) {
        const key = (word ?? '').toLowerCase();
        if (!found.has(key)) found.set(key, places[column] ?? 'text');
      }
    });
    matches.set(
      rowid,
      [...found].map(([word, where]) => ({ word, where })),
    );
  }
  return matches;
}

function matchExpression(words: readonly string[]): string {
  return words.map((word) => `"${word.replaceAll('"', '""')}"*`).join(' OR ');
}
