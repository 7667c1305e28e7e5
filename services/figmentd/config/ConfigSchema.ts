import { z } from 'zod';

const PositiveInt = z.number().int().positive();
/** A bus: the system or session bus, none, or a D-Bus address such as unix:path=/run/x. */
const BusChoice = z.union([
  z.enum(['system', 'session', 'off']),
  z.string().regex(/^(unix|tcp):/, 'not a D-Bus address'),
]);

/** figmentd's settings. Every field has a default, so an empty file is valid. */
export const ConfigSchema = z.strictObject({
  /** Directory of the database. Defaults to the XDG data dir (/var/lib/figment in the image). */
  stateDir: z.string().min(1),
  /** Directory of the Unix socket and api.json. Defaults to $XDG_RUNTIME_DIR/figment. */
  runtimeDir: z.string().min(1),
  api: z
    .strictObject({
      /** Loopback only: the API is never offered to the network. */
      host: z.enum(['127.0.0.1', '::1']).default('127.0.0.1'),
      /** 0 picks a free port. Defaults to 7878. */
      port: z.number().int().min(0).max(65535).default(7878),
      /** Also serve the API on a Unix socket in runtimeDir. Defaults to true. */
      socket: z.boolean().default(true),
    })
    .prefault({}),
  model: z
    .strictObject({
      /** 'llama' runs a local GGUF; 'scripted' replays canned outputs (tests, demos). */
      backend: z.enum(['llama', 'scripted']).default('llama'),
      /** The GGUF file. Defaults to <stateDir>/models/default.gguf. */
      path: z.string().min(1).optional(),
      /** JSON file of scripted responses, for backend 'scripted'. */
      scriptPath: z.string().min(1).optional(),
      /** Pause before each scripted chunk, in ms, to imitate a model's pace (demos, screenshots). Defaults to 0. */
      scriptDelayMs: z.number().int().nonnegative().max(10_000).optional(),
      /** 'auto' chooses from the physical core count. */
      threads: z.union([z.literal('auto'), PositiveInt]).default('auto'),
      gpu: z.union([z.literal('auto'), z.literal(false)]).default('auto'),
      /** 'auto': 4096 capped at the model's trained length; a number is used as given. */
      contextSize: z.union([z.literal('auto'), PositiveInt]).default('auto'),
      /** Unload the model after this many ms without requests. Defaults to never. */
      idleUnloadMs: PositiveInt.optional(),
      /** An OpenAI-compatible server to send 'shareable' requests to. Defaults to none. */
      remote: z
        .strictObject({
          /** API root, e.g. http://127.0.0.1:8080/v1. */
          baseUrl: z.url({ protocol: /^https?$/ }),
          /** Model name the server expects. */
          model: z.string().min(1),
          /** Name of the environment variable holding the API key (never the key itself). */
          apiKeyEnv: z.string().min(1).optional(),
          timeoutMs: PositiveInt.default(120_000),
          /** 'local-only' keeps everything on the machine even with a remote configured. */
          policy: z.enum(['local-only', 'remote-first']).default('local-only'),
          /**
           * The label of requests that carry none, app generation among them:
           * 'shareable' lets them go to the remote under remote-first. Defaults to 'private'.
           */
          defaultPrivacy: z.enum(['private', 'shareable']).default('private'),
        })
        .optional(),
    })
    .prefault({}),
  embedding: z
    .strictObject({
      /** The embedding GGUF. Defaults to <stateDir>/models/embedding.gguf when that exists; else none. */
      path: z.string().min(1).optional(),
    })
    .prefault({}),
  generation: z
    .strictObject({
      /** Upper bound on tokens the model may write for one app. */
      maxTokens: PositiveInt.default(3000),
      /** Upper bound on one generation, in ms. */
      timeoutMs: PositiveInt.default(300_000),
    })
    .prefault({}),
  storage: z
    .strictObject({
      maxValueBytes: PositiveInt.default(1024 * 1024),
      maxAppBytes: PositiveInt.default(5 * 1024 * 1024),
    })
    .prefault({}),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  broker: z
    .strictObject({
      /** Where io.figment.Broker1 is served: 'system' (the image), 'session' (development), 'off', or a bus address. Defaults to 'session'. */
      bus: BusChoice.default('session'),
      /** Where GeoClue2 is. Defaults to 'system'. */
      geoclueBus: BusChoice.default('system'),
      /** Unix users (names or uids) who may call the broker on D-Bus. Defaults to figmentd's own user. */
      allowedUsers: z.array(z.union([z.string().min(1), z.number().int().nonnegative()])).default([]),
      /** How precise a position apps get. Defaults to 'exact'. */
      locationAccuracy: z.enum(['country', 'city', 'neighborhood', 'street', 'exact']).default('exact'),
      /** How long a consent card waits before it counts as "no". Defaults to 60 s. */
      consentTimeoutMs: PositiveInt.default(60_000),
    })
    .prefault({}),
  shell: z
    .strictObject({
      /** Kiosk mode: Settings (and forgetting, exporting, revoking) need the admin PIN. Defaults to false. */
      kiosk: z.boolean().default(false),
      /**
       * The admin PIN as a salted scrypt hash (`scrypt$N$r$p$salt$key`). Defaults to none:
       * the first person to open Settings on the kiosk chooses it (kept in <stateDir>/admin-pin).
       */
      adminPinHash: z.string().min(1).optional(),
    })
    .prefault({}),
});

/** Settings after loading: every path resolved. */
export type FigmentConfig = z.infer<typeof ConfigSchema> & { model: { path: string } };
