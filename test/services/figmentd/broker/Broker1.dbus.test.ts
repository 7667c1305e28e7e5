import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbusCallError } from '../../../../services/dbus/DbusCallError.js';
import { DbusConnection } from '../../../../services/dbus/DbusConnection.js';
import { Broker } from '../../../../services/figmentd/broker/Broker.js';
import { BrokerBus } from '../../../../services/figmentd/broker/BrokerBus.js';
import {
  BROKER_BUS_NAME,
  BROKER_PATH,
  broker1Spec,
} from '../../../../services/figmentd/broker/broker1Spec.js';
import { GeoClueLocator } from '../../../../services/figmentd/broker/GeoClueLocator.js';
import { GEOCLUE } from '../../../../services/figmentd/broker/geoClue.js';
import type { ConsentRequest, Decision } from '../../../../services/figmentd/broker/types.js';
import { Logger } from '../../../../services/figmentd/log/Logger.js';
import { ContextStore } from '../../../../services/figmentd/store/ContextStore.js';
import { FakeGeoClue } from '../../../support/FakeGeoClue.js';
import { PrivateBus } from '../../../support/PrivateBus.js';
import { tempDir, versionRecord } from '../store/fixtures.js';

const FIX = { latitude: 48.8584, longitude: 2.2945, accuracy: 25 };
const uid = process.getuid?.() ?? 0;
const noDevices = () => ({ cameras: [], microphones: [], pipewire: false });

/** Acts as the shell: answers each consent card with the next queued decision (or leaves it up). */
class ScriptedShell {
  readonly shown: ConsentRequest[] = [];
  readonly settled: string[] = [];
  readonly answers: (Decision | 'ignore')[] = [];
  constructor(private readonly broker: Broker) {}
  show(request: ConsentRequest): void {
    this.shown.push(request);
    const answer = this.answers.shift() ?? 'ignore';
    if (answer !== 'ignore') setTimeout(() => this.broker.decide(request.id, answer), 5);
  }
  settle(requestId: string): void {
    this.settled.push(requestId);
  }
}

describe('io.figment.Broker1 on a private dbus-daemon', () => {
  const folder = tempDir();
  let bus: PrivateBus;
  let store: ContextStore;
  let broker: Broker;
  let shell: ScriptedShell;
  let geoclue: FakeGeoClue;
  let locator: GeoClueLocator;
  let brokerBus: BrokerBus;
  let client: DbusConnection;
  let appId: string;
  const signals: string[][] = [];

  const call = (member: string, signature = '', body: unknown[] = []) =>
    client.call(BROKER_BUS_NAME, BROKER_PATH, BROKER_BUS_NAME, member, signature, body);
  const errorOf = async (work: Promise<unknown>): Promise<DbusCallError> => {
    try {
      await work;
    } catch (error) {
      if (error instanceof DbusCallError) return error;
      throw error;
    }
    throw new Error('expected a D-Bus error, but the call succeeded');
  };
  const nextSignal = (change: string) =>
    expect.poll(() => signals.some((s) => s[0] === appId && s[2] === change), { timeout: 3000 }).toBe(true);

  beforeAll(async () => {
    bus = await PrivateBus.start();
    store = ContextStore.open({ path: join(folder.dir, 'figment.db') });
    appId = store.createApp(versionRecord('Weather')).app.id;
    broker = new Broker({ store, consentTimeoutMs: 800, whileOpenForMs: 600 });
    shell = new ScriptedShell(broker);
    broker.attachPrompter(shell);
    geoclue = await FakeGeoClue.start(bus.address, FIX);
    locator = new GeoClueLocator({ bus: { address: bus.address }, timeoutMs: 3000 });
    brokerBus = new BrokerBus({
      bus: { address: bus.address },
      broker,
      locator,
      allowedUids: [uid],
      listDevices: noDevices,
      version: '0.0.0-test',
      logger: new Logger('error'),
    });
    await brokerBus.start();
    client = await DbusConnection.open({ bus: { address: bus.address } });
    await client.onSignal(
      { sender: BROKER_BUS_NAME, path: BROKER_PATH, interface: BROKER_BUS_NAME, member: 'GrantsChanged' },
      (signal) => signals.push(signal.body.map(String)),
    );
  });

  afterAll(async () => {
    client?.dispose();
    await brokerBus?.stop();
    locator?.dispose();
    geoclue?.dispose();
    broker?.dispose();
    store?.dispose();
    await bus?.dispose();
    folder.remove();
  });

  // The broker answers in this process, so busctl must run without blocking it.
  const busctl = async (...args: string[]) =>
    (await promisify(execFile)('busctl', [`--address=${bus.address}`, ...args], { encoding: 'utf8' })).stdout;

  it('shows every method, signal and property with argument names to busctl introspect', async () => {
    const out = await busctl('introspect', BROKER_BUS_NAME, BROKER_PATH);
    for (const method of broker1Spec.methods) {
      const inSig = method.in.map(([, t]) => t).join('') || '-';
      const outSig = method.out.map(([, t]) => t).join('') || '-';
      expect(out).toMatch(
        new RegExp(`\\.${method.name}\\s+method\\s+${escapeRegex(inSig)}\\s+${escapeRegex(outSig)}`),
      );
    }
    expect(out).toMatch(/\.GrantsChanged\s+signal\s+sss/);
    expect(out).toMatch(/\.Capabilities\s+property\s+as\s+3 "location" "camera" "microphone"/);
    expect(out).toMatch(/org\.freedesktop\.DBus\.Properties\s+interface/);
    const xml = await busctl(
      'call',
      BROKER_BUS_NAME,
      BROKER_PATH,
      'org.freedesktop.DBus.Introspectable',
      'Introspect',
    );
    expect(xml).toContain('<arg name=\\"reason\\" type=\\"s\\" direction=\\"in\\"/>');
    const tree = await busctl('tree', BROKER_BUS_NAME);
    expect(tree).toContain('/io/figment/Broker1');
  });

  it('refuses access when the person says no, and records the request and the decision', async () => {
    shell.answers.push('deny');
    const error = await errorOf(
      call('RequestAccess', 'sss', [appId, 'location', 'to show the weather here']),
    );
    expect(error.errorName).toBe('io.figment.Broker1.Error.NotGranted');
    expect(error.message).toContain('said no');
    expect(shell.shown.at(-1)).toMatchObject({
      appId,
      appName: 'Weather',
      capability: 'location',
      reason: 'to show the weather here',
    });
    const actions = store.listAudit(5).map((e) => `${e.action}:${String(e.detail.decision ?? '')}`);
    expect(actions.slice(0, 2)).toEqual(['sensor.decision:deny', 'sensor.request:']);
    expect((await call('CheckAccess', 'ss', [appId, 'location']))[0]).toBe(false);
    // Asking again while the app is open is refused without another card.
    const shown = shell.shown.length;
    const again = await errorOf(call('RequestAccess', 'sss', [appId, 'location', 'please']));
    expect(again.errorName).toBe('io.figment.Broker1.Error.NotGranted');
    expect(shell.shown.length).toBe(shown);
    await call('AppClosed', 's', [appId]);
  });

  it('refuses a position to an app that was never asked about, without prompting', async () => {
    const shown = shell.shown.length;
    const error = await errorOf(call('GetLocation', 'ss', [appId, 'exact']));
    expect(error.errorName).toBe('io.figment.Broker1.Error.NotGranted');
    expect(shell.shown.length).toBe(shown);
    expect(store.listAudit(1)[0]).toMatchObject({ action: 'sensor.refused', appId });
  });

  it('counts an unanswered card as no', async () => {
    shell.answers.push('ignore');
    const error = await errorOf(call('RequestAccess', 'sss', [appId, 'camera', 'to scan a code']));
    expect(error.errorName).toBe('io.figment.Broker1.Error.NotGranted');
    expect(error.message).toContain('No one answered');
    expect(shell.settled).toContain(shell.shown.at(-1)?.id);
  });

  it('grants "this time": one position from GeoClue2, then refused; GrantsChanged tells both', async () => {
    shell.answers.push('once');
    const [scope, expiresAt] = await call('RequestAccess', 'sss', [appId, 'location', 'weather']);
    expect(scope).toBe('once');
    expect(Number(expiresAt)).toBeGreaterThan(Date.now());
    await nextSignal('granted');
    const [latitude, longitude, accuracy, timestamp] = await call('GetLocation', 'ss', [appId, 'city']);
    expect([latitude, longitude, accuracy]).toEqual([FIX.latitude, FIX.longitude, FIX.accuracy]);
    expect(Math.abs(Number(timestamp) - Date.now())).toBeLessThan(60_000);
    expect(geoclue.requests.at(-1)).toEqual({ desktopId: 'figment', accuracy: 4 });
    await nextSignal('used');
    const again = await errorOf(call('GetLocation', 'ss', [appId, 'city']));
    expect(again.errorName).toBe('io.figment.Broker1.Error.NotGranted');
    expect(store.listAudit(10).some((e) => e.action === 'sensor.use' && e.detail.accuracy === 'city')).toBe(
      true,
    );
  });

  it('keeps an "always" grant in the store, lists it, and revoking it refuses the next call', async () => {
    shell.answers.push('always');
    await call('RequestAccess', 'sss', [appId, 'location', 'weather']);
    expect(store.listGrants(appId).map((g) => g.capability)).toEqual(['location']);
    const [grants] = (await call('ListGrants', 's', [''])) as [unknown[][]];
    expect(grants.map((g) => g.slice(0, 3))).toEqual([[appId, 'location', 'always']]);
    // A second request is answered from the grant: no card.
    const shown = shell.shown.length;
    expect((await call('RequestAccess', 'sss', [appId, 'location', 'weather']))[0]).toBe('always');
    expect(shell.shown.length).toBe(shown);
    expect((await call('GetLocation', 'ss', [appId, '']))[0]).toBe(FIX.latitude);

    expect(await call('Revoke', 'ss', [appId, 'location'])).toEqual([true]);
    await nextSignal('revoked');
    expect(store.listGrants(appId)).toEqual([]);
    const error = await errorOf(call('GetLocation', 'ss', [appId, 'exact']));
    expect(error.errorName).toBe('io.figment.Broker1.Error.NotGranted');
    await call('AppClosed', 's', [appId]);
  });

  it('lets a "while open" grant expire, and ends it when the app closes', async () => {
    shell.answers.push('while-open');
    await call('RequestAccess', 'sss', [appId, 'microphone', 'to take a note']);
    expect((await call('CheckAccess', 'ss', [appId, 'microphone']))[0]).toBe(true);
    await nextSignal('expired');
    expect((await call('CheckAccess', 'ss', [appId, 'microphone']))[0]).toBe(false);
    expect(store.listAudit(3).some((e) => e.action === 'sensor.expired')).toBe(true);

    shell.answers.push('while-open');
    await call('RequestAccess', 'sss', [appId, 'camera', 'to scan a code']);
    await call('AppClosed', 's', [appId]);
    await nextSignal('closed');
    expect((await call('CheckAccess', 'ss', [appId, 'camera']))[0]).toBe(false);
  });

  it('answers malformed calls with named errors and keeps serving', async () => {
    // Thunks: each call starts only when awaited, so no refusal goes unhandled meanwhile.
    const cases: [() => Promise<unknown>, string][] = [
      [() => call('RequestAccess', 'i', [7]), 'org.freedesktop.DBus.Error.InvalidArgs'],
      [() => call('RequestAccess', 'ss', [appId, 'location']), 'org.freedesktop.DBus.Error.InvalidArgs'],
      [
        () => call('RequestAccess', 'sss', [appId, 'fingerprint', 'x']),
        'org.freedesktop.DBus.Error.InvalidArgs',
      ],
      [
        () => call('RequestAccess', 'sss', ['x'.repeat(500), 'location', 'x']),
        'org.freedesktop.DBus.Error.InvalidArgs',
      ],
      [
        () => call('RequestAccess', 'sss', ['app_doesnotexist0', 'location', 'x']),
        'io.figment.Broker1.Error.UnknownApp',
      ],
      [() => call('GetLocation', 'ss', [appId, 'roughly']), 'org.freedesktop.DBus.Error.InvalidArgs'],
      [() => call('Explode'), 'org.freedesktop.DBus.Error.UnknownMethod'],
      [
        () => client.call(BROKER_BUS_NAME, BROKER_PATH, 'io.figment.Nothing', 'Explode'),
        'org.freedesktop.DBus.Error.UnknownInterface',
      ],
      [
        () => client.call(BROKER_BUS_NAME, '/io/figment/Nowhere', BROKER_BUS_NAME, 'ListGrants', 's', ['']),
        'org.freedesktop.DBus.Error.UnknownMethod',
      ],
      [
        () => client.setProperty(BROKER_BUS_NAME, BROKER_PATH, BROKER_BUS_NAME, 'Version', 's', '9'),
        'org.freedesktop.DBus.Error.PropertyReadOnly',
      ],
    ];
    for (const [work, name] of cases) expect((await errorOf(work())).errorName).toBe(name);
    expect(await client.getProperty(BROKER_BUS_NAME, BROKER_PATH, BROKER_BUS_NAME, 'Version')).toBe(
      '0.0.0-test',
    );
    await client.call(BROKER_BUS_NAME, BROKER_PATH, 'org.freedesktop.DBus.Peer', 'Ping');
  });

  it('says clearly that location is unavailable when GeoClue2 is absent', async () => {
    shell.answers.push('always');
    await call('RequestAccess', 'sss', [appId, 'location', 'weather']);
    geoclue.dispose();
    await expect.poll(() => nameHasOwner(client, GEOCLUE.name)).toBe(false);
    const error = await errorOf(call('GetLocation', 'ss', [appId, 'exact']));
    expect(error.errorName).toBe('io.figment.Broker1.Error.Unavailable');
    expect(error.message).toContain('GeoClue2 is not running');
    // The grant was not spent on a position that never came.
    expect((await call('CheckAccess', 'ss', [appId, 'location']))[0]).toBe(true);
  });
});

describe('io.figment.Broker1 callers', () => {
  it('refuses a caller whose user is not the shell’s, before doing anything', async () => {
    const bus = await PrivateBus.start();
    const folder = tempDir();
    const store = ContextStore.open({ path: join(folder.dir, 'figment.db') });
    const broker = new Broker({ store });
    const shown: string[] = [];
    broker.attachPrompter({ show: (r) => shown.push(r.id), settle: () => {} });
    const appId = store.createApp(versionRecord('Notes')).app.id;
    const brokerBus = new BrokerBus({
      bus: { address: bus.address },
      broker,
      locator: { locate: () => Promise.reject(new Error('not reached')) },
      allowedUids: [uid + 1],
      listDevices: noDevices,
      version: 'test',
      logger: new Logger('error'),
    });
    await brokerBus.start();
    const client = await DbusConnection.open({ bus: { address: bus.address } });
    try {
      for (const [member, signature, body] of [
        ['RequestAccess', 'sss', [appId, 'camera', 'x']],
        ['ListGrants', 's', ['']],
        ['Revoke', 'ss', [appId, 'camera']],
      ] as const) {
        const error = await client
          .call(BROKER_BUS_NAME, BROKER_PATH, BROKER_BUS_NAME, member, signature, [...body])
          .then(
            () => undefined,
            (e: DbusCallError) => e,
          );
        expect(error?.errorName).toBe('io.figment.Broker1.Error.NotAllowed');
      }
      expect(shown).toEqual([]);
      expect(store.listAudit(10).filter((e) => e.action.startsWith('sensor.'))).toEqual([]);
    } finally {
      client.dispose();
      await brokerBus.stop();
      broker.dispose();
      store.dispose();
      await bus.dispose();
      folder.remove();
    }
  });
});

async function nameHasOwner(connection: DbusConnection, name: string): Promise<boolean> {
  const [has] = await connection.call(
    'org.freedesktop.DBus',
    '/org/freedesktop/DBus',
    'org.freedesktop.DBus',
    'NameHasOwner',
    's',
    [name],
  );
  return has === true;
}

function escapeRegex(text: string): string {
  return text.replace(/[()[\]{}]/g, (c) => `\\${c}`);
}
