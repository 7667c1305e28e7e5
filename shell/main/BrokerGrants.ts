import { DbusConnection } from '../../services/dbus/DbusConnection.js';
import type { BusChoice } from '../../services/dbus/types.js';
import { BROKER_BUS_NAME, BROKER_PATH } from '../../services/figmentd/broker/broker1Spec.js';
import type { PermissionGrant, PermissionQuery, ShellLogger } from './security.js';

interface CachedGrant {
  appId: string;
  capability: string;
  expiresAt: number;
}

export interface BrokerGrantsOptions {
  /** The bus figmentd's broker is on. */
  bus: BusChoice;
  logger: ShellLogger;
  /** The clock, in ms since epoch. Defaults to `Date.now`. */
  now?: () => number;
}

/**
 * The Electron side of the broker: a copy of io.figment.Broker1's grants,
 * kept current by GrantsChanged, so the permission handlers (which must
 * answer at once) can ask "does the broker allow this?". Media is allowed
 * only to the shell's own page, which captures for the app the person
 * allowed; app frames never get devices directly.
 */
export class BrokerGrants {
  #grants: CachedGrant[] = [];
  #stop: (() => Promise<void>) | undefined;

  private constructor(
    private readonly connection: DbusConnection,
    private readonly options: BrokerGrantsOptions,
  ) {}

  static async connect(options: BrokerGrantsOptions): Promise<BrokerGrants> {
    const connection = await DbusConnection.open({ bus: options.bus });
    const grants = new BrokerGrants(connection, options);
    try {
      grants.#stop = await connection.onSignal(
        { sender: BROKER_BUS_NAME, path: BROKER_PATH, interface: BROKER_BUS_NAME, member: 'GrantsChanged' },
        () => void grants.refresh(),
      );
      await grants.refresh();
    } catch (error) {
      connection.dispose();
      throw error;
    }
    return grants;
  }

  /** The hook for secureSession's `grant` option. */
  readonly grant: PermissionGrant = (query: PermissionQuery) => {
    if (query.permission !== 'media' || !query.isMainFrame) return false;
    const wanted = query.mediaTypes.length > 0 ? query.mediaTypes : ['video', 'audio'];
    const now = (this.options.now ?? Date.now)();
    return wanted.every((type) => {
      const capability = type === 'video' ? 'camera' : type === 'audio' ? 'microphone' : undefined;
      return (
        capability !== undefined && this.#grants.some((g) => g.capability === capability && g.expiresAt > now)
      );
    });
  };

  /** Reads the grants again (on every GrantsChanged). A failure leaves nothing granted. */
  async refresh(): Promise<void> {
    try {
      const [rows] = (await this.connection.call(
        BROKER_BUS_NAME,
        BROKER_PATH,
        BROKER_BUS_NAME,
        'ListGrants',
        's',
        [''],
      )) as [[string, string, string, bigint, bigint][]];
      this.#grants = rows.map(([appId, capability, , , expiresAt]) => ({
        appId,
        capability,
        expiresAt: Number(expiresAt),
      }));
    } catch (error) {
      this.#grants = [];
      this.options.logger.warn('could not read the broker’s grants; refusing media', {
        error: String(error),
      });
    }
  }

  async dispose(): Promise<void> {
    await this.#stop?.();
    this.connection.dispose();
  }
}
