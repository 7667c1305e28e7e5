/**
 * The shell UI's own address, `figment://shell/`: a custom protocol that
 * serves the built shell files (dist/shell/ui) and nothing else. Part of the
 * security region (see security.ts): only GET and HEAD, only the host
 * `shell`, only regular files under the root after every `..`, encoded
 * `..` and symlink is resolved, only known file types, and the shell page
 * always under a CSP that starts from `default-src 'none'`.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import type { CustomScheme } from 'electron';
import { ELECTRON_SHELL_ORIGIN } from '../../services/protocol/shellOrigin.js';
import type { ShellLogger } from './security.js';

export const SHELL_SCHEME = 'figment';
export const SHELL_HOST = 'shell';
/** The shell page's origin in Electron (a standard scheme has a real origin). */
export const SHELL_ORIGIN = ELECTRON_SHELL_ORIGIN;
export const SHELL_PAGE_URL = `${SHELL_ORIGIN}/index.html`;

/**
 * How the scheme is registered (before `ready`): standard (relative URLs and
 * a real origin), secure (a secure context, like https), fetch and module
 * scripts allowed. Deliberately not `bypassCSP` and not `corsEnabled`.
 */
export const shellScheme: CustomScheme = {
  scheme: SHELL_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/** The file types the shell is built of; anything else is not served. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * The shell page's CSP in Electron. The page comes from figment://shell; it
 * talks to figmentd over a WebSocket and shows app frames from figmentd's
 * loopback origin (`daemonOrigin`, e.g. http://127.0.0.1:7878), and nothing else.
 */
export function protocolShellCsp(daemonOrigin: string | null): string {
  let daemon = '';
  if (daemonOrigin !== null) {
    const url = new URL(daemonOrigin);
    // Only a bare http(s) origin, so nothing can smuggle in a directive.
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== daemonOrigin) {
      throw new TypeError(`protocolShellCsp wants a bare http(s) origin, got ${daemonOrigin}`);
    }
    daemon = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src${daemon ? ` ${daemon}` : " 'none'"}`,
    `frame-src${daemonOrigin ? ` ${daemonOrigin}` : " 'none'"}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

export type ShellFileResult =
  | { ok: true; path: string; type: string }
  | { ok: false; status: 400 | 403 | 404 };

/**
 * Maps a figment://shell URL to a file under `root`, or says why not:
 * 404 for another host, an unknown type or a missing file; 403 for a path
 * that leaves the root (by `..`, encoded or not, or by a symlink); 400 for
 * a path that does not decode.
 */
export async function resolveShellFile(root: string, requestUrl: string): Promise<ShellFileResult> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400 };
  }
  if (url.protocol !== `${SHELL_SCHEME}:` || url.host !== SHELL_HOST) return { ok: false, status: 404 };
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  // Decoding may reveal `..`, backslashes or NUL that the URL parser left alone.
  if (path.includes('\0') || path.includes('\\')) return { ok: false, status: 400 };
  if (path === '/' || path === '') path = '/index.html';
  const type = CONTENT_TYPES[extname(path).toLowerCase()];
  const candidate = join(root, path);
  if (!isInside(root, candidate)) return { ok: false, status: 403 };
  if (!type) return { ok: false, status: 404 };
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(candidate), realpath(root)]);
  } catch {
    return { ok: false, status: 404 };
  }
  if (!isInside(realRoot, real)) return { ok: false, status: 403 };
  try {
    if (!(await stat(real)).isFile()) return { ok: false, status: 404 };
  } catch {
    return { ok: false, status: 404 };
  }
  return { ok: true, path: real, type };
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

export interface ShellProtocolOptions {
  /** The built shell UI directory (dist/shell/ui). */
  root: string;
  /** figmentd's loopback origin once known (for the CSP), else null. */
  daemonOrigin: () => string | null;
  logger: ShellLogger;
}

/** The `protocol.handle` handler for figment://: files from the root, refusals logged. */
export function shellProtocolHandler(options: ShellProtocolOptions): (request: Request) => Promise<Response> {
  const { logger } = options;
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      logger.warn('refused a shell protocol request', { method: request.method, status: 405 });
      return new Response(null, { status: 405, headers: { Allow: 'GET, HEAD' } });
    }
    const found = await resolveShellFile(options.root, request.url);
    if (!found.ok) {
      logger.warn('refused a shell protocol request', {
        url: request.url.slice(0, 200),
        status: found.status,
      });
      return new Response(null, { status: found.status });
    }
    const headers: Record<string, string> = {
      'Content-Type': found.type,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
      'Cross-Origin-Resource-Policy': 'same-origin',
    };
    if (found.type.startsWith('text/html')) {
      headers['Content-Security-Policy'] = protocolShellCsp(options.daemonOrigin());
      headers['X-Frame-Options'] = 'DENY';
    }
    const body = request.method === 'HEAD' ? null : await readFile(found.path);
    return new Response(body, { status: 200, headers });
  };
}
