import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';

/** scrypt's cost (N, r, p): about 50 ms and 16 MiB a try here, slow enough to make guessing dear. */
const COST = { N: 2 ** 14, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{32,})$/;

/** What a PIN may be: 4 to 12 digits (a kiosk's on-screen keypad has no letters). */
export const PIN_PATTERN = /^\d{4,12}$/;

/**
 * An admin PIN kept as a salted scrypt hash, written as
 * `scrypt$N$r$p$salt$key` (base64url), so the PIN itself is never stored.
 */
export class PinHash {
  private constructor(
    private readonly cost: { N: number; r: number; p: number },
    private readonly salt: Buffer,
    private readonly key: Buffer,
  ) {}

  /** Hashes a new PIN with a fresh salt. Throws BadMessage when it is not 4 to 12 digits. */
  static async create(pin: string): Promise<PinHash> {
    if (!PIN_PATTERN.test(pin)) {
      throw new FigmentError(ErrorCode.BadMessage, 'An admin PIN is 4 to 12 digits.');
    }
    const salt = randomBytes(SALT_BYTES);
    return new PinHash(COST, salt, await derive(pin, salt, COST));
  }

  /** Reads a stored hash. Throws Config when it is not one this format knows. */
  static parse(text: string): PinHash {
    const match = FORMAT.exec(text.trim());
    if (!match) {
      throw new FigmentError(
        ErrorCode.Config,
        'The admin PIN hash is not in the form scrypt$N$r$p$salt$key.',
      );
    }
    const [, N, r, p, salt, key] = match as unknown as [string, string, string, string, string, string];
    return new PinHash(
      { N: Number(N), r: Number(r), p: Number(p) },
      Buffer.from(salt, 'base64url'),
      Buffer.from(key, 'base64url'),
    );
  }

  /** True when `pin` is the PIN this hash was made from (compared in constant time). */
  async verify(pin: string): Promise<boolean> {
    if (!PIN_PATTERN.test(pin)) return false;
    const key = await derive(pin, this.salt, this.cost);
    return key.length === this.key.length && timingSafeEqual(key, this.key);
  }

  toString(): string {
    const { N, r, p } = this.cost;
    return `scrypt$${N}$${r}$${p}$${this.salt.toString('base64url')}$${this.key.toString('base64url')}`;
  }
}

function derive(pin: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, KEY_BYTES, { ...cost, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error
        ? reject(new FigmentError(ErrorCode.Config, `The admin PIN hash cannot be used: ${error.message}`))
        : resolve(key),
    );
  });
}
