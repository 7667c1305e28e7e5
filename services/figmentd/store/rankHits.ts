/** Reciprocal-rank fusion's damping: a hit's weight is 1 / (K + rank). 60 is the usual choice. */
const K = 60;

export interface RankedCandidate {
  rowid: number;
  score: number;
  wordRank: number | null;
  similarity: number | null;
}

/**
 * Merges the word ranking and the meaning ranking into one (reciprocal-rank
 * fusion), so an app found both ways beats one found either way, and neither
 * method's raw scores need to be comparable.
 */
export function rankHits(
  byWords: readonly number[],
  byMeaning: readonly { rowid: number; similarity: number }[],
): RankedCandidate[] {
  const merged = new Map<number, RankedCandidate>();
  const entry = (rowid: number) => {
    let candidate = merged.get(rowid);
    if (!candidate) {
      candidate = { rowid, score: 0, wordRank: null, similarity: null };
      merged.set(rowid, candidate);
    }
    return candidate;
  };
  byWords.forEach((rowid, index) => {
    const candidate = entry(rowid);
    candidate.wordRank = index + 1;
    candidate.score += 1 / (K + index + 1);
  });
  byMeaning.forEach(({ rowid, similarity }, index) => {
    const candidate = entry(rowid);
    candidate.similarity = similarity;
    candidate.score += 1 / (K + index + 1);
  });
  return [...merged.values()].sort((a, b) => b.score - a.score);
}

/** The reason shown with a hit, in plain words. */
export function describeHit(
  words: readonly { word: string; where: string }[],
  similarity: number | null,
): string {
  const parts: string[] = [];
  if (words.length > 0) {
    parts.push(`matched ${words.map(({ word, where }) => `"${word}" in the ${where}`).join(', ')}`);
  }
  if (similarity !== null) parts.push(`close in meaning (similarity ${similarity.toFixed(2)})`);
  return parts.join('; ') || 'matched';
}
