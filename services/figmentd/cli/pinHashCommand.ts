import { text } from 'node:stream/consumers';
import { PinHash } from '../admin/PinHash.js';
import type { CliContext } from './types.js';

/**
 * `figment pin-hash < pin.txt`: prints the salted scrypt hash of an admin PIN
 * for `shell.adminPinHash`. The PIN comes on stdin, so it stays out of the
 * shell's history and the process list.
 */
export async function pinHashCommand(
  _args: string[],
  context: CliContext,
  input: NodeJS.ReadableStream = process.stdin,
): Promise<number> {
  const pin = (await text(input)).split('\n')[0]?.trim() ?? '';
  context.out.write(`${(await PinHash.create(pin)).toString()}\n`);
  return 0;
}
