/**
 * The shell window's preload. It runs sandboxed (bundled to one CommonJS
 * file), so it may import nothing but electron's contextBridge and
 * ipcRenderer. It exposes a narrow domain API, never ipcRenderer itself;
 * its type is `Window['figmentHost']` in shell/ui/figmentHost.d.ts.
 */
import { contextBridge, ipcRenderer } from 'electron';

// Channel names are repeated here, not imported: importing the contract would bundle zod into
// the preload. A test checks each one against shell/main/ipc.ts.
const figmentHost = Object.freeze({
  kind: 'electron' as const,
  info: () => ipcRenderer.invoke('figment:host:info'),
  onSwitchApp(listener: (slot: number) => void): void {
    ipcRenderer.on('figment:shell:switch-app', (_event, slot: unknown) => {
      if (typeof slot === 'number') listener(slot);
    });
  },
});

contextBridge.exposeInMainWorld('figmentHost', figmentHost);
