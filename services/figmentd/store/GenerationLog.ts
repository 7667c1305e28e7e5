import type Database from 'better-sqlite3';
import type { Finding } from '../../protocol/index.js';
import type { GenerationStats } from './types.js';

/** One model attempt at making, changing or repairing an app. */
export interface AttemptRecord extends GenerationStats {
  requestId: string;
  /** The app it was for; null while a new app has no valid version yet. */
  appId: string | null;
  sessionId?: string | null;
  /** 1 for the first attempt of a request, counting up through its repairs. */
  attempt: number;
  kind: 'new' | 'edit' | 'rewrite' | 'repair';
  /** Why the attempt was made: the person's request, or what went wrong before it. */
  cause: 'request' | 'validation' | 'patch' | 'runtime';
  outcome: 'stored' | 'invalid' | 'unreadable' | 'patch-failed' | 'failed';
  parentVersionId: string | null;
  /** The version it stored, when outcome is 'stored'. */
  versionId: string | null;
  intent: string;
  findings: Finding[];
  message?: string | null;
}

export interface StoredAttempt extends AttemptRecord {
  id: number;
  createdAt: number;
}

/** What the shell saw a running version do wrong. */
export interface RuntimeFailure {
  kind: 'error' | 'rejection' | 'unresponsive';
  message: string;
  stack?: string | null;
}

interface AttemptRow {
  id: number;
  request_id: string;
  app_id: string | null;
  session_id: string | null;
  attempt: number;
  kind: AttemptRecord['kind'];
  cause: AttemptRecord['cause'];
  outcome: AttemptRecord['outcome'];
  parent_version_id: string | null;
  version_id: string | null;
  intent: string;
  findings: string;
  message: string | null;
  model: string;
  prompt_version: string;
  prompt_tokens: number;
  completion_tokens: number;
  generation_ms: number;
  validation_ms: number;
  created_at: number;
}

/**
 * The record of generation: every attempt (kept or not) and every runtime
 * failure reported for a version. Lives in the context store's database;
 * rows about an app go when the app is forgotten.
 */
export class GenerationLog {
  readonly #db: Database.Database;
  readonly #now: () => number;

  constructor(db: Database.Database, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  recordAttempt(record: AttemptRecord): number {
    const result = this.#db
      .prepare(
        `INSERT INTO generation_attempts (request_id, app_id, session_id, attempt, kind, cause, outcome,
           parent_version_id, version_id, intent, findings, message, model, prompt_version, prompt_tokens,
           completion_tokens, generation_ms, validation_ms, created_at)
         VALUES (@requestId, @appId, @sessionId, @attempt, @kind, @cause, @outcome, @parentVersionId, @versionId,
           @intent, @findings, @message, @model, @promptVersion, @promptTokens, @completionTokens, @generationMs,
           @validationMs, @createdAt)`,
      )
      .run({
        ...record,
        sessionId: record.sessionId ?? null,
        message: record.message ?? null,
        findings: JSON.stringify(record.findings),
        createdAt: this.#now(),
      });
    return Number(result.lastInsertRowid);
  }

  /** Links a new app's earlier attempts (made before it existed) to it. */
  adoptAttempts(requestId: string, appId: string): void {
    this.#db
      .prepare('UPDATE generation_attempts SET app_id = ? WHERE request_id = ? AND app_id IS NULL')
      .run(appId, requestId);
  }

  /** Attempts of one request, first first. */
  attemptsOfRequest(requestId: string): StoredAttempt[] {
    return this.#db
      .prepare<[string], AttemptRow>(
        'SELECT * FROM generation_attempts WHERE request_id = ? ORDER BY attempt, id',
      )
      .all(requestId)
      .map(toAttempt);
  }

  /** Attempts about one app, oldest first. */
  attemptsOfApp(appId: string): StoredAttempt[] {
    return this.#db
      .prepare<[string], AttemptRow>('SELECT * FROM generation_attempts WHERE app_id = ? ORDER BY id')
      .all(appId)
      .map(toAttempt);
  }

  /** The attempt that stored a version, if one did. */
  attemptThatStored(versionId: string): StoredAttempt | undefined {
    const row = this.#db
      .prepare<[string], AttemptRow>(
        "SELECT * FROM generation_attempts WHERE version_id = ? AND outcome = 'stored' ORDER BY id LIMIT 1",
      )
      .get(versionId);
    return row && toAttempt(row);
  }

  recordRuntimeFailure(appId: string, versionId: string, failure: RuntimeFailure): void {
    this.#db
      .prepare(
        'INSERT INTO runtime_failures (app_id, version_id, kind, message, stack, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(appId, versionId, failure.kind, failure.message, failure.stack ?? null, this.#now());
  }

  /** Failures reported for a version, oldest first. */
  runtimeFailures(versionId: string): RuntimeFailure[] {
    return this.#db
      .prepare<[string], { kind: RuntimeFailure['kind']; message: string; stack: string | null }>(
        'SELECT kind, message, stack FROM runtime_failures WHERE version_id = ? ORDER BY id',
      )
      .all(versionId);
  }
}

function toAttempt(row: AttemptRow): StoredAttempt {
  return {
    id: row.id,
    requestId: row.request_id,
    appId: row.app_id,
    sessionId: row.session_id,
    attempt: row.attempt,
    kind: row.kind,
    cause: row.cause,
    outcome: row.outcome,
    parentVersionId: row.parent_version_id,
    versionId: row.version_id,
    intent: row.intent,
    findings: JSON.parse(row.findings) as Finding[],
    message: row.message,
    model: row.model,
    promptVersion: row.prompt_version,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    generationMs: row.generation_ms,
    validationMs: row.validation_ms,
    createdAt: row.created_at,
  };
}
