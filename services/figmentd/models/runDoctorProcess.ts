import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import type { DoctorReport } from './collectDoctorReport.js';

/**
 * Runs `figment doctor --json` in a child process. The probe creates and
 * disposes its own llama.cpp instance, which must never touch the one that
 * serves requests in figmentd.
 */
export function runDoctorProcess(
  rootDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DoctorReport> {
  const cli = join(rootDir, 'dist', 'scripts', 'figment.js');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [cli, 'doctor', '--json'], { env, timeout: 60_000 }, (error, stdout) => {
      if (error) {
        reject(new FigmentError(ErrorCode.Internal, `the hardware check failed: ${error.message}`));
        return;
      }
      try {
        // llama.cpp may print warnings on stdout before the report.
        resolve(JSON.parse(stdout.slice(stdout.indexOf('{'))) as DoctorReport);
      } catch {
        reject(new FigmentError(ErrorCode.Internal, 'the hardware check printed something unreadable'));
      }
    });
  });
}
