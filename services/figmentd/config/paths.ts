import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** Where figmentd keeps its database by default: the XDG data dir in development. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const dataHome = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(dataHome, 'figment');
}

/** Where figmentd puts its socket and connection file (api.json). */
export function defaultRuntimeDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FIGMENT_RUNTIME_DIR) return env.FIGMENT_RUNTIME_DIR;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'figment');
  return join(tmpdir(), `figment-${userInfo().uid}`);
}

/** The file, in the runtime dir, that tells local clients how to reach the daemon. */
export const CONNECTION_FILE = 'api.json';
export const SOCKET_FILE = 'figmentd.sock';

/** What api.json holds (mode 0600: the token is a secret). */
export interface ConnectionInfo {
  pid: number;
  /** Base URL of the loopback HTTP server, e.g. http://127.0.0.1:7878 */
  url: string;
  /** Per-start token; WebSocket clients pass it as ?token=… on /api. */
  token: string;
  /** Unix socket serving the same WebSocket API at /api, without a token. */
  socketPath: string | null;
}
