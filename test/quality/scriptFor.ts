/** What the scripted model answers for one intent: its first answer, and what it answers when asked to repair. */
export interface ScriptedIntent {
  intent: string;
  first: string;
  /** Defaults to the first answer again. */
  repair?: string;
}

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A script for the scripted backend (model.scriptPath) that answers each
 * intent, and each repair of it, as planned. Both prompts begin with
 * "Request: <intent>"; only a repair goes on with "Your app did not work".
 */
export function scriptFor(plans: ScriptedIntent[]): { responses: { match: string; output: string }[] } {
  return {
    responses: plans.flatMap(({ intent, first, repair }) => [
      { match: `^Request: ${literal(intent)}\\n\\nYour app did not work`, output: repair ?? first },
      { match: `^Request: ${literal(intent)}\\n`, output: first },
    ]),
  };
}
