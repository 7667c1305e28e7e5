import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import { ConfigSchema, type FigmentConfig } from './ConfigSchema.js';
import { defaultRuntimeDir, defaultStateDir } from './paths.js';

/** Environment variables that override the file, and the field each sets. */
const envFields = {
  FIGMENT_STATE_DIR: ['stateDir'],
  FIGMENT_RUNTIME_DIR: ['runtimeDir'],
  FIGMENT_PORT: ['api', 'port'],
  FIGMENT_SOCKET: ['api', 'socket'],
  FIGMENT_MODEL_BACKEND: ['model', 'backend'],
  FIGMENT_MODEL_PATH: ['model', 'path'],
  FIGMENT_MODEL_SCRIPT: ['model', 'scriptPath'],
  FIGMENT_MODEL_SCRIPT_DELAY_MS: ['model', 'scriptDelayMs'],
  FIGMENT_MODEL_THREADS: ['model', 'threads'],
  FIGMENT_MODEL_GPU: ['model', 'gpu'],
  FIGMENT_MODEL_CONTEXT: ['model', 'contextSize'],
  FIGMENT_MAX_TOKENS: ['generation', 'maxTokens'],
  FIGMENT_LOG_LEVEL: ['logLevel'],
  FIGMENT_BUS: ['broker', 'bus'],
  FIGMENT_GEOCLUE_BUS: ['broker', 'geoclueBus'],
  FIGMENT_KIOSK: ['shell', 'kiosk'],
  FIGMENT_ADMIN_PIN_HASH: ['shell', 'adminPinHash'],
} as const;

export interface LoadConfigOptions {
  /** A JSON config file. Defaults to $FIGMENT_CONFIG; none when neither is set. */
  file?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Reads the config file (if any), applies environment overrides and
 * validates the result. Throws FigmentError(Config) naming every wrong field.
 */
export function loadConfig(options: LoadConfigOptions = {}): FigmentConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? env.FIGMENT_CONFIG;
  const raw: Record<string, unknown> = file ? readConfigFile(file) : {};

  for (const [name, path] of Object.entries(envFields)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, path, parseEnvValue(value));
  }
  raw.stateDir ??= defaultStateDir(env);
  raw.runtimeDir ??= defaultRuntimeDir(env);

  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const source = file ? ` (from ${file} and FIGMENT_* variables)` : ' (from FIGMENT_* variables)';
    throw new FigmentError(
      ErrorCode.Config,
      `invalid configuration${source}:\n${describeIssues(parsed.error)}`,
    );
  }
  const config = parsed.data;
  const modelPath = config.model.path ?? join(config.stateDir, 'models', 'default.gguf');
  return { ...config, model: { ...config.model, path: modelPath } };
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new FigmentError(ErrorCode.Config, `cannot read config file ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FigmentError(
      ErrorCode.Config,
      `config file ${file} is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FigmentError(ErrorCode.Config, `config file ${file} must hold a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** Numbers and booleans in the environment arrive as text; read them as JSON would. */
function parseEnvValue(value: string): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^-?\d+$/.test(value)) return Number(value);
  return value;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node[key] = typeof next === 'object' && next !== null ? next : {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

/** One line per wrong field: "model.threads: expected 'auto' or a positive whole number". */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `  - ${issue.path.join('.') || '(top level)'}: ${issue.message}`)
    .join('\n');
}
