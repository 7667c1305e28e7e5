export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

/**
 * Structured logs: one JSON object per line on stderr (journald keeps them
 * under systemd). Each line has time, level, module and msg, plus fields.
 */
export class Logger {
  constructor(
    private readonly level: LogLevel = 'info',
    private readonly module = 'figmentd',
    private readonly write: (line: string) => void = (line) => process.stderr.write(line),
  ) {}

  /** A logger for one module, sharing level and output. */
  child(module: string): Logger {
    return new Logger(this.level, module, this.write);
  }

  debug(msg: string, fields?: LogFields): void {
    this.log('debug', msg, fields);
  }

  info(msg: string, fields?: LogFields): void {
    this.log('info', msg, fields);
  }

  warn(msg: string, fields?: LogFields): void {
    this.log('warn', msg, fields);
  }

  error(msg: string, fields?: LogFields): void {
    this.log('error', msg, fields);
  }

  private log(level: LogLevel, msg: string, fields: LogFields = {}): void {
    if (rank[level] < rank[this.level]) return;
    const entry = { time: new Date().toISOString(), level, module: this.module, msg, ...fields };
    this.write(`${JSON.stringify(entry, errorReplacer)}\n`);
  }
}

/** Errors have no enumerable fields; log their code and message instead of {}. */
function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const coded = value as Error & { code?: unknown };
    return { name: value.name, message: value.message, code: coded.code, stack: value.stack };
  }
  return value;
}
