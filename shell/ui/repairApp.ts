import type { AppSummary, Result } from '../../services/protocol/index.js';
import { STOP_WORDS } from './AppFrameHost.js';
import type { DaemonClient } from './DaemonClient.js';
import type { StopReason } from './FrameSupervisor.js';
import { english } from './Language.js';

/**
 * Repairs an app the supervisor stopped: tells figmentd what went wrong with
 * the version on screen, then asks for a repair within figmentd's bound.
 */
export async function repairApp(
  client: DaemonClient,
  app: AppSummary,
  reason: StopReason,
): Promise<Result<'apps.repair'>> {
  await client.request('apps.report', {
    versionId: app.currentVersionId,
    kind: reason === 'unresponsive' ? 'unresponsive' : 'error',
    // For the model, which is prompted in English, whatever the shell's language.
    message: `The app ${english.t(STOP_WORDS[reason])}, so Figment closed it.`,
  });
  return client.request('apps.repair', { versionId: app.currentVersionId });
}
