import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  protocolShellCsp,
  resolveShellFile,
  SHELL_PAGE_URL,
  shellProtocolHandler,
} from '../../../shell/main/shellProtocol.js';
import { memoryLogger } from './fakes.js';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'figment-protocol-'));
  root = join(base, 'ui');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Figment</title>');
  writeFileSync(join(root, 'shell.js'), 'console.log(1)');
  writeFileSync(join(root, 'shell.css'), 'body{}');
  writeFileSync(join(root, 'notes.txt'), 'not a shell file type');
  writeFileSync(join(base, 'secret.js'), 'the token');
  mkdirSync(join(root, 'folder.js'));
  symlinkSync(join(base, 'secret.js'), join(root, 'escape.js'));
  symlinkSync(join(root, 'shell.js'), join(root, 'assets', 'alias.js'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const handler = () => {
  const logger = memoryLogger();
  return {
    logger,
    handle: shellProtocolHandler({ root, daemonOrigin: () => 'http://127.0.0.1:7878', logger }),
  };
};

describe('figment://shell serves only the built shell files', () => {
  it('serves index.html for / and for its own name, under the CSP', async () => {
    const { handle } = handler();
    for (const url of ['figment://shell/', SHELL_PAGE_URL]) {
      const response = await handle(new Request(url));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; /);
      expect(await response.text()).toContain('<title>Figment</title>');
    }
  });

  it('serves scripts and styles with their types, nosniff, and no CSP of their own', async () => {
    const { handle } = handler();
    const script = await handle(new Request('figment://shell/shell.js'));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await script.text()).toBe('console.log(1)');
    const style = await handle(new Request('figment://shell/shell.css'));
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('refuses to walk out of the root with .., encoded .. or a symlink', async () => {
    const refused = async (url: string) => (await resolveShellFile(root, url)).ok;
    expect(await refused('figment://shell/../secret.js')).toBe(false);
    expect(await refused('figment://shell/%2e%2e/secret.js')).toBe(false);
    expect(await refused('figment://shell/assets/%2E%2E%2F..%2Fsecret.js')).toBe(false);
    expect(await refused('figment://shell/..%2fsecret.js')).toBe(false);
    expect(await resolveShellFile(root, 'figment://shell/escape.js')).toEqual({ ok: false, status: 403 });
    const { handle, logger } = handler();
    const response = await handle(new Request('figment://shell/escape.js'));
    expect(response.status).toBe(403);
    expect(await response.text()).toBe('');
    expect(logger.entries.at(-1)).toMatchObject({ level: 'warn', msg: 'refused a shell protocol request' });
  });

  it('follows a symlink that stays inside the root', async () => {
    const found = await resolveShellFile(root, 'figment://shell/assets/alias.js');
    expect(found).toEqual({ ok: true, path: join(root, 'shell.js'), type: 'text/javascript; charset=utf-8' });
  });

  it('answers 404 for another host, a missing file, a folder or an unknown type', async () => {
    expect(await resolveShellFile(root, 'figment://other/index.html')).toEqual({ ok: false, status: 404 });
    expect(await resolveShellFile(root, 'figment://shell/missing.js')).toEqual({ ok: false, status: 404 });
    expect(await resolveShellFile(root, 'figment://shell/folder.js')).toEqual({ ok: false, status: 404 });
    expect(await resolveShellFile(root, 'figment://shell/notes.txt')).toEqual({ ok: false, status: 404 });
    expect(await resolveShellFile(root, 'http://shell/index.html')).toEqual({ ok: false, status: 404 });
  });

  it('answers 400 for a NUL, a backslash or a path that does not decode', async () => {
    expect(await resolveShellFile(root, 'figment://shell/index.html%00.js')).toEqual({
      ok: false,
      status: 400,
    });
    expect(await resolveShellFile(root, 'figment://shell/..%5csecret.js')).toEqual({
      ok: false,
      status: 400,
    });
    expect(await resolveShellFile(root, 'figment://shell/%E0%A4%A.js')).toEqual({ ok: false, status: 400 });
  });

  it('allows only GET and HEAD; HEAD has no body', async () => {
    const { handle } = handler();
    const post = await handle(new Request('figment://shell/index.html', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await handle(new Request('figment://shell/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('the CSP of the shell page in Electron', () => {
  it('starts from none and allows only figmentd’s socket and frames besides its own files', () => {
    const csp = protocolShellCsp('http://127.0.0.1:7878');
    expect(csp.split('; ')).toEqual([
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      'connect-src ws://127.0.0.1:7878',
      'frame-src http://127.0.0.1:7878',
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      "object-src 'none'",
    ]);
  });

  it('connects and frames nothing before figmentd’s address is known', () => {
    const csp = protocolShellCsp(null);
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain("frame-src 'none'");
  });

  it('refuses an origin that could smuggle in a directive', () => {
    expect(() => protocolShellCsp("http://127.0.0.1:7878; script-src 'unsafe-inline'")).toThrow(TypeError);
    expect(() => protocolShellCsp('javascript:alert(1)')).toThrow(TypeError);
  });
});
