/**
 * The shell page's origin under Electron, which serves it from its own
 * protocol (shell/main/shellProtocol.ts). figmentd lets this origin open the
 * API socket (with the token, like any other) and embed app frames.
 */
export const ELECTRON_SHELL_ORIGIN = 'figment://shell';
