import type { Broker } from '../broker/Broker.js';
import type { MediaDevices } from '../broker/listMediaDevices.js';
import { locateForApp } from '../broker/locateForApp.js';
import type { AccuracyLevel, ConsentPrompter, Locator, SensorCapability } from '../broker/types.js';
import type { ContextStore } from '../store/ContextStore.js';
import type { Handlers } from './RequestRouter.js';

export interface BrokerHandlerDeps {
  broker: Broker;
  locator: Locator;
  store: ContextStore;
  /** How precise a position apps get. */
  accuracy: AccuracyLevel;
  listDevices(): MediaDevices;
}

type BrokerMethods =
  | 'broker.watch'
  | 'broker.decide'
  | 'broker.request'
  | 'broker.use'
  | 'broker.revoke'
  | 'broker.appClosed'
  | 'broker.grants'
  | 'broker.audit'
  | 'broker.devices'
  | 'sensors.location';

/** The shell's side of the sensor broker: consent cards, grants, the audit list, and location. */
export function createBrokerHandlers(deps: BrokerHandlerDeps): Pick<Handlers, BrokerMethods> {
  const { broker, locator, store } = deps;
  const watching = new Set<string>();
  return {
    'broker.watch': (_params, context) => {
      if (!watching.has(context.connectionId)) {
        watching.add(context.connectionId);
        const prompter: ConsentPrompter = {
          show: (request) => context.sendEvent('broker.consent', request),
          settle: (requestId) => context.sendEvent('broker.settled', { requestId }),
        };
        const detach = broker.attachPrompter(prompter);
        const onGrants = (appId: string, capability: SensorCapability, change: string) =>
          context.sendEvent('broker.grantsChanged', {
            appId,
            capability,
            change: change as 'granted' | 'revoked' | 'expired' | 'closed' | 'used',
          });
        broker.on('grants', onGrants);
        context.signal.addEventListener('abort', () => {
          watching.delete(context.connectionId);
          broker.off('grants', onGrants);
          detach();
        });
      }
      return { pending: broker.pendingRequests() };
    },
    'broker.decide': ({ requestId, decision }) => ({ settled: broker.decide(requestId, decision) }),
    'broker.request': async ({ appId, capability, reason }, context) => ({
      grant: await broker.requestAccess(appId, capability, reason, `shell ${context.connectionId}`),
    }),
    'broker.use': ({ appId, capability }) => ({ grant: broker.use(appId, capability, { via: 'shell' }) }),
    'broker.revoke': ({ appId, capability }) => ({ revoked: broker.revoke(appId, capability) }),
    'broker.appClosed': ({ appId }) => {
      broker.appClosed(appId);
      return {};
    },
    'broker.grants': () => ({ grants: broker.listGrants() }),
    'broker.audit': ({ limit }) => ({
      entries: store
        .listAudit(limit)
        .filter((entry) => entry.action.startsWith('sensor.') || entry.action.startsWith('grant.')),
    }),
    'broker.devices': () => deps.listDevices(),
    'sensors.location': async ({ appId, reason }, context) => {
      await broker.requestAccess(appId, 'location', reason, `shell ${context.connectionId}`);
      return locateForApp(broker, locator, appId, deps.accuracy, context.signal);
    },
  };
}
