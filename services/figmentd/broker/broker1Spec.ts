import type { DbusInterfaceSpec } from '../../dbus/types.js';

export const BROKER_BUS_NAME = 'io.figment.Broker1';
export const BROKER_PATH = '/io/figment/Broker1';

/** The named errors io.figment.Broker1 answers with. */
export const BrokerError = {
  /** The caller's Unix user may not use the broker. */
  NotAllowed: 'io.figment.Broker1.Error.NotAllowed',
  /** No grant: the person said no, did not answer, or was never asked. */
  NotGranted: 'io.figment.Broker1.Error.NotGranted',
  /** No app has that id. */
  UnknownApp: 'io.figment.Broker1.Error.UnknownApp',
  /** The sensor or the system service behind it is absent (e.g. no GeoClue2). */
  Unavailable: 'io.figment.Broker1.Error.Unavailable',
  /** Anything else; figmentd's log has details. */
  Failed: 'io.figment.Broker1.Error.Failed',
} as const;

/**
 * io.figment.Broker1: apps' access to location, camera and microphone.
 * Capabilities: "location", "camera", "microphone". Scopes: "once",
 * "while-open", "always". Times are ms since the epoch.
 */
export const broker1Spec: DbusInterfaceSpec = {
  name: BROKER_BUS_NAME,
  methods: [
    {
      name: 'RequestAccess',
      in: [
        ['app_id', 's'],
        ['capability', 's'],
        ['reason', 's'],
      ],
      out: [
        ['scope', 's'],
        ['expires_at', 't'],
      ],
    },
    {
      name: 'CheckAccess',
      in: [
        ['app_id', 's'],
        ['capability', 's'],
      ],
      out: [
        ['granted', 'b'],
        ['scope', 's'],
        ['expires_at', 't'],
      ],
    },
    {
      name: 'RecordUse',
      in: [
        ['app_id', 's'],
        ['capability', 's'],
      ],
      out: [],
    },
    {
      name: 'GetLocation',
      in: [
        ['app_id', 's'],
        ['accuracy', 's'],
      ],
      out: [
        ['latitude', 'd'],
        ['longitude', 'd'],
        ['accuracy_meters', 'd'],
        ['timestamp', 't'],
      ],
    },
    {
      name: 'Revoke',
      in: [
        ['app_id', 's'],
        ['capability', 's'],
      ],
      out: [['revoked', 'b']],
    },
    { name: 'AppClosed', in: [['app_id', 's']], out: [] },
    { name: 'ListGrants', in: [['app_id', 's']], out: [['grants', 'a(ssstt)']] },
    {
      name: 'ListDevices',
      in: [],
      out: [
        ['cameras', 'a(sss)'],
        ['microphones', 'a(sss)'],
        ['pipewire', 'b'],
      ],
    },
  ],
  signals: [
    {
      name: 'GrantsChanged',
      args: [
        ['app_id', 's'],
        ['capability', 's'],
        ['change', 's'],
      ],
    },
  ],
  properties: [
    { name: 'Version', type: 's', access: 'read' },
    { name: 'Capabilities', type: 'as', access: 'read' },
  ],
};
