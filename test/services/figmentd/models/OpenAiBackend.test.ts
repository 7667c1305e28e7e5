import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LlamaBackend } from '../../../../services/figmentd/models/LlamaBackend.js';
import { OpenAiBackend } from '../../../../services/figmentd/models/OpenAiBackend.js';
import { RoutedBackend } from '../../../../services/figmentd/models/RoutedBackend.js';
import { ScriptedBackend } from '../../../../services/figmentd/models/ScriptedBackend.js';
import { ErrorCode } from '../../../../services/protocol/errors.js';

type Mode = 'stream' | 'error' | 'hang';

/**
 * A loopback server speaking POST /v1/chat/completions as llama.cpp's server
 * and OpenAI do: SSE chunks with choices[].delta.content, a finish_reason,
 * a usage chunk (stream_options.include_usage) and "data: [DONE]".
 */
class ChatServer {
  mode: Mode = 'stream';
  readonly bodies: Record<string, unknown>[] = [];
  readonly headers: IncomingMessage['headers'][] = [];
  private server: Server | undefined;

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo | undefined)?.port}/v1`;
  }

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      this.bodies.push(JSON.parse(raw) as Record<string, unknown>);
      this.headers.push(req.headers);
      if (this.mode === 'error') {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'the model is loading', type: 'unavailable_error' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'tiny' };
      const send = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`);
      send({
        ...base,
        choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
      });
      for (const piece of ['{"name"', ': "Counter"', '}']) {
        send({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
        if (this.mode === 'hang') return; // never finishes: the client must time out or cancel
      }
      send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
      send({ ...base, choices: [], usage: { prompt_tokens: 21, completion_tokens: 3, total_tokens: 24 } });
      res.end('data: [DONE]\n\n');
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const request = { system: 'You write apps.', user: 'a counter', maxTokens: 50 };
const schema = { type: 'object', properties: { name: { type: 'string' } } };

describe('OpenAiBackend against an OpenAI-compatible server', () => {
  const server = new ChatServer();

  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => {
    server.mode = 'stream';
    server.bodies.length = 0;
  });

  it('streams the answer and takes token counts from the usage chunk', async () => {
    const backend = new OpenAiBackend({ baseUrl: server.baseUrl, model: 'tiny', apiKey: 'k-123' });
    const chunks: string[] = [];
    const result = await backend.generate({
      ...request,
      jsonSchema: schema,
      onText: (chunk) => chunks.push(chunk),
    });
    expect(chunks).toEqual(['{"name"', ': "Counter"', '}']);
    expect(result).toMatchObject({
      text: '{"name": "Counter"}',
      promptTokens: 21,
      completionTokens: 3,
      stopReason: 'eos',
      servedBy: 'remote',
    });
    expect(server.bodies[0]).toMatchObject({
      model: 'tiny',
      stream: true,
      max_tokens: 50,
      messages: [
        { role: 'system', content: 'You write apps.' },
        { role: 'user', content: 'a counter' },
      ],
      response_format: { type: 'json_schema', json_schema: { schema } },
    });
    expect(server.headers.at(-1)?.authorization).toBe('Bearer k-123');
  });

  it('turns an HTTP error into a Remote error carrying the server’s message', async () => {
    server.mode = 'error';
    const backend = new OpenAiBackend({ baseUrl: server.baseUrl, model: 'tiny' });
    await expect(backend.generate(request)).rejects.toMatchObject({
      code: ErrorCode.Remote,
      message: expect.stringContaining('the model is loading'),
    });
  });

  it('is cancelled mid-stream by the request signal, and times out on a stalled stream', async () => {
    server.mode = 'hang';
    const backend = new OpenAiBackend({ baseUrl: server.baseUrl, model: 'tiny', timeoutMs: 500 });
    const controller = new AbortController();
    const cancelled = backend.generate({
      ...request,
      signal: controller.signal,
      onText: () => controller.abort(),
    });
    await expect(cancelled).rejects.toMatchObject({ code: ErrorCode.Cancelled });
    await expect(backend.generate(request)).rejects.toMatchObject({
      code: ErrorCode.Remote,
      message: expect.stringContaining('did not finish within 500 ms'),
    });
  });
});

describe('RoutedBackend', () => {
  const server = new ChatServer();
  const local = new ScriptedBackend([{ match: '.', output: '{"name": "Local"}' }], { name: 'local' });

  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => {
    server.mode = 'stream';
    server.bodies.length = 0;
  });

  function routed(policy: 'local-only' | 'remote-first') {
    return new RoutedBackend({
      local,
      remote: new OpenAiBackend({ baseUrl: server.baseUrl, model: 'tiny' }),
      policy,
    });
  }

  it('keeps everything local by default, even requests labelled shareable', async () => {
    const backend = new RoutedBackend({
      local,
      remote: new OpenAiBackend({ baseUrl: server.baseUrl, model: 'tiny' }),
    });
    const result = await backend.generate({ ...request, privacy: 'shareable' });
    expect(result.text).toBe('{"name": "Local"}');
    expect(server.bodies).toHaveLength(0);
  });

  it('never sends a private or unlabelled request off the machine, whatever the policy', async () => {
    const backend = routed('remote-first');
    await backend.generate(request);
    await backend.generate({ ...request, privacy: 'private' });
    expect(server.bodies).toHaveLength(0);
    expect(backend.route({ privacy: 'shareable' })).toBe('remote');
  });

  it("labels unlabelled requests with the owner's default, so app generation can go remote when allowed", async () => {
    const backend = new RoutedBackend({
      local,
      remote: new OpenAiBackend({ baseUrl: server.baseUrl, model: 'tiny' }),
      policy: 'remote-first',
      defaultPrivacy: 'shareable',
    });
    const result = await backend.generate(request);
    expect(result).toMatchObject({ servedBy: 'remote' });
    expect(server.bodies).toHaveLength(1);
    await backend.generate({ ...request, privacy: 'private' });
    expect(server.bodies).toHaveLength(1);
  });

  it('reports the remote as ready when the local model is missing but unlabelled requests go remote', () => {
    const missing = new LlamaBackend({ modelPath: '/nowhere/model.gguf' });
    const remote = new OpenAiBackend({ baseUrl: server.baseUrl, model: 'tiny' });
    expect(new RoutedBackend({ local: missing, remote, policy: 'remote-first' }).status().state).toBe(
      'missing',
    );
    const shared = new RoutedBackend({
      local: missing,
      remote,
      policy: 'remote-first',
      defaultPrivacy: 'shareable',
    });
    expect(shared.status()).toMatchObject({ state: 'ready', backend: 'remote' });
  });

  it('sends shareable requests to the remote model under remote-first', async () => {
    const result = await routed('remote-first').generate({ ...request, privacy: 'shareable' });
    expect(result).toMatchObject({ text: '{"name": "Counter"}', servedBy: 'remote' });
    expect(server.bodies).toHaveLength(1);
  });

  it('falls back to the local model with a notice when the remote fails', async () => {
    server.mode = 'error';
    const notices: string[] = [];
    const result = await routed('remote-first').generate({
      ...request,
      privacy: 'shareable',
      onNotice: (message) => notices.push(message),
    });
    expect(result.text).toBe('{"name": "Local"}');
    expect(result.servedBy).toBe('scripted');
    expect(result.notice).toMatch(/remote model failed .*HTTP 503.*local model answered/);
    expect(notices).toEqual([result.notice]);
  });
});
