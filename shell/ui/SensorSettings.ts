import type { AuditEntry, SensorGrant } from '../../services/protocol/index.js';
import type { DaemonClient } from './DaemonClient.js';
import { describeError } from './describeError.js';
import { el } from './el.js';
import type { Language } from './Language.js';
import { sensorWords } from './sensorWords.js';

const scopeWords: Record<SensorGrant['scope'], string> = {
  once: 'this time',
  'while-open': 'while open',
  always: 'always',
};

/**
 * Settings' Permissions section: which app may use which sensor now (each
 * with Revoke), and the broker's audit log — every request, decision and use.
 */
export class SensorSettings {
  readonly #grants = el('ul', { class: 'grant-list' });
  readonly #audit = el('ol', { class: 'audit-list' });
  readonly element: HTMLElement;
  #names = new Map<string, string>();

  constructor(
    private readonly client: DaemonClient,
    private readonly language: Language,
  ) {
    this.element = el(
      'div',
      { class: 'settings-section' },
      el('h3', {}, language.text('permissions.grants')),
      this.#grants,
      el('h3', {}, language.text('permissions.audit')),
      this.#audit,
    );
    client.on('broker.grantsChanged', () => {
      if (this.element.isConnected && this.element.offsetParent !== null) void this.refresh();
    });
  }

  show(): Promise<void> {
    return this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      const [{ apps }, { grants }, { entries }] = await Promise.all([
        this.client.request('apps.list', {}),
        this.client.request('broker.grants', {}),
        this.client.request('broker.audit', { limit: 30 }),
      ]);
      this.#names = new Map(apps.map((app) => [app.id, app.name]));
      this.#grants.replaceChildren(
        ...(grants.length === 0
          ? [el('li', { class: 'empty' }, this.language.t('permissions.noGrants'))]
          : grants.map((grant) => this.#grantRow(grant))),
      );
      this.#audit.replaceChildren(
        ...(entries.length === 0
          ? [el('li', { class: 'empty' }, this.language.t('permissions.noAudit'))]
          : entries.map((entry) => this.#auditRow(entry))),
      );
    } catch (error) {
      this.#grants.replaceChildren(el('li', { class: 'problem', role: 'alert' }, describeError(error).title));
    }
  }

  #grantRow(grant: SensorGrant): HTMLElement {
    const name = this.#names.get(grant.appId) ?? 'An app';
    const revoke = el(
      'button',
      { type: 'button', class: 'secondary' },
      this.language.t('permissions.revoke'),
    );
    const sensor = this.language.t(`sensor.${grant.capability}`);
    revoke.setAttribute('aria-label', this.language.t('permissions.revokeFor', { sensor, name }));
    revoke.addEventListener('click', () => {
      revoke.disabled = true;
      this.client.request('broker.revoke', { appId: grant.appId, capability: grant.capability }).then(
        () => this.refresh(),
        () => this.refresh(),
      );
    });
    const until = grant.scope === 'always' ? `, until ${new Date(grant.expiresAt).toLocaleDateString()}` : '';
    return el(
      'li',
      { class: 'grant', 'data-app': grant.appId, 'data-capability': grant.capability },
      el('span', {}, `${name}: ${sensorWords(grant.capability)} (${scopeWords[grant.scope]}${until})`),
      revoke,
    );
  }

  #auditRow(entry: AuditEntry): HTMLElement {
    const name = (entry.appId && this.#names.get(entry.appId)) || 'An app';
    const capability = typeof entry.detail.capability === 'string' ? entry.detail.capability : 'a sensor';
    const what = auditWords(entry.action, entry.detail);
    return el(
      'li',
      { class: 'audit', 'data-action': entry.action },
      el('time', { datetime: new Date(entry.at).toISOString() }, new Date(entry.at).toLocaleTimeString()),
      ` ${name} — ${capability}: ${what}`,
    );
  }
}

function auditWords(action: string, detail: AuditEntry['detail']): string {
  switch (action) {
    case 'sensor.request':
      return 'asked';
    case 'sensor.decision':
      return detail.decision === 'deny'
        ? 'you said no'
        : detail.decision === 'timeout'
          ? 'no answer'
          : `allowed ${String(detail.decision)}`;
    case 'sensor.use':
      return 'used';
    case 'sensor.refused':
      return `refused (${String(detail.why ?? '')})`;
    case 'sensor.revoked':
    case 'grant.revoked':
      return 'taken back';
    case 'sensor.expired':
      return 'expired';
    case 'grant.given':
      return 'kept allowed';
    default:
      return action;
  }
}
