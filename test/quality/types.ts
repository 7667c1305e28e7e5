/** How hard an intent is, after the field's usual three tiers. */
export type Tier = 'simple' | 'medium' | 'complex';

/** Which kind of kiosk the intent is for; the suite leans toward the first two. */
export type Terminal = 'accessibility' | 'education' | 'general';

/** What a step acts on, found the way a person (or a screen reader) finds it. */
export type Target =
  | {
      role: 'button' | 'checkbox' | 'textbox' | 'spinbutton' | 'combobox' | 'heading' | 'img' | 'listitem';
      name?: string | RegExp;
    }
  | { label: string | RegExp }
  | { text: string | RegExp };

/** One acceptance step, as data; test/quality/runStep.ts gives each its meaning. */
export type Step =
  | { click: Target; times?: number }
  | { fill: Target; value: string }
  | { press: Target; key: string }
  | { check: Target }
  | { select: Target; option: string }
  | { expectText: string | RegExp }
  | { expectNoText: string | RegExp }
  | { expectCount: Target; count: number }
  | { wait: number };

export interface Intent {
  /** Stable across runs, so reports compare. */
  id: string;
  tier: Tier;
  terminal: Terminal;
  /** What the person types. It names the controls the checks look for, as a person would. */
  intent: string;
  /** Acceptance steps, run in order against the app in its sandboxed frame. */
  checks: Step[];
}
