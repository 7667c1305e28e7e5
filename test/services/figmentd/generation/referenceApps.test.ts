import { describe, expect, it } from 'vitest';
import { PromptSet } from '../../../../services/figmentd/generation/PromptSet.js';
import { validateBundle } from '../../../../services/figmentd/generation/validateBundle.js';
import { appIconNames } from '../../../../services/protocol/appIcons.js';
import { AppBundle } from '../../../../services/protocol/bundle.js';
import { referenceApps } from '../../../support/referenceApps.js';
import { repoRoot } from '../../../support/startDaemon.js';

describe('apps written against the SDK pass validation', () => {
  it.each(referenceApps().map((app) => [app.file, app.bundle] as const))('reference app %s', (_, bundle) => {
    expect(validateBundle(bundle).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it.each(['v2', 'v3'])('every example app in the %s prompts', (version) => {
    const { system } = PromptSet.load(`${repoRoot}prompts/${version}`);
    const examples = [...system.matchAll(/^(\{"manifest":\{.*\})$/gm)].map((m) =>
      AppBundle.parse(JSON.parse(m[1] ?? '')),
    );
    expect(examples).toHaveLength(2);
    for (const bundle of examples) expect(validateBundle(bundle)).toEqual([]);
  });

  it('the v3 prompts offer exactly the icons the shell can draw, and the examples pick one', () => {
    const { system } = PromptSet.load(`${repoRoot}prompts/v3`);
    const offered = /manifest\.icon: [^:]*: ([^.]*)\./.exec(system)?.[1]?.split(/,\s*/);
    expect(offered).toEqual(appIconNames);
    const examples = [...system.matchAll(/^(\{"manifest":\{.*\})$/gm)].map((m) =>
      AppBundle.parse(JSON.parse(m[1] ?? '')),
    );
    for (const { manifest } of examples) expect(appIconNames).toContain(manifest.icon);
  });

  it('the v3 prompts show a reason in every sensor call, within the 200 characters the shell takes', () => {
    const { system } = PromptSet.load(`${repoRoot}prompts/v3`);
    const calls = [...system.matchAll(/figment\.sensors\.(\w+)\(([^)]*)\)/g)];
    expect(calls.map((call) => call[1])).toEqual(['location', 'camera', 'microphone']);
    for (const [, sensor, args] of calls) {
      const reason = /reason: "([^"]+)"/.exec(args ?? '')?.[1];
      expect(reason, sensor).toBeDefined();
      expect(reason?.length ?? 0, sensor).toBeLessThanOrEqual(200);
    }
  });
});
