import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import { PROTOCOL_VERSION } from '../../protocol/messages.js';
import type { AdminGate } from '../admin/AdminGate.js';
import type { Assistant } from '../generation/Assistant.js';
import type { GenerateOptions, Generator } from '../generation/Generator.js';
import type { DoctorReport } from '../models/collectDoctorReport.js';
import { describeDoctorReport } from '../models/describeDoctorReport.js';
import type { ModelBackend } from '../models/types.js';
import type { ContextStore } from '../store/ContextStore.js';
import { createAdminHandlers } from './createAdminHandlers.js';
import { type BrokerHandlerDeps, createBrokerHandlers } from './createBrokerHandlers.js';
import type { FrameCapabilities } from './FrameCapabilities.js';
import type { Handlers, RequestContext } from './RequestRouter.js';

export interface HandlerDeps {
  daemonVersion: string;
  store: ContextStore;
  backend: ModelBackend;
  generator: Generator;
  assistant: Assistant;
  frames: FrameCapabilities;
  /** The sensor broker's methods. */
  sensors: Omit<BrokerHandlerDeps, 'store'>;
  /** Probes the hardware as `figment doctor` does. */
  doctor: () => Promise<DoctorReport>;
  /** The admin PIN: in kiosk mode, forgetting, exporting, revoking and the audit list need it. */
  admin: AdminGate;
}

/** The API's methods, each a thin call into the module that owns the work. */
export function createHandlers({
  daemonVersion,
  store,
  backend,
  generator,
  assistant,
  frames,
  sensors,
  doctor,
  admin,
}: HandlerDeps): Handlers {
  // Running generations by connection and request id, so only their own client can cancel them.
  const running = new Map<string, AbortController>();

  const appOrThrow = (appId: string) => {
    const app = store.getApp(appId);
    if (!app) throw new FigmentError(ErrorCode.NotFound, 'That app no longer exists.');
    return app;
  };
  const storageAppOrThrow = (appId: string) => {
    const app = appOrThrow(appId);
    if (!app.capabilities.includes('storage')) {
      throw new FigmentError(ErrorCode.Capability, `"${app.name}" did not declare the storage capability.`);
    }
    return app;
  };

  /** Runs model work that its own client may cancel by request id, with progress sent as events. */
  const cancellable = async <T>(
    context: RequestContext,
    work: (run: GenerateOptions) => Promise<T>,
  ): Promise<T> => {
    const key = `${context.connectionId}/${context.requestId}`;
    const controller = new AbortController();
    running.set(key, controller);
    try {
      return await work({
        requestId: context.requestId,
        signal: AbortSignal.any([controller.signal, context.signal]),
        onProgress: (progress) => context.sendEvent('generation.progress', progress),
      });
    } finally {
      running.delete(key);
    }
  };

  const broker = createBrokerHandlers({ ...sensors, store });
  return {
    hello: ({ protocol }) => {
      if (protocol !== PROTOCOL_VERSION) {
        throw new FigmentError(
          ErrorCode.BadMessage,
          `protocol ${protocol} is not supported; this figmentd speaks ${PROTOCOL_VERSION}`,
        );
      }
      return { protocol: PROTOCOL_VERSION, daemonVersion, model: backend.status() };
    },
    status: () => ({ model: backend.status(), appCount: store.countApps() }),
    'apps.list': () => {
      const apps = store.listApps();
      const versions = apps.map((app) => app.currentVersionId);
      return { apps, frames: Object.fromEntries(versions.map((id) => [id, frames.frameUrl(id)])) };
    },
    'apps.open': ({ appId }) => {
      appOrThrow(appId);
      store.markOpened(appId);
      const app = appOrThrow(appId);
      return { app, versionId: app.currentVersionId, frameUrl: frames.frameUrl(app.currentVersionId) };
    },
    generate: ({ intent }, context) =>
      cancellable(context, async (run) => {
        const { app, versionId, attempts } = await generator.generate(intent, run);
        return { app, versionId, attempts };
      }),
    ask: (params, context) => cancellable(context, (run) => assistant.ask(params, run)),
    'apps.report': ({ versionId, kind, message, stack }) =>
      generator.reportFailure(versionId, { kind, message, stack: stack ?? null }),
    'apps.repair': ({ versionId }, context) =>
      cancellable(context, async (run) => {
        const {
          outcome,
          app,
          versionId: current,
          attempts,
          message,
        } = await generator.repairRuntime(versionId, run);
        return { outcome, app, versionId: current, attempts, message };
      }),
    'generate.cancel': ({ requestId }, context) => {
      const controller = running.get(`${context.connectionId}/${requestId}`);
      controller?.abort();
      return { cancelled: controller !== undefined };
    },
    'storage.get': ({ appId, key }) => {
      storageAppOrThrow(appId);
      return { value: store.getData(appId, key) };
    },
    'storage.set': ({ appId, key, value }) => {
      storageAppOrThrow(appId);
      store.setData(appId, key, value);
      return {};
    },
    ...broker,
    'broker.revoke': (params, context) => {
      admin.require(context.connectionId, 'Taking back a permission');
      return broker['broker.revoke'](params, context);
    },
    'broker.audit': (params, context) => {
      admin.require(context.connectionId, 'The audit list');
      return broker['broker.audit'](params, context);
    },
    'system.doctor': async () => ({ rows: describeDoctorReport(await doctor()) }),
    'apps.search': async ({ query, limit }) => ({ hits: await store.search(query, { limit }) }),
    'apps.versions': ({ appId }) => ({ versions: store.listVersions(appId) }),
    'apps.rollback': ({ appId, versionId }) => ({ app: store.rollback(appId, versionId) }),
    'apps.forget': ({ appId }, context) => {
      admin.require(context.connectionId, 'Forgetting an app');
      store.forgetApp(appId);
      return {};
    },
    ...createAdminHandlers({ admin, store, broker: sensors.broker }),
    'apps.pin': ({ appId, pinned }) => ({ app: store.pin(appId, pinned) }),
    'apps.setIcon': ({ appId, icon }) => ({ app: store.setIcon(appId, icon) }),
  };
}
