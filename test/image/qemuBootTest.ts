/**
 * The QEMU boot test (`npm run image:qemu-test`, after build.sh): boots the
 * test image headless, waits for figmentd's ready line on the serial console,
 * waits for the shell on screen (QMP screendump → PNG), reads the guest's
 * self-test line (busctl, read-only root, data partition, units) and prints
 * JSON lines with the timings. Exits 1 when a check fails.
 *
 * Env: FIGMENT_IMAGE_DIR (default build/image); FIGMENT_QEMU_ACCEL auto, kvm
 * or tcg (default auto: KVM only when a guest really starts under it);
 * FIGMENT_IMAGE_TIMEOUT_S (default 480) per wait; FIGMENT_IMAGE_SCREENSHOT, where the booted kiosk's PNG goes (default
 * docs/screenshots/qemu-kiosk.png).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { decodePng } from '../support/image/decodePng.js';
import { QemuMachine } from '../support/image/QemuMachine.js';
import { type ScreenVerdict, shellOnScreen } from '../support/image/shellOnScreen.js';

const repoRoot = new URL('../../', import.meta.url).pathname;
const imageDir = process.env.FIGMENT_IMAGE_DIR ?? join(repoRoot, 'build/image');
const screenshotPath =
  process.env.FIGMENT_IMAGE_SCREENSHOT ?? join(repoRoot, 'docs/screenshots/qemu-kiosk.png');
/** Generous: under TCG on a busy 2-core machine a boot took minutes. FIGMENT_IMAGE_TIMEOUT_S overrides. */
const TIMEOUT_MS = Number(process.env.FIGMENT_IMAGE_TIMEOUT_S ?? 480) * 1000;
const READY_TIMEOUT_MS = TIMEOUT_MS;
const SCREEN_TIMEOUT_MS = TIMEOUT_MS;
const SELFTEST_TIMEOUT_MS = 60_000;

interface SelfTest {
  busNames: number;
  figmentNames: string;
  broker: boolean;
  root: string;
  data: string;
  figmentd: string;
  kiosk: string;
  policy: boolean;
}

async function main(): Promise<void> {
  if (!existsSync(join(imageDir, 'figment-qemu.img'))) {
    throw new Error(`${imageDir}/figment-qemu.img is missing: run "bash image/qemu-test/build.sh" first`);
  }
  const { machine, accel } = await powerOn();
  const failures: string[] = [];
  try {
    await machine.waitForLine(/"msg":"ready"/, READY_TIMEOUT_MS);
    const readyMs = machine.elapsed();
    report({ stage: 'figmentd-ready', accel, ms: Math.round(readyMs) });
    const screen = await waitForShell(machine);
    const shellMs = machine.elapsed();
    const selfTest = parseSelfTest(await machine.waitForLine(/FIGMENT-SELFTEST \{/, SELFTEST_TIMEOUT_MS));
    report({
      stage: 'boot',
      accel,
      figmentdReadyMs: Math.round(readyMs),
      shellOnScreenMs: Math.round(shellMs),
    });
    report({ stage: 'screen', ...screen.verdict, screenshot: screenshotPath });
    report({ stage: 'guest', ...selfTest, brokerExpected: buildHasBroker() });
    failures.push(...checkGuest(selfTest));
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
    process.stderr.write(`--- serial console ---\n${machine.serialLog()}\n`);
  } finally {
    await machine.dispose();
  }
  report({ stage: 'result', passed: failures.length === 0, failures });
  if (failures.length > 0) process.exitCode = 1;
}

/** KVM when asked for or available and a guest really starts under it (first console output); else TCG. */
async function powerOn(): Promise<{ machine: QemuMachine; accel: 'kvm' | 'tcg' }> {
  const wanted = process.env.FIGMENT_QEMU_ACCEL ?? 'auto';
  if (wanted === 'kvm' || (wanted === 'auto' && existsSync('/dev/kvm'))) {
    const machine = new QemuMachine({ imageDir, accel: 'kvm' });
    try {
      await machine.start();
      await machine.waitForLine(/\S/, 15_000);
      return { machine, accel: 'kvm' };
    } catch (error) {
      await machine.dispose();
      if (wanted === 'kvm') throw error;
      report({
        stage: 'accel',
        note: `KVM did not start a guest, using TCG: ${String(error).split('\n')[0]}`,
      });
    }
  }
  const machine = new QemuMachine({ imageDir, accel: 'tcg' });
  await machine.start();
  return { machine, accel: 'tcg' };
}

/** Takes screendumps until the shell fills the screen; saves that one. */
async function waitForShell(machine: QemuMachine): Promise<{ verdict: ScreenVerdict }> {
  const deadline = machine.elapsed() + SCREEN_TIMEOUT_MS;
  let last: Buffer | undefined;
  while (machine.elapsed() < deadline) {
    last = await machine.screendump();
    const verdict = shellOnScreen(decodePng(last));
    if (verdict.shell) {
      mkdirSync(dirname(screenshotPath), { recursive: true });
      writeFileSync(screenshotPath, last);
      return { verdict };
    }
    // Each screendump costs the emulator time: look every 2 s.
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  if (last) writeFileSync(join(imageDir, 'last-screen.png'), last);
  throw new Error(
    `the shell was not on screen within ${SCREEN_TIMEOUT_MS} ms (last: ${imageDir}/last-screen.png)`,
  );
}

function parseSelfTest(line: string): SelfTest {
  return JSON.parse(line.slice(line.indexOf('{'))) as SelfTest;
}

/**
 * io.figment.Broker1 must be on the bus once figmentd exports it: the test
 * requires it whenever the daemon being shipped contains the broker.
 */
function buildHasBroker(): boolean {
  const walk = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return walk(path);
      return entry.name.endsWith('.js') && readFileSync(path, 'utf8').includes('io.figment.Broker1');
    });
  return walk(join(repoRoot, 'dist/services'));
}

function checkGuest(selfTest: SelfTest): string[] {
  const failures: string[] = [];
  if (selfTest.busNames < 2) failures.push(`busctl listed ${selfTest.busNames} names on the system bus`);
  if (!selfTest.policy) failures.push('the D-Bus policy for io.figment.* is not installed');
  if (buildHasBroker() && !selfTest.broker) failures.push('busctl does not see io.figment.Broker1');
  if (selfTest.root !== 'ro') failures.push(`the root is mounted ${selfTest.root}, not read-only`);
  if (!selfTest.data.includes('vda2'))
    failures.push(`/var/lib/figment is on ${selfTest.data}, not the data partition`);
  if (selfTest.figmentd !== 'active') failures.push(`figmentd.service is ${selfTest.figmentd}`);
  if (selfTest.kiosk !== 'active') failures.push(`figment-kiosk.service is ${selfTest.kiosk}`);
  return failures;
}

function report(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

await main();
