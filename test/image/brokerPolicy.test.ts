import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DbusCallError } from '../../services/dbus/DbusCallError.js';
import { DbusConnection } from '../../services/dbus/DbusConnection.js';
import { BROKER_BUS_NAME, BROKER_PATH, broker1Spec } from '../../services/figmentd/broker/broker1Spec.js';
import { tempDir } from '../services/figmentd/store/fixtures.js';
import { PrivateBus } from '../support/PrivateBus.js';

const POLICY = 'image/rootfs-overlay/usr/share/dbus-1/system.d/io.figment.Broker1.conf';
const me = userInfo().username;

/** A bus with the system bus's defaults and the shipped policy, its users renamed as given. */
async function systemLikeBus(rename: Record<string, string>): Promise<{ bus: PrivateBus; remove(): void }> {
  const folder = tempDir();
  let policy = readFileSync(POLICY, 'utf8');
  for (const [from, to] of Object.entries(rename))
    policy = policy.replaceAll(`user="${from}"`, `user="${to}"`);
  const file = join(folder.dir, 'io.figment.Broker1.conf');
  writeFileSync(file, policy);
  const bus = await PrivateBus.start({ defaults: 'system', include: [file] });
  return { bus, remove: folder.remove };
}

async function errorName(work: Promise<unknown>): Promise<string | undefined> {
  return work.then(
    () => undefined,
    (error: unknown) => (error instanceof DbusCallError ? error.errorName : String(error)),
  );
}

describe('the D-Bus policy shipped in the image', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function connect(bus: PrivateBus): Promise<DbusConnection> {
    const connection = await DbusConnection.open({ bus: { address: bus.address } });
    cleanups.push(() => connection.dispose());
    return connection;
  }

  it('lets no user but figmentd’s own the name', async () => {
    const { bus, remove } = await systemLikeBus({});
    cleanups.push(remove, () => bus.dispose());
    const owner = await connect(bus);
    expect(await errorName(owner.requestName(BROKER_BUS_NAME))).toBe(
      'org.freedesktop.DBus.Error.AccessDenied',
    );
  });

  it('lets only the shell’s user call the broker', async () => {
    const { bus, remove } = await systemLikeBus({ figment: me });
    cleanups.push(remove, () => bus.dispose());
    const owner = await connect(bus);
    owner.exportObject(BROKER_PATH, [{ spec: broker1Spec, get: () => '', call: () => [[]] }]);
    await owner.requestName(BROKER_BUS_NAME);
    const caller = await connect(bus);
    const refused = await errorName(
      caller.call(BROKER_BUS_NAME, BROKER_PATH, BROKER_BUS_NAME, 'ListGrants', 's', ['']),
    );
    expect(refused).toBe('org.freedesktop.DBus.Error.AccessDenied');
  });

  it('lets the shell’s user through', async () => {
    const { bus, remove } = await systemLikeBus({ figment: me, kiosk: me });
    cleanups.push(remove, () => bus.dispose());
    const owner = await connect(bus);
    owner.exportObject(BROKER_PATH, [{ spec: broker1Spec, get: () => '', call: () => [[]] }]);
    await owner.requestName(BROKER_BUS_NAME);
    const caller = await connect(bus);
    expect(await caller.call(BROKER_BUS_NAME, BROKER_PATH, BROKER_BUS_NAME, 'ListGrants', 's', [''])).toEqual(
      [[]],
    );
  });
});
