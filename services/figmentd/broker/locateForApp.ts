import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import type { Broker } from './Broker.js';
import type { AccuracyLevel, Locator, Position } from './types.js';

/**
 * One position for an app that holds a location grant. The use is recorded
 * (and a "this time" grant spent) only once a position was found, and a
 * grant revoked while GeoClue2 worked gives the app nothing.
 */
export async function locateForApp(
  broker: Broker,
  locator: Locator,
  appId: string,
  accuracy: AccuracyLevel,
  signal?: AbortSignal,
): Promise<Position> {
  if (!broker.check(appId, 'location')) {
    broker.use(appId, 'location'); // records the refusal and throws NotGranted
    throw new FigmentError(ErrorCode.NotGranted, 'This app has not been allowed to use the location.');
  }
  const position = await locator.locate(accuracy, signal);
  broker.use(appId, 'location', { accuracy });
  return position;
}
