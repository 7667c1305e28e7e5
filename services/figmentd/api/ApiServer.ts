import { timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { MAX_MESSAGE_BYTES, type ServerMessage } from '../../protocol/messages.js';
import { ELECTRON_SHELL_ORIGIN, WARM_FRAME_PATH } from '../../protocol/shellOrigin.js';
import type { Logger } from '../log/Logger.js';
import { composeFrameDocument, FRAME_CSP, shellCsp } from './composeFrameDocument.js';
import type { FrameCapabilities } from './FrameCapabilities.js';
import type { RequestContext, RequestRouter } from './RequestRouter.js';

/** Text sizes (px) apps use most: the CSS size keywords and the usual steps of a type scale. */
const WARM_TEXT_SIZES = [12, 14, 16, 18, 20, 24, 28, 32, 36, 40, 48, 64, 72, 96];

/**
 * The warm frame's document: nothing to show. It lays out text in the faces and sizes apps
 * use most, once, so the process has its fonts loaded before the first app needs them:
 * each new face or size asks the browser for its font, and cold, that was ~20 ms of the
 * first open. The layout is forced, so it is done before the frame's load event.
 */
const WARM_FRAME_DOCUMENT = [
  '<!doctype html><html lang="en"><title>Figment</title>',
  '<body style="font-family: system-ui, sans-serif">',
  ...WARM_TEXT_SIZES.map(
    (size) =>
      `<p style="font-size: ${size}px">Figment <b>Figment</b> <i>Figment</i> ` +
      // Buttons keep the browser's own control font unless an app says otherwise.
      `<button type="button" disabled style="font-size: ${size}px">Figment</button></p>`,
  ),
  '<p style="font-family: serif">Figment <b>Figment</b></p><p style="font-family: monospace">Figment</p>',
  '<script>document.body.getBoundingClientRect();</script></body></html>',
].join('');

export interface ApiServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Also serve the API on this Unix socket (no token; the file mode guards it). */
  socketPath: string | null;
  /** Per-start secret every loopback WebSocket client must present. */
  token: string;
  /** The built shell UI (index.html, shell.js, shell.css). */
  uiDir: string;
  /** The built SDK, injected into every app frame. */
  sdkScript: string;
  frames: FrameCapabilities;
  /** The HTML of a stored version, or undefined when there is none. */
  frameHtml: (versionId: string) => string | undefined;
  router: RequestRouter;
  logger: Logger;
}

/** The only files the shell page may load, and their types. */
const shellFiles: Record<string, string> = {
  '/shell.js': 'text/javascript; charset=utf-8',
  '/shell.js.map': 'application/json; charset=utf-8',
  '/shell.css': 'text/css; charset=utf-8',
};

/** WebSocket close code for a wrong or missing token (4000–4999 are the application's). */
export const UNAUTHORIZED_CLOSE = 4401;

const commonHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/**
 * figmentd's front door: a loopback HTTP server for the shell UI, app
 * frames and the WebSocket API (token required), and the same API on a
 * Unix socket for local tools.
 */
export class ApiServer {
  private readonly http: Server;
  private readonly unix: Server | undefined;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  private nextConnection = 0;
  private origin = '';

  constructor(private readonly options: ApiServerOptions) {
    this.http = createServer((request, response) => this.serveHttp(request, response));
    this.http.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head, true));
    if (options.socketPath) {
      this.unix = createServer((_request, response) => response.writeHead(404).end());
      this.unix.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head, false));
    }
  }

  /** The shell's origin, e.g. http://127.0.0.1:7878, once listening. */
  get url(): string {
    return this.origin;
  }

  async start(): Promise<void> {
    const { host, port, socketPath } = this.options;
    await listen(this.http, (done) => this.http.listen(port, host, done));
    const address = this.http.address() as AddressInfo;
    this.origin = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    if (this.unix && socketPath) {
      rmSync(socketPath, { force: true });
      await listen(this.unix, (done) => this.unix?.listen(socketPath, done));
      chmodSync(socketPath, 0o600);
    }
  }

  async stop(): Promise<void> {
    for (const client of this.wss.clients) client.close(1001, 'figmentd is stopping');
    await Promise.all([close(this.http), this.unix ? close(this.unix) : undefined]);
    if (this.options.socketPath) rmSync(this.options.socketPath, { force: true });
  }

  private serveHttp(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.origin);
    if (!this.isOwnHost(request.headers.host)) {
      // DNS rebinding: a page on another name must not reach the daemon.
      response.writeHead(421, commonHeaders).end('wrong host');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...commonHeaders, Allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      this.sendFile(response, 'index.html', 'text/html; charset=utf-8', {
        'Content-Security-Policy': shellCsp(this.origin),
        'X-Frame-Options': 'DENY',
        'Cross-Origin-Opener-Policy': 'same-origin',
      });
      return;
    }
    const type = shellFiles[url.pathname];
    if (type) {
      this.sendFile(response, url.pathname.slice(1), type, {});
      return;
    }
    if (url.pathname === WARM_FRAME_PATH) {
      this.sendFrame(response, WARM_FRAME_DOCUMENT);
      return;
    }
    const frame = /^\/frame\/(ver_[A-Za-z0-9_-]{6,40})$/.exec(url.pathname);
    if (frame?.[1]) {
      this.serveFrame(frame[1], url.searchParams.get('cap'), response);
      return;
    }
    response.writeHead(404, commonHeaders).end('not found');
  }

  private serveFrame(versionId: string, cap: string | null, response: ServerResponse): void {
    const html = this.options.frames.verify(versionId, cap) ? this.options.frameHtml(versionId) : undefined;
    if (html === undefined) {
      response.writeHead(404, commonHeaders).end('not found');
      return;
    }
    this.sendFrame(response, composeFrameDocument(html, this.options.sdkScript));
  }

  /** An app frame's document, or the warm frame's, under the app frames' CSP. */
  private sendFrame(response: ServerResponse, document: string): void {
    response
      .writeHead(200, {
        ...commonHeaders,
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': `${FRAME_CSP}; frame-ancestors ${this.origin} ${ELECTRON_SHELL_ORIGIN}`,
      })
      .end(document);
  }

  private sendFile(
    response: ServerResponse,
    file: string,
    type: string,
    headers: Record<string, string>,
  ): void {
    let body: Buffer;
    try {
      body = readFileSync(`${this.options.uiDir}/${file}`);
    } catch {
      response.writeHead(404, commonHeaders).end('not built: run npm run build');
      return;
    }
    response.writeHead(200, { ...commonHeaders, ...headers, 'Content-Type': type }).end(body);
  }

  private isOwnHost(host: string | undefined): boolean {
    const port = new URL(this.origin).port;
    return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, loopback: boolean): void {
    const url = new URL(request.url ?? '/', 'http://figmentd');
    const refusal = this.refusal(url, request, loopback);
    if (refusal) {
      this.options.logger.warn('refused API connection', { why: refusal[1], loopback });
      socket.end(`HTTP/1.1 ${refusal[0]} ${refusal[1]}\r\nConnection: close\r\n\r\n`);
      return;
    }
    // A browser cannot read an HTTP 401 on a WebSocket upgrade, so a wrong
    // token is answered by accepting and closing at once with close code 4401:
    // the shell can then tell "ask for the new address" from "daemon down".
    const tokenOk = !loopback || sameSecret(url.searchParams.get('token'), this.options.token);
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      if (tokenOk) {
        // Says when the shell (or a local client) is connected: the boot test waits for this line.
        this.options.logger.info('API client connected', {
          loopback,
          origin: request.headers.origin ?? null,
        });
        return this.serveSocket(ws);
      }
      this.options.logger.warn('refused API connection', { why: 'wrong token', loopback });
      ws.close(UNAUTHORIZED_CLOSE, 'unauthorized');
    });
  }

  /** Why an upgrade must be refused, as [HTTP status, reason], or undefined to accept it. */
  private refusal(url: URL, request: IncomingMessage, loopback: boolean): [number, string] | undefined {
    if (url.pathname !== '/api') return [404, 'Not Found'];
    if (!loopback) return undefined;
    if (!this.isOwnHost(request.headers.host)) return [421, 'Misdirected Request'];
    // Browsers always send Origin: only the shell's own page (served here, or by Electron's figment://shell) may connect.
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== this.origin && origin !== ELECTRON_SHELL_ORIGIN)
      return [403, 'Forbidden'];
    return undefined;
  }

  private serveSocket(ws: WebSocket): void {
    const connectionId = `c${++this.nextConnection}`;
    const closed = new AbortController();
    const send = (message: ServerMessage) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
    };
    const context: Omit<RequestContext, 'requestId'> = {
      connectionId,
      signal: closed.signal,
      sendEvent: (event, data) => send({ type: 'event', event, data }),
    };
    ws.on('message', (data, isBinary) => {
      const raw = isBinary ? '' : data.toString();
      void this.options.router.handle(raw, context, send);
    });
    ws.on('close', () => closed.abort());
    ws.on('error', (error) => this.options.logger.debug('socket error', { connectionId, error }));
  }
}

function sameSecret(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function listen(server: Server, start: (done: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    start(() => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
