import type { DbusInterfaceSpec } from '../../dbus/types.js';
import type { AccuracyLevel } from './types.js';

/** GeoClue2's bus name, object paths and interfaces, as its D-Bus API documents them. */
export const GEOCLUE = {
  name: 'org.freedesktop.GeoClue2',
  managerPath: '/org/freedesktop/GeoClue2/Manager',
  manager: 'org.freedesktop.GeoClue2.Manager',
  client: 'org.freedesktop.GeoClue2.Client',
  location: 'org.freedesktop.GeoClue2.Location',
} as const;

/** GClueAccuracyLevel values. */
export const geoClueAccuracy: Record<AccuracyLevel, number> = {
  country: 1,
  city: 4,
  neighborhood: 5,
  street: 6,
  exact: 8,
};

/** The three interfaces Figment uses, member for member (org.freedesktop.GeoClue2.*.xml). */
export const geoClueSpecs: Record<'manager' | 'client' | 'location', DbusInterfaceSpec> = {
  manager: {
    name: GEOCLUE.manager,
    methods: [
      { name: 'GetClient', in: [], out: [['client', 'o']] },
      { name: 'CreateClient', in: [], out: [['client', 'o']] },
      { name: 'DeleteClient', in: [['client', 'o']], out: [] },
      { name: 'AddAgent', in: [['id', 's']], out: [] },
    ],
    signals: [],
    properties: [
      { name: 'InUse', type: 'b', access: 'read' },
      { name: 'AvailableAccuracyLevel', type: 'u', access: 'read' },
    ],
  },
  client: {
    name: GEOCLUE.client,
    methods: [
      { name: 'Start', in: [], out: [] },
      { name: 'Stop', in: [], out: [] },
    ],
    signals: [
      {
        name: 'LocationUpdated',
        args: [
          ['old', 'o'],
          ['new', 'o'],
        ],
      },
    ],
    properties: [
      { name: 'Location', type: 'o', access: 'read' },
      { name: 'DistanceThreshold', type: 'u', access: 'readwrite' },
      { name: 'TimeThreshold', type: 'u', access: 'readwrite' },
      { name: 'DesktopId', type: 's', access: 'readwrite' },
      { name: 'RequestedAccuracyLevel', type: 'u', access: 'readwrite' },
      { name: 'Active', type: 'b', access: 'read' },
    ],
  },
  location: {
    name: GEOCLUE.location,
    methods: [],
    signals: [],
    properties: [
      { name: 'Latitude', type: 'd', access: 'read' },
      { name: 'Longitude', type: 'd', access: 'read' },
      { name: 'Accuracy', type: 'd', access: 'read' },
      { name: 'Altitude', type: 'd', access: 'read' },
      { name: 'Speed', type: 'd', access: 'read' },
      { name: 'Heading', type: 'd', access: 'read' },
      { name: 'Description', type: 's', access: 'read' },
      { name: 'Timestamp', type: '(tt)', access: 'read' },
    ],
  },
};
