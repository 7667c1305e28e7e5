import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QmpClient } from './QmpClient.js';

export interface QemuMachineOptions {
  /** The folder build.sh wrote (figment-qemu.img, vmlinuz, initrd.img, start-qemu.sh). */
  imageDir: string;
  /** kvm or tcg. Defaults to tcg. */
  accel?: 'kvm' | 'tcg';
  /** Called with each line the guest writes on its serial console. */
  onSerialLine?: (line: string, msSincePowerOn: number) => void;
}

/**
 * The QEMU test image running headless: its serial console as lines, and
 * QMP for screendumps. Writes go to a throw-away snapshot.
 */
export class QemuMachine {
  private child: ChildProcess | undefined;
  private qmp: QmpClient | undefined;
  private serial = '';
  private pendingLine = '';
  private poweredOnAt = 0;
  private readonly workDir = mkdtempSync(join(tmpdir(), 'figment-qemu-'));
  private readonly lineWaiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(private readonly options: QemuMachineOptions) {}

  /** Powers the machine on; resolves once QMP answers. */
  async start(): Promise<void> {
    const qmpSocket = join(this.workDir, 'qmp.sock');
    this.poweredOnAt = performance.now();
    const child = spawn(
      'bash',
      [join(this.options.imageDir, 'start-qemu.sh'), '-qmp', `unix:${qmpSocket},server=on,wait=off`],
      {
        env: {
          ...process.env,
          FIGMENT_QEMU_ACCEL: this.options.accel ?? 'tcg',
          FIGMENT_QEMU_DISPLAY: 'none',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdout?.on('data', (data: Buffer) => this.receive(data.toString('utf8')));
    child.stderr?.on('data', (data: Buffer) => this.receive(data.toString('utf8')));
    this.qmp = new QmpClient(qmpSocket);
    await this.retry(() => this.qmp?.connect() ?? Promise.resolve(), 10_000);
  }

  /** Milliseconds since power-on. */
  elapsed(): number {
    return performance.now() - this.poweredOnAt;
  }

  /** Everything the serial console printed so far. */
  serialLog(): string {
    return this.serial;
  }

  /** Resolves with the first serial line matching pattern (seen already or still to come). */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string> {
    const seen = this.serial.split('\n').find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no serial line matched ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.lineWaiters.push({
        pattern,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`QEMU exited (${code}) before a serial line matched ${pattern}`));
      });
    });
  }

  /** The screen as PNG bytes (QMP screendump). */
  async screendump(): Promise<Buffer> {
    const file = join(this.workDir, 'screen.png');
    rmSync(file, { force: true });
    await this.qmp?.execute('screendump', { filename: file, format: 'png' });
    return readFileSync(file);
  }

  async dispose(): Promise<void> {
    try {
      await this.qmp?.execute('quit');
    } catch {
      // QEMU may already be gone; the kill below makes sure.
    }
    this.qmp?.dispose();
    const killer = setTimeout(() => this.child?.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(killer);
    rmSync(this.workDir, { recursive: true, force: true });
  }

  private receive(text: string): void {
    this.serial += text;
    const lines = (this.pendingLine + text).split(/\r?\n/);
    this.pendingLine = lines.pop() ?? '';
    for (const line of lines) {
      this.options.onSerialLine?.(line, this.elapsed());
      for (const waiter of [...this.lineWaiters]) {
        if (waiter.pattern.test(line)) {
          this.lineWaiters.splice(this.lineWaiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  }

  private async retry(action: () => Promise<void>, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      try {
        return await action();
      } catch (error) {
        if (performance.now() > deadline || this.child?.exitCode !== null) {
          throw new Error(`QEMU did not start: ${String(error)}\n${this.serial}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}
