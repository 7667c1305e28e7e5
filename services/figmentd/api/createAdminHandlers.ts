import type { AdminGate } from '../admin/AdminGate.js';
import type { Broker } from '../broker/Broker.js';
import type { ContextStore } from '../store/ContextStore.js';
import type { Handlers, RequestContext } from './RequestRouter.js';

export interface AdminHandlerDeps {
  admin: AdminGate;
  store: ContextStore;
  broker: Broker;
}

type AdminMethods =
  | 'admin.status'
  | 'admin.unlock'
  | 'admin.setPin'
  | 'admin.lock'
  | 'context.forgetAll'
  | 'context.export';

/** Settings' own methods: the admin PIN, forgetting everything and exporting everything. */
export function createAdminHandlers({
  admin,
  store,
  broker,
}: AdminHandlerDeps): Pick<Handlers, AdminMethods> {
  const watched = new Set<string>();
  // An unlocked connection locks again when it closes, so a new one cannot inherit it.
  const lockOnClose = (context: RequestContext) => {
    if (watched.has(context.connectionId)) return;
    watched.add(context.connectionId);
    context.signal.addEventListener('abort', () => {
      watched.delete(context.connectionId);
      admin.lock(context.connectionId);
    });
  };
  return {
    'admin.status': (_params, context) => admin.status(context.connectionId),
    'admin.unlock': ({ pin }, context) => {
      lockOnClose(context);
      return admin.unlock(context.connectionId, pin);
    },
    'admin.setPin': ({ pin }, context) => {
      lockOnClose(context);
      return admin.setPin(context.connectionId, pin);
    },
    'admin.lock': (_params, context) => {
      admin.lock(context.connectionId);
      return admin.status(context.connectionId);
    },
    'context.forgetAll': (_params, context) => {
      admin.require(context.connectionId, 'Forgetting everything');
      // Grants held in memory ("this time", "while open") go too, and their streams stop.
      for (const grant of broker.listGrants()) broker.revoke(grant.appId, grant.capability);
      return store.forgetAll();
    },
    'context.export': (_params, context) => {
      admin.require(context.connectionId, 'Exporting everything');
      const { text, apps } = store.exportText();
      const day = new Date().toISOString().slice(0, 10);
      return { fileName: `figment-export-${day}.json`, text, apps };
    },
  };
}
