import { describe, expect, it } from 'vitest';
import { english, wordsFor } from '../../../shell/ui/Language.js';
import { type MessageKey, shellMessages } from '../../../shell/ui/shellMessages.js';

const placeholders = (words: string) => [...words.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('the shell’s words', () => {
  const englishKeys = Object.keys(shellMessages.en).sort();

  for (const [code, messages] of Object.entries(shellMessages)) {
    it(`has every key in ${code}, with the same placeholders as English`, () => {
      expect(Object.keys(messages).sort()).toEqual(englishKeys);
      for (const key of englishKeys as MessageKey[]) {
        const words = (messages as Record<MessageKey, string>)[key];
        expect(words.trim(), `${code} ${key}`).not.toBe('');
        expect(placeholders(words), `${code} ${key}`).toEqual(placeholders(shellMessages.en[key]));
      }
    });
  }

  it('fills placeholders, and leaves one with no value visible rather than blank', () => {
    expect(wordsFor('fr', 'intent.opened', { name: 'Minuteur' })).toBe('« Minuteur » est ouverte.');
    expect(english.t('launcher.matches', { count: 3 })).toBe('3 apps match.');
    expect(english.t('launcher.found')).toBe('Found for “{query}”');
  });
});
