import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { type RunningDaemon, startDaemon } from '../support/startDaemon.js';
import { goldenBundle, goldens } from './goldens.js';
import { intents } from './intents.js';
import { QualityRunner } from './QualityRunner.js';
import { remoteConfig } from './remoteConfig.js';

/** An OpenAI-compatible server on loopback that streams the counter's golden app, as the real API shapes it. */
function goldenServer(bodies: string[]): Server {
  const golden = goldens.find((entry) => entry.intentId === 'counter');
  if (!golden) throw new Error('no counter golden');
  const answer = JSON.stringify(goldenBundle(golden));
  return createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      bodies.push(body);
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      const chunk = (delta: object, finish: string | null, usage?: object) =>
        `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
      for (let at = 0; at < answer.length; at += 256)
        response.write(chunk({ content: answer.slice(at, at + 256) }, null));
      response.write(chunk({}, 'stop', { prompt_tokens: 1000, completion_tokens: 700 }));
      response.end('data: [DONE]\n\n');
    });
  });
}

let browser: Browser;
let daemon: RunningDaemon;
let server: Server;
const bodies: string[] = [];

beforeAll(async () => {
  server = goldenServer(bodies);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  browser = await launchChromium();
  daemon = await startDaemon({
    env: {
      FIGMENT_MODEL_BACKEND: 'llama',
      FIGMENT_CONFIG: remoteConfig(`http://127.0.0.1:${port}/v1`, 'golden-remote'),
      FIGMENT_BUS: 'off',
    },
  });
});

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
  server?.close();
});

describe('bench:quality --remote', () => {
  it('generates through the remote model, with no local model, and checks the app it wrote', async () => {
    const counter = intents.find((intent) => intent.id === 'counter');
    if (!counter) throw new Error('no counter intent');
    const runner = new QualityRunner({ daemon, browser, maxRepairs: 1 });
    try {
      const result = await runner.run(counter);
      expect(result).toMatchObject({ outcome: 'first-run', model: 'golden-remote', tokens: 700 });
    } finally {
      await runner.dispose();
    }
    expect(bodies).toHaveLength(1);
    expect(JSON.parse(bodies[0] ?? '{}')).toMatchObject({ model: 'golden-remote', stream: true });
  });
});
