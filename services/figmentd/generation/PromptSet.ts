import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';

const PromptManifest = z.strictObject({
  version: z.string().min(1),
  description: z.string().default(''),
  /** Files joined, in order, into the fixed system text. */
  system: z.array(z.string().regex(/^[\w.-]+\.md$/)).min(1),
});

/**
 * One versioned set of prompt files (prompts/<version>/). The system text is
 * fixed per version and comes first, so a model can reuse its evaluation.
 */
export class PromptSet {
  private constructor(
    readonly version: string,
    readonly system: string,
  ) {}

  static load(dir: string): PromptSet {
    let manifest: z.infer<typeof PromptManifest>;
    try {
      manifest = PromptManifest.parse(JSON.parse(readFileSync(join(dir, 'prompt.json'), 'utf8')));
    } catch (error) {
      throw new FigmentError(
        ErrorCode.Config,
        `cannot load prompts from ${dir}: ${(error as Error).message}`,
      );
    }
    const system = manifest.system.map((file) => readFileSync(join(dir, file), 'utf8').trim()).join('\n\n');
    return new PromptSet(manifest.version, system);
  }

  /** The part that changes per request. */
  userText(intent: string): string {
    return `Request: ${intent}\n\nAnswer with the JSON object only.`;
  }
}
