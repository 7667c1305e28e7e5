import type { JsonValue } from '../../services/protocol/index.js';
import type { AppliedTheme } from './applyTheme.js';

/** An Error from the SDK, carrying a catalogue code such as FIGMENT_ERR_STORAGE_QUOTA. */
export interface FigmentSdkError extends Error {
  readonly code: string;
}

/** What the Figment SDK offers every app frame, as `window.figment`. */
export interface FigmentSdk {
  /** The SDK's version (semver). */
  readonly version: string;
  /** This app's own documents, kept by Figment; they survive regeneration and repair. */
  readonly storage: {
    /** The stored value, or null when nothing is stored under `key`. */
    get(key: string): Promise<JsonValue | null>;
    /** Stores plain JSON under `key`; rejects with FIGMENT_ERR_STORAGE_QUOTA when the app's storage is full. */
    set(key: string, value: JsonValue): Promise<void>;
  };
  /** The person's look (already applied as `--figment-*` CSS custom properties). */
  readonly theme: {
    readonly current: AppliedTheme;
    /** Called whenever the person changes the theme; returns a function that stops it. */
    onChange(listener: (theme: AppliedTheme) => void): () => void;
  };
  /**
   * Sensors, each only after the person granted it to this app (declare it in the
   * manifest too). Refused with FIGMENT_ERR_NOT_GRANTED otherwise.
   */
  readonly sensors: {
    // `reason`: the app's own words for why it asks (at most 200 characters), shown on the consent card.
    location(options?: {
      reason?: string;
    }): Promise<{ latitude: number; longitude: number; accuracyMeters: number; timestamp: number }>;
    camera(options?: { reason?: string }): Promise<{ image: string; width: number; height: number }>;
    microphone(options?: {
      durationMs?: number;
      reason?: string;
    }): Promise<{ audio: string; durationMs: number }>;
  };
  /** Tells Figment the app is ready; sent by itself on DOMContentLoaded, calling it again does nothing. */
  ready(): void;
}

declare global {
  interface Window {
    readonly figment: FigmentSdk;
  }
}
