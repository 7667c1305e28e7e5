/**
 * The shell page: wires the connection to figmentd, the intent bar, the
 * model notice, the launcher and the app frame host. Each module owns its
 * own DOM; this file only decides what is shown when.
 */
import { z } from 'zod';
import type { AppSummary, Result } from '../../services/protocol/index.js';
import { AppFrameHost, STOP_WORDS } from './AppFrameHost.js';
import { AppSwitcher } from './AppSwitcher.js';
import { brokerSensorGate } from './brokerSensorGate.js';
import { ConnectionScreen } from './ConnectionScreen.js';
import { ConsentCard } from './ConsentCard.js';
import { DaemonClient } from './DaemonClient.js';
import { el } from './el.js';
import { IconPicker } from './IconPicker.js';
import { IntentBar } from './IntentBar.js';
import { Language } from './Language.js';
import { Launcher } from './Launcher.js';
import { LiveStreams } from './LiveStreams.js';
import { ModelNotice } from './ModelNotice.js';
import { OpenAppsMemory } from './OpenAppsMemory.js';
import { repairApp } from './repairApp.js';
import { SettingsScreen } from './SettingsScreen.js';
import { ThemeSettings } from './ThemeSettings.js';
import { VersionHistory } from './VersionHistory.js';

// zod would otherwise probe `new Function`, which the shell's CSP refuses (and reports) by design.
z.config({ jitless: true });

const main = document.querySelector('main');
if (!main) throw new Error('index.html has no <main>');

const language = new Language();
const modelNotice = new ModelNotice(language);
const connection = new ConnectionScreen(() => client.retryNow(), language);
const client = new DaemonClient({
  onState(state) {
    connection.show(state);
    // Nothing behind the connection screen can be used or focused while it shows.
    shell.inert = state.kind !== 'connected';
    if (state.kind !== 'connected') {
      // Modal dialogs sit in the top layer, above the connection screen: take them down.
      iconPicker.element.close();
      versions.element.close();
      return;
    }
    modelNotice.show(state.hello.model);
    void launcher.refresh();
    appHost.warmUp();
    void restoreOpenApps();
    consent.watch().catch((error: unknown) => console.error('figment: consent cards are off', error));
  },
});

const theme = new ThemeSettings();
const consent = new ConsentCard(client, language);
const streams = new LiveStreams(client);

const appHost = new AppFrameHost({
  client,
  theme,
  language,
  sensors: brokerSensorGate(client, streams),
  onFrameGone(app) {
    // "While open" grants end with the app, and so does any capture it had.
    streams.stop(app.id, 'camera');
    streams.stop(app.id, 'microphone');
    client.request('broker.appClosed', { appId: app.id }).catch(() => {});
  },
  onRepair(app, reason) {
    appHost.close(app.id);
    const why = language.t(STOP_WORDS[reason]);
    showRepair(
      app,
      repairApp(client, app, reason),
      language.t('shell.fixBecause', { name: app.name, reason: why }),
    );
  },
  onClose() {
    launcher.element.hidden = false;
    void launcher.refresh();
    launcher.focus();
  },
  // figmentd now lists that app first among the recent ones; the launcher takes the same order.
  onOpenRequested: (appId) => launcher.noteOpened(appId),
  onAppsChanged(apps, active) {
    launcher.element.hidden = active !== undefined;
    switcher.show(apps, active ?? null);
    if (remembering) memory.save({ open: apps.map((app) => app.id), active: active ?? null });
  },
  onChangeApp(app) {
    intentBar.announce(language.t('shell.changeHow', { name: app.name }));
    intentBar.suggest(language.t('shell.changePrefix'));
  },
  onFixApp(app, failed) {
    if (failed) {
      // It reported errors while it ran: figmentd's bounded repair already knows what went wrong.
      showRepair(
        app,
        client.request('apps.repair', { versionId: app.currentVersionId }),
        language.t('shell.fixApp', { name: app.name }),
      );
      return;
    }
    // Nothing went wrong that the shell saw: the person's own words say what is wrong.
    intentBar.announce(language.t('shell.fixWhat', { name: app.name }));
    intentBar.suggest(language.t('shell.fixPrefix'));
  },
  onVersions: (app) => void versions.open(app),
});
const switcher = new AppSwitcher({
  language,
  launcherId: 'launcher',
  panelId: (appId) => appHost.panelId(appId),
  onSelect(appId, moveFocus) {
    if (appId) {
      appHost.show(appId, { focus: moveFocus });
      return;
    }
    appHost.hide();
    void launcher.refresh();
    if (moveFocus) launcher.focus();
  },
});
// In Electron the keys come from the main process too, so they work with focus inside an app's frame.
window.figmentHost?.onSwitchApp?.((slot) => switcher.switchTo(slot));
const memory = new OpenAppsMemory();
/** Open apps are remembered only once the ones from before a reload are back, so they are not forgotten first. */
let remembering = false;
let restoreStarted = false;
const iconPicker = new IconPicker(language);
const versions = new VersionHistory({
  client,
  language,
  onRolledBack(app, version) {
    openApp(app);
    const when = new Date(version.createdAt).toLocaleString(language.current);
    intentBar.announce(language.t('shell.rolledBack', { name: app.name, when }));
  },
});
const launcher = new Launcher({
  client,
  language,
  onOpen: (app) => openApp(app),
  onListed: (frames) => appHost.expectFrames(frames),
  onSuggest: (text) => intentBar.suggest(text),
  chooseIcon: (app) => iconPicker.choose(app),
  isRunning: (appId) => appHost.isRunning(appId),
  onChanged: (app) => appHost.update(app),
});
const intentBar = new IntentBar({
  client,
  language,
  onMade: (app) => openApp(app),
  openAppId: () => appHost.currentAppId,
  openSystem: () => {
    view.hidden = true;
    void settings.open('system');
  },
});
const settings = new SettingsScreen({
  client,
  theme,
  language,
  onClose() {
    view.hidden = false;
    // Apps may have been made or forgotten meanwhile (another connection, the D-Bus side).
    void launcher.refresh();
    settingsButton.focus();
  },
  onChanged: () => void closeForgottenApps(),
});
const settingsButton = el('button', { type: 'button', class: 'secondary' }, language.text('settings.open'));
settingsButton.addEventListener('click', () => {
  view.hidden = true;
  void settings.open();
});

/** After forgetting in Settings: apps figmentd no longer has are closed, and the launcher shows what is left. */
async function closeForgottenApps(): Promise<void> {
  // The launcher's own fresh list says what is kept; when it could not be read, nothing is closed.
  const apps = await launcher.refresh();
  if (!apps) return;
  const kept = new Set(apps.map((app) => app.id));
  for (const open of appHost.openApps) if (!kept.has(open.id)) appHost.close(open.id);
}

function openApp(app: AppSummary): void {
  void appHost.open(app);
}

/** Says a repair is under way, opens what it made, or offers the person's own words when it could not. */
function showRepair(app: AppSummary, repairing: Promise<Result<'apps.repair'>>, fallback: string): void {
  intentBar.announce(language.t('shell.repairing', { name: app.name }));
  repairing.then(
    (result) => {
      intentBar.announce(result.message);
      if (result.outcome !== 'gave-up') openApp(result.app);
    },
    // figmentd could not repair it: offer the person's own words to the model instead.
    () => intentBar.suggest(fallback),
  );
}

/**
 * After a reload (the Electron host reloads a crashed page, or the person
 * presses F5), opens again the apps that were open. Coming to the shell's
 * address afresh starts at the launcher.
 */
async function restoreOpenApps(): Promise<void> {
  if (restoreStarted) return;
  restoreStarted = true;
  const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
  const saved = navigation?.type === 'reload' ? memory.load() : { open: [], active: null };
  try {
    if (saved.open.length > 0) {
      const { apps, frames } = await client.request('apps.list', {});
      appHost.expectFrames(frames);
      const byId = new Map(apps.map((app) => [app.id, app]));
      // Apps forgotten meanwhile are left out.
      for (const id of saved.open) {
        const app = byId.get(id);
        if (app) void appHost.open(app, { show: false });
      }
      if (saved.active && byId.has(saved.active)) appHost.show(saved.active);
    }
    remembering = true;
    memory.save({ open: appHost.openApps.map((app) => app.id), active: appHost.currentAppId ?? null });
  } catch (error) {
    // What was saved stays saved, for the next start; from now on the open apps are remembered afresh.
    remembering = true;
    console.error('figment: the apps open before the reload could not be opened again', error);
  }
}

const view = el(
  'div',
  { class: 'view', id: 'view', tabindex: -1 },
  switcher.element,
  launcher.element,
  appHost.element,
);
// Keyboard users skip the header; the click is handled here so the token in the fragment stays put.
const skipLink = el('a', { class: 'skip-link', href: '#view' }, language.text('shell.skip'));
skipLink.addEventListener('click', (event) => {
  event.preventDefault();
  view.focus();
});
const shell = el(
  'div',
  { class: 'shell' },
  skipLink,
  el(
    'header',
    { class: 'top' },
    el('h1', { class: 'brand' }, 'Figment'),
    intentBar.element,
    // One way into the shell's own settings, apart from the intent bar.
    el('div', { class: 'top-actions' }, settingsButton),
  ),
  modelNotice.element,
  view,
  settings.element,
  iconPicker.element,
  versions.element,
);
shell.inert = true;
main.replaceChildren(shell, consent.element, connection.element);

client.on('model.status', (model) => modelNotice.show(model));
appHost.start();
switcher.listen();
consent.listen();
client.start();
