import { appIconNames } from '../../protocol/appIcons.js';
import { bundleLimits, Capability } from '../../protocol/bundle.js';

/**
 * The shape the model must write, as node-llama-cpp's JSON schema grammar.
 * String bounds keep a rambling model from never closing the object.
 */
export function bundleJsonSchema(maxHtmlChars: number = bundleLimits.htmlChars) {
  return {
    type: 'object',
    properties: {
      manifest: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1, maxLength: bundleLimits.nameChars },
          description: { type: 'string', maxLength: bundleLimits.descriptionChars },
          capabilities: {
            type: 'array',
            items: { enum: Capability.options },
            maxItems: Capability.options.length,
          },
          // The model picks the launcher icon from the shell's catalogue, so it is always drawable.
          icon: { enum: appIconNames },
        },
      },
      html: { type: 'string', minLength: 1, maxLength: Math.min(maxHtmlChars, bundleLimits.htmlChars) },
    },
  } as const;
}
