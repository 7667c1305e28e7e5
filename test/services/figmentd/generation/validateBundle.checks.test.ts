import { describe, expect, it } from 'vitest';
import { validateBundle } from '../../../../services/figmentd/generation/validateBundle.js';
import type { Capability } from '../../../../services/protocol/bundle.js';

const page = (body: string, head = '', lang = ' lang="en"') =>
  `<!doctype html><html${lang}><head><title>t</title>${head}</head><body>${body}</body></html>`;
const findings = (body: string, { head = '', capabilities = [] as Capability[], lang = ' lang="en"' } = {}) =>
  validateBundle({ manifest: { name: 'T', description: '', capabilities }, html: page(body, head, lang) });
const codes = (...args: Parameters<typeof findings>) =>
  findings(...args).map((f) => `${f.severity}:${f.code}`);

describe('validateBundle: SDK calls against declared capabilities', () => {
  it('refuses storage calls when the manifest does not declare storage, naming the call and line', () => {
    const result = validateBundle({
      manifest: { name: 'T', description: '', capabilities: [] },
      html: page('\n<script>\nconst x = 1;\nfigment.storage.set("k", 1);\n</script>'),
    });
    expect(result).toEqual([
      expect.objectContaining({
        code: 'sdk.capability',
        severity: 'error',
        line: 4,
        message: expect.stringContaining('figment.storage.set needs the "storage" capability'),
      }),
    ]);
  });

  it('accepts the same call once storage is declared', () => {
    expect(codes('<script>figment.storage.get("k")</script>', { capabilities: ['storage'] })).toEqual([]);
  });

  it('sees window.figment, bracket access and a stored reference to the storage object', () => {
    expect(codes('<script>window.figment.storage.get("a")</script>')).toEqual(['error:sdk.capability']);
    expect(codes('<script>figment["storage"].get("a")</script>')).toEqual(['error:sdk.capability']);
    expect(codes('<script>const s = figment.storage; s.get("a")</script>')).toEqual(['error:sdk.capability']);
  });

  it('refuses a sensor the manifest does not declare', () => {
    expect(
      findings('<script>figment.sensors.camera.capture()</script>', { capabilities: ['storage'] }),
    ).toEqual([
      expect.objectContaining({ code: 'sdk.capability', message: expect.stringContaining('"camera"') }),
    ]);
  });

  it('needs no capability for ready() and version', () => {
    expect(codes('<script>figment.ready(); console.log(figment.version)</script>')).toEqual([]);
  });
});

describe('validateBundle: basic accessibility', () => {
  it('refuses a document without lang', () => {
    expect(codes('<p>hi</p>', { lang: '' })).toEqual(['error:a11y.lang']);
  });

  it('refuses a button with no name and accepts one named by text, aria-label or an image alt', () => {
    expect(findings('<button id="go"></button>')).toEqual([
      expect.objectContaining({ code: 'a11y.name', message: expect.stringContaining('<button id="go">') }),
    ]);
    expect(
      codes(
        '<button>Go</button><button aria-label="Add">+</button><button><img src="data:," alt="Save"></button>',
      ),
    ).toEqual([]);
    expect(codes('<div role="button" tabindex="0"></div>')).toEqual(['error:a11y.name']);
  });

  it('refuses a field without a label and accepts label-for, a wrapping label and aria-label', () => {
    expect(codes('<input id="n" type="text">')).toEqual(['error:a11y.label']);
    expect(codes('<select></select>')).toEqual(['error:a11y.label']);
    expect(codes('<label for="n">Name</label><input id="n">')).toEqual([]);
    expect(codes('<label>Amount <input type="number"></label>')).toEqual([]);
    expect(codes('<textarea aria-label="Notes"></textarea><input type="hidden" value="1">')).toEqual([]);
  });

  it('warns about an image without alt text', () => {
    expect(codes('<img src="data:,">')).toEqual(['warning:a11y.alt']);
  });

  it('refuses theme colours with too little contrast, resolving custom properties', () => {
    const weak = findings('<p>x</p>', {
      head: '<style>:root{--bg:#ffffff;--fg:#aaaaaa} body{background:var(--bg);color:var(--fg)}</style>',
    });
    expect(weak).toEqual([
      expect.objectContaining({
        code: 'a11y.contrast',
        severity: 'error',
        message: expect.stringMatching(/"body".*2\.3\d:1/),
      }),
    ]);
    expect(codes('<p>x</p>', { head: '<style>button{background:#0b57d0;color:#fff}</style>' })).toEqual([]);
    expect(codes('<p>x</p>', { head: '<style>.b{background:yellow;color:white}</style>' })).toEqual([
      'error:a11y.contrast',
    ]);
  });

  it('does not judge colours it cannot know (the theme SDK variables without fallback, translucent colours)', () => {
    expect(
      codes('<p>x</p>', {
        head: '<style>body{background:var(--figment-bg);color:#777} p{color:rgba(0,0,0,.3);background:#fff}</style>',
      }),
    ).toEqual([]);
  });
});
