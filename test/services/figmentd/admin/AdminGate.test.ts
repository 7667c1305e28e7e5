import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AdminGate } from '../../../../services/figmentd/admin/AdminGate.js';
import { PinHash } from '../../../../services/figmentd/admin/PinHash.js';
import { ErrorCode, FigmentError } from '../../../../services/protocol/errors.js';

const pinFile = () => join(mkdtempSync(join(tmpdir(), 'figment-admin-')), 'admin-pin');

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (error instanceof FigmentError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('PinHash', () => {
  it('keeps a salted scrypt hash that verifies the PIN and nothing else', async () => {
    const hash = await PinHash.create('2468');
    const text = hash.toString();
    expect(text).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(text).not.toContain('2468');
    const read = PinHash.parse(text);
    expect(await read.verify('2468')).toBe(true);
    expect(await read.verify('2469')).toBe(false);
    expect(await read.verify('24680')).toBe(false);
    // The same PIN twice gets two salts, so two different hashes.
    expect((await PinHash.create('2468')).toString()).not.toBe(text);
  });

  it('refuses a PIN that is not 4 to 12 digits, and a hash in another form', async () => {
    expect(await codeOf(PinHash.create('12a4'))).toBe(ErrorCode.BadMessage);
    expect(await codeOf(PinHash.create('123'))).toBe(ErrorCode.BadMessage);
    expect(() => PinHash.parse('md5$abc')).toThrow(/scrypt\$N\$r\$p\$salt\$key/);
  });
});

describe('AdminGate', () => {
  it('outside kiosk mode counts every connection as unlocked', () => {
    const gate = new AdminGate({ pinFile: pinFile() });
    expect(gate.status('c1')).toEqual({ kiosk: false, pinSet: true, unlocked: true, retryInMs: 0 });
    expect(() => gate.require('c1', 'Forgetting everything')).not.toThrow();
  });

  it('in kiosk mode unlocks only the connection that gave the right PIN, until it locks or times out', async () => {
    let now = 1_000_000;
    const configuredHash = (await PinHash.create('1357')).toString();
    const gate = new AdminGate({
      kiosk: true,
      configuredHash,
      pinFile: pinFile(),
      now: () => now,
      unlockMs: 60_000,
    });
    expect(gate.status('c1')).toMatchObject({ kiosk: true, pinSet: true, unlocked: false });
    expect(() => gate.require('c1', 'Forgetting everything')).toThrow(
      expect.objectContaining({
        code: ErrorCode.AdminRequired,
        message: expect.stringMatching(/^Forgetting everything needs the admin PIN/),
      }),
    );
    await gate.unlock('c1', '1357');
    expect(gate.isUnlocked('c1')).toBe(true);
    expect(gate.isUnlocked('c2')).toBe(false);
    gate.lock('c1');
    expect(gate.isUnlocked('c1')).toBe(false);
    await gate.unlock('c1', '1357');
    now += 60_001;
    expect(gate.isUnlocked('c1')).toBe(false);
    // A configured PIN is changed in the configuration only.
    expect(await codeOf(gate.setPin('c1', '9999'))).toBe(ErrorCode.Config);
  });

  it('backs off after three wrong PINs, doubling the wait, for every connection; the right PIN resets it', async () => {
    let now = 5_000_000;
    const configuredHash = (await PinHash.create('1357')).toString();
    const gate = new AdminGate({ kiosk: true, configuredHash, pinFile: pinFile(), now: () => now });
    expect(await codeOf(gate.unlock('c1', '0000'))).toBe(ErrorCode.WrongPin);
    expect(await codeOf(gate.unlock('c1', '0001'))).toBe(ErrorCode.WrongPin);
    expect(gate.status('c1').retryInMs).toBe(0);
    const third = gate.unlock('c1', '0002').catch((error: FigmentError) => error);
    expect(await third).toMatchObject({
      code: ErrorCode.WrongPin,
      message: 'That is not the admin PIN. Wait 5 seconds before trying again.',
    });
    expect(gate.status('c2').retryInMs).toBe(5_000);
    // While waiting, even the right PIN from another connection is not heard.
    expect(await codeOf(gate.unlock('c2', '1357'))).toBe(ErrorCode.TooManyTries);
    expect(gate.isUnlocked('c2')).toBe(false);
    now += 5_000;
    expect(await codeOf(gate.unlock('c2', '0003'))).toBe(ErrorCode.WrongPin);
    expect(gate.status('c2').retryInMs).toBe(10_000);
    now += 10_000;
    await gate.unlock('c2', '1357');
    expect(gate.isUnlocked('c2')).toBe(true);
    expect(await codeOf(gate.unlock('c3', '0000'))).toBe(ErrorCode.WrongPin);
    expect(gate.status('c3').retryInMs).toBe(0);
  });

  it('parallel guesses are checked one at a time, so they cannot pass the back-off together', async () => {
    const configuredHash = (await PinHash.create('1357')).toString();
    const gate = new AdminGate({ kiosk: true, configuredHash, pinFile: pinFile() });
    const codes = await Promise.all(
      ['1', '2', '3', '4', '5', '6'].map((d) => codeOf(gate.unlock('c1', d.repeat(4)))),
    );
    expect(codes).toEqual([
      ErrorCode.WrongPin,
      ErrorCode.WrongPin,
      ErrorCode.WrongPin,
      ErrorCode.TooManyTries,
      ErrorCode.TooManyTries,
      ErrorCode.TooManyTries,
    ]);
  });

  it('lets the first person choose the PIN, keeps only its hash on disk (0600), and asks for it after a restart', async () => {
    const file = pinFile();
    const gate = new AdminGate({ kiosk: true, pinFile: file });
    expect(gate.status('c1')).toMatchObject({ pinSet: false, unlocked: false });
    expect(await codeOf(gate.unlock('c1', '1234'))).toBe(ErrorCode.AdminRequired);
    expect(await gate.setPin('c1', '4321')).toMatchObject({ pinSet: true, unlocked: true });
    const stored = readFileSync(file, 'utf8');
    expect(stored).toMatch(/^scrypt\$/);
    expect(stored).not.toContain('4321');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Once set, another connection cannot replace it without the PIN.
    expect(await codeOf(gate.setPin('c2', '1111'))).toBe(ErrorCode.AdminRequired);

    const restarted = new AdminGate({ kiosk: true, pinFile: file });
    expect(restarted.status('c9')).toMatchObject({ pinSet: true, unlocked: false });
    expect(await codeOf(restarted.unlock('c9', '1111'))).toBe(ErrorCode.WrongPin);
    await restarted.unlock('c9', '4321');
    expect(restarted.isUnlocked('c9')).toBe(true);
  });

  it('refuses to start on a damaged PIN file instead of opening Settings to anyone', () => {
    const file = pinFile();
    writeFileSync(file, 'not a hash');
    expect(() => new AdminGate({ kiosk: true, pinFile: file })).toThrow(
      expect.objectContaining({ code: ErrorCode.Config }),
    );
  });
});
