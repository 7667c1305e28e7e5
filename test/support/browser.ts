import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { isolationArgs } from '../../shell/shared/isolationSwitches.js';
import { writeBrowserProfile } from '../../shell/shared/writeBrowserProfile.js';

/** Debian's Chromium; the test command installs it. */
export const chromiumPath = process.env.FIGMENT_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that keep Chromium's traffic on loopback (no DNS, probes or updates off the machine). */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
  // The same containment switches the hosts use, so tests see what people get.
  ...isolationArgs(),
];

/** Throws, saying how to install it, when Debian's Chromium is missing. */
export function requireChromium(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: run "bash scripts/setup.sh --for-tests"`);
  }
}

export async function launchChromium(): Promise<Browser> {
  requireChromium();
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

/**
 * Chromium with the browser host's own profile (network prediction off), as
 * a persistent context: what the red-team suite must attack.
 */
export async function launchHostContext(): Promise<BrowserContext> {
  requireChromium();
  const profile = mkdtempSync(join(tmpdir(), 'figment-test-profile-'));
  writeBrowserProfile(profile);
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  });
}
