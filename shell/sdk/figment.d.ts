import type { JsonValue } from '../../services/protocol/index.js';

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
    /** Stores plain JSON under `key`; rejects with a FigmentSdkError if it was not saved. */
    set(key: string, value: JsonValue): Promise<void>;
  };
  /** Tells Figment the app is ready; sent by itself on DOMContentLoaded, calling it again does nothing. */
  ready(): void;
}

declare global {
  interface Window {
    readonly figment: FigmentSdk;
  }
}
