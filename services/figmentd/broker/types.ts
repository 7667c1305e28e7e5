import type { JsonValue } from '../../protocol/index.js';
import type { Grant } from '../store/types.js';

/** What the broker guards. */
export const sensorCapabilities = ['location', 'camera', 'microphone'] as const;
export type SensorCapability = (typeof sensorCapabilities)[number];

/** How long a yes lasts: this one time, while the app stays open, or always (until it expires or is revoked). */
export const grantScopes = ['once', 'while-open', 'always'] as const;
export type GrantScope = (typeof grantScopes)[number];

/** The person's answer to a consent prompt. */
export type Decision = 'deny' | GrantScope;

/** A grant the broker holds now. */
export interface BrokerGrant {
  appId: string;
  capability: SensorCapability;
  scope: GrantScope;
  grantedAt: number;
  /** ms since epoch; every grant expires. */
  expiresAt: number;
}

/** What the shell shows on a consent card. */
export interface ConsentRequest {
  id: string;
  appId: string;
  appName: string;
  capability: SensorCapability;
  /** The app's own words for why; shown as the app's, never as Figment's. */
  reason: string;
  /** When the card gives up and counts as "no". */
  expiresAt: number;
}

/** Asks the person. The shell attaches one per connection; the broker asks the newest. */
export interface ConsentPrompter {
  /** Shows the card; the broker calls settle() when it is answered elsewhere or gives up. */
  show(request: ConsentRequest): void;
  settle(requestId: string): void;
}

/** Why grants changed, for listeners that must act (stop a live stream…). */
export type GrantChange = 'granted' | 'revoked' | 'expired' | 'closed' | 'used';

/** The parts of the context store the broker uses: lasting grants and the audit log. */
export interface BrokerStore {
  getApp(appId: string): { id: string; name: string } | undefined;
  grant(appId: string, capability: string, expiresAt: number | null): void;
  revokeGrant(appId: string, capability: string): void;
  listGrants(appId: string): Grant[];
  listApps(): { id: string }[];
  recordAudit(action: string, appId: string | null, detail: Record<string, JsonValue>): void;
}

/** A position fix, as GeoClue2 gives it. */
export interface Position {
  latitude: number;
  longitude: number;
  /** Radius of the fix in metres. */
  accuracyMeters: number;
  /** Metres above sea level; null when unknown. */
  altitude: number | null;
  /** ms since epoch of the fix. */
  timestamp: number;
}

/** How precise a position an app asks for (GeoClue2's levels). */
export const accuracyLevels = ['country', 'city', 'neighborhood', 'street', 'exact'] as const;
export type AccuracyLevel = (typeof accuracyLevels)[number];

export interface Locator {
  locate(accuracy: AccuracyLevel, signal?: AbortSignal): Promise<Position>;
}
