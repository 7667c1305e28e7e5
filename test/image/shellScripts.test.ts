import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const repoRoot = new URL('../../', import.meta.url).pathname;

/** Every shell script in the repository (tracked by git, with a bash shebang or a .sh name). */
function shellScripts(): string[] {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((file) => file && !file.startsWith('node_modules'));
  return files.filter((file) => {
    if (file.endsWith('.sh')) return true;
    if (!file.includes('/libexec/')) return false;
    return execFileSync('head', ['-c', '64', file], { cwd: repoRoot, encoding: 'utf8' }).startsWith(
      '#!/bin/bash',
    );
  });
}

describe('shell scripts', () => {
  it('are shellcheck-clean (the image scripts, the overlay helpers, setup and CI)', () => {
    const scripts = [...shellScripts(), '.ci/run'];
    expect(scripts).toContain('image/qemu-test/build.sh');
    expect(scripts).toContain('image/rootfs-overlay/usr/libexec/figment/kiosk-session');
    const result = (() => {
      try {
        return execFileSync('shellcheck', ['--format=gcc', ...scripts], { cwd: repoRoot, encoding: 'utf8' });
      } catch (error) {
        const failed = error as { stdout?: string; message: string };
        return failed.stdout || failed.message;
      }
    })();
    expect(result).toBe('');
  });
});
