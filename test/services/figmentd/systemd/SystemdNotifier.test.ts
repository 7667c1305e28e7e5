import { describe, expect, it, vi } from 'vitest';
import { Logger } from '../../../../services/figmentd/log/Logger.js';
import { SystemdNotifier } from '../../../../services/figmentd/systemd/SystemdNotifier.js';

const quiet = new Logger('error', 'test', () => {});

describe('SystemdNotifier', () => {
  it('does nothing outside systemd', async () => {
    const run = vi.fn(async () => {});
    const notifier = new SystemdNotifier(quiet, {}, run);
    await notifier.ready('serving');
    await notifier.stopping();
    expect(run).not.toHaveBeenCalled();
  });

  it('sends READY=1 and pings the watchdog at half its interval', async () => {
    vi.useFakeTimers();
    try {
      const run = vi.fn(async (_args: string[]) => {});
      const env = { NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '10000000' };
      const notifier = new SystemdNotifier(quiet, env, run);
      await notifier.ready('serving http://127.0.0.1:7878');
      expect(run.mock.calls[0]?.[0]).toEqual([
        `--pid=${process.pid}`,
        '--ready',
        '--status=serving http://127.0.0.1:7878',
      ]);
      await vi.advanceTimersByTimeAsync(5000);
      expect(run.mock.calls[1]?.[0]).toEqual([`--pid=${process.pid}`, 'WATCHDOG=1']);
      await notifier.stopping();
      const calls = run.mock.calls.length;
      await vi.advanceTimersByTimeAsync(20_000);
      expect(run.mock.calls.length).toBe(calls);
    } finally {
      vi.useRealTimers();
    }
  });

  it('ignores a watchdog meant for another process', () => {
    const env = { NOTIFY_SOCKET: '/x', WATCHDOG_USEC: '1000000', WATCHDOG_PID: String(process.pid + 1) };
    expect(new SystemdNotifier(quiet, env).watchdogIntervalMs()).toBeUndefined();
  });

  it('soft-fails when systemd-notify is missing', async () => {
    const lines: string[] = [];
    const logger = new Logger('warn', 'test', (line) => lines.push(line));
    const notifier = new SystemdNotifier(logger, { NOTIFY_SOCKET: '/x' }, async () => {
      throw new Error('spawn systemd-notify ENOENT');
    });
    await expect(notifier.ready('serving')).resolves.toBeUndefined();
    expect(lines.join('')).toMatch(/systemd notification failed/);
  });
});
