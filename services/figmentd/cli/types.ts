import type { FigmentConfig } from '../config/ConfigSchema.js';

/** What every CLI command gets: settings and where to write. */
export interface CliContext {
  config: FigmentConfig;
  out: NodeJS.WritableStream;
  /** Progress and notices. */
  err: NodeJS.WriteStream;
}
