/**
 * The shell page: wires the connection to figmentd, the intent bar, the
 * model notice, the launcher and the app frame host. Each module owns its
 * own DOM; this file only decides what is shown when.
 */
import { z } from 'zod';
import type { AppSummary } from '../../services/protocol/index.js';
import { AppFrameHost } from './AppFrameHost.js';
import { ConnectionScreen } from './ConnectionScreen.js';
import { DaemonClient } from './DaemonClient.js';
import { el } from './el.js';
import { IntentBar } from './IntentBar.js';
import { Launcher } from './Launcher.js';
import { ModelNotice } from './ModelNotice.js';

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
  },
});

const appHost = new AppFrameHost({
  client,
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
});

function openApp(app: AppSummary): void {
  launcher.element.hidden = true;
  void appHost.open(app.id, app.name);
}

const shell = el(
  'div',
  { class: 'shell' },
  el('header', { class: 'top' }, el('h1', { class: 'brand' }, 'Figment'), intentBar.element),
  modelNotice.element,
  el('div', { class: 'view' }, launcher.element, appHost.element),
);
shell.inert = true;
main.replaceChildren(shell, connection.element);

client.on('model.status', (model) => modelNotice.show(model));
appHost.start();
client.start();
