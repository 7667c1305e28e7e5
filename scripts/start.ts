/**
 * npm start: builds Figment, starts figmentd and opens the shell — in
 * Electron when its runtime is installed, otherwise in Chromium's kiosk mode
 * ("browser host"), or, with no display, prints the address to open.
 *
 * FIGMENT_HOST=electron|browser|none forces a host. Daemon settings come from
 * FIGMENT_* variables (README "Configuration").
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { defaultRuntimeDir } from '../services/figmentd/config/paths.js';
import { isolationArgs } from '../shell/shared/isolationSwitches.js';
import { writeBrowserProfile } from '../shell/shared/writeBrowserProfile.js';

const root = new URL('..', import.meta.url).pathname;
const children: ChildProcess[] = [];

function build(): void {
  console.log('Building Figment…');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
}

function startDaemon(): Promise<string> {
  const daemon = spawn(process.execPath, [join(root, 'dist/services/figmentd/main.js')], {
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  children.push(daemon);
  return new Promise((resolve, reject) => {
    daemon.once('exit', (code) => reject(new Error(`figmentd exited with status ${code}`)));
    createInterface({ input: daemon.stderr! }).on('line', (line) => {
      process.stderr.write(`figmentd │ ${line}\n`);
      if (line.includes('"msg":"ready"')) {
        const info = JSON.parse(readFileSync(join(defaultRuntimeDir(), 'api.json'), 'utf8'));
        resolve(`${info.url}/#token=${info.token}`);
      }
    });
  });
}

function electronBinary(): string | undefined {
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

function chromiumBinary(): string | undefined {
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((file) =>
    existsSync(file),
  );
}

function openHost(shellUrl: string): void {
  const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  const wanted = process.env.FIGMENT_HOST ?? 'auto';
  const electron = electronBinary();
  if (wanted === 'electron' || (wanted === 'auto' && electron && hasDisplay)) {
    if (!electron) throw new Error('FIGMENT_HOST=electron, but the Electron runtime is not installed');
    console.log('Opening the shell in Electron (kiosk).');
    children.push(spawn(electron, [join(root, 'dist/shell/main/main.js')], { stdio: 'inherit' }));
    return;
  }
  const chromium = chromiumBinary();
  if (wanted !== 'none' && chromium && hasDisplay) {
    console.log('Opening the shell in Chromium (browser host, kiosk).');
    const profile = mkdtempSync(join(tmpdir(), 'figment-browser-'));
    writeBrowserProfile(profile);
    const args = [
      '--kiosk',
      `--app=${shellUrl}`,
      `--user-data-dir=${profile}`,
      '--no-first-run',
      ...isolationArgs(),
    ];
    children.push(spawn(chromium, args, { stdio: 'ignore' }));
    return;
  }
  console.log('No display or browser to open here; open the shell yourself.');
}

function stopAll(): void {
  for (const child of children) child.kill('SIGTERM');
}

process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

build();
const shellUrl = await startDaemon().catch((error: Error) => {
  console.error(`Figment could not start: ${error.message}`);
  process.exit(1);
});
console.log(`\nFigment is running. The shell is at:\n\n  ${shellUrl}\n\nPress Ctrl+C to stop.\n`);
openHost(shellUrl);
