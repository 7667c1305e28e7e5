import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import * as sqliteVec from 'sqlite-vec';
import { ContextStore } from '../../../../services/figmentd/store/ContextStore.js';

const storeSource = fileURLToPath(
  new URL('../../../../services/figmentd/store/ContextStore.ts', import.meta.url),
);
const require = createRequire(import.meta.url);
/** Native packages stay outside the bundle, imported by absolute path so the bundle may live anywhere. */
const nativePackages: Record<string, string> = {
  'better-sqlite3': require.resolve('better-sqlite3'),
  'sqlite-vec': require.resolve('sqlite-vec'),
};

/**
 * The child: opens the store, then writes forever (new apps, versions, data,
 * interactions, vectors, forgetting), printing one line per write only after
 * the store call returned, i.e. after the commit. A killed child's last line
 * may be cut off; only whole lines count as acknowledged.
 */
const writerSource = `
  const { writeSync } = require('node:fs');
  const { ContextStore } = require('./store.cjs');
  const [path, round] = process.argv.slice(2);
  // A tiny hashing embedder (16 numbers): enough to make the child write sqlite-vec rows.
  const embedder = {
    name: 'fault-test', dimensions: 16,
    embed: async (texts) => texts.map((text) => {
      const v = new Float32Array(16);
      for (let i = 0; i < text.length; i++) v[text.charCodeAt(i) % 16] += 1;
      return v;
    }),
  };
  const ack = (line) => writeSync(1, line + '\\n');
  const store = ContextStore.open({ path, embedder });
  ack('ready');
  const session = store.startSession();
  ack('session ' + session);
  const record = (name) => ({
    intent: 'make a ' + name, sessionId: session,
    bundle: { manifest: { name, description: 'app ' + name, capabilities: ['storage'] },
      html: '<!doctype html><title>' + name + '</title>' + 'x'.repeat(2000) },
    model: 'fault', promptVersion: 'v1', promptTokens: 1, completionTokens: 1, generationMs: 1, validationMs: 1,
  });
  const apps = [];
  (async () => { for (let i = 0; ; i++) {
    const name = 'r' + round + 'w' + i;
    const last = apps.at(-1);
    switch (last ? i % 6 : 0) {
      case 0: {
        const { app, versionId } = store.createApp(record(name));
        apps.push({ id: app.id, version: versionId });
        ack('app ' + app.id + ' ' + versionId);
        break;
      }
      case 1: {
        last.version = store.addVersion(last.id, last.version, record(name));
        ack('version ' + last.id + ' ' + last.version);
        break;
      }
      case 2:
        store.setData(last.id, 'counter', i);
        ack('data ' + last.id + ' counter ' + i);
        break;
      case 3: {
        const id = store.recordInteraction({ sessionId: session, kind: 'ask', text: name, appId: last.id });
        ack('interaction ' + id + ' ' + last.id + ' ' + name);
        break;
      }
      case 4:
        await store.indexVectors();
        ack('vectors');
        break;
      case 5:
        if (apps.length > 2) {
          const [gone] = apps.splice(0, 1);
          // Said before, so a forget that committed but was not acknowledged is told apart from a loss.
          ack('forgetting ' + gone.id);
          store.forgetApp(gone.id);
          ack('forgot ' + gone.id);
        } else {
          store.setData(last.id, 'note-' + i, name);
          ack('data ' + last.id + ' note-' + i + ' ' + name);
        }
        break;
    }
  } })();
`;

/**
 * Writes the child into `dir`: the real ContextStore bundled into one file
 * (a plain `node` child then starts several times faster than through tsx,
 * which matters across hundreds of kills). CommonJS, not ESM: node starts a
 * CommonJS file with about 15% less CPU, and starting node is most of what
 * each kill costs. Returns the child's path.
 */
export async function buildWriter(dir: string): Promise<string> {
  await build({
    entryPoints: [storeSource],
    outfile: join(dir, 'store.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: true,
    logLevel: 'warning',
    plugins: [
      {
        name: 'native-packages',
        setup(builder) {
          builder.onResolve({ filter: /^(better-sqlite3|sqlite-vec)$/ }, ({ path }) => ({
            path: nativePackages[path] as string,
            external: true,
          }));
        },
      },
    ],
  });
  const writer = join(dir, 'writer.cjs');
  writeFileSync(writer, writerSource);
  return writer;
}

/** Everything acknowledged so far, across rounds. */
export interface Acknowledged {
  /** App id → its latest acknowledged version. */
  apps: Map<string, string>;
  /** Version id → its app's id. */
  versions: Map<string, string>;
  forgotten: Set<string>;
  /** Apps a killed writer had started to forget: either outcome is right. */
  forgetting: Set<string>;
  data: Map<string, { appId: string; key: string; value: number | string }>;
  interactions: Map<number, { appId: string; text: string }>;
}

export function nothingAcknowledged(): Acknowledged {
  return {
    apps: new Map(),
    versions: new Map(),
    forgotten: new Set(),
    forgetting: new Set(),
    data: new Map(),
    interactions: new Map(),
  };
}

/** A small seeded generator (mulberry32), so a failing run can be repeated from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Starts a writer and SIGKILLs it: either blind, `delayMs` after spawning (so
 * some kills land while it opens or migrates), or `delayMs` after it is ready.
 * Resolves with the whole lines it printed.
 */
export function killWriterAt(
  writer: string,
  path: string,
  round: number,
  delayMs: number,
  blind: boolean,
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, path, String(round)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    const kill = () => {
      timer ??= setTimeout(() => child.kill('SIGKILL'), delayMs);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (!blind && out.startsWith('ready\n')) kill();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    if (blind) kill();
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') {
        reject(
          new Error(`the writer exited by itself (code ${code}, signal ${signal}): ${err.slice(0, 2000)}`),
        );
        return;
      }
      const lines = out.split('\n');
      lines.pop(); // the part after the last newline was not acknowledged
      resolve(lines);
    });
  });
}

/** Adds a round's acknowledgements to what earlier rounds acknowledged. */
export function recordAcks(acked: Acknowledged, lines: readonly string[]): void {
  for (const line of lines) {
    const [kind, a = '', b = '', ...rest] = line.split(' ');
    const c = rest.join(' ');
    if (kind === 'app' || kind === 'version') {
      acked.apps.set(a, b);
      acked.versions.set(b, a);
    } else if (kind === 'data') {
      acked.data.set(`${a}/${b}`, { appId: a, key: b, value: b === 'counter' ? Number(c) : c });
    } else if (kind === 'interaction') {
      acked.interactions.set(Number(a), { appId: b, text: c });
    } else if (kind === 'forgetting') {
      acked.forgetting.add(a);
    } else if (kind === 'forgot') {
      acked.forgotten.add(a);
      acked.apps.delete(a);
    }
  }
}

/**
 * Checks the database after a kill: it passes the full integrity check (and
 * the word index its own), and holds every acknowledged write. Returns the
 * problems found; none means the round passed.
 */
export function checkAfterKill(path: string, acked: Acknowledged): string[] {
  const problems: string[] = [];
  const raw = new Database(path);
  try {
    sqliteVec.load(raw);
    const integrity = raw.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    // Reading an FTS5 index is only possible once migration 2 (which makes it) has committed.
    if ((raw.pragma('user_version', { simple: true }) as number) >= 2) {
      try {
        raw.exec("INSERT INTO apps_fts (apps_fts) VALUES ('integrity-check')");
      } catch (error) {
        problems.push(`word index: ${String(error)}`);
      }
    }
  } finally {
    raw.close();
  }
  // Opening the store recovers the WAL, checks and migrates, as figmentd would.
  const store = ContextStore.open({ path });
  try {
    for (const appId of acked.forgetting) {
      if (store.getApp(appId)) continue;
      acked.forgotten.add(appId);
      acked.apps.delete(appId);
      acked.forgetting.delete(appId);
    }
    for (const [appId, versionId] of acked.apps) {
      const app = store.getApp(appId);
      if (!app) {
        problems.push(`acknowledged app ${appId} is missing`);
        continue;
      }
      // The current version is the last acknowledged one, or one whose commit was not yet acknowledged.
      const current = store.getVersion(app.currentVersionId);
      if (app.currentVersionId !== versionId && current?.parentId !== versionId) {
        problems.push(`app ${appId} runs ${app.currentVersionId}, not the acknowledged ${versionId}`);
      }
    }
    for (const [versionId, appId] of acked.versions) {
      const version = store.getVersion(versionId);
      if (acked.forgotten.has(appId)) {
        if (version) problems.push(`version ${versionId} of forgotten app ${appId} is still there`);
      } else if (version?.appId !== appId) {
        problems.push(`acknowledged version ${versionId} is missing`);
      }
    }
    for (const appId of acked.forgotten) {
      if (store.getApp(appId)) problems.push(`forgotten app ${appId} is back`);
    }
    for (const { appId, key, value } of acked.data.values()) {
      if (acked.forgotten.has(appId)) continue;
      const stored = store.getData(appId, key);
      const ok = typeof value === 'number' ? typeof stored === 'number' && stored >= value : stored === value;
      if (!ok) problems.push(`data ${appId}/${key}: acknowledged ${value}, found ${JSON.stringify(stored)}`);
    }
  } finally {
    store.dispose();
  }
  const db = new Database(path, { readonly: true });
  try {
    const texts = new Map(
      db
        .prepare<[], [number, string]>('SELECT id, text FROM interactions')
        .raw()
        .all()
        .map(([id, text]) => [id, text]),
    );
    for (const [id, { appId, text }] of acked.interactions) {
      // An interaction about a forgotten app goes with it (its row id may be reused since).
      if (acked.forgotten.has(appId)) {
        if (texts.get(id) === text)
          problems.push(`interaction ${id} about forgotten app ${appId} is still there`);
      } else if (texts.get(id) !== text) {
        problems.push(`acknowledged interaction ${id} is missing`);
      }
    }
  } finally {
    db.close();
  }
  return problems;
}
