import { execFile } from 'node:child_process';
import type { Logger } from '../log/Logger.js';

/**
 * Tells systemd we are ready and alive (Type=notify, WatchdogSec=). Node has
 * no AF_UNIX datagram sockets, so this uses systemd-notify(1); the unit sets
 * NotifyAccess=all so messages from that helper process are accepted.
 * Outside systemd (no NOTIFY_SOCKET) every call is a no-op.
 */
export class SystemdNotifier {
  private watchdogTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly run: (args: string[]) => Promise<void> = runSystemdNotify,
  ) {}

  get underSystemd(): boolean {
    return Boolean(this.env.NOTIFY_SOCKET);
  }

  /** Sends READY=1 and starts the watchdog pings at half the interval systemd asked for. */
  async ready(status: string): Promise<void> {
    await this.send(['--ready', `--status=${status}`]);
    const intervalMs = this.watchdogIntervalMs();
    if (intervalMs !== undefined) {
      this.watchdogTimer = setInterval(() => void this.send(['WATCHDOG=1']), intervalMs / 2);
      this.watchdogTimer.unref();
    }
  }

  async stopping(): Promise<void> {
    this.stopWatchdog();
    await this.send(['--stopping']);
  }

  stopWatchdog(): void {
    clearInterval(this.watchdogTimer);
    this.watchdogTimer = undefined;
  }

  /** WATCHDOG_USEC, when it is meant for this process. */
  watchdogIntervalMs(): number | undefined {
    const usec = Number(this.env.WATCHDOG_USEC);
    const pid = this.env.WATCHDOG_PID;
    if (!Number.isFinite(usec) || usec <= 0) return undefined;
    if (pid && Number(pid) !== process.pid) return undefined;
    return usec / 1000;
  }

  private async send(args: string[]): Promise<void> {
    if (!this.underSystemd) return;
    try {
      await this.run([`--pid=${process.pid}`, ...args]);
    } catch (error) {
      // Soft-fail: a missing systemd-notify must not take the daemon down.
      this.logger.warn('systemd notification failed', { args, error });
    }
  }
}

function runSystemdNotify(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('systemd-notify', args, { timeout: 5000 }, (error) => (error ? reject(error) : resolve()));
  });
}
