import { describe, expect, it } from 'vitest';
import { hasErrors, validateBundle } from '../../../../services/figmentd/generation/validateBundle.js';

const manifest = { name: 'Test', description: '', capabilities: [] as 'storage'[] };
const check = (body: string, head = '') =>
  validateBundle({
    manifest,
    html: `<!doctype html><html lang="en"><head><title>t</title>${head}</head><body>${body}</body></html>`,
  });
const codes = (body: string, head = '') => check(body, head).map((finding) => finding.code);

describe('validateBundle', () => {
  it('passes a self-contained app', () => {
    const findings = check(
      '<button id="b">+</button><script>document.getElementById("b").onclick = () => 1;</script>',
    );
    expect(findings).toEqual([]);
  });

  it('refuses an external script, stylesheet, image, form action and CSS url', () => {
    expect(codes('<script src="https://cdn.example/x.js"></script>')).toEqual(['ref.external']);
    expect(codes('', '<link rel="stylesheet" href="style.css">')).toEqual(['ref.external']);
    expect(codes('<img src="//tracker.example/p.gif" alt="">')).toEqual(['ref.external']);
    expect(codes('<form action="/submit"></form>')).toEqual(['ref.external']);
    expect(codes('<div style="background:url(http://x.example/a.png)"></div>')).toEqual(['ref.external']);
    expect(codes('', '<style>@import "https://fonts.example/a.css";</style>')).toContain('ref.external');
    expect(codes('<img srcset="a.png 1x, data:image/png;base64,AA 2x" alt="">')).toEqual(['ref.external']);
  });

  it('allows data: URLs and in-page fragments', () => {
    expect(codes('<img src="data:image/png;base64,AAAA" alt=""><a href="#top">top</a>')).toEqual([]);
  });

  it('refuses <base> and meta refresh', () => {
    expect(codes('', '<base href="/">')).toContain('ref.base');
    expect(codes('', '<meta http-equiv="refresh" content="0;url=x">')).toContain('ref.refresh');
  });

  it('refuses a script that does not parse, with its line', () => {
    const findings = validateBundle({
      manifest,
      html: '<!doctype html><html lang="en"><head><title>t</title></head><body>\n<script>\nlet x = ;\n</script></body></html>',
    });
    expect(findings).toEqual([
      expect.objectContaining({ code: 'script.syntax', severity: 'error', line: 3 }),
    ]);
  });

  it('parses module scripts as modules and ignores data blocks', () => {
    expect(codes('<script type="module">import.meta; export {};</script>')).toEqual([]);
    expect(codes('<script type="application/json">{ not js</script>')).toEqual([]);
  });

  it('treats a document cut off inside a tag as an error', () => {
    const findings = validateBundle({
      manifest,
      html: '<!doctype html><html lang="en"><body><button class="a',
    });
    expect(hasErrors(findings)).toBe(true);
    expect(findings.map((f) => f.code)).toContain('html.parse');
  });

  it('refuses a document without lang (screen readers need it)', () => {
    const findings = validateBundle({
      manifest,
      html: '<!doctype html><html><head><title>t</title></head></html>',
    });
    expect(findings).toEqual([expect.objectContaining({ code: 'a11y.lang', severity: 'error' })]);
    expect(hasErrors(findings)).toBe(true);
  });
});
