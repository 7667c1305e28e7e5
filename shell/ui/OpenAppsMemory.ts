/** Where the shell keeps which apps were open (its own tab's session storage; apps never see it). */
const STORAGE_KEY = 'figment.openApps';

/** The apps open in this tab, in their order, and the one on screen (null: the launcher). */
export interface OpenAppsState {
  open: string[];
  active: string | null;
}

/**
 * Remembers the open apps across a reload of the shell's page (the Electron
 * host reloads it after a renderer crash), so they can be opened again.
 */
export class OpenAppsMemory {
  constructor(private readonly storage: Storage | undefined = globalThis.sessionStorage) {}

  save(state: OpenAppsState): void {
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch {
      // Storage full or refused: a reload then starts at the launcher, which is safe.
    }
  }

  /** What was saved, or nothing open when there is nothing (or nothing readable). */
  load(): OpenAppsState {
    try {
      const saved: unknown = JSON.parse(this.storage?.getItem(STORAGE_KEY) ?? 'null');
      if (typeof saved !== 'object' || saved === null) return { open: [], active: null };
      const { open, active } = saved as { open?: unknown; active?: unknown };
      const ids = Array.isArray(open) ? open.filter((id): id is string => typeof id === 'string') : [];
      return { open: ids, active: typeof active === 'string' && ids.includes(active) ? active : null };
    } catch {
      return { open: [], active: null };
    }
  }
}
