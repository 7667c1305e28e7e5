import { describe, expect, it } from 'vitest';
import { classifyIntent } from '../../../../services/figmentd/generation/classifyIntent.js';

describe('classifyIntent', () => {
  it.each([
    ['a to-do list that sorts by urgency and colour-codes deadlines', 'new', null],
    ['make a timer for brushing teeth', 'new', null],
    ['I need an expense tracker with charts', 'new', null],
    ['add a dark mode to the budget tracker I made earlier', 'change', 'budget tracker'],
    ['make the timer louder', 'change', 'timer'],
    ['make it blue', 'change', 'it'],
    ['open the budget tracker', 'open', 'budget tracker'],
    ['show me that timer again', 'open', 'timer'],
    ['hello there', 'other', null],
    ['what time is it?', 'other', null],
  ])('%s → %s (%s)', (words, kind, reference) => {
    expect(classifyIntent(words)).toMatchObject({ kind, reference });
  });

  it('notices "just make it" and a request for a fresh one', () => {
    expect(classifyIntent('a timer, just make it')).toMatchObject({
      kind: 'new',
      skipQuestions: true,
      fresh: false,
    });
    expect(classifyIntent('make a new timer')).toMatchObject({
      kind: 'new',
      fresh: true,
      skipQuestions: false,
    });
  });
});
