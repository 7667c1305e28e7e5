/**
 * The shell page: wires the connection to figmentd, the intent bar, the
 * model notice, the launcher and the app frame host. Each module owns its
 * own DOM; this file only decides what is shown when.
 */
import { z } from 'zod';
import type { AppSummary } from '../../services/protocol/index.js';
import { AppFrameHost, STOP_WORDS } from './AppFrameHost.js';
import { brokerSensorGate } from './brokerSensorGate.js';
import { ConnectionScreen } from './ConnectionScreen.js';
import { ConsentCard } from './ConsentCard.js';
import { DaemonClient } from './DaemonClient.js';
import { DisplaySettings } from './DisplaySettings.js';
import { el } from './el.js';
import { IntentBar } from './IntentBar.js';
import { Launcher } from './Launcher.js';
import { LiveStreams } from './LiveStreams.js';
import { ModelNotice } from './ModelNotice.js';
import { repairApp } from './repairApp.js';
import { SensorSettings } from './SensorSettings.js';
import { SystemStatus } from './SystemStatus.js';
import { ThemeSettings } from './ThemeSettings.js';

// zod would otherwise probe `new Function`, which the shell's CSP refuses (and reports) by design.
z.config({ jitless: true });

const main = document.querySelector('main');
if (!main) throw new Error('index.html has no <main>');

const modelNotice = new ModelNotice();
const connection = new ConnectionScreen(() => client.retryNow());
const client = new DaemonClient({
  onState(state) {
    connection.show(state);
    // Nothing behind the connection screen can be used or focused while it shows.
    shell.inert = state.kind !== 'connected';
    if (state.kind !== 'connected') return;
    modelNotice.show(state.hello.model);
    void launcher.refresh();
    consent.watch().catch((error: unknown) => console.error('figment: consent cards are off', error));
  },
});

const theme = new ThemeSettings();
const displaySettings = new DisplaySettings(theme);
const consent = new ConsentCard(client);
const streams = new LiveStreams(client);

const appHost = new AppFrameHost({
  client,
  theme,
  sensors: brokerSensorGate(client, streams),
  onFrameGone(app) {
    // "While open" grants end with the app, and so does any capture it had.
    streams.stop(app.id, 'camera');
    streams.stop(app.id, 'microphone');
    client.request('broker.appClosed', { appId: app.id }).catch(() => {});
  },
  onRepair(app, reason) {
    appHost.close();
    intentBar.announce(`Repairing “${app.name}”…`);
    repairApp(client, app, reason).then(
      (result) => {
        intentBar.announce(result.message);
        if (result.outcome !== 'gave-up') openApp(result.app);
      },
      // figmentd could not repair it: offer the person's own words to the model instead.
      () => intentBar.suggest(`Fix “${app.name}”: it ${STOP_WORDS[reason]}.`),
    );
  },
  onClose() {
    launcher.element.hidden = false;
    void launcher.refresh();
    launcher.focus();
  },
});
const launcher = new Launcher({
  client,
  onOpen: (app) => openApp(app),
  onSuggest: (text) => intentBar.suggest(text),
});
const intentBar = new IntentBar({
  client,
  onMade: (app) => openApp(app),
  openAppId: () => appHost.currentAppId,
  openSystem: () => systemButton.click(),
});
const settings = new SensorSettings(client, () => {
  view.hidden = false;
  privacyButton.focus();
});
const privacyButton = el('button', { type: 'button', class: 'secondary' }, 'Privacy');
privacyButton.addEventListener('click', () => {
  view.hidden = true;
  void settings.open();
});
const system = new SystemStatus(client, () => {
  view.hidden = false;
  systemButton.focus();
});
const systemButton = el('button', { type: 'button', class: 'secondary' }, 'System');
systemButton.addEventListener('click', () => {
  view.hidden = true;
  void system.open();
});

function openApp(app: AppSummary): void {
  launcher.element.hidden = true;
  void appHost.open(app.id, app.name);
}

const view = el('div', { class: 'view', id: 'view', tabindex: -1 }, launcher.element, appHost.element);
// Keyboard users skip the header; the click is handled here so the token in the fragment stays put.
const skipLink = el('a', { class: 'skip-link', href: '#view' }, 'Skip to your apps');
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
    // The shell's own settings sit together, apart from the intent bar.
    el('div', { class: 'top-actions' }, displaySettings.element, privacyButton, systemButton),
  ),
  modelNotice.element,
  view,
  settings.element,
  system.element,
);
shell.inert = true;
main.replaceChildren(shell, consent.element, connection.element);

client.on('model.status', (model) => modelNotice.show(model));
appHost.start();
consent.listen();
client.start();
