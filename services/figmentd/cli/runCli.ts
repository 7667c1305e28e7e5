/**
 * The figment command: a small dispatcher. `figment doctor`,
 * `figment models list|pull|use|remove|info`, `figment pin-hash`. Settings as figmentd reads them
 * (FIGMENT_CONFIG, FIGMENT_* variables).
 */
import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import { loadConfig } from '../config/loadConfig.js';
import { doctorCommand } from './doctorCommand.js';
import { modelsCommand } from './modelsCommand.js';
import { pinHashCommand } from './pinHashCommand.js';
import type { CliContext } from './types.js';

const commands: Record<string, (args: string[], context: CliContext) => Promise<number>> = {
  doctor: doctorCommand,
  models: modelsCommand,
  'pin-hash': pinHashCommand,
};

/** Exit statuses: 0 done, 1 a coded failure, 64 bad usage (sysexits EX_USAGE). */
export async function runCli(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WriteStream = process.stderr,
): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    err.write(`usage: figment ${Object.keys(commands).join(' | ')} …\n`);
    return 64;
  }
  try {
    return await command(args, { config: loadConfig(), out, err });
  } catch (error) {
    const coded = FigmentError.from(error);
    err.write(`figment: ${coded.code}: ${coded.message}\n`);
    return coded.code === ErrorCode.BadMessage ? 64 : 1;
  }
}
