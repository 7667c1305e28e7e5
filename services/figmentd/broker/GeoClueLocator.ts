import { DbusCallError, StandardError } from '../../dbus/DbusCallError.js';
import { DbusConnection } from '../../dbus/DbusConnection.js';
import type { BusChoice } from '../../dbus/types.js';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import { GEOCLUE, geoClueAccuracy } from './geoClue.js';
import type { AccuracyLevel, Locator, Position } from './types.js';

export interface GeoClueLocatorOptions {
  /** Where GeoClue2 lives. Defaults to the system bus. */
  bus?: BusChoice;
  /** The desktop id GeoClue2 knows Figment by (its [figment] section in geoclue.conf). Defaults to "figment". */
  desktopId?: string;
  /** How long one fix may take. Defaults to 15 s. */
  timeoutMs?: number;
}

/** GeoClue2 (GetAll of org.freedesktop.GeoClue2.Location) gives these. */
interface LocationProps {
  Latitude?: { value: number };
  Longitude?: { value: number };
  Accuracy?: { value: number };
  Altitude?: { value: number };
  Timestamp?: { value: [bigint, bigint] };
}

/**
 * Asks GeoClue2 for one fix: Manager.GetClient → set DesktopId and
 * RequestedAccuracyLevel → Start → LocationUpdated → read the Location
 * object → Stop. Fixes are asked one at a time (GeoClue2 gives each
 * connection one client). When GeoClue2 or the bus is absent, every call
 * fails with Unavailable.
 */
export class GeoClueLocator implements Locator {
  #connection: Promise<DbusConnection> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #disposed = false;

  constructor(private readonly options: GeoClueLocatorOptions = {}) {}

  locate(accuracy: AccuracyLevel, signal?: AbortSignal): Promise<Position> {
    const run = this.#queue.then(() => this.#locate(accuracy, signal));
    this.#queue = run.catch(() => {});
    return run;
  }

  dispose(): void {
    this.#disposed = true;
    void this.#connection?.then(
      (c) => c.dispose(),
      () => {},
    );
    this.#connection = undefined;
  }

  async #locate(accuracy: AccuracyLevel, signal?: AbortSignal): Promise<Position> {
    if (this.#disposed) throw new FigmentError(ErrorCode.Internal, 'the locator is stopped');
    const bus = await this.#connect();
    let clientPath: string;
    try {
      [clientPath] = (await bus.call(GEOCLUE.name, GEOCLUE.managerPath, GEOCLUE.manager, 'GetClient')) as [
        string,
      ];
    } catch (error) {
      throw unavailable(error);
    }
    const timeoutMs = this.options.timeoutMs ?? 15_000;
    let stopListening: (() => Promise<void>) | undefined;
    try {
      await bus.setProperty(
        GEOCLUE.name,
        clientPath,
        GEOCLUE.client,
        'DesktopId',
        's',
        this.options.desktopId ?? 'figment',
      );
      await bus.setProperty(
        GEOCLUE.name,
        clientPath,
        GEOCLUE.client,
        'RequestedAccuracyLevel',
        'u',
        geoClueAccuracy[accuracy],
      );
      let onUpdate!: (path: string) => void;
      const updated = new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new FigmentError(ErrorCode.Unavailable, 'No position could be found in time.')),
          timeoutMs,
        );
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new FigmentError(ErrorCode.Cancelled, 'The position was no longer wanted.'));
        });
        onUpdate = (path) => {
          clearTimeout(timer);
          resolve(path);
        };
      });
      updated.catch(() => {});
      // Subscribe before Start so the first LocationUpdated is not missed.
      stopListening = await bus.onSignal(
        { sender: GEOCLUE.name, path: clientPath, interface: GEOCLUE.client, member: 'LocationUpdated' },
        (s) => onUpdate(String(s.body[1])),
      );
      await bus.call(GEOCLUE.name, clientPath, GEOCLUE.client, 'Start');
      const known = String(await bus.getProperty(GEOCLUE.name, clientPath, GEOCLUE.client, 'Location'));
      const locationPath = known !== '/' ? known : await updated;
      const [props] = (await bus.call(
        GEOCLUE.name,
        locationPath,
        'org.freedesktop.DBus.Properties',
        'GetAll',
        's',
        [GEOCLUE.location],
      )) as [LocationProps];
      return toPosition(props);
    } catch (error) {
      throw error instanceof FigmentError ? error : unavailable(error);
    } finally {
      await stopListening?.();
      await bus.call(GEOCLUE.name, clientPath, GEOCLUE.client, 'Stop').catch(() => {});
    }
  }

  #connect(): Promise<DbusConnection> {
    if (!this.#connection) {
      const opening = DbusConnection.open({ bus: this.options.bus ?? 'system' });
      this.#connection = opening;
      // A failed connection is tried again next time (the bus may come up later).
      opening.catch(() => {
        if (this.#connection === opening) this.#connection = undefined;
      });
    }
    return this.#connection.catch((error: unknown) => {
      throw new FigmentError(
        ErrorCode.Unavailable,
        `Location is unavailable: the system bus cannot be reached (${describe(error)}).`,
      );
    });
  }
}

function toPosition(props: LocationProps): Position {
  const latitude = props.Latitude?.value;
  const longitude = props.Longitude?.value;
  if (typeof latitude !== 'number' || typeof longitude !== 'number') {
    throw new FigmentError(ErrorCode.Unavailable, 'GeoClue2 gave a position without coordinates.');
  }
  const altitude = props.Altitude?.value;
  const [seconds, micros] = props.Timestamp?.value ?? [0n, 0n];
  return {
    latitude,
    longitude,
    accuracyMeters: props.Accuracy?.value ?? Number.NaN,
    // GeoClue2 says -G_MAXDOUBLE for an unknown altitude.
    altitude: typeof altitude === 'number' && altitude > -1e300 ? altitude : null,
    timestamp: Number(seconds) * 1000 + Math.floor(Number(micros) / 1000),
  };
}

function unavailable(error: unknown): FigmentError {
  if (error instanceof DbusCallError) {
    if (
      error.errorName === StandardError.ServiceUnknown ||
      error.errorName === StandardError.NameHasNoOwner
    ) {
      return new FigmentError(
        ErrorCode.Unavailable,
        'Location is unavailable: GeoClue2 is not running on this system.',
      );
    }
    if (error.errorName === StandardError.AccessDenied) {
      return new FigmentError(
        ErrorCode.Unavailable,
        'Location is unavailable: GeoClue2 refused Figment (allow "figment" in /etc/geoclue/geoclue.conf).',
      );
    }
  }
  return new FigmentError(ErrorCode.Unavailable, `Location is unavailable: ${describe(error)}.`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
