import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionInfo } from '../../services/figmentd/config/paths.js';
import type { JsonValue } from '../../services/protocol/index.js';
import { ApiClient } from './ApiClient.js';

export const repoRoot = new URL('../../', import.meta.url).pathname;
export const scriptedApps = join(repoRoot, 'test/fixtures/scripted-apps.json');

export interface RunningDaemon extends ConnectionInfo {
  stateDir: string;
  runtimeDir: string;
  /** Everything the daemon logged so far (JSON lines). */
  logs(): string;
  /** The shell's address with the token, as a person would open it. */
  shellUrl: string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartDaemonOptions {
  /** Reuse a state dir to test persistence across restarts. */
  stateDir?: string;
  env?: Record<string, string>;
}

/** Starts the built figmentd (dist/) as a real child process and waits until it is ready. */
export async function startDaemon(options: StartDaemonOptions = {}): Promise<RunningDaemon> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'figment-state-'));
  const runtimeDir = mkdtempSync(join(tmpdir(), 'figment-run-'));
  const child = spawn(process.execPath, [join(repoRoot, 'dist/services/figmentd/main.js')], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      FIGMENT_STATE_DIR: stateDir,
      FIGMENT_RUNTIME_DIR: runtimeDir,
      FIGMENT_PORT: '0',
      FIGMENT_MODEL_BACKEND: 'scripted',
      FIGMENT_MODEL_SCRIPT: scriptedApps,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (output += data.toString()));

  await waitForReady(child, () => output);
  const info = JSON.parse(readFileSync(join(runtimeDir, 'api.json'), 'utf8')) as ConnectionInfo;
  return {
    ...info,
    stateDir,
    runtimeDir,
    logs: () => output,
    shellUrl: `${info.url}/#token=${info.token}`,
    stop: (signal = 'SIGTERM') => stopChild(child, signal),
  };
}

function waitForReady(child: ChildProcess, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`figmentd did not become ready:\n${output()}`)), 20_000);
    const check = () => {
      if (/"msg":"ready"/.test(output())) {
        clearTimeout(timer);
        child.stderr?.off('data', check);
        resolve();
      }
    };
    child.stderr?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`figmentd exited with ${code} before ready:\n${output()}`));
    });
  });
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

/** Calls figmentd's API as the shell would, and returns the result (or throws its error). */
async function callDaemon(daemon: RunningDaemon, method: string, params: object): Promise<unknown> {
  const client = await ApiClient.connect(`ws+unix://${daemon.socketPath}:/api`);
  try {
    const reply = await client.call(method, params);
    if (reply.type !== 'reply') throw new Error(`${method} failed: ${JSON.stringify(reply)}`);
    return reply.result;
  } finally {
    client.close();
  }
}

/** Reads an app's stored value straight from figmentd. */
export async function storedValue(
  daemon: RunningDaemon,
  appId: string,
  key: string,
): Promise<JsonValue | null> {
  return ((await callDaemon(daemon, 'storage.get', { appId, key })) as { value: JsonValue | null }).value;
}

/** Stores a value for an app straight into figmentd, as if the app had saved it. */
export async function storeValue(
  daemon: RunningDaemon,
  appId: string,
  key: string,
  value: JsonValue,
): Promise<void> {
  await callDaemon(daemon, 'storage.set', { appId, key, value });
}
