import { readFileSync } from 'node:fs';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';

/** Turns user names (looked up in /etc/passwd) and uids into uids; an unknown name is a config error. */
export function resolveUids(users: readonly (string | number)[], passwdFile = '/etc/passwd'): number[] {
  if (users.every((u) => typeof u === 'number')) return users as number[];
  const byName = new Map<string, number>();
  for (const line of readFileSync(passwdFile, 'utf8').split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid) byName.set(name, Number(uid));
  }
  return users.map((user) => {
    if (typeof user === 'number') return user;
    const uid = byName.get(user);
    if (uid === undefined)
      throw new FigmentError(ErrorCode.Config, `broker.allowedUsers: there is no user "${user}"`);
    return uid;
  });
}
