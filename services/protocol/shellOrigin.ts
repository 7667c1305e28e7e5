/**
 * The shell page's origin under Electron, which serves it from its own
 * protocol (shell/main/shellProtocol.ts). figmentd lets this origin open the
 * API socket (with the token, like any other) and embed app frames.
 */
export const ELECTRON_SHELL_ORIGIN = 'figment://shell';

/**
 * An empty document figmentd serves with the app frames' CSP. The shell keeps
 * one loaded in a hidden sandboxed frame, so the process app frames share is
 * already running when an app opens: starting that process was half the time
 * from a click to an app's first paint. It shows and runs nothing.
 */
export const WARM_FRAME_PATH = '/frame-warm';
