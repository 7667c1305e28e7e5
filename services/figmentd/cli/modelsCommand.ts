import { join } from 'node:path';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import { formatBytes } from '../models/formatBytes.js';
import { ModelManager } from '../models/ModelManager.js';
import { readModelInfo } from '../models/readModelInfo.js';
import { ProgressBar } from './ProgressBar.js';
import type { CliContext } from './types.js';

const USAGE =
  'usage: figment models list | pull <name-or-url> [--sha256 HEX] | use <name> | remove <name> | info <file>';

/** `figment models …`: the catalogue and the models on disk. */
export async function modelsCommand(args: string[], context: CliContext): Promise<number> {
  const [sub, target, ...rest] = args;
  const manager = new ModelManager({ modelsDir: join(context.config.stateDir, 'models') });
  const print = (text: string): void => void context.out.write(`${text}\n`);
  switch (sub) {
    case 'list': {
      const { catalogue, otherFiles } = await manager.list();
      for (const entry of catalogue) {
        const marks = [
          entry.active ? 'in use' : entry.installed ? 'installed' : '',
          entry.fits ? '' : 'too large here',
        ]
          .filter(Boolean)
          .join(', ');
        print(
          `${entry.name.padEnd(26)} ${entry.purpose.padEnd(10)} ${entry.tiers.join('/').padEnd(12)} ~${formatBytes(entry.approxBytes).padEnd(8)} ${entry.licence.padEnd(11)} ${marks}`,
        );
      }
      for (const file of otherFiles) print(`${file} (not in the catalogue)`);
      return 0;
    }
    case 'pull': {
      if (!target) throw usage();
      const at = rest.indexOf('--sha256');
      const sha256 = at === -1 ? undefined : rest[at + 1];
      const bar = new ProgressBar(context.err, target);
      const result = await manager.pull(target, {
        ...(sha256 ? { sha256 } : {}),
        onStart: (total, resumed) =>
          context.err.write(
            `Downloading ${target}${total ? ` (${formatBytes(total)})` : ''}${resumed ? `, resuming at ${formatBytes(resumed)}` : ''}\n`,
          ),
        onProgress: (received, total) => bar.update(received, total),
      });
      bar.done();
      print(
        `${result.path}: ${formatBytes(result.bytes)}, sha256 ${result.sha256} (checked against the ${result.verified === 'sha256' ? 'published checksum' : result.verified === 'size' ? 'published size' : "server's length"})`,
      );
      return 0;
    }
    case 'use': {
      if (!target) throw usage();
      print(`${await manager.use(target)} → ${target}; restart figmentd to load it`);
      return 0;
    }
    case 'remove': {
      if (!target) throw usage();
      for (const path of await manager.remove(target)) print(`removed ${path}`);
      return 0;
    }
    case 'info': {
      if (!target) throw usage();
      print(JSON.stringify(await readModelInfo(target), null, 2));
      return 0;
    }
    default:
      throw usage();
  }
}

function usage(): FigmentError {
  return new FigmentError(ErrorCode.BadMessage, USAGE);
}
