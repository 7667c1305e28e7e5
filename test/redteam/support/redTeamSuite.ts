import { afterAll, beforeAll, describe, it } from 'vitest';
import type { HostileApp } from './hostileApp.js';
import { RedTeam } from './RedTeam.js';

/**
 * Declares one test per hostile app, all sharing one daemon and one browser:
 * open the app through the shell, run its check, and make sure the shell
 * is still intact afterwards.
 */
export function redTeamSuite(title: string, apps: readonly HostileApp[]): void {
  describe(title, () => {
    let team: RedTeam;
    beforeAll(async () => {
      team = await RedTeam.start(apps);
    }, 90_000);
    afterAll(async () => {
      await team?.stop();
    });
    for (const app of apps) {
      it(`contains "${app.name}" (${app.attack})`, async () => {
        await team.open(app);
        await app.check(team);
        await team.expectShellIntact();
        // Generous: CI machines with two cores run a busy-looping app beside the suite's other worker.
      }, 90_000);
    }
  });
}
