/**
 * Builds dist/: tsc for the Node side (figmentd, Electron main), esbuild for
 * what runs in a browser (shell UI, the SDK injected into app frames) and for
 * the sandboxed preload, which must be one CommonJS file.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

execFileSync(`${root}node_modules/.bin/tsc`, ['-p', `${root}tsconfig.build.json`], { stdio: 'inherit' });

const bundles = [
  { entry: 'shell/ui/main.ts', out: 'dist/shell/ui/shell.js', format: 'esm', platform: 'browser' },
  {
    entry: 'shell/sdk/figmentSdk.ts',
    out: 'dist/shell/sdk/figment-sdk.js',
    format: 'iife',
    platform: 'browser',
  },
  {
    entry: 'shell/preload/preload.ts',
    out: 'dist/shell/preload/preload.cjs',
    format: 'cjs',
    platform: 'node',
  },
] as const;

for (const bundle of bundles) {
  if (!existsSync(`${root}${bundle.entry}`)) continue;
  await build({
    entryPoints: [`${root}${bundle.entry}`],
    outfile: `${root}${bundle.out}`,
    bundle: true,
    format: bundle.format,
    platform: bundle.platform,
    target: ['chrome120', 'node20'],
    external: ['electron'],
    minify: bundle.platform === 'browser',
    sourcemap: bundle.entry.startsWith('shell/sdk') ? false : 'linked',
    logLevel: 'warning',
  });
}

mkdirSync(`${root}dist/shell/ui`, { recursive: true });
for (const file of ['index.html', 'shell.css']) {
  if (existsSync(`${root}shell/ui/${file}`))
    cpSync(`${root}shell/ui/${file}`, `${root}dist/shell/ui/${file}`);
}
