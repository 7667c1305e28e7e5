import { describe, expect, it } from 'vitest';
import { partialHtml } from '../../../../services/figmentd/generation/partialHtml.js';

const bundle = JSON.stringify({
  manifest: { name: 'Quote "html": test', description: 'says "html": "no"', capabilities: [] },
  html: '<!doctype html><p class="a">Tab\there \\ and \u00e9 done</p>',
});

describe('partialHtml', () => {
  it('has nothing before the model reaches the html field', () => {
    expect(partialHtml('')).toBeUndefined();
    expect(partialHtml(bundle.slice(0, bundle.indexOf('"html":"')))).toBeUndefined();
  });

  it('ignores an "html" key written inside another string', () => {
    expect(partialHtml(bundle.slice(0, 60))).toBeUndefined();
  });

  it('decodes every prefix of the html string without failing on a cut escape', () => {
    const html = JSON.parse(bundle).html as string;
    const start = bundle.indexOf('"html":"') + '"html":"'.length;
    for (let end = start; end <= bundle.length; end++) {
      const got = partialHtml(bundle.slice(0, end));
      expect(got, `prefix of ${end} chars`).toBeDefined();
      expect(html.startsWith(got ?? '\u0000'), `prefix of ${end} chars: ${got}`).toBe(true);
    }
    expect(partialHtml(bundle)).toBe(html);
  });

  it('keeps an escaped backslash at the cut and drops a half-written \\u escape', () => {
    expect(partialHtml('{"html":"a\\\\')).toBe('a\\');
    expect(partialHtml('{"html":"a\\u00')).toBe('a');
    expect(partialHtml('{"html":"a\\')).toBe('a');
  });
});
