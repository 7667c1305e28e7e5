import type { AppBundle } from '../../services/protocol/bundle.js';
import { referenceApps } from '../support/referenceApps.js';

/** A deliberately broken copy of a golden app: one edit a careless model could make. */
export interface Mutant {
  name: string;
  search: string;
  replace: string;
}

export interface Golden {
  /** The intent (test/quality/intents.ts) this app answers. */
  intentId: string;
  /** Its file in test/fixtures/reference-apps/. */
  file: string;
  mutants: Mutant[];
}

/** Hand-written apps that prove the checks right: each passes its intent's checks; each mutant fails them. */
export const goldens: Golden[] = [
  {
    intentId: 'counter',
    file: 'counter.html',
    mutants: [{ name: 'adds two', search: 'count += 1;', replace: 'count += 2;' }],
  },
  {
    intentId: 'timer',
    file: 'timer.html',
    mutants: [
      { name: 'never ticks', search: 'left = Math.max(0, left - 1);', replace: 'left = Math.max(0, left);' },
      {
        name: 'reset forgets',
        search: "getElementById('reset').addEventListener",
        replace: "getElementById('reset').removeEventListener",
      },
    ],
  },
  {
    intentId: 'unit-converter',
    file: 'unit-converter.html',
    mutants: [{ name: 'multiplies', search: 'cm / 2.54', replace: 'cm * 2.54' }],
  },
  {
    intentId: 'todo-filters',
    file: 'todo-filters.html',
    mutants: [
      { name: 'open filter shows all', search: 'open: (t) => !t.done,', replace: 'open: () => true,' },
    ],
  },
  {
    intentId: 'flash-cards',
    file: 'flash-cards.html',
    mutants: [
      {
        name: 'answer shown at once',
        search: "document.getElementById('answer').textContent = '';",
        replace: "document.getElementById('answer').textContent = cards[at][1];",
      },
    ],
  },
  {
    intentId: 'expense-charts',
    file: 'expense-charts.html',
    mutants: [{ name: 'pie chart unnamed', search: ' aria-label="Spending by category"', replace: '' }],
  },
];

/** The golden app's bundle, or a mutant of it; a mutant whose edit does not apply is an error, not a silent pass. */
export function goldenBundle(golden: Golden, mutant?: Mutant): AppBundle {
  const reference = referenceApps().find((app) => app.file === golden.file);
  if (!reference) throw new Error(`no reference app ${golden.file}`);
  if (!mutant) return reference.bundle;
  const { html } = reference.bundle;
  if (html.split(mutant.search).length !== 2)
    throw new Error(`mutant "${mutant.name}" does not apply once to ${golden.file}`);
  return { ...reference.bundle, html: html.replace(mutant.search, mutant.replace) };
}
