import type { MatchPlace, SearchHit } from '../../services/protocol/index.js';
import { wordsFor } from './Language.js';
import type { LanguageCode, MessageKey } from './shellMessages.js';

const PLACE_KEYS: Record<MatchPlace, MessageKey> = {
  name: 'search.place.name',
  description: 'search.place.description',
  'earlier requests': 'search.place.requests',
};

/**
 * Why figmentd found an app, in the shell's language: which words matched
 * where, and how close in meaning. Built from the hit's parts rather than its
 * English `reason`, so French reads as French (numbers included).
 */
export function searchReason(hit: Pick<SearchHit, 'matches' | 'similarity'>, code: LanguageCode): string {
  const parts = hit.matches.map(({ word, where }) =>
    wordsFor(code, 'search.wordIn', { word, where: wordsFor(code, PLACE_KEYS[where]) }),
  );
  if (hit.similarity !== null) {
    const similarity = new Intl.NumberFormat(code, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    parts.push(wordsFor(code, 'search.meaning', { similarity: similarity.format(hit.similarity) }));
  }
  return parts.join('; ') || wordsFor(code, 'search.matches');
}
