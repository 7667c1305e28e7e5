import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { WebSocketServer } from 'ws';

/**
 * A listener on loopback that a hostile app tries to reach: HTTP (and
 * WebSocket upgrades) on one TCP port, and a UDP port for STUN. Every hit
 * is recorded, so a test can assert that nothing arrived.
 */
export class ExfilServer {
  readonly hits: string[] = [];
  readonly #http: Server;
  readonly #udp: Socket;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #sockets = new Set<NetSocket>();

  private constructor() {
    this.#http = createServer((request, response) => {
      this.hits.push(`http ${request.method} ${request.url}`);
      response
        .writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/plain' })
        .end('leaked');
    });
    this.#http.on('connection', (socket) => {
      this.hits.push('tcp connection');
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    this.#http.on('upgrade', (request, socket, head) => {
      this.hits.push(`ws ${request.url}`);
      this.#wss.handleUpgrade(request, socket, head, (ws) => ws.close());
    });
    this.#udp = createSocket('udp4');
    this.#udp.on('message', (message) => this.hits.push(`udp ${message.length} bytes`));
  }

  static async start(): Promise<ExfilServer> {
    const server = new ExfilServer();
    await new Promise<void>((resolve) => server.#http.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => server.#udp.bind(0, '127.0.0.1', resolve));
    return server;
  }

  get tcpPort(): number {
    return (this.#http.address() as AddressInfo).port;
  }

  get udpPort(): number {
    return this.#udp.address().port;
  }

  /** The base URL a hostile app aims at. */
  get origin(): string {
    return `http://127.0.0.1:${this.tcpPort}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
    await new Promise<void>((resolve) => this.#udp.close(() => resolve()));
  }
}
