import { DbusCallError, StandardError } from '../../dbus/DbusCallError.js';
import type { DbusConnection } from '../../dbus/DbusConnection.js';
import type { DbusCall, DbusInterfaceImpl } from '../../dbus/types.js';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import type { Logger } from '../log/Logger.js';
import type { Broker } from './Broker.js';
import { BROKER_PATH, BrokerError, broker1Spec } from './broker1Spec.js';
import type { MediaDevices } from './listMediaDevices.js';
import { locateForApp } from './locateForApp.js';
import {
  type AccuracyLevel,
  accuracyLevels,
  type BrokerGrant,
  type Locator,
  sensorCapabilities,
} from './types.js';

export interface Broker1ServiceOptions {
  broker: Broker;
  locator: Locator;
  connection: DbusConnection;
  /** Unix users allowed to call (the shell's). The bus daemon vouches for each caller's uid. */
  allowedUids: ReadonlySet<number>;
  listDevices(): MediaDevices;
  version: string;
  logger: Logger;
}

const MAX_ID = 64;
const MAX_REASON = 500;

/**
 * io.figment.Broker1 on D-Bus: checks who calls, checks what they send,
 * and turns the broker's coded errors into named D-Bus errors.
 */
export class Broker1Service implements DbusInterfaceImpl {
  readonly spec = broker1Spec;
  readonly #uids = new Map<string, Promise<number>>();

  constructor(private readonly options: Broker1ServiceOptions) {}

  get(property: string): unknown {
    if (property === 'Version') return this.options.version;
    return [...sensorCapabilities];
  }

  /** Sends GrantsChanged. */
  grantsChanged(appId: string, capability: string, change: string): void {
    this.options.connection.emitSignal(BROKER_PATH, broker1Spec.name, 'GrantsChanged', 'sss', [
      appId,
      capability,
      change,
    ]);
  }

  async call(method: string, args: unknown[], call: DbusCall): Promise<unknown[]> {
    await this.#checkCaller(call.sender, method);
    const { broker } = this.options;
    try {
      switch (method) {
        case 'RequestAccess': {
          const [appId, capability, reason] = strings(args, [MAX_ID, MAX_ID, MAX_REASON]);
          const grant = await broker.requestAccess(appId, capability, reason, `dbus ${call.sender}`);
          return [grant.scope, BigInt(grant.expiresAt)];
        }
        case 'CheckAccess': {
          const [appId, capability] = strings(args, [MAX_ID, MAX_ID]);
          const grant = broker.check(appId, capability);
          return grant ? [true, grant.scope, BigInt(grant.expiresAt)] : [false, '', 0n];
        }
        case 'RecordUse': {
          const [appId, capability] = strings(args, [MAX_ID, MAX_ID]);
          broker.use(appId, capability, { via: 'dbus' });
          return [];
        }
        case 'GetLocation': {
          const [appId, accuracy] = strings(args, [MAX_ID, MAX_ID]);
          const level = (accuracy || 'exact') as AccuracyLevel;
          if (!accuracyLevels.includes(level)) {
            throw new DbusCallError(
              StandardError.InvalidArgs,
              `accuracy must be one of ${accuracyLevels.join(', ')}`,
            );
          }
          const position = await locateForApp(broker, this.options.locator, appId, level);
          return [position.latitude, position.longitude, position.accuracyMeters, BigInt(position.timestamp)];
        }
        case 'Revoke': {
          const [appId, capability] = strings(args, [MAX_ID, MAX_ID]);
          return [broker.revoke(appId, capability)];
        }
        case 'AppClosed': {
          const [appId] = strings(args, [MAX_ID]);
          broker.appClosed(appId);
          return [];
        }
        case 'ListGrants': {
          const [appId] = strings(args, [MAX_ID]);
          return [broker.listGrants(appId || undefined).map(grantTuple)];
        }
        case 'ListDevices': {
          const devices = this.options.listDevices();
          const rows = (list: MediaDevices['cameras']) => list.map((d) => [d.id, d.name, d.path]);
          return [rows(devices.cameras), rows(devices.microphones), devices.pipewire];
        }
        default:
          throw new DbusCallError(StandardError.UnknownMethod, `${broker1Spec.name} has no method ${method}`);
      }
    } catch (error) {
      throw toDbusError(error, this.options.logger);
    }
  }

  async #checkCaller(sender: string, method: string): Promise<void> {
    let uid = this.#uids.get(sender);
    if (!uid) {
      uid = this.options.connection.callerUid(sender);
      this.#uids.set(sender, uid);
      uid.catch(() => this.#uids.delete(sender));
    }
    const known = await uid.catch(() => -1);
    if (this.options.allowedUids.has(known)) return;
    this.options.logger.warn('refused a D-Bus caller', { sender, uid: known, method });
    throw new DbusCallError(BrokerError.NotAllowed, `user ${known} may not use the Figment broker`);
  }
}

function grantTuple(grant: BrokerGrant): unknown[] {
  return [grant.appId, grant.capability, grant.scope, BigInt(grant.grantedAt), BigInt(grant.expiresAt)];
}

function strings<const T extends readonly number[]>(args: unknown[], limits: T): { [K in keyof T]: string } {
  return limits.map((limit, index) => {
    const value = args[index];
    if (typeof value !== 'string' || value.length > limit) {
      throw new DbusCallError(
        StandardError.InvalidArgs,
        `argument ${index + 1} must be a string of at most ${limit} characters`,
      );
    }
    return value;
  }) as { [K in keyof T]: string };
}

function toDbusError(error: unknown, logger: Logger): DbusCallError {
  if (error instanceof DbusCallError) return error;
  const coded = FigmentError.from(error);
  switch (coded.code) {
    case ErrorCode.NotGranted:
      return new DbusCallError(BrokerError.NotGranted, coded.message);
    case ErrorCode.NotFound:
      return new DbusCallError(BrokerError.UnknownApp, coded.message);
    case ErrorCode.BadMessage:
      return new DbusCallError(StandardError.InvalidArgs, coded.message);
    case ErrorCode.Unavailable:
      return new DbusCallError(BrokerError.Unavailable, coded.message);
    default:
      logger.error('broker call failed', { error });
      return new DbusCallError(BrokerError.Failed, 'The broker failed; figmentd’s log has details.');
  }
}
