import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PinHash } from '../../../../services/figmentd/admin/PinHash.js';
import { pinHashCommand } from '../../../../services/figmentd/cli/pinHashCommand.js';
import { loadConfig } from '../../../../services/figmentd/config/loadConfig.js';
import { ErrorCode } from '../../../../services/protocol/errors.js';

async function hashOf(stdin: string): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk) => (text += chunk));
  const config = loadConfig({ env: { FIGMENT_STATE_DIR: '/tmp/x', FIGMENT_RUNTIME_DIR: '/tmp/y' } });
  const err = new PassThrough() as unknown as NodeJS.WriteStream;
  await pinHashCommand([], { config, out, err }, Readable.from([stdin]));
  return text.trim();
}

describe('figment pin-hash', () => {
  it('prints a hash of the PIN on stdin that the config accepts and that verifies the PIN', async () => {
    const hash = await hashOf('8642\n');
    expect(hash).toMatch(/^scrypt\$/);
    const config = loadConfig({
      env: {
        FIGMENT_STATE_DIR: '/tmp/x',
        FIGMENT_RUNTIME_DIR: '/tmp/y',
        FIGMENT_KIOSK: 'true',
        FIGMENT_ADMIN_PIN_HASH: hash,
      },
    });
    expect(config.shell).toEqual({ kiosk: true, adminPinHash: hash });
    expect(await PinHash.parse(hash).verify('8642')).toBe(true);
  });

  it('refuses a PIN that is not 4 to 12 digits', async () => {
    await expect(hashOf('12ab\n')).rejects.toMatchObject({ code: ErrorCode.BadMessage });
  });

  it('leaves kiosk mode off by default', () => {
    const config = loadConfig({ env: { FIGMENT_STATE_DIR: '/tmp/x', FIGMENT_RUNTIME_DIR: '/tmp/y' } });
    expect(config.shell).toEqual({ kiosk: false });
  });
});
