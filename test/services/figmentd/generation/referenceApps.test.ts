import { describe, expect, it } from 'vitest';
import { PromptSet } from '../../../../services/figmentd/generation/PromptSet.js';
import { validateBundle } from '../../../../services/figmentd/generation/validateBundle.js';
import { AppBundle } from '../../../../services/protocol/bundle.js';
import { referenceApps } from '../../../support/referenceApps.js';
import { repoRoot } from '../../../support/startDaemon.js';

describe('apps written against the SDK pass validation', () => {
  it.each(referenceApps().map((app) => [app.file, app.bundle] as const))('reference app %s', (_, bundle) => {
    expect(validateBundle(bundle).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('every example app in the v2 prompts', () => {
    const { system } = PromptSet.load(`${repoRoot}prompts/v2`);
    const examples = [...system.matchAll(/^(\{"manifest":\{.*\})$/gm)].map((m) =>
      AppBundle.parse(JSON.parse(m[1] ?? '')),
    );
    expect(examples).toHaveLength(2);
    for (const bundle of examples) expect(validateBundle(bundle)).toEqual([]);
  });
});
