/** Most clarifying questions asked before making an app. */
export const MAX_QUESTIONS = 3;

/** Clarifying questions, each with offered answers and a default among them. */
export function questionsJsonSchema() {
  const short = { type: 'string', minLength: 1, maxLength: 80 } as const;
  return {
    type: 'object',
    properties: {
      questions: {
        type: 'array',
        maxItems: MAX_QUESTIONS,
        items: {
          type: 'object',
          properties: {
            question: { type: 'string', minLength: 3, maxLength: 160 },
            options: { type: 'array', minItems: 2, maxItems: 4, items: short },
            default: short,
          },
        },
      },
    },
  } as const;
}
