/**
 * Powerful features without a grant: clipboard, fullscreen, notifications,
 * downloads, pointer lock, camera, microphone, location (the browser's own
 * and the SDK's sensors), and modal dialogs.
 */
import { expect } from 'vitest';
import { type HostileApp, probe } from './support/hostileApp.js';
import { redTeamSuite } from './support/redTeamSuite.js';

const apps: HostileApp[] = [
  {
    name: 'RT uses the clipboard',
    attack: 'permissions without a grant',
    html: () =>
      probe(`return {
        write: await attempt(() => navigator.clipboard.writeText('pwned')),
        read: await attempt(() => navigator.clipboard.readText()),
        exec: document.execCommand('copy'),
      };`),
    async check(team) {
      const result = (await team.result()) as Record<string, unknown>;
      expect(result.write).toMatch(/^blocked:/);
      expect(result.read).toMatch(/^blocked:/);
      expect(result.exec).toBe(false);
    },
  },
  {
    name: 'RT goes fullscreen',
    attack: 'permissions without a grant',
    html: () =>
      probe(`return {
        fullscreen: await attempt(() => document.documentElement.requestFullscreen()),
        pointerLock: await attempt(() => document.body.requestPointerLock()),
        keyboardLock: await attempt(() => navigator.keyboard.lock()),
        wakeLock: await attempt(() => navigator.wakeLock.request('screen')),
        element: String(document.fullscreenElement),
      };`),
    async check(team) {
      const result = (await team.result()) as Record<string, unknown>;
      expect(result.fullscreen).toMatch(/^blocked:/);
      expect(result.keyboardLock).toMatch(/^blocked:/);
      expect(result.wakeLock).toMatch(/^blocked:/);
      expect(result.element).toBe('null');
      expect(await team.page.evaluate(() => document.fullscreenElement === null)).toBe(true);
    },
  },
  {
    name: 'RT sends notifications',
    attack: 'permissions without a grant',
    html: () =>
      probe(`return {
        permission: await attempt(() => Notification.requestPermission()),
        shown: await attempt(() => { new Notification('pwned'); return Notification.permission; }),
      };`),
    async check(team) {
      const result = (await team.result()) as Record<string, unknown>;
      expect(result.permission).toBe('denied');
      expect(result.shown).toBe('denied');
    },
  },
  {
    name: 'RT downloads a file',
    attack: 'permissions without a grant',
    html: () =>
      probe(`const url = URL.createObjectURL(new Blob(['MZ payload'], { type: 'application/octet-stream' }));
        const a = document.createElement('a'); a.href = url; a.download = 'payload.exe'; document.body.append(a); a.click();
        const b = document.createElement('a'); b.href = 'data:application/octet-stream;base64,TVo='; b.download = 'two.exe'; document.body.append(b); b.click();
        await sleep(800);
        return 'clicked';`),
    async check(team) {
      expect(await team.result()).toBe('clicked');
      // expectShellIntact asserts that no download started.
    },
  },
  {
    name: 'RT opens the camera and microphone directly',
    attack: 'sensors without a grant',
    html: () =>
      probe(`return {
        media: await attempt(() => navigator.mediaDevices.getUserMedia({ video: true, audio: true })),
        display: await attempt(() => navigator.mediaDevices.getDisplayMedia()),
        devices: await attempt(async () => (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.label).length),
      };`),
    async check(team) {
      const result = (await team.result()) as Record<string, unknown>;
      expect(result.media).toMatch(/^blocked:/);
      expect(result.display).toMatch(/^blocked:/);
      expect([0, 'blocked:TypeError', 'blocked:NotAllowedError']).toContain(result.devices);
    },
  },
  {
    name: 'RT reads the location directly',
    attack: 'sensors without a grant',
    html: () =>
      probe(`return await new Promise((resolve) => {
        navigator.geolocation.getCurrentPosition(() => resolve('located'), (error) => resolve('denied:' + error.code), { timeout: 3000 });
      });`),
    async check(team) {
      expect(await team.result()).toBe('denied:1');
    },
  },
  {
    name: 'RT asks the SDK for sensors it declared',
    attack: 'sensors without a grant',
    capabilities: ['storage', 'location', 'camera', 'microphone'],
    html: () =>
      probe(`const code = (p) => p.then(() => 'granted', (error) => error.code);
        return {
          location: await code(figment.sensors.location()),
          camera: await code(figment.sensors.camera()),
          microphone: await code(figment.sensors.microphone({ durationMs: 500 })),
        };`),
    async check(team) {
      // Each ungranted sensor puts the shell's consent card up; the person says no to each.
      for (let asked = 0; asked < 3; asked++) {
        const card = team.page.getByRole('alertdialog');
        const shown = await card.waitFor({ timeout: 3000 }).then(
          () => true,
          () => false,
        );
        if (shown) await card.getByRole('button', { name: 'Don’t allow' }).click();
      }
      expect(await team.result()).toEqual({
        location: 'FIGMENT_ERR_NOT_GRANTED',
        camera: 'FIGMENT_ERR_NOT_GRANTED',
        microphone: 'FIGMENT_ERR_NOT_GRANTED',
      });
    },
  },
  {
    name: 'RT asks the SDK for sensors it never declared',
    attack: 'sensors without a grant',
    html: () =>
      probe(`const code = (p) => p.then(() => 'granted', (error) => error.code);
        return [await code(figment.sensors.location()), await code(figment.sensors.camera()), await code(figment.sensors.microphone())];`),
    async check(team) {
      expect(await team.result()).toEqual([
        'FIGMENT_ERR_CAPABILITY',
        'FIGMENT_ERR_CAPABILITY',
        'FIGMENT_ERR_CAPABILITY',
      ]);
    },
  },
  {
    name: 'RT storms alerts',
    attack: 'dialogs',
    html: () =>
      probe(`const started = Date.now();
        for (let i = 0; i < 200; i++) { alert('pwned ' + i); confirm('sure?'); prompt('password?'); }
        print();
        return { fast: Date.now() - started < 3000 };`),
    async check(team) {
      expect(await team.result()).toEqual({ fast: true });
      // expectShellIntact asserts that no dialog ever reached the page.
    },
  },
];

redTeamSuite('permissions and dialogs', apps);
