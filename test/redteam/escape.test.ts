/**
 * Reaching out of the frame: the parent's and top's DOM and location, new
 * windows, form posts, history, and state that would survive to a next run.
 */
import { expect } from 'vitest';
import { type HostileApp, probe } from './support/hostileApp.js';
import { redTeamSuite } from './support/redTeamSuite.js';

const apps: HostileApp[] = [
  {
    name: 'RT reads the shell DOM',
    attack: 'parent and top',
    html: () =>
      probe(`return {
        parent: await attempt(() => parent.document.body.innerHTML),
        top: await attempt(() => top.document.title),
        token: await attempt(() => top.location.hash),
        frameElement: await attempt(() => String(window.frameElement)),
      };`),
    async check(team) {
      expect(await team.result()).toEqual({
        parent: 'blocked:SecurityError',
        top: 'blocked:SecurityError',
        token: 'blocked:SecurityError',
        frameElement: 'null',
      });
    },
  },
  {
    name: 'RT navigates the top window',
    attack: 'windows and navigation',
    html: (t) =>
      probe(`return {
        top: await attempt(() => { top.location.href = '${t.http('top')}'; }),
        parent: await attempt(() => { parent.location = '${t.http('parent')}'; }),
        assign: await attempt(() => top.location.assign('/?pwned')),
      };`),
    async check(team) {
      const result = (await team.result()) as Record<string, string>;
      // Chromium refuses silently or throws; either way the shell must not move.
      for (const value of Object.values(result)) expect(value).toMatch(/^(blocked:|ran)/);
      await team.expectNoExfiltration();
    },
  },
  {
    name: 'RT clicks a target=_top link',
    attack: 'windows and navigation',
    html: (t) =>
      probe(
        `document.getElementById('top').click(); document.getElementById('blank').click(); await sleep(500); return 'clicked';`,
        `<a id="top" target="_top" href="${t.http('link-top')}">top</a><a id="blank" target="_blank" href="${t.http('link-blank')}">blank</a>`,
      ),
    async check(team) {
      expect(await team.result()).toBe('clicked');
      await team.expectNoExfiltration();
    },
  },
  {
    name: 'RT opens windows',
    attack: 'windows and navigation',
    html: (t) =>
      probe(`const opened = [];
        for (let i = 0; i < 20; i++) opened.push(window.open('${t.http('popup')}' + i, '_blank'));
        opened.push(window.open('about:blank'));
        return opened.every((w) => w === null) ? 'all null' : 'a window opened';`),
    async check(team) {
      expect(await team.result()).toBe('all null');
      await team.expectNoExfiltration();
    },
  },
  {
    name: 'RT posts a form',
    attack: 'form posts',
    html: (t) =>
      probe(
        `document.getElementById('f').requestSubmit(); document.getElementById('g').submit(); await sleep(500); return 'submitted';`,
        `<form id="f" method="post" action="${t.http('form-post')}"><input name="secret" value="1"></form>
         <form id="g" method="post" target="_top" action="/"><input name="x" value="1"></form>`,
      ),
    async check(team) {
      expect(await team.result()).toBe('submitted');
      await team.expectNoExfiltration();
    },
  },
  {
    name: 'RT rewinds the shell history',
    attack: 'windows and navigation',
    html: () =>
      probe(
        `history.pushState({}, '', '#x'); history.go(-10); history.back(); await sleep(300); return 'rewound';`,
      ),
    async check(team) {
      expect(await team.result()).toBe('rewound');
      // The shell stays on its page (expectShellIntact checks the address) with the app still open.
      expect(await team.page.locator('.app-host').isVisible()).toBe(true);
    },
  },
  {
    name: 'RT keeps state for its next run',
    attack: 'persistence across runs',
    html: () =>
      probe(`const found = {
          cookie: await attempt(() => document.cookie),
          localStorage: await attempt(() => localStorage.getItem('mark')),
          indexedDB: await attempt(() => new Promise((ok, fail) => { const r = indexedDB.open('mark'); r.onsuccess = () => ok('opened'); r.onerror = () => fail(r.error); })),
          caches: await attempt(() => caches.keys()),
          opfs: await attempt(() => navigator.storage.getDirectory()),
          name: window.name,
        };
        await attempt(() => { document.cookie = 'mark=1; max-age=9999'; });
        await attempt(() => localStorage.setItem('mark', '1'));
        window.name = 'mark';
        return found;`),
    async check(team) {
      const expected = {
        cookie: 'blocked:SecurityError',
        localStorage: 'blocked:SecurityError',
        indexedDB: 'blocked:SecurityError',
        caches: 'blocked:SecurityError',
        opfs: 'blocked:SecurityError',
        name: '',
      };
      expect(await team.result()).toEqual(expected);
      // The second run is a fresh opaque origin in a fresh frame: nothing from the first.
      await team.open(this);
      expect(await team.result()).toEqual(expected);
    },
  },
  {
    name: 'RT frames the shell itself',
    attack: 'parent and top',
    html: () =>
      probe(`const f = document.createElement('iframe'); f.src = location.origin + '/'; document.body.append(f);
        await sleep(500);
        return await attempt(() => f.contentWindow.document.body.innerHTML);`),
    async check(team) {
      expect(await team.result()).toBe('blocked:SecurityError');
    },
  },
  {
    name: 'RT opens another app frame by URL',
    attack: 'other apps through the bridge',
    html: () =>
      probe(`const other = location.pathname.replace(/ver_[A-Za-z0-9_-]+/, 'ver_AAAAAAAAAAAA');
        const r = await attempt(() => fetch(other));
        return r;`),
    async check(team) {
      expect(await team.result()).toBe('blocked:TypeError');
    },
  },
];

redTeamSuite('escaping the frame', apps);
