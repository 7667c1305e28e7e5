import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BusChoice } from '../dbus/types.js';
import { ErrorCode, FigmentError } from '../protocol/errors.js';
import { AdminGate } from './admin/AdminGate.js';
import { ApiServer } from './api/ApiServer.js';
import { createHandlers } from './api/createHandlers.js';
import { FrameCapabilities } from './api/FrameCapabilities.js';
import { RequestRouter } from './api/RequestRouter.js';
import { Broker } from './broker/Broker.js';
import { BrokerBus } from './broker/BrokerBus.js';
import { GeoClueLocator } from './broker/GeoClueLocator.js';
import { listMediaDevices } from './broker/listMediaDevices.js';
import { resolveUids } from './broker/resolveUids.js';
import type { FigmentConfig } from './config/ConfigSchema.js';
import { CONNECTION_FILE, type ConnectionInfo, SOCKET_FILE } from './config/paths.js';
import { Assistant } from './generation/Assistant.js';
import { Clarifier } from './generation/Clarifier.js';
import { Generator } from './generation/Generator.js';
import { PromptSet } from './generation/PromptSet.js';
import type { Logger } from './log/Logger.js';
import { createBackend } from './models/createBackend.js';
import { runDoctorProcess } from './models/runDoctorProcess.js';
import type { ModelBackend } from './models/types.js';
import { ContextStore } from './store/ContextStore.js';
import { SystemdNotifier } from './systemd/SystemdNotifier.js';

export interface DaemonOptions {
  config: FigmentConfig;
  logger: Logger;
  /** The installation root: holds prompts/ and the built dist/shell. */
  rootDir: string;
  version: string;
}

/** The prompt set this build generates with. */
const PROMPT_VERSION_DIR = 'v3';

/**
 * figmentd's controller: opens the store, the model and the API in order,
 * tells systemd when ready, and closes them in reverse order.
 */
export class Daemon {
  private store: ContextStore | undefined;
  private backend: ModelBackend | undefined;
  private api: ApiServer | undefined;
  private broker: Broker | undefined;
  private locator: GeoClueLocator | undefined;
  private brokerBus: BrokerBus | undefined;
  private notifier: SystemdNotifier | undefined;
  private connectionFile: string | undefined;
  private readonly token = randomBytes(24).toString('base64url');

  constructor(private readonly options: DaemonOptions) {}

  /** Where the shell is, with the token in the fragment (never sent over the wire). */
  get shellUrl(): string {
    if (!this.api) throw new FigmentError(ErrorCode.Internal, 'figmentd is not started');
    return `${this.api.url}/#token=${this.token}`;
  }

  async start(): Promise<void> {
    const { config, logger, rootDir, version } = this.options;
    const started = Date.now();
    mkdirSync(config.runtimeDir, { recursive: true, mode: 0o700 });

    this.store = ContextStore.open({ path: join(config.stateDir, 'figment.db'), quota: config.storage });
    this.backend = createBackend(config.model, logger.child('model'));
    const prompts = PromptSet.load(join(rootDir, 'prompts', PROMPT_VERSION_DIR));
    const generator = new Generator({
      backend: this.backend,
      store: this.store,
      prompts,
      logger: logger.child('generation'),
      maxTokens: config.generation.maxTokens,
      timeoutMs: config.generation.timeoutMs,
    });
    this.broker = new Broker({ store: this.store, consentTimeoutMs: config.broker.consentTimeoutMs });
    const geoclueBus = toBusChoice(config.broker.geoclueBus);
    this.locator = new GeoClueLocator(geoclueBus ? { bus: geoclueBus } : {});
    const sensors = {
      broker: this.broker,
      locator: this.locator,
      accuracy: config.broker.locationAccuracy,
      listDevices: () => listMediaDevices(),
    };
    await this.startBrokerBus(sensors);
    const assistant = new Assistant({
      store: this.store,
      generator,
      clarifier: new Clarifier({ backend: this.backend, prompts, logger: logger.child('clarify') }),
      logger: logger.child('intent'),
    });
    const frames = new FrameCapabilities();
    const router = new RequestRouter(
      createHandlers({
        daemonVersion: version,
        store: this.store,
        backend: this.backend,
        generator,
        assistant,
        frames,
        sensors,
        doctor: () => runDoctorProcess(rootDir),
        admin: new AdminGate({
          kiosk: config.shell.kiosk,
          configuredHash: config.shell.adminPinHash,
          pinFile: join(config.stateDir, 'admin-pin'),
        }),
      }),
      logger.child('api'),
    );
    const store = this.store;
    const socketPath = config.api.socket ? join(config.runtimeDir, SOCKET_FILE) : null;
    this.api = new ApiServer({
      host: config.api.host,
      port: config.api.port,
      socketPath,
      token: this.token,
      uiDir: join(rootDir, 'dist', 'shell', 'ui'),
      sdkScript: readBuilt(join(rootDir, 'dist', 'shell', 'sdk', 'figment-sdk.js')),
      frames,
      frameHtml: (versionId) => store.getVersion(versionId)?.html,
      router,
      logger: logger.child('api'),
    });
    await this.api.start();
    this.writeConnectionFile({ pid: process.pid, url: this.api.url, token: this.token, socketPath });

    this.notifier = new SystemdNotifier(logger.child('systemd'));
    await this.notifier.ready(`serving ${this.api.url}`);
    logger.info('ready', {
      url: this.api.url,
      socketPath,
      model: this.backend.status(),
      startupMs: Date.now() - started,
    });
    this.preloadModel();
  }

  async stop(): Promise<void> {
    await this.notifier?.stopping();
    await this.api?.stop();
    await this.brokerBus?.stop();
    this.broker?.dispose();
    this.locator?.dispose();
    await this.backend?.dispose();
    this.store?.dispose();
    if (this.connectionFile) rmSync(this.connectionFile, { force: true });
    this.api = undefined;
    this.backend = undefined;
    this.store = undefined;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** Puts the broker on D-Bus. Without a bus it still serves the shell over the API, so that only warns. */
  private async startBrokerBus(sensors: { broker: Broker; locator: GeoClueLocator }): Promise<void> {
    const { config, logger, version } = this.options;
    const bus = toBusChoice(config.broker.bus);
    if (!bus) return;
    const brokerBus = new BrokerBus({
      bus,
      ...sensors,
      allowedUids:
        config.broker.allowedUsers.length > 0 ? resolveUids(config.broker.allowedUsers) : undefined,
      listDevices: () => listMediaDevices(),
      version,
      logger: logger.child('broker'),
    });
    try {
      await brokerBus.start();
      this.brokerBus = brokerBus;
    } catch (error) {
      logger.warn('the sensor broker is not on D-Bus', { bus: config.broker.bus, error });
    }
  }

  /** Loads the model in the background so the first request does not wait for it. */
  private preloadModel(): void {
    const backend = this.backend;
    if (!backend || backend.status().state === 'missing') return;
    backend.load().catch((error: unknown) => this.options.logger.warn('model failed to load', { error }));
  }

  private writeConnectionFile(info: ConnectionInfo): void {
    this.connectionFile = join(this.options.config.runtimeDir, CONNECTION_FILE);
    writeFileSync(this.connectionFile, `${JSON.stringify(info)}\n`, { mode: 0o600 });
  }
}

function toBusChoice(value: string): BusChoice | undefined {
  if (value === 'off') return undefined;
  return value === 'system' || value === 'session' ? value : { address: value };
}

function readBuilt(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new FigmentError(ErrorCode.Config, `${file} is missing: run "npm run build" first`);
  }
}
