import { describe, expect, it } from 'vitest';
import { searchReason } from '../../../shell/ui/searchReason.js';

describe('searchReason', () => {
  const hit = {
    matches: [
      { word: 'water', where: 'name' as const },
      { word: 'glass', where: 'earlier requests' as const },
    ],
    similarity: 0.8312,
  };

  it('says which words matched where, and how close in meaning, in English', () => {
    expect(searchReason(hit, 'en')).toBe(
      '“water” is in its name; “glass” is in its earlier requests; it is close in meaning (similarity 0.83)',
    );
  });

  it('says the same in French, with a French decimal comma', () => {
    expect(searchReason(hit, 'fr')).toBe(
      '« water » figure dans son nom; « glass » figure dans ses demandes passées; elle est proche par le sens (similarité 0,83)',
    );
  });

  it('still gives a reason when figmentd gave neither words nor meaning', () => {
    expect(searchReason({ matches: [], similarity: null }, 'fr')).toBe('elle correspond à la recherche');
  });
});
