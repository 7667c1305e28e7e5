import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Broker } from '../../../services/figmentd/broker/Broker.js';
import { BrokerBus } from '../../../services/figmentd/broker/BrokerBus.js';
import { Logger } from '../../../services/figmentd/log/Logger.js';
import { ContextStore } from '../../../services/figmentd/store/ContextStore.js';
import { BrokerGrants } from '../../../shell/main/BrokerGrants.js';
import type { PermissionQuery } from '../../../shell/main/security.js';
import { tempDir, versionRecord } from '../../services/figmentd/store/fixtures.js';
import { PrivateBus } from '../../support/PrivateBus.js';

const SHELL = 'http://127.0.0.1:7878/';
const media = (mediaTypes: string[], isMainFrame = true): PermissionQuery => ({
  permission: 'media',
  kind: 'request',
  requestingUrl: isMainFrame ? SHELL : `${SHELL}frame/ver_abcdefgh?cap=x`,
  isMainFrame,
  mediaTypes,
});

describe('the Electron permission hook follows the broker over D-Bus', () => {
  const folder = tempDir();
  let bus: PrivateBus;
  let store: ContextStore;
  let broker: Broker;
  let brokerBus: BrokerBus;
  let grants: BrokerGrants;
  let appId: string;
  const logger = new Logger('error');

  beforeAll(async () => {
    bus = await PrivateBus.start();
    store = ContextStore.open({ path: join(folder.dir, 'figment.db') });
    appId = store.createApp(versionRecord('Mirror')).app.id;
    broker = new Broker({ store });
    broker.attachPrompter({
      show: (r) => setTimeout(() => broker.decide(r.id, 'while-open'), 5),
      settle: () => {},
    });
    brokerBus = new BrokerBus({
      bus: { address: bus.address },
      broker,
      locator: { locate: () => Promise.reject(new Error('unused')) },
      listDevices: () => ({ cameras: [], microphones: [], pipewire: false }),
      version: 'test',
      logger,
    });
    await brokerBus.start();
    grants = await BrokerGrants.connect({ bus: { address: bus.address }, logger });
  });

  afterAll(async () => {
    await grants?.dispose();
    await brokerBus?.stop();
    broker?.dispose();
    store?.dispose();
    await bus?.dispose();
    folder.remove();
  });

  it('refuses media until the broker granted the camera, then allows video but not audio', async () => {
    expect(grants.grant(media(['video']))).toBe(false);
    await broker.requestAccess(appId, 'camera', 'to show a mirror', 'test');
    await expect.poll(() => grants.grant(media(['video']))).toBe(true);
    expect(grants.grant(media(['audio']))).toBe(false);
    expect(grants.grant(media(['video', 'audio']))).toBe(false);
    // App frames never get devices directly, grant or not.
    expect(grants.grant(media(['video'], false))).toBe(false);
    expect(grants.grant({ ...media([]), permission: 'geolocation' })).toBe(false);
  });

  it('refuses again as soon as the grant is revoked', async () => {
    broker.revoke(appId, 'camera');
    await expect.poll(() => grants.grant(media(['video']))).toBe(false);
  });
});
