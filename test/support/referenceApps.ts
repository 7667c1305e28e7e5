import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppBundle, Capability } from '../../services/protocol/bundle.js';
import { repoRoot } from './startDaemon.js';

export interface ReferenceApp {
  file: string;
  bundle: AppBundle;
}

const dir = join(repoRoot, 'test/fixtures/reference-apps');

/** The hand-written reference apps (a timer, a to-do list with filters, an expense tracker with charts). */
export function referenceApps(): ReferenceApp[] {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
    apps: { file: string; name: string; description: string; capabilities: Capability[] }[];
  };
  return index.apps.map(({ file, name, description, capabilities }) => ({
    file,
    bundle: { manifest: { name, description, capabilities }, html: readFileSync(join(dir, file), 'utf8') },
  }));
}
