/**
 * Chromium switches every Figment host sets (Electron, the browser host and
 * the test browser), so app frames are contained the same way everywhere.
 */
export const isolationSwitches: ReadonlyArray<readonly [name: string, value?: string]> = [
  // Every site in its own process; and sandboxed (opaque-origin) frames in their own process
  // too, so an app stuck in a busy loop cannot freeze the shell. Chromium enables the second
  // by default today; stating it keeps a change of default from undoing it.
  ['site-per-process'],
  ['enable-features', 'IsolateSandboxedIframes'],
  // WebRTC's UDP goes nowhere without a proxy (the SDK also removes RTCPeerConnection from frames).
  ['webrtc-ip-handling-policy', 'disable_non_proxied_udp'],
  // Exact heap figures in performance.memory, which the supervisor's memory limit reads.
  ['enable-precise-memory-info'],
];

/** The switches as command-line arguments (`--name` or `--name=value`). */
export function isolationArgs(): string[] {
  return isolationSwitches.map(([name, value]) => (value === undefined ? `--${name}` : `--${name}=${value}`));
}
