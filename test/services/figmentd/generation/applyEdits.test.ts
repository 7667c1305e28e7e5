import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../../../services/figmentd/generation/applyEdits.js';

const doc = '<style>\n  body { color: #111; }\n</style>\n<button>+</button>\n<button>-</button>';

describe('applyEdits', () => {
  it('applies blocks in order, each to the result of the one before', () => {
    const result = applyEdits(doc, [
      { search: 'color: #111;', replace: 'color: #111; background: #fff;' },
      { search: 'background: #fff;', replace: 'background: #eee;' },
    ]);
    expect(result).toEqual({ ok: true, html: doc.replace('color: #111;', 'color: #111; background: #eee;') });
  });

  it('accepts a block whose lines differ only in indentation', () => {
    const result = applyEdits(doc, [
      { search: '\tbody { color: #111; }\n</style>  ', replace: 'body { color: #000; }\n</style>' },
    ]);
    expect(result).toEqual({
      ok: true,
      html: doc.replace('  body { color: #111; }', 'body { color: #000; }'),
    });
  });

  it('refuses a block that is not in the document, saying which', () => {
    expect(
      applyEdits(doc, [
        { search: '<button>+</button>', replace: 'x' },
        { search: '<nav>', replace: '' },
      ]),
    ).toEqual({
      ok: false,
      index: 1,
      reason: 'not-found',
    });
  });

  it('refuses a block that matches more than one place, and an empty search', () => {
    expect(applyEdits(doc, [{ search: '<button>', replace: '<button class="b">' }])).toMatchObject({
      ok: false,
      reason: 'ambiguous',
    });
    expect(applyEdits(doc, [{ search: '  ', replace: 'x' }])).toMatchObject({ ok: false, reason: 'empty' });
  });
});
