import { connect, type Socket } from 'node:net';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * A small client for QEMU's machine protocol (QMP) on a Unix socket: one
 * command at a time, answers matched in order. Events are ignored.
 */
export class QmpClient {
  private socket: Socket | undefined;
  private buffer = '';
  private readonly pending: Pending[] = [];
  private disposed = false;

  constructor(private readonly socketPath: string) {}

  /** Connects, reads the greeting and leaves capabilities negotiation mode. */
  async connect(): Promise<void> {
    const socket = connect(this.socketPath);
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const greeting = new Promise<void>((resolve) =>
      this.pending.push({ resolve: () => resolve(), reject: () => {} }),
    );
    socket.on('data', (data) => this.receive(data.toString()));
    socket.on('error', (error) => this.failAll(error));
    socket.on('close', () => this.failAll(new Error('QMP socket closed')));
    await greeting;
    await this.execute('qmp_capabilities');
  }

  /** Runs a QMP command and resolves with its "return" value. */
  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    if (this.disposed || !this.socket) return Promise.reject(new Error('QMP client is not connected'));
    const socket = this.socket;
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      socket.write(`${JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}) })}\n`);
    });
  }

  dispose(): void {
    this.disposed = true;
    this.socket?.destroy();
    this.failAll(new Error('QMP client disposed'));
  }

  private receive(text: string): void {
    this.buffer += text;
    let newline = this.buffer.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      newline = this.buffer.indexOf('\n');
      if (line) this.answer(JSON.parse(line) as Record<string, unknown>);
    }
  }

  private answer(message: Record<string, unknown>): void {
    if ('event' in message) return;
    const waiter = this.pending.shift();
    if (!waiter) return;
    if ('error' in message) waiter.reject(new Error(`QMP error: ${JSON.stringify(message.error)}`));
    else waiter.resolve(message.return ?? message.QMP);
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.splice(0)) waiter.reject(error);
  }
}
