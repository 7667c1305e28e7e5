/**
 * `npm run bench:shell`: JSON lines, p50/p95/max over BENCH_RUNS (default 20) runs of
 * - `shell.openApp`: from the shell asking to open a stored app (a mouse click on
 *   its launcher tile) to the app's first frame: the first contentful paint
 *   inside its sandboxed frame. Measured in the page on one clock: the shell
 *   records `performance.timeOrigin + performance.now()` as the click is
 *   dispatched, the app frame's Paint Timing entry gives
 *   `performance.timeOrigin + startTime` for its first contentful paint. Target < 150 ms.
 *   Each run is a fresh tab, so this is the first open of a freshly started shell.
 * - `shell.openAppAgain`: the same app opened again in that tab after its Close
 *   button, as most opens are on a kiosk that runs for days.
 * - `shell.startToInteractive`: from navigation start of the shell page to the
 *   intent bar being usable (connected to figmentd, the shell no longer
 *   inert, the field on screen), recorded in the page by a MutationObserver.
 *
 * Real figmentd (built dist/, scripted model) and Debian Chromium, driven over a
 * bare DevTools pipe (test/support/cdpChromium.ts): nothing attaches to the app's
 * frame until it has painted, and every wait is one promise in the page, not polling.
 * Needs `npm run build` first.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WARM_FRAME_PATH } from '../services/protocol/shellOrigin.js';
import { ApiClient } from '../test/support/ApiClient.js';
import { CdpChromium, type CdpPage } from '../test/support/cdpChromium.js';
import { repoRoot, startDaemon } from '../test/support/startDaemon.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
/** Runs left out at the start: Chromium's caches and the daemon's first queries warm up. */
const WARMUP = 2;
const TARGET_OPEN_MS = 150;

/** Longest a single run may wait for something with no timeout of its own (a paint that never comes). */
const RUN_LIMIT_MS = 20_000;

function withinRunLimit<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${RUN_LIMIT_MS} ms`)), RUN_LIMIT_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
const round = (ms: number) => Math.round(ms * 10) / 10;

function summary(bench: string, samples: number[], extra: Record<string, unknown>): string {
  return JSON.stringify({
    bench,
    runs: samples.length,
    p50Ms: round(percentile(samples, 50)),
    p95Ms: round(percentile(samples, 95)),
    maxMs: round(Math.max(...samples)),
    ...extra,
  });
}

/*
 * What runs in the page is kept as text: tsx (esbuild with keepNames) would
 * wrap named functions in a `__name` helper that the page does not have.
 */

/** Records, in the page, when the intent bar became usable (ms since navigation start). */
const WATCH_INTERACTIVE = `
  const observer = new MutationObserver(() => {
    if (window.__figmentInteractiveAt !== undefined) return;
    const input = document.querySelector('.shell:not([inert]) #intent-input');
    if (input && input.getClientRects().length > 0 && !input.readOnly) {
      window.__figmentInteractiveAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
`;

/** Resolves with the epoch time (ms) of the document's first contentful paint. */
const FIRST_PAINT = `new Promise((resolve) => {
  new PerformanceObserver((list, observer) => {
    const entry = list.getEntriesByName('first-contentful-paint')[0];
    if (!entry) return;
    observer.disconnect();
    resolve(performance.timeOrigin + entry.startTime);
  }).observe({ type: 'paint', buffered: true });
})`;

/** The frame's navigation start and response end, in epoch ms (the clock the shell's times use). */
const FRAME_TIMING = `(() => {
  const [navigation] = performance.getEntriesByType('navigation');
  return { started: performance.timeOrigin, responseEnd: performance.timeOrigin + navigation.responseEnd };
})()`;

/** The stored app's launcher tile, with a capture-phase click listener that notes when the click is dispatched. */
const ARM_TILE = `(() => {
  const tile = [...document.querySelectorAll('button.app-tile')].find((button) => button.textContent.includes('Counter'));
  tile.scrollIntoView({ block: 'center' });
  // Capture phase: the time is taken before the shell's own click handler runs.
  tile.addEventListener('click', () => {
    window.__figmentAskedAt = performance.timeOrigin + performance.now();
  }, { capture: true, once: true });
  // The load event of the app's frame (a frame's load events reach capture listeners of the page).
  window.__figmentAppLoaded = new Promise((resolve) => {
    document.addEventListener('load', (event) => {
      if (event.target instanceof HTMLIFrameElement && event.target.classList.contains('app-frame')) resolve(true);
    }, { capture: true });
  });
  const box = tile.getBoundingClientRect();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
})()`;

/**
 * Resolves once the warm frame has loaded (the shell's Resource Timing gets its entry then). One
 * observer in the page, not polling, which would take the shell's main thread.
 */
const WARM_FRAME_LOADED = `new Promise((resolve) => {
  new PerformanceObserver((list, observer) => {
    if (!list.getEntries().some((entry) => entry.initiatorType === 'iframe' && entry.name.endsWith(${JSON.stringify(WARM_FRAME_PATH)}))) return;
    observer.disconnect();
    resolve(true);
  }).observe({ type: 'resource', buffered: true });
})`;

/**
 * A person's pause before pressing a tile (BENCH_PAUSE_MS, default 1 s): by then the shell's own
 * start-up work (first raster, the last tab's teardown) is done, as it is before anyone can press.
 */
const PAUSE_BEFORE_OPEN_MS = Number(process.env.BENCH_PAUSE_MS ?? 1_000);

/** True while the launcher shows the Counter tile and is not refreshing (a refresh may move the tiles). */
const LAUNCHER_SETTLED =
  "[...document.querySelectorAll('button.app-tile')].some((button) => button.textContent.includes('Counter')) && !document.querySelector('[aria-busy=\"true\"]')";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One open's times, in ms: in all, and the stages described at {@link Samples}. */
interface OpenTimes {
  total: number;
  toFrameStart: number;
  frameServed: number;
  toPaint: number;
}

/** Where the open time goes: the shell (click → frame navigation starts), figmentd serving the frame (→ its response ends), and the frame's own process, parse and paint. */
class Samples {
  readonly total: number[] = [];
  readonly toFrameStart: number[] = [];
  readonly frameServed: number[] = [];
  readonly toPaint: number[] = [];

  add(times: OpenTimes): void {
    for (const key of ['total', 'toFrameStart', 'frameServed', 'toPaint'] as const)
      this[key].push(times[key]);
  }

  summary(bench: string, measures: string): string {
    return summary(bench, this.total, {
      targetMs: TARGET_OPEN_MS,
      p50UnderTarget: percentile(this.total, 50) < TARGET_OPEN_MS,
      p95UnderTarget: percentile(this.total, 95) < TARGET_OPEN_MS,
      measures,
      pauseBeforeOpenMs: PAUSE_BEFORE_OPEN_MS,
      clickToFrameNavigationP50Ms: round(percentile(this.toFrameStart, 50)),
      frameResponseP50Ms: round(percentile(this.frameServed, 50)),
      responseToPaintP50Ms: round(percentile(this.toPaint, 50)),
    });
  }
}

/** Presses the Counter tile with the mouse, waits for the app's first paint, and says how long each part took. */
async function openCounter(chromium: CdpChromium, page: CdpPage, what: string): Promise<OpenTimes> {
  const tile = await page.evaluate<{ x: number; y: number }>(ARM_TILE);
  await page.click(tile.x, tile.y);
  await withinRunLimit(page.evaluate('window.__figmentAppLoaded'), `${what}: app frame loaded`);
  // Only now is the app's frame attached to, for its timings: nothing watched it while it opened.
  const frame = await chromium.attachToFrame(/\/frame\/ver_/);
  const paintedAt = Number(await withinRunLimit(frame.evaluate(FIRST_PAINT), `${what}: first paint`));
  const askedAt = await page.evaluate<number>('window.__figmentAskedAt');
  const { started, responseEnd } = await frame.evaluate<{ started: number; responseEnd: number }>(
    FRAME_TIMING,
  );
  if (process.env.BENCH_DEBUG) console.error({ what, askedAt, paintedAt, started, responseEnd });
  return {
    total: paintedAt - askedAt,
    toFrameStart: started - askedAt,
    frameServed: responseEnd - started,
    toPaint: paintedAt - responseEnd,
  };
}

async function main(): Promise<void> {
  if (!existsSync(join(repoRoot, 'dist/services/figmentd/main.js'))) {
    throw new Error('dist/ is missing: run "npm run build" first');
  }
  const daemon = await startDaemon();
  const chromium = CdpChromium.launch();
  try {
    // Store one app the ordinary way: a request that the scripted model answers.
    const api = await ApiClient.connect(`${daemon.url.replace('http', 'ws')}/api?token=${daemon.token}`, {
      Origin: daemon.url,
    });
    const made = await api.call('ask', { text: 'a counter with a big plus button' }, 30_000);
    api.close();
    if (made.type !== 'reply') throw new Error(`could not store the app: ${JSON.stringify(made)}`);

    const firstOpens = new Samples();
    const laterOpens = new Samples();
    const starts: number[] = [];
    const domLoaded: number[] = [];
    for (let run = 0; run < RUNS + WARMUP; run++) {
      // A fresh tab each run (its own sessionStorage, so no app is restored as open) and a fresh shell.
      const page = await chromium.openPage(daemon.shellUrl, { beforeLoad: WATCH_INTERACTIVE });
      await page.waitFor('window.__figmentInteractiveAt !== undefined', `run ${run}: shell interactive`);
      const interactive = await page.evaluate<number>('window.__figmentInteractiveAt');
      const loaded = await page.evaluate<number>(
        "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd",
      );
      await page.waitFor(LAUNCHER_SETTLED, `run ${run}: the Counter tile`);
      // A shell in use has had its warm frame loaded long before anyone opens an app.
      await withinRunLimit(page.evaluate(WARM_FRAME_LOADED), `run ${run}: warm frame`);
      await pause(PAUSE_BEFORE_OPEN_MS);
      const first = await openCounter(chromium, page, `run ${run}, first open`);
      // Back to the launcher with the app's Close button, and the same app again.
      await page.evaluate(
        "[...document.querySelectorAll('.app-actions button')].find((button) => button.textContent === 'Close').click()",
      );
      await page.waitFor(LAUNCHER_SETTLED, `run ${run}: back at the launcher`);
      await pause(PAUSE_BEFORE_OPEN_MS);
      const again = await openCounter(chromium, page, `run ${run}, open again`);
      await page.close();
      if (run < WARMUP) continue;
      firstOpens.add(first);
      laterOpens.add(again);
      starts.push(interactive);
      domLoaded.push(loaded);
    }
    console.log(
      firstOpens.summary(
        'shell.openApp',
        'launcher tile click → first-contentful-paint in the app frame (Paint Timing, same clock); the first open in a freshly started shell',
      ),
    );
    console.log(
      laterOpens.summary(
        'shell.openAppAgain',
        'the same, for the same app opened again from the launcher after it was closed (the shell has opened an app before)',
      ),
    );
    console.log(
      summary('shell.startToInteractive', starts, {
        measures: 'navigation start → intent field usable (connected, not inert), in-page MutationObserver',
        domContentLoadedP50Ms: round(percentile(domLoaded, 50)),
      }),
    );
  } finally {
    await chromium.close();
    await daemon.stop();
  }
}

await main();
