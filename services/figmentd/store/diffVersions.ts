import { createTwoFilesPatch } from 'diff';
import type { StoredVersion } from './types.js';

/**
 * A unified diff from one version to another: the manifest (as formatted
 * JSON) and then the HTML, each its own file in the patch.
 */
export function diffVersions(from: StoredVersion, to: StoredVersion): string {
  const manifest = createTwoFilesPatch(
    `${from.id}/manifest.json`,
    `${to.id}/manifest.json`,
    `${JSON.stringify(from.manifest, null, 2)}\n`,
    `${JSON.stringify(to.manifest, null, 2)}\n`,
  );
  const html = createTwoFilesPatch(
    `${from.id}/index.html`,
    `${to.id}/index.html`,
    ensureNewline(from.html),
    ensureNewline(to.html),
  );
  return `${manifest}${html}`;
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
