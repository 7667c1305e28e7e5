/**
 * The one catalogue of error codes. Every coded failure that crosses a
 * boundary (API replies, bridge replies, logs, CLI output) uses one of these.
 */
export const ErrorCode = {
  /** A message was not JSON or did not match its schema. */
  BadMessage: 'FIGMENT_ERR_BAD_MESSAGE',
  /** A message named a method the receiver does not know. */
  UnknownMethod: 'FIGMENT_ERR_UNKNOWN_METHOD',
  /** A client did not present the right token or socket credentials. */
  Unauthorized: 'FIGMENT_ERR_UNAUTHORIZED',
  /** The configuration file or environment holds an invalid value. */
  Config: 'FIGMENT_ERR_CONFIG',
  /** No model is configured, or the configured file does not exist. */
  NoModel: 'FIGMENT_ERR_NO_MODEL',
  /** The model could not be loaded (corrupt file, not enough memory). */
  ModelLoad: 'FIGMENT_ERR_MODEL_LOAD',
  /** The model's output was not a valid app bundle. */
  ModelOutput: 'FIGMENT_ERR_MODEL_OUTPUT',
  /** The generated bundle failed validation. */
  Validation: 'FIGMENT_ERR_VALIDATION',
  /** The work was cancelled by the person or the client. */
  Cancelled: 'FIGMENT_ERR_CANCELLED',
  /** The requested app, version or request does not exist. */
  NotFound: 'FIGMENT_ERR_NOT_FOUND',
  /** An app exceeded its storage quota. */
  StorageQuota: 'FIGMENT_ERR_STORAGE_QUOTA',
  /** The database is from a newer Figment or failed its integrity check. */
  Database: 'FIGMENT_ERR_DATABASE',
  /** The daemon is busy with too much work to accept more. */
  Busy: 'FIGMENT_ERR_BUSY',
  /** A limit on size or time was reached. */
  Limit: 'FIGMENT_ERR_LIMIT',
  /** A capability was used without being declared or granted. */
  Capability: 'FIGMENT_ERR_CAPABILITY',
  /** A model needs more memory than this machine has. */
  ModelTooLarge: 'FIGMENT_ERR_MODEL_TOO_LARGE',
  /** A model download failed, or what arrived is not what was expected (size or checksum). */
  Download: 'FIGMENT_ERR_DOWNLOAD',
  /** The remote model server failed or answered in a shape we do not understand. */
  Remote: 'FIGMENT_ERR_REMOTE',
  /** No embedding model is configured, or its file does not exist. */
  NoEmbeddingModel: 'FIGMENT_ERR_NO_EMBEDDING_MODEL',
  /** A sensor or permission the person has not granted to this app (denied by default). */
  NotGranted: 'FIGMENT_ERR_NOT_GRANTED',
  /** A sensor or system service is not present on this machine (no GeoClue2, no camera). */
  Unavailable: 'FIGMENT_ERR_UNAVAILABLE',
  /** A settings action that needs the admin PIN, on a kiosk connection that has not entered it. */
  AdminRequired: 'FIGMENT_ERR_ADMIN_REQUIRED',
  /** The admin PIN given is not the right one. */
  WrongPin: 'FIGMENT_ERR_WRONG_PIN',
  /** Too many wrong PINs: PIN tries are refused until the back-off wait is over. */
  TooManyTries: 'FIGMENT_ERR_TOO_MANY_TRIES',
  /** Anything unexpected; the log has details. */
  Internal: 'FIGMENT_ERR_INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const errorCodes = Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]];

/** An error that carries a catalogue code and words fit to show a person. */
export class FigmentError extends Error {
  override readonly name = 'FigmentError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** Wraps anything thrown into a FigmentError, keeping a coded error as it is. */
  static from(error: unknown, fallback: ErrorCode = ErrorCode.Internal): FigmentError {
    if (error instanceof FigmentError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new FigmentError(fallback, message);
  }
}
