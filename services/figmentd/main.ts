/**
 * figmentd entry point: figmentd [--config FILE]. Settings come from the file
 * and FIGMENT_* variables (see README "Configuration").
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ErrorCode, FigmentError } from '../protocol/errors.js';
import { loadConfig } from './config/loadConfig.js';
import { Daemon } from './Daemon.js';
import { Logger } from './log/Logger.js';

/** Exit status for a configuration error (sysexits EX_CONFIG); systemd does not restart-loop on it. */
const EXIT_CONFIG = 78;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' } } });
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ file: values.config });
  } catch (error) {
    process.stderr.write(`figmentd: ${(error as Error).message}\n`);
    process.exit(EXIT_CONFIG);
  }
  const logger = new Logger(config.logLevel);
  const rootDir = findRoot(dirname(fileURLToPath(import.meta.url)));
  const version = (JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8')) as { version: string })
    .version;
  const daemon = new Daemon({ config, logger, rootDir, version });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    await daemon.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('unhandledRejection', (error) => logger.error('unhandled rejection', { error }));

  try {
    await daemon.start();
  } catch (error) {
    const coded = FigmentError.from(error);
    logger.error('failed to start', { error: coded });
    process.stderr.write(`figmentd: ${coded.message}\n`);
    process.exit(coded.code === ErrorCode.Config ? EXIT_CONFIG : 1);
  }
}

/** The installation root is the nearest folder up with our package.json (works from source and from dist/). */
function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'prompts'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find Figment's root above ${from}`);
    dir = parent;
  }
  return dir;
}

await main();
