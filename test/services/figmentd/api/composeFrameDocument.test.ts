import { describe, expect, it } from 'vitest';
import {
  composeFrameDocument,
  FRAME_CSP,
  shellCsp,
} from '../../../../services/figmentd/api/composeFrameDocument.js';

const SDK = 'window.figment = Object.freeze({ version: "test" });';

/** The document's <head> children as short strings, in order. */
function headOf(document: string): string[] {
  const match = /<head[^>]*>([\s\S]*)<\/head>/.exec(document);
  if (!match?.[1]) return [];
  return [...match[1].matchAll(/<(\w+)[^>]*>/g)].map((m) => m[1] ?? '');
}

describe('composeFrameDocument', () => {
  it('puts the SDK first in <head>, before the app’s own elements', () => {
    const out = composeFrameDocument(
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Counter</title></head><body></body></html>',
      SDK,
    );
    expect(headOf(out)).toEqual(['script', 'meta', 'title']);
    expect(out).toContain(`<head><script>${SDK}</script><meta charset="utf-8">`);
  });

  it('keeps the app’s <html lang> and other attributes', () => {
    const out = composeFrameDocument(
      '<!doctype html><html lang="de" dir="ltr"><body>Hallo</body></html>',
      SDK,
    );
    expect(out).toMatch(/<html lang="de" dir="ltr">/);
  });

  it('gives a document without <html> or <head> both, with the SDK in <head>', () => {
    const out = composeFrameDocument('<p>Just a paragraph</p><script>count()</script>', SDK);
    expect(out).toBe(
      `<!DOCTYPE html><html><head><script>${SDK}</script></head><body><p>Just a paragraph</p><script>count()</script></body></html>`,
    );
  });

  it('keeps the app’s own scripts, after the SDK', () => {
    const out = composeFrameDocument(
      '<!doctype html><html lang="en"><head><script>const early = 1;</script></head><body><script>figment.ready()</script></body></html>',
      SDK,
    );
    const sdkAt = out.indexOf(SDK);
    const earlyAt = out.indexOf('const early = 1;');
    const lateAt = out.indexOf('figment.ready()');
    expect(sdkAt).toBeGreaterThan(-1);
    expect(earlyAt).toBeGreaterThan(sdkAt);
    expect(lateAt).toBeGreaterThan(earlyAt);
  });

  it('puts a standards-mode doctype on a document that had none', () => {
    expect(composeFrameDocument('<html lang="en"><body></body></html>', SDK)).toMatch(/^<!DOCTYPE html>/);
  });

  it('refuses an SDK script that would close its own <script> element', () => {
    expect(() => composeFrameDocument('<p>x</p>', 'a = "</script><p>";')).toThrow(/cannot be inlined/);
    expect(() => composeFrameDocument('<p>x</p>', 'a = "<!--";')).toThrow(/cannot be inlined/);
  });
});

describe('FRAME_CSP', () => {
  const directives = new Map(
    FRAME_CSP.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values.join(' ')];
    }),
  );

  it('starts from default-src none', () => {
    expect(FRAME_CSP.startsWith("default-src 'none'")).toBe(true);
  });

  it('allows only inline code and styles, and local media', () => {
    expect(directives.get('script-src')).toBe("'unsafe-inline'");
    expect(directives.get('style-src')).toBe("'unsafe-inline'");
    for (const name of ['img-src', 'media-src', 'font-src']) expect(directives.get(name)).toBe('data: blob:');
  });

  it('shuts the network, forms, base and nested frames, and sandboxes a direct load', () => {
    for (const name of ['connect-src', 'frame-src', 'form-action', 'base-uri']) {
      expect(directives.get(name)).toBe("'none'");
    }
    expect(directives.get('sandbox')).toBe('allow-scripts');
  });
});

describe('shellCsp', () => {
  it('lets the shell reach only its own origin’s WebSocket', () => {
    const csp = shellCsp('http://127.0.0.1:4711');
    expect(csp.startsWith("default-src 'none'")).toBe(true);
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:4711;");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-src 'self'");
    expect(csp).not.toContain('unsafe');
  });

  it('uses wss for an https origin', () => {
    expect(shellCsp('https://127.0.0.1:4711')).toContain("connect-src 'self' wss://127.0.0.1:4711;");
  });

  it('refuses something that is not a bare origin', () => {
    expect(() => shellCsp('http://127.0.0.1:4711/; script-src *')).toThrow(TypeError);
    expect(() => shellCsp('file:///etc')).toThrow(TypeError);
  });
});
