import { DbusConnection } from '../../dbus/DbusConnection.js';
import type { BusChoice } from '../../dbus/types.js';
import type { Logger } from '../log/Logger.js';
import type { Broker } from './Broker.js';
import { Broker1Service } from './Broker1Service.js';
import { BROKER_BUS_NAME, BROKER_PATH } from './broker1Spec.js';
import type { MediaDevices } from './listMediaDevices.js';
import type { Locator } from './types.js';

export interface BrokerBusOptions {
  bus: BusChoice;
  broker: Broker;
  locator: Locator;
  /** Unix users allowed to call. Defaults to figmentd's own user. */
  allowedUids?: readonly number[];
  listDevices(): MediaDevices;
  version: string;
  logger: Logger;
}

/** Puts the broker on D-Bus: owns io.figment.Broker1, serves it, and signals GrantsChanged. */
export class BrokerBus {
  #connection: DbusConnection | undefined;
  #unlisten: (() => void) | undefined;

  constructor(private readonly options: BrokerBusOptions) {}

  /** The connection's unique name (for tests and logs). */
  get uniqueName(): string {
    return this.#connection?.uniqueName ?? '';
  }

  async start(): Promise<void> {
    const { broker, bus, logger } = this.options;
    const connection = await DbusConnection.open({ bus });
    try {
      const service = new Broker1Service({
        broker,
        locator: this.options.locator,
        connection,
        allowedUids: new Set(this.options.allowedUids ?? [process.getuid?.() ?? 0]),
        listDevices: this.options.listDevices,
        version: this.options.version,
        logger,
      });
      connection.exportObject(BROKER_PATH, [service]);
      await connection.requestName(BROKER_BUS_NAME);
      const onGrants = (appId: string, capability: string, change: string) =>
        service.grantsChanged(appId, capability, change);
      broker.on('grants', onGrants);
      this.#unlisten = () => broker.off('grants', onGrants);
      this.#connection = connection;
      logger.info('broker on D-Bus', { name: BROKER_BUS_NAME, unique: connection.uniqueName });
    } catch (error) {
      connection.dispose();
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.#unlisten?.();
    this.#unlisten = undefined;
    const connection = this.#connection;
    this.#connection = undefined;
    if (!connection) return;
    await connection.releaseName(BROKER_BUS_NAME).catch(() => {});
    connection.dispose();
  }
}
