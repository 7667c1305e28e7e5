import WebSocket from 'ws';
import type { ServerMessage } from '../../services/protocol/messages.js';

/** A raw protocol client for tests: sends anything, records everything. */
export class ApiClient {
  readonly messages: ServerMessage[] = [];
  private nextId = 0;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as ServerMessage);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static connect(address: string, headers: Record<string, string> = {}): Promise<ApiClient> {
    const ws = new WebSocket(address, { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new ApiClient(ws)));
      ws.once('unexpected-response', (_request, response) =>
        reject(new Error(`refused with HTTP ${response.statusCode}`)),
      );
      ws.once('error', reject);
    });
  }

  sendRaw(text: string): void {
    this.ws.send(text);
  }

  /** Sends a request and resolves with the reply or error that answers it. */
  async call(method: string, params: unknown = {}, timeoutMs = 10_000): Promise<ServerMessage> {
    const id = `t${++this.nextId}`;
    this.ws.send(JSON.stringify({ id, method, params }));
    return this.waitFor((message) => message.type !== 'event' && message.id === id, timeoutMs);
  }

  async waitFor(match: (message: ServerMessage) => boolean, timeoutMs = 10_000): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching message; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  close(): void {
    this.ws.close();
  }
}
