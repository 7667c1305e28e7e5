import type {
  AppBundle,
  AppManifest,
  AppSummary,
  Finding,
  JsonValue,
  MatchPlace,
} from '../../protocol/index.js';

/** How a piece of model output came about: which model and prompts wrote it, and what it cost. */
export interface GenerationStats {
  /** The model's name, as ModelBackend.name. */
  model: string;
  /** The prompt set's version, as in prompts/<version>/. */
  promptVersion: string;
  promptTokens: number;
  completionTokens: number;
  generationMs: number;
  validationMs: number;
}

/** What is recorded with every version of an app. */
export interface VersionRecord extends GenerationStats {
  intent: string;
  bundle: AppBundle;
  /** What validation said of this version (warnings; errors never get stored). Defaults to none. */
  findings?: Finding[];
  /** How many repair rounds it took to reach this version. Defaults to 0. */
  repairAttempts?: number;
  /** The session the version was made in, if any. Defaults to none. */
  sessionId?: string | null;
}

export interface StoredVersion extends GenerationStats {
  id: string;
  appId: string;
  parentId: string | null;
  intent: string;
  manifest: AppManifest;
  html: string;
  findings: Finding[];
  repairAttempts: number;
  sessionId: string | null;
  createdAt: number;
}

/** One line of an app's history, without its code. */
export interface VersionSummary {
  id: string;
  parentId: string | null;
  intent: string;
  model: string;
  promptVersion: string;
  findingCount: number;
  repairAttempts: number;
  createdAt: number;
  /** Whether the app runs this version now. */
  current: boolean;
}

/**
 * Turns text into vectors whose closeness means closeness in meaning. The store
 * works without one (words only) and finds paraphrases with one.
 */
export interface Embedder {
  /** Length of every vector embed() returns. */
  readonly dimensions: number;
  /** Names the model, so vectors from another model are never compared. Defaults to "embedder". */
  readonly name?: string;
  /** One vector per text, in order. */
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** One app found by search, with why it was found. */
export interface SearchHit {
  app: AppSummary;
  /** Higher is better; only comparable within one answer. */
  score: number;
  /** Plain words: which words matched where, and how close in meaning. */
  reason: string;
  /** Query words found in the app's name, description or past requests. */
  words: string[];
  /** The same words, each with where it was found. */
  matches: { word: string; where: MatchPlace }[];
  /** Cosine similarity of meaning, when an embedder found it. */
  similarity: number | null;
}

export type InteractionKind = 'ask' | 'answer' | 'clarify' | 'reply';

export interface Interaction {
  id: number;
  sessionId: string;
  kind: InteractionKind;
  text: string;
  appId: string | null;
  createdAt: number;
}

export interface Grant {
  appId: string;
  capability: string;
  grantedAt: number;
  expiresAt: number | null;
}

export interface AuditEntry {
  id: number;
  at: number;
  action: string;
  appId: string | null;
  detail: Record<string, JsonValue>;
}

export interface StorageQuota {
  /** Largest single value, as JSON text, in bytes. Defaults to 1 MiB. */
  maxValueBytes: number;
  /** Largest total of one app's values, in bytes. Defaults to 5 MiB. */
  maxAppBytes: number;
}

export type { AppSummary, JsonValue };
