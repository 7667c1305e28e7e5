import { execFileSync } from 'node:child_process';

/** Builds dist/ once so integration tests run the same JavaScript the product ships. */
export default function setup(): void {
  if (process.env.FIGMENT_TEST_SKIP_BUILD === '1') return;
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
}
