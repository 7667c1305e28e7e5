import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyFuses, fuseConfig, fuseSettings } from '../../../shell/main/fuses.js';

describe('fuse settings', () => {
  it('turns off Node entry points and turns on encryption and asar checks', () => {
    expect(fuseSettings).toEqual({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableCookieEncryption: true,
      OnlyLoadAppFromAsar: true,
      EnableEmbeddedAsarIntegrityValidation: true,
      GrantFileProtocolExtraPrivileges: false,
    });
  });

  it('maps to the V1 fuse wire', () => {
    expect(fuseConfig()).toEqual({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
  });
});

// What Electron's binary holds: a sentinel, the wire version, its length, one byte per fuse.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ON = 0x31;
const OFF = 0x30;

describe('applyFuses', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'figment-fuses-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function fakeElectron(wireLength: number): string {
    const path = join(dir, 'electron');
    const wire = Buffer.from([1, wireLength, ...Array<number>(wireLength).fill(ON)]);
    writeFileSync(
      path,
      Buffer.concat([Buffer.from('ELF…'), Buffer.from(SENTINEL), wire, Buffer.from('…rest')]),
    );
    return path;
  }

  function wireOf(path: string): number[] {
    const bytes = readFileSync(path);
    const at = bytes.indexOf(SENTINEL) + SENTINEL.length;
    return [...bytes.subarray(at + 2, at + 2 + (bytes[at + 1] ?? 0))];
  }

  it('flips the fuses in an Electron binary', async () => {
    const path = fakeElectron(9);
    await applyFuses(path);
    expect(wireOf(path)).toEqual([
      OFF, // RunAsNode
      ON, // EnableCookieEncryption
      OFF, // EnableNodeOptionsEnvironmentVariable
      OFF, // EnableNodeCliInspectArguments
      ON, // EnableEmbeddedAsarIntegrityValidation
      ON, // OnlyLoadAppFromAsar
      ON, // LoadBrowserProcessSpecificV8Snapshot: left as Electron ships it
      OFF, // GrantFileProtocolExtraPrivileges
      ON, // a fuse newer than @electron/fuses: left as Electron ships it
    ]);
  });

  it('fails on an Electron whose wire lacks one of the fuses', async () => {
    await expect(applyFuses(fakeElectron(6))).rejects.toThrow(/GrantFileProtocolExtraPrivileges/);
  });

  it('fails on a file that is not Electron', async () => {
    const path = join(dir, 'not-electron');
    writeFileSync(path, 'hello');
    await expect(applyFuses(path)).rejects.toThrow(/sentinel/);
  });
});
