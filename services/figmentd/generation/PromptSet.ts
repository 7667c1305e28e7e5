import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';

const FileName = z.string().regex(/^[\w.-]+\.md$/);

/** The per-request texts a prompt set may define; a set without them uses plain defaults. */
export const TemplateName = z.enum(['request', 'repair', 'edit', 'rewrite', 'clarify']);
export type TemplateName = z.infer<typeof TemplateName>;

const PromptManifest = z.strictObject({
  version: z.string().min(1),
  description: z.string().default(''),
  /** Files joined, in order, into the fixed system text. */
  system: z.array(FileName).min(1),
  /** Per-request texts, with {{placeholders}}. */
  templates: z.partialRecord(TemplateName, FileName).default({}),
});

const fallbackTemplates: Record<TemplateName, string> = {
  request: 'Request: {{request}}\n{{answers}}\nAnswer with the JSON object only.',
  repair:
    'Request: {{request}}\n\nFix these problems:\n{{problems}}\n\n{{document}}\n\nAnswer with the JSON object only.',
  edit: 'Change this app: {{request}}\n\n{{document}}\n\nAnswer with {"manifest": {...}, "edits": [{"search": "...", "replace": "..."}]}.',
  rewrite: 'Change this app: {{request}}\n\n{{document}}\n\nAnswer with the JSON object only.',
  clarify: 'Request: {{request}}\n\nAnswer with {"questions": [...]} only.',
};

/**
 * One versioned set of prompt files (prompts/<version>/). The system text is
 * fixed per version and comes first, so a model can reuse its evaluation;
 * only the rendered template after it changes per request.
 */
export class PromptSet {
  private constructor(
    readonly version: string,
    readonly system: string,
    private readonly templates: Record<TemplateName, string>,
  ) {}

  static load(dir: string): PromptSet {
    let manifest: z.infer<typeof PromptManifest>;
    try {
      manifest = PromptManifest.parse(JSON.parse(readFileSync(join(dir, 'prompt.json'), 'utf8')));
      const read = (file: string) => readFileSync(join(dir, file), 'utf8').trim();
      const system = manifest.system.map(read).join('\n\n');
      const templates = { ...fallbackTemplates };
      for (const name of TemplateName.options) {
        const file = manifest.templates[name];
        if (file) templates[name] = read(file);
      }
      return new PromptSet(manifest.version, system, templates);
    } catch (error) {
      throw new FigmentError(
        ErrorCode.Config,
        `cannot load prompts from ${dir}: ${(error as Error).message}`,
      );
    }
  }

  /** The part that changes per request, for a new app. */
  userText(intent: string, answers = ''): string {
    return this.render('request', { request: intent, answers });
  }

  /** Fills a template's {{placeholders}}; a missing value becomes empty, and values are never re-read as placeholders. */
  render(name: TemplateName, values: Readonly<Record<string, string>>): string {
    return this.templates[name].replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');
  }
}
