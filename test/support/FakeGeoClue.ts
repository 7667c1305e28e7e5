import { DbusCallError, StandardError } from '../../services/dbus/DbusCallError.js';
import { DbusConnection } from '../../services/dbus/DbusConnection.js';
import type { DbusInterfaceImpl } from '../../services/dbus/types.js';
import { GEOCLUE, geoClueSpecs } from '../../services/figmentd/broker/geoClue.js';

export interface FakeFix {
  latitude: number;
  longitude: number;
  accuracy: number;
}

/**
 * A stand-in for geoclue (there is no GPS here) that speaks its real D-Bus
 * API on a test bus: org.freedesktop.GeoClue2 with the Manager, one Client
 * per caller and Location objects, and LocationUpdated on Start. Like the
 * real one, it refuses Start before DesktopId is set.
 */
export class FakeGeoClue {
  /** What the last client asked for (RequestedAccuracyLevel, DesktopId). */
  readonly requests: { desktopId: string; accuracy: number }[] = [];
  #clients = 0;
  #locations = 0;

  private constructor(
    private readonly connection: DbusConnection,
    private readonly fix: FakeFix,
  ) {}

  static async start(address: string, fix: FakeFix): Promise<FakeGeoClue> {
    const connection = await DbusConnection.open({ bus: { address } });
    const fake = new FakeGeoClue(connection, fix);
    connection.exportObject(GEOCLUE.managerPath, [fake.#manager()]);
    await connection.requestName(GEOCLUE.name);
    return fake;
  }

  dispose(): void {
    this.connection.dispose();
  }

  #manager(): DbusInterfaceImpl {
    const clientsBySender = new Map<string, string>();
    return {
      spec: geoClueSpecs.manager,
      get: (name) => (name === 'InUse' ? clientsBySender.size > 0 : 8),
      call: (method, args, { sender }) => {
        if (method === 'GetClient' || method === 'CreateClient') {
          let path = clientsBySender.get(sender);
          if (!path || method === 'CreateClient') {
            path = `/org/freedesktop/GeoClue2/Client/${++this.#clients}`;
            clientsBySender.set(sender, path);
            this.connection.exportObject(path, [this.#client(path)]);
          }
          return [path];
        }
        if (method === 'DeleteClient') {
          this.connection.unexportObject(String(args[0]));
          return [];
        }
        return []; // AddAgent
      },
    };
  }

  #client(path: string): DbusInterfaceImpl {
    const props: Record<string, unknown> = {
      Location: '/',
      DistanceThreshold: 0,
      TimeThreshold: 0,
      DesktopId: '',
      RequestedAccuracyLevel: 0,
      Active: false,
    };
    return {
      spec: geoClueSpecs.client,
      get: (name) => props[name],
      set: (name, value) => {
        props[name] = value;
      },
      call: (method) => {
        if (method === 'Stop') {
          props.Active = false;
          return [];
        }
        if (!props.DesktopId)
          throw new DbusCallError(StandardError.AccessDenied, "'DesktopId' property must be set");
        this.requests.push({
          desktopId: String(props.DesktopId),
          accuracy: Number(props.RequestedAccuracyLevel),
        });
        props.Active = true;
        const old = String(props.Location);
        const next = `/org/freedesktop/GeoClue2/Location/${++this.#locations}`;
        this.connection.exportObject(next, [this.#location()]);
        // Like geoclue, the first fix comes after Start has returned.
        setTimeout(() => {
          props.Location = next;
          this.connection.emitSignal(path, GEOCLUE.client, 'LocationUpdated', 'oo', [old, next]);
        }, 10);
        return [];
      },
    };
  }

  #location(): DbusInterfaceImpl {
    const now = Date.now();
    const props: Record<string, unknown> = {
      Latitude: this.fix.latitude,
      Longitude: this.fix.longitude,
      Accuracy: this.fix.accuracy,
      Altitude: -1.7976931348623157e308,
      Speed: -1,
      Heading: -1,
      Description: 'fake fix for tests',
      Timestamp: [BigInt(Math.floor(now / 1000)), BigInt((now % 1000) * 1000)],
    };
    return { spec: geoClueSpecs.location, get: (name) => props[name], call: () => [] };
  }
}
