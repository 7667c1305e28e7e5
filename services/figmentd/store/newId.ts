import { randomBytes } from 'node:crypto';

/**
 * A fresh id such as `app_Xk3v9Q2mTz0aLb7c`: the prefix, an underscore and
 * 16 url-safe characters (12 random bytes, 96 bits, as base64url).
 */
export function newId(prefix: 'app' | 'ver' | 'ses'): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}
