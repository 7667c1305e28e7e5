import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A figmentd config file that sends app generation to an OpenAI-compatible
 * server: the owner measuring a remote model has chosen to share these
 * requests. FIGMENT_REMOTE_API_KEY, when set, is passed on as the API key.
 * Returns the file's path.
 */
export function remoteConfig(baseUrl: string, model: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'figment-quality-')), 'figmentd.json');
  const remote = {
    baseUrl,
    model,
    policy: 'remote-first',
    defaultPrivacy: 'shareable',
    ...(process.env.FIGMENT_REMOTE_API_KEY ? { apiKeyEnv: 'FIGMENT_REMOTE_API_KEY' } : {}),
  };
  writeFileSync(file, JSON.stringify({ model: { path: join(tmpdir(), 'no-local-model.gguf'), remote } }));
  return file;
}
