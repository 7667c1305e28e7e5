import type { AppBundle, AppManifest, AppSummary, JsonValue } from '../../protocol/index.js';

/** What is recorded with every version of an app. */
export interface VersionRecord {
  intent: string;
  bundle: AppBundle;
  /** The model's name, as ModelBackend.name. */
  model: string;
  /** The prompt set's version, as in prompts/<version>/. */
  promptVersion: string;
  promptTokens: number;
  completionTokens: number;
  generationMs: number;
  validationMs: number;
}

export interface StoredVersion {
  id: string;
  appId: string;
  parentId: string | null;
  intent: string;
  manifest: AppManifest;
  html: string;
  model: string;
  promptVersion: string;
  promptTokens: number;
  completionTokens: number;
  generationMs: number;
  validationMs: number;
  createdAt: number;
}

export interface StorageQuota {
  /** Largest single value, as JSON text, in bytes. Defaults to 1 MiB. */
  maxValueBytes: number;
  /** Largest total of one app's values, in bytes. Defaults to 5 MiB. */
  maxAppBytes: number;
}

export type { AppSummary, JsonValue };
