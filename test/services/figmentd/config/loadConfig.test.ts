import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../services/figmentd/config/loadConfig.js';
import { ErrorCode } from '../../../../services/protocol/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'figment-config-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const baseEnv = { HOME: '/home/kiosk', XDG_RUNTIME_DIR: '/run/user/1000' };

describe('loadConfig', () => {
  it('fills every default from an empty environment', () => {
    const config = loadConfig({ env: baseEnv });
    expect(config.stateDir).toBe('/home/kiosk/.local/share/figment');
    expect(config.runtimeDir).toBe('/run/user/1000/figment');
    expect(config.api).toEqual({ host: '127.0.0.1', port: 7878, socket: true });
    expect(config.model.backend).toBe('llama');
    expect(config.model.path).toBe('/home/kiosk/.local/share/figment/models/default.gguf');
    expect(config.model.threads).toBe('auto');
  });

  it('reads the file and lets variables override it', () => {
    const path = file(
      'ok.json',
      JSON.stringify({ api: { port: 9000 }, model: { threads: 2 }, logLevel: 'debug' }),
    );
    const config = loadConfig({
      file: path,
      env: { ...baseEnv, FIGMENT_PORT: '0', FIGMENT_SOCKET: 'false' },
    });
    expect(config.api.port).toBe(0);
    expect(config.api.socket).toBe(false);
    expect(config.model.threads).toBe(2);
    expect(config.logLevel).toBe('debug');
  });

  it('names every wrong field in one coded error', () => {
    const path = file(
      'bad.json',
      JSON.stringify({ api: { port: -1 }, model: { threads: 0 }, colour: 'blue' }),
    );
    let thrown: unknown;
    try {
      loadConfig({ file: path, env: { ...baseEnv, FIGMENT_LOG_LEVEL: 'loud' } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: ErrorCode.Config });
    const message = (thrown as Error).message;
    expect(message).toContain(path);
    for (const field of ['api.port', 'model.threads', 'logLevel', 'colour']) expect(message).toContain(field);
  });

  it('refuses a file that is not JSON, saying which file', () => {
    const path = file('broken.json', '{ "api": ');
    expect(() => loadConfig({ file: path, env: baseEnv })).toThrow(/broken\.json is not valid JSON/);
  });

  it('refuses a missing file with a coded error', () => {
    expect(() => loadConfig({ file: join(dir, 'nope.json'), env: baseEnv })).toThrow(
      /cannot read config file/,
    );
  });

  it('never offers the API beyond loopback', () => {
    const path = file('open.json', JSON.stringify({ api: { host: '0.0.0.0' } }));
    expect(() => loadConfig({ file: path, env: baseEnv })).toThrow(/api\.host/);
  });
});
