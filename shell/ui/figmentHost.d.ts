/**
 * What the Electron preload (shell/preload/preload.ts) exposes to the shell
 * UI. The browser host has no figmentHost, so the UI must handle its absence.
 */
interface FigmentHostInfo {
  kind: 'electron';
  /** The Electron version the shell runs on. */
  version: string;
  kiosk: boolean;
}

interface Window {
  figmentHost?: {
    readonly kind: 'electron';
    /** Rejects when the main process refuses the call (its message names the reason). */
    info(): Promise<FigmentHostInfo>;
    /** Calls `listener` with 0…9 when Alt+0…9 is pressed anywhere, an app's frame included. */
    onSwitchApp?(listener: (slot: number) => void): void;
  };
}
