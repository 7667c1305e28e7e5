/** What a person's words ask for. */
export type IntentKind = 'new' | 'change' | 'open' | 'other';

export interface ClassifiedIntent {
  kind: IntentKind;
  /** Words naming an existing app ("budget tracker"), or "it" for the app on screen; null when none. */
  reference: string | null;
  /** Asked for a new one even if a stored app fits ("a new timer", "another"). */
  fresh: boolean;
  /** "Just make it": no clarifying questions. */
  skipQuestions: boolean;
}

const skipWords = /\b(just (make|build|do) it|don'?t ask|no questions)\b/;
const freshWords = /\b(new|fresh|another|from scratch|again from)\b/;
const openVerbs =
  /^(?:please\s+|can you\s+|could you\s+)?(?:open|show(?: me)?|launch|start|run|go to|bring up|switch to|use)\s+(.+)$/;
const changeVerbs =
  /^(?:please\s+|can you\s+|could you\s+)?(?:add|change|turn|remove|delete|rename|fix|update|edit|give|let|put|move|sort|colou?r|replace|swap|hide|show|increase|decrease|translate)\b/;
/** "make the timer louder", "make it blue" — but not "make a timer". */
const makeExisting = /^(?:please\s+)?(?:make|set)\s+(?:it|that|this|the|my)\b/;
const newVerbs =
  /^(?:please\s+|can you\s+|could you\s+|i'?d like\s+|i would like\s+)?(?:make|create|build|write|generate|design|i need|i want|give me|need|want)\b/;
const otherStarts =
  /^(?:hi|hello|hey|thanks|thank you|ok|okay|bye|good (?:morning|evening|night)|what|who|why|when|where|how are|how do you|are you|do you|is it|tell me about)\b/;
const referenceAfter =
  /\b(?:to|in|on|of|for|from|into)\s+(?:the|my|that|this|our)\s+(.+?)(?:\s+(?:i|we|you)\s+(?:made|built|created|had|used)\b.*)?$/;
const referenceMake =
  /^(?:please\s+)?(?:make|set)\s+(?:the|my|that|this)\s+(.+?)\s+(?:more|less|bigger|smaller|louder|quieter|darker|lighter|\w+er|blue|red|green|dark|light|sort|show|use|work|have|start|count)\b/;

/**
 * Classifies a request by its words: new app, change an app, open an app, or
 * something else, and picks out the words that name an app. Deterministic on
 * purpose: it runs before any model call and must not guess.
 */
export function classifyIntent(words: string): ClassifiedIntent {
  const text = words
    .trim()
    .toLowerCase()
    .replace(/[.!?]+$/, '')
    .replace(/\s+/g, ' ');
  const skipQuestions = skipWords.test(text);
  const core = text.replace(/[,;]?\s*(?:just (?:make|build|do) it|don'?t ask|no questions)\b.*/, '').trim();
  const fresh = freshWords.test(core);
  const result = (kind: IntentKind, reference: string | null = null): ClassifiedIntent => ({
    kind,
    reference: reference && cleanReference(reference),
    fresh,
    skipQuestions,
  });

  const open = openVerbs.exec(core);
  if (open?.[1] && !/\b(a|an|some)\b/.test(open[1].split(' ')[0] ?? '')) return result('open', open[1]);
  if (makeExisting.test(core) || changeVerbs.test(core)) {
    const named = referenceAfter.exec(core)?.[1] ?? referenceMake.exec(core)?.[1];
    if (named) return result('change', named);
    if (/\b(it|this|that)\b/.test(core)) return result('change', 'it');
    if (!newVerbs.test(core)) return result('change', null);
  }
  if (newVerbs.test(core)) return result('new');
  if (otherStarts.test(core) || core.split(' ').length < 2) return result('other');
  // A bare description ("a to-do list that sorts by urgency") asks for an app.
  return result('new');
}

/** Drops the words that point rather than name: "the budget tracker I made earlier" → "budget tracker". */
function cleanReference(reference: string): string {
  const cleaned = reference
    .replace(/\b(?:i|we|you)\s+(?:made|built|created|had|used)\b.*$/, '')
    .replace(/\b(?:again|earlier|yesterday|last time|before|please|app|one)\b/g, ' ')
    .replace(/^(?:the|my|that|this|our)\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned || reference.trim();
}
