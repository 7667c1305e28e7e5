import { describe, expect, it } from 'vitest';
import { initialsOf } from '../../../shell/ui/appIcon.js';

describe('initialsOf', () => {
  it('takes the first letter of the first two words, in capitals', () => {
    expect(initialsOf('Budget tracker')).toBe('BT');
    expect(initialsOf('water')).toBe('W');
    expect(initialsOf('a timer for brushing teeth')).toBe('AT');
  });

  it('reads letters of any script and skips punctuation', () => {
    expect(initialsOf('“Ölçü” — çevirici')).toBe('ÖÇ');
    expect(initialsOf('東京 地図')).toBe('東地');
    expect(initialsOf('2048 game')).toBe('2G');
  });

  it('gives a question mark for a name without letters', () => {
    expect(initialsOf('—!')).toBe('?');
  });
});
