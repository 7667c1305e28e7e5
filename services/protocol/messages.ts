import { z } from 'zod';
import { appIconNames } from './appIcons.js';
import { Capability } from './bundle.js';
import { errorCodes } from './errors.js';

/** Bumped whenever a message changes shape; both sides refuse a mismatch. */
export const PROTOCOL_VERSION = 1;

const Id = z.string().min(1).max(64);
const AppId = z.string().regex(/^app_[A-Za-z0-9_-]{6,40}$/, 'not an app id');
const VersionId = z.string().regex(/^ver_[A-Za-z0-9_-]{6,40}$/, 'not a version id');
/** Keys of an app's stored documents. */
export const StorageKey = z.string().min(1).max(200);
export const JsonValue = z.json();
export type JsonValue = z.infer<typeof JsonValue>;

export const ModelStatus = z.object({
  state: z.enum(['ready', 'missing', 'loading', 'error']),
  backend: z.enum(['llama', 'scripted', 'none', 'remote']),
  /** The model's display name (file name for a GGUF). */
  name: z.string().optional(),
  /** Plain words for a person: what is wrong and what to do. */
  message: z.string().optional(),
});
export type ModelStatus = z.infer<typeof ModelStatus>;

export const AppSummary = z.object({
  id: AppId,
  name: z.string(),
  description: z.string(),
  capabilities: z.array(Capability),
  currentVersionId: VersionId,
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  lastOpenedAt: z.number().int().nullable(),
  /** When the person pinned it to the launcher; null when not pinned. */
  pinnedAt: z.number().int().nullable().default(null),
  /** The icon the person chose; null shows one made from the app's name. */
  icon: z.enum(appIconNames).nullable().default(null),
});
export type AppSummary = z.infer<typeof AppSummary>;

/** A clarifying question: short, with offered answers and a default among them. */
export const Question = z.object({
  id: z.string().max(40),
  question: z.string().max(200),
  options: z.array(z.string().max(80)).min(2).max(4),
  default: z.string().max(80),
});
export type Question = z.infer<typeof Question>;

/** What a request asks for, as figmentd classified it. */
export const IntentKind = z.enum(['new', 'change', 'open', 'other']);

/** How figmentd answered a request: questions, a choice of apps, an app to open, a made app, or words. */
export const AskResult = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('questions'), intent: IntentKind, questions: z.array(Question).max(3) }),
  z.object({
    kind: z.literal('choose'),
    intent: IntentKind,
    question: z.string(),
    apps: z.array(AppSummary).min(2),
  }),
  z.object({
    kind: z.literal('open'),
    app: AppSummary,
    versionId: VersionId,
    /** True when a stored app answered a request for a new one; the person may still ask for a fresh one. */
    reused: z.boolean(),
    reason: z.string(),
  }),
  z.object({
    kind: z.literal('made'),
    intent: IntentKind,
    app: AppSummary,
    versionId: VersionId,
    attempts: z.number().int().positive(),
  }),
  z.object({ kind: z.literal('reply'), intent: IntentKind, message: z.string() }),
]);
export type AskResult = z.infer<typeof AskResult>;

/** What the shell saw a running app do wrong. */
export const RuntimeFailureKind = z.enum(['error', 'rejection', 'unresponsive']);
/** Where in an app a searched word was found. */
export const MatchPlace = z.enum(['name', 'description', 'earlier requests']);
export type MatchPlace = z.infer<typeof MatchPlace>;

/** One app found by apps.search, with the reason it was found. */
export const SearchHit = z.object({
  app: AppSummary,
  score: z.number(),
  /** In English, for clients without their own words; `matches` and `similarity` say the same. */
  reason: z.string(),
  words: z.array(z.string()),
  matches: z.array(z.object({ word: z.string(), where: MatchPlace })),
  similarity: z.number().nullable(),
});
export type SearchHit = z.infer<typeof SearchHit>;

/** One line of an app's history, as apps.versions lists it. */
export const VersionSummary = z.object({
  id: VersionId,
  parentId: VersionId.nullable(),
  intent: z.string(),
  model: z.string(),
  promptVersion: z.string(),
  findingCount: z.number().int(),
  repairAttempts: z.number().int(),
  createdAt: z.number().int(),
  current: z.boolean(),
});
export type VersionSummary = z.infer<typeof VersionSummary>;

/** The sensor broker's words: capabilities, scopes, grants, consent cards, audit entries. */
export const SensorCapability = z.enum(['location', 'camera', 'microphone']);
export const GrantScope = z.enum(['once', 'while-open', 'always']);
export const ConsentDecision = z.enum(['deny', 'once', 'while-open', 'always']);
export const SensorGrant = z.object({
  appId: AppId,
  capability: SensorCapability,
  scope: GrantScope,
  grantedAt: z.number().int(),
  expiresAt: z.number().int(),
});
export type SensorGrant = z.infer<typeof SensorGrant>;
export const ConsentRequest = z.object({
  id: Id,
  appId: AppId,
  appName: z.string(),
  capability: SensorCapability,
  reason: z.string(),
  expiresAt: z.number().int(),
});
export type ConsentRequest = z.infer<typeof ConsentRequest>;
export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.number().int(),
  action: z.string(),
  appId: z.string().nullable(),
  detail: z.record(z.string(), JsonValue),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const Position = z.object({
  latitude: z.number(),
  longitude: z.number(),
  accuracyMeters: z.number(),
  altitude: z.number().nullable(),
  timestamp: z.number().int(),
});
const MediaDevice = z.object({ id: z.string(), name: z.string(), path: z.string() });
const AdminPin = z.string().regex(/^\d{4,12}$/, 'an admin PIN is 4 to 12 digits');
export const AdminStatus = z.object({
  kiosk: z.boolean(),
  pinSet: z.boolean(),
  unlocked: z.boolean(),
  retryInMs: z.number().int().nonnegative(),
});
export type AdminStatus = z.infer<typeof AdminStatus>;
const SensorParams = z.strictObject({ appId: AppId, capability: SensorCapability });

/** Every request a client may send, by method. Unknown methods are refused. */
export const requestParams = {
  hello: z.strictObject({ protocol: z.number().int(), client: z.enum(['shell', 'cli', 'test']) }),
  status: z.strictObject({}),
  'apps.list': z.strictObject({}),
  'apps.open': z.strictObject({ appId: AppId }),
  generate: z.strictObject({ intent: z.string().trim().min(1).max(2000) }),
  'generate.cancel': z.strictObject({ requestId: Id }),
  'storage.get': z.strictObject({ appId: AppId, key: StorageKey }),
  'storage.set': z.strictObject({ appId: AppId, key: StorageKey, value: JsonValue }),
  /** A person's words: classified, resolved, maybe clarified, then answered. */
  ask: z.strictObject({
    text: z.string().trim().min(1).max(2000),
    /** The app on screen, which "it" refers to. */
    openAppId: AppId.optional(),
    /** The app the person picked when asked which one they meant. */
    appId: AppId.optional(),
    /** Answers to the questions asked for this text. */
    answers: z
      .array(z.strictObject({ question: z.string().max(200), answer: z.string().max(200) }))
      .max(3)
      .optional(),
    /** "Just make it": ask nothing. */
    skipQuestions: z.boolean().optional(),
    /** Make a new app even when a stored one fits. */
    fresh: z.boolean().optional(),
  }),
  /** The shell reports what a running version did wrong (from the SDK or the supervisor). */
  'apps.report': z.strictObject({
    versionId: VersionId,
    kind: RuntimeFailureKind,
    message: z.string().min(1).max(2000),
    stack: z.string().max(8000).optional(),
  }),
  /** Repairs a version that failed while running, within the repair bound. */
  'apps.repair': z.strictObject({ versionId: VersionId }),
  'apps.search': z.strictObject({
    query: z.string().max(2000),
    limit: z.number().int().min(1).max(50).optional(),
  }),
  'apps.versions': z.strictObject({ appId: AppId }),
  'apps.rollback': z.strictObject({ appId: AppId, versionId: VersionId }),
  'apps.forget': z.strictObject({ appId: AppId }),
  /** Pins an app to the launcher, or unpins it. */
  'apps.pin': z.strictObject({ appId: AppId, pinned: z.boolean() }),
  /** Sets the icon the person chose for an app; null goes back to the one made from its name. */
  'apps.setIcon': z.strictObject({ appId: AppId, icon: z.enum(appIconNames).nullable() }),
  /** Makes this connection the consent UI until it closes; answers with the cards already up. */
  'broker.watch': z.strictObject({}),
  'broker.decide': z.strictObject({ requestId: Id, decision: ConsentDecision }),
  /** Asks for a sensor on an app's behalf (a consent card when there is no grant). */
  'broker.request': SensorParams.extend({ reason: z.string().max(200).default('') }),
  /** Records a use of a granted sensor (spends a "this time" grant). */
  'broker.use': SensorParams,
  'broker.revoke': SensorParams,
  'broker.appClosed': z.strictObject({ appId: AppId }),
  'broker.grants': z.strictObject({}),
  /** The doctor report: hardware, compute, threads, model, recommendations. */
  'system.doctor': z.strictObject({}),
  'broker.audit': z.strictObject({ limit: z.number().int().min(1).max(500).default(50) }),
  'broker.devices': z.strictObject({}),
  /** One position for an app: asks the person first when the app holds no grant. */
  'sensors.location': z.strictObject({ appId: AppId, reason: z.string().max(200).default('') }),
  /** Whether this is a kiosk, whether its admin PIN is set, and whether this connection has entered it. */
  'admin.status': z.strictObject({}),
  /** Enters the admin PIN; unlocks this connection only. */
  'admin.unlock': z.strictObject({ pin: AdminPin }),
  /** Chooses the admin PIN: on first use, or when unlocked. */
  'admin.setPin': z.strictObject({ pin: AdminPin }),
  'admin.lock': z.strictObject({}),
  /** Forgets every app, exchange, grant and audit entry (admin). */
  'context.forgetAll': z.strictObject({}),
  /** Everything remembered, as the text of one export file that import accepts (admin). */
  'context.export': z.strictObject({}),
} as const;
export type Method = keyof typeof requestParams;
export const methods = Object.keys(requestParams) as Method[];

export const Hello = z.object({
  protocol: z.number().int(),
  daemonVersion: z.string(),
  model: ModelStatus,
});

/** What each method answers with. */
export const resultSchemas = {
  hello: Hello,
  status: z.object({ model: ModelStatus, appCount: z.number().int() }),
  'apps.list': z.object({
    apps: z.array(AppSummary),
    /** The frame address of each app's current version, by version id: the shell starts loading an app as it is asked for. */
    frames: z.record(VersionId, z.string()).default({}),
  }),
  'apps.open': z.object({ app: AppSummary, versionId: VersionId, frameUrl: z.string() }),
  generate: z.object({
    app: AppSummary,
    versionId: VersionId,
    attempts: z.number().int().positive().optional(),
  }),
  'generate.cancel': z.object({ cancelled: z.boolean() }),
  'storage.get': z.object({ value: JsonValue.nullable() }),
  'storage.set': z.object({}),
  ask: AskResult,
  'apps.report': z.object({ appId: AppId }),
  'apps.repair': z.object({
    outcome: z.enum(['repaired', 'rolled-back', 'gave-up']),
    app: AppSummary,
    versionId: VersionId,
    attempts: z.number().int().nonnegative(),
    message: z.string(),
  }),
  'apps.search': z.object({ hits: z.array(SearchHit) }),
  'apps.versions': z.object({ versions: z.array(VersionSummary) }),
  'apps.rollback': z.object({ app: AppSummary }),
  'apps.forget': z.object({}),
  'apps.pin': z.object({ app: AppSummary }),
  'apps.setIcon': z.object({ app: AppSummary }),
  'broker.watch': z.object({ pending: z.array(ConsentRequest) }),
  'broker.decide': z.object({ settled: z.boolean() }),
  'broker.request': z.object({ grant: SensorGrant }),
  'broker.use': z.object({ grant: SensorGrant }),
  'broker.revoke': z.object({ revoked: z.boolean() }),
  'broker.appClosed': z.object({}),
  'broker.grants': z.object({ grants: z.array(SensorGrant) }),
  'system.doctor': z.object({ rows: z.array(z.object({ label: z.string(), value: z.string() })) }),
  'broker.audit': z.object({ entries: z.array(AuditEntry) }),
  'broker.devices': z.object({
    cameras: z.array(MediaDevice),
    microphones: z.array(MediaDevice),
    pipewire: z.boolean(),
  }),
  'sensors.location': Position,
  'admin.status': AdminStatus,
  'admin.unlock': AdminStatus,
  'admin.setPin': AdminStatus,
  'admin.lock': AdminStatus,
  'context.forgetAll': z.object({ apps: z.number().int().nonnegative() }),
  'context.export': z.object({
    fileName: z.string(),
    text: z.string(),
    apps: z.number().int().nonnegative(),
  }),
} as const satisfies Record<Method, z.ZodType>;

export type Params<M extends Method> = z.infer<(typeof requestParams)[M]>;
export type Result<M extends Method> = z.infer<(typeof resultSchemas)[M]>;

/** The envelope every request arrives in; params are checked per method after it. */
export const RequestEnvelope = z.strictObject({
  id: Id,
  method: z.string().max(64),
  params: z.unknown().optional(),
});

export const ErrorBody = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const GenerationStage = z.enum([
  'queued',
  'prompting',
  'generating',
  'validating',
  'saving',
  'repairing',
]);
export type GenerationStage = z.infer<typeof GenerationStage>;

export const GenerationProgress = z.object({
  requestId: Id,
  stage: GenerationStage,
  /** Tokens the model has written so far. */
  tokens: z.number().int().nonnegative(),
  elapsedMs: z.number().int().nonnegative(),
  /** The tail of what the model has written, for an early preview. */
  preview: z.string().optional(),
  /** The app's HTML as far as the model has written it (new apps only), for a rendered preview. */
  previewHtml: z.string().optional(),
  /** Which attempt this is: 1 first, more while repairing. */
  attempt: z.number().int().positive().optional(),
});
export type GenerationProgress = z.infer<typeof GenerationProgress>;

export const events = {
  'generation.progress': GenerationProgress,
  'model.status': ModelStatus,
  /** A consent card to show (to connections that called broker.watch). */
  'broker.consent': ConsentRequest,
  /** A card was answered (here or elsewhere) or gave up: take it down. */
  'broker.settled': z.object({ requestId: Id }),
  /** Grants changed: a revoked or expired grant's live streams must stop. */
  'broker.grantsChanged': z.object({
    appId: AppId,
    capability: SensorCapability,
    change: z.enum(['granted', 'revoked', 'expired', 'closed', 'used']),
  }),
} as const;
export type EventName = keyof typeof events;
export type EventData<E extends EventName> = z.infer<(typeof events)[E]>;

/** Everything the daemon sends: a reply, a coded error or an event. */
export const ServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reply'), id: Id, result: z.unknown() }),
  z.object({ type: z.literal('error'), id: Id.nullable(), error: ErrorBody }),
  z.object({
    type: z.literal('event'),
    event: z.enum(Object.keys(events) as [EventName]),
    data: z.unknown(),
  }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/** Largest message either side accepts, in bytes. */
export const MAX_MESSAGE_BYTES = 512 * 1024;
