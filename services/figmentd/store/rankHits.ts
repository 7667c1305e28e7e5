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
 * method's raw scores need to be comparable. Equal scores share a rank, so
 * the caller can break such ties (by recent use).
 */
export function rankHits(
  byWords: readonly { rowid: number; score: number }[],
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
  const wordRanks = sharedRanks(byWords.map((hit) => hit.score));
  byWords.forEach(({ rowid }, index) => {
    const candidate = entry(rowid);
    const rank = wordRanks[index] ?? index + 1;
    candidate.wordRank = rank;
    candidate.score += 1 / (K + rank);
  });
  const meaningRanks = sharedRanks(byMeaning.map((hit) => hit.similarity));
  byMeaning.forEach(({ rowid, similarity }, index) => {
    const candidate = entry(rowid);
    candidate.similarity = similarity;
    candidate.score += 1 / (K + (meaningRanks[index] ?? index + 1));
  });
  return [...merged.values()].sort((a, b) => b.score - a.score);
}

/** 1-based ranks of values already in order, equal values sharing the first one's rank. */
function sharedRanks(sortedValues: readonly number[]): number[] {
  const ranks: number[] = [];
  sortedValues.forEach((value, index) => {
    const previous = ranks[index - 1];
    ranks.push(
      index > 0 && previous !== undefined && value === sortedValues[index - 1] ? previous : index + 1,
    );
  });
  return ranks;
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
