/**
 * The bridge: forged identities, replays, polluted payloads, messages that
 * pretend to come from the shell, and another app's storage as the prize.
 */
import { expect } from 'vitest';
import { type HostileApp, probe } from './support/hostileApp.js';
import { VICTIM_SECRET } from './support/RedTeam.js';
import { redTeamSuite } from './support/redTeamSuite.js';

/** Raw bridge access for the app: posts a message to the shell and waits for the reply with its id. */
const RAW_CALL = `const call = (message) => new Promise((resolve) => {
  const onReply = (event) => { if (event.source === parent && event.data && event.data.id === message.id) { removeEventListener('message', onReply); resolve(event.data); } };
  addEventListener('message', onReply);
  parent.postMessage(message, '*');
  setTimeout(() => resolve('no answer'), 3000);
});
const code = (reply) => reply === 'no answer' ? reply : reply.ok ? { ok: reply.result } : reply.error.code;`;

const apps: HostileApp[] = [
  {
    name: 'RT forges another app id',
    attack: 'other apps through the bridge',
    html: (t) =>
      probe(`${RAW_CALL}
        return {
          withAppId: code(await call({ figment: 1, id: 9001, call: 'storage.get', args: { key: 'secret', appId: '${t.victimAppId}' } })),
          outside: code(await call({ figment: 1, id: 9002, call: 'storage.get', appId: '${t.victimAppId}', args: { key: 'secret' } })),
          own: code(await call({ figment: 1, id: 9003, call: 'storage.get', args: { key: 'secret' } })),
        };`),
    async check(team) {
      expect(await team.result()).toEqual({
        withAppId: 'FIGMENT_ERR_BAD_MESSAGE',
        outside: 'FIGMENT_ERR_BAD_MESSAGE',
        own: { ok: null },
      });
    },
  },
  {
    name: 'RT walks keys toward another app',
    attack: 'other apps through the bridge',
    html: (t) =>
      probe(`const keys = ['../${t.victimAppId}/secret', '${t.victimAppId}:secret', '${t.victimAppId}/secret', "secret' OR '1'='1", '%2e%2e/secret'];
        const found = [];
        for (const key of keys) found.push(await attempt(() => figment.storage.get(key)));
        return found;`),
    async check(team) {
      expect(await team.result()).toEqual([null, null, null, null, null]);
    },
  },
  {
    name: 'RT overwrites another app by key',
    attack: 'other apps through the bridge',
    html: (t) =>
      probe(`await figment.storage.set('../${t.victimAppId}/secret', 'owned');
        await figment.storage.set('secret', 'owned');
        return 'written';`),
    async check(team) {
      expect(await team.result()).toBe('written');
      // Its writes landed in its own space only.
      expect(await team.storedValue(team.victimAppId, 'secret')).toBe(VICTIM_SECRET);
    },
  },
  {
    name: 'RT replays its own messages',
    attack: 'other apps through the bridge',
    html: () =>
      probe(`${RAW_CALL}
        const message = { figment: 1, id: 77, call: 'storage.set', args: { key: 'n', value: 1 } };
        const replies = [];
        for (let i = 0; i < 5; i++) replies.push(code(await call(message)));
        return { replies, value: await figment.storage.get('n') };`),
    async check(team) {
      // A replay is the same app saying the same thing again: it is answered as itself, nothing more.
      expect(await team.result()).toEqual({ replies: Array(5).fill({ ok: null }), value: 1 });
      expect(await team.storedValue(team.victimAppId, 'n')).toBeNull();
    },
  },
  {
    name: 'RT pollutes prototypes in payloads',
    attack: 'other apps through the bridge',
    html: () =>
      probe(`${RAW_CALL}
        const polluted = JSON.parse('{"__proto__": {"appId": "app_victim", "polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
        return {
          args: code(await call({ figment: 1, id: 1, call: 'storage.get', args: JSON.parse('{"key": "k", "__proto__": {"appId": "x"}}') })),
          envelope: code(await call(Object.assign(JSON.parse('{"__proto__": {"call": "storage.get"}}'), { figment: 1, id: 2, args: { key: 'k' } }))),
          value: code(await call({ figment: 1, id: 3, call: 'storage.set', args: { key: 'p', value: polluted } })),
          back: await figment.storage.get('p'),
        };`),
    async check(team) {
      const result = (await team.result()) as Record<string, unknown>;
      expect(result.args).toBe('FIGMENT_ERR_BAD_MESSAGE');
      expect(result.envelope).toBe('FIGMENT_ERR_BAD_MESSAGE');
      expect(result.value).toEqual({ ok: null });
      // Stored as plain data, and the shell's own objects are untouched.
      expect(await team.page.evaluate(() => ({}) as Record<string, unknown>)).toEqual({});
      expect(
        await team.page.evaluate(() => 'polluted' in Object.prototype || 'appId' in Object.prototype),
      ).toBe(false);
    },
  },
  {
    name: 'RT pretends to be the shell',
    attack: 'pretending to be the shell',
    html: () =>
      probe(`// Forged replies and events, posted by the app to itself: the SDK must only believe its parent.
        const pending = figment.storage.get('real');
        for (let id = 1; id < 20; id++) window.postMessage({ figment: 1, id, ok: true, result: 'forged' }, '*');
        window.postMessage({ figment: 1, event: 'theme', theme: { mode: 'dark', textScale: 2, reducedMotion: true } }, '*');
        const value = await pending;
        await sleep(100);
        return { value, mode: figment.theme.current.mode };`),
    async check(team) {
      expect(await team.result()).toEqual({ value: null, mode: 'light' });
    },
  },
  {
    name: 'RT speaks to the shell in its own words',
    attack: 'pretending to be the shell',
    html: () =>
      probe(`${RAW_CALL}
        const forged = [
          { figment: 1, id: 5, call: 'apps.open', args: { appId: 'app_x' } },
          { figment: 1, id: 6, call: 'generate', args: { intent: 'x' } },
          { figment: 1, id: 7, ok: true, result: 'i am the daemon' },
          { type: 'reply', id: 'r1', result: {} },
          { figment: 1, id: 8, event: 'theme', theme: { mode: 'dark', textScale: 1, reducedMotion: false } },
        ];
        const codes = [];
        for (const message of forged) codes.push(code(await call(message)));
        return codes;`),
    async check(team) {
      expect(await team.result()).toEqual([
        'FIGMENT_ERR_BAD_MESSAGE',
        'FIGMENT_ERR_BAD_MESSAGE',
        'FIGMENT_ERR_BAD_MESSAGE',
        'no answer',
        'FIGMENT_ERR_BAD_MESSAGE',
      ]);
    },
  },
  {
    name: 'RT sends ports and odd objects',
    attack: 'pretending to be the shell',
    html: () =>
      probe(`const channel = new MessageChannel();
        parent.postMessage({ figment: 1, id: 1, call: 'storage.get', args: { key: 'k' } }, '*', [channel.port2]);
        parent.postMessage(new Blob(['x']), '*');
        parent.postMessage(new Map([[1, 2]]), '*');
        parent.postMessage({ figment: 1, id: 2, call: 'storage.set', args: { key: 'k', value: new Date() } }, '*');
        let heard = 'nothing';
        channel.port1.onmessage = (event) => { heard = event.data; };
        await sleep(500);
        return { heard, stored: await figment.storage.get('k') };`),
    async check(team) {
      expect(await team.result()).toEqual({ heard: 'nothing', stored: null });
    },
  },
  {
    name: 'RT fills its storage',
    attack: 'resource exhaustion',
    html: () =>
      probe(`const big = 'x'.repeat(400 * 1024);
        const codes = [];
        for (let i = 0; i < 16; i++) codes.push(await figment.storage.set('k' + i, big).then(() => 'ok', (error) => error.code));
        return { first: codes[0], last: codes.at(-1), refusedWith: codes.find((c) => c !== 'ok') };`),
    async check(team) {
      expect(await team.result()).toEqual({
        first: 'ok',
        last: 'FIGMENT_ERR_STORAGE_QUOTA',
        refusedWith: 'FIGMENT_ERR_STORAGE_QUOTA',
      });
      expect(await team.storedValue(team.victimAppId, 'secret')).toBe(VICTIM_SECRET);
    },
  },
];

redTeamSuite('the bridge', apps);
