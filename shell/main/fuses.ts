/**
 * Electron fuses: switches compiled into the Electron binary that no flag,
 * environment variable or script can turn back at run time. The image's
 * packaging step calls applyFuses() on the shipped binary.
 */
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';

export type FuseName = keyof typeof FuseV1Options;

/** The fuse settings, as data. A fuse not named here keeps Electron's default. */
export const fuseSettings = {
  // The binary must never serve as a plain Node (ELECTRON_RUN_AS_NODE).
  RunAsNode: false,
  // Nor take Node options or an inspector from the environment or command line.
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  // Cookies on disk are encrypted with the OS key (Linux: keyring, else Chromium's fallback key).
  EnableCookieEncryption: true,
  // Only the packaged app.asar runs, and only if it matches its embedded hash.
  OnlyLoadAppFromAsar: true,
  EnableEmbeddedAsarIntegrityValidation: true,
  // The shell never loads file:// pages, so they get no extra privileges.
  GrantFileProtocolExtraPrivileges: false,
} as const satisfies Partial<Record<FuseName, boolean>>;

/** The byte values of a fuse on the wire ('1' and '0'), as @electron/fuses' FuseState holds them. */
const FuseState = { Enable: 0x31, Disable: 0x30 } as const;

/** The settings in the form @electron/fuses takes. */
export function fuseConfig() {
  const config: Partial<Record<FuseV1Options, boolean>> = {};
  for (const [name, value] of Object.entries(fuseSettings) as [FuseName, boolean][]) {
    config[FuseV1Options[name]] = value;
  }
  return { version: FuseVersion.V1, ...config } as const;
}

/**
 * Flips the fuses in an Electron binary, then reads them back: a fuse that
 * did not take (an Electron whose wire lacks it) fails the packaging step
 * rather than shipping unnoticed.
 */
export async function applyFuses(electronBinaryPath: string): Promise<void> {
  await flipFuses(electronBinaryPath, fuseConfig());
  const wire = (await getCurrentFuseWire(electronBinaryPath)) as unknown as Record<number, number>;
  const wrong = (Object.entries(fuseSettings) as [FuseName, boolean][]).filter(
    ([name, value]) => wire[FuseV1Options[name]] !== (value ? FuseState.Enable : FuseState.Disable),
  );
  if (wrong.length > 0) {
    throw new Error(`Fuses not set in ${electronBinaryPath}: ${wrong.map(([name]) => name).join(', ')}`);
  }
}
