import { z } from 'zod';
import { AppBundle, AppManifest } from '../../protocol/bundle.js';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';

export const EditAnswer = z.object({
  manifest: AppManifest,
  edits: z.array(z.object({ search: z.string(), replace: z.string() })).min(1),
});
export type EditAnswer = z.infer<typeof EditAnswer>;

export const QuestionsAnswer = z.object({
  questions: z.array(
    z.object({
      question: z.string().min(1),
      options: z.array(z.string().min(1)).min(2),
      default: z.string().min(1),
    }),
  ),
});

/**
 * Reads the model's JSON answer against a schema. A ModelOutput error says
 * why in words fit for the model's next attempt and for a person.
 */
export function parseModelJson<T>(schema: z.ZodType<T>, text: string, stopReason: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const why =
      stopReason === 'maxTokens'
        ? 'it ran out of room before finishing (the size limit)'
        : 'it was not valid JSON';
    throw new FigmentError(ErrorCode.ModelOutput, `The model's answer could not be read: ${why}.`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || 'answer').join(', ');
    throw new FigmentError(ErrorCode.ModelOutput, `The model's answer is missing parts (${fields}).`);
  }
  return parsed.data;
}

export const parseBundle = (text: string, stopReason: string) => parseModelJson(AppBundle, text, stopReason);
