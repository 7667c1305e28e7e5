import { bundleLimits } from '../../protocol/bundle.js';
import { bundleJsonSchema } from './bundleJsonSchema.js';

/** Most search/replace blocks one patch may hold; a bigger change is a full document. */
export const MAX_EDITS = 12;

/** A patch against the stored document: the (possibly updated) manifest and search/replace blocks. */
export function editJsonSchema() {
  const block = { type: 'string', maxLength: Math.floor(bundleLimits.htmlChars / 4) } as const;
  return {
    type: 'object',
    properties: {
      manifest: bundleJsonSchema().properties.manifest,
      edits: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_EDITS,
        items: { type: 'object', properties: { search: { ...block, minLength: 1 }, replace: block } },
      },
    },
  } as const;
}
