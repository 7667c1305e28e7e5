import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelManager } from '../../../../services/figmentd/models/ModelManager.js';
import type { CatalogueEntry } from '../../../../services/figmentd/models/modelCatalogue.js';
import { readModelInfo } from '../../../../services/figmentd/models/readModelInfo.js';
import { ErrorCode } from '../../../../services/protocol/errors.js';
import { testModelPath } from '../../../support/testModels.js';

/** A loopback file server with Range support that can cut its next answer short. */
class ModelServer {
  readonly requests: { path: string; range: string | undefined }[] = [];
  /** Bytes after which the next full answer is cut (the socket destroyed). */
  cutNextAfter: number | undefined;
  private server: Server | undefined;

  constructor(private readonly files: Record<string, Buffer>) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo | undefined)?.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = req.url ?? '/';
      this.requests.push({ path, range: req.headers.range });
      const body = this.files[path];
      if (!body) {
        res.writeHead(404).end('not found');
        return;
      }
      const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      const start = range ? Number(range[1]) : 0;
      if (start >= body.length) {
        res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(range ? 206 : 200, {
        'content-length': body.length - start,
        'accept-ranges': 'bytes',
        ...(range ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
      });
      const cut = this.cutNextAfter;
      this.cutNextAfter = undefined;
      if (cut === undefined) {
        res.end(body.subarray(start));
        return;
      }
      res.write(body.subarray(start, start + cut), () => setTimeout(() => res.destroy(), 50));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const model = readFileSync(testModelPath('stories260K.gguf'));
const sha256 = createHash('sha256').update(model).digest('hex');

function entry(url: string, extra: Partial<CatalogueEntry> = {}): CatalogueEntry {
  return {
    name: 'tiny',
    purpose: 'generation',
    tiers: ['board'],
    file: 'tiny.gguf',
    url,
    approxBytes: model.length,
    sizeBytes: model.length,
    sha256,
    licence: 'MIT',
    description: 'stories260K served from a temp dir',
    ...extra,
  };
}

describe('ModelManager', () => {
  let server: ModelServer;
  let dir: string;
  let modelsDir: string;

  beforeAll(async () => {
    server = new ModelServer({
      '/tiny.gguf': model,
      '/other.gguf': Buffer.from(model).fill(7, 100_000, 100_100),
    });
    await server.start();
  });

  afterAll(async () => {
    await server?.stop();
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'figment-manager-'));
    modelsDir = join(dir, 'models');
    server.requests.length = 0;
    return () => rmSync(dir, { recursive: true, force: true });
  });

  it('pulls a catalogue model, verifies its size and checksum, and reports progress', async () => {
    const manager = new ModelManager({ modelsDir, catalogue: [entry(`${server.url}/tiny.gguf`)] });
    const progress: number[] = [];
    const result = await manager.pull('tiny', { onProgress: (received) => progress.push(received) });
    expect(result).toMatchObject({ bytes: model.length, sha256, verified: 'sha256' });
    expect(readFileSync(join(modelsDir, 'tiny.gguf')).equals(model)).toBe(true);
    expect(readFileSync(join(modelsDir, 'tiny.gguf.sha256'), 'utf8')).toContain(sha256);
    expect(progress.at(-1)).toBe(model.length);
    expect(existsSync(join(modelsDir, 'tiny.gguf.part'))).toBe(false);
  });

  it('keeps an interrupted download and resumes it with a Range request', async () => {
    const manager = new ModelManager({ modelsDir, catalogue: [entry(`${server.url}/tiny.gguf`)] });
    server.cutNextAfter = 400_000;
    await expect(manager.pull('tiny')).rejects.toMatchObject({
      code: ErrorCode.Download,
      message: expect.stringContaining('run the same pull again to resume'),
    });
    const kept = statSync(join(modelsDir, 'tiny.gguf.part')).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(model.length);
    expect(existsSync(join(modelsDir, 'tiny.gguf'))).toBe(false);

    const resumed: number[] = [];
    const result = await manager.pull('tiny', { onStart: (_total, from) => resumed.push(from) });
    expect(server.requests.at(-1)?.range).toBe(`bytes=${kept}-`);
    expect(resumed).toEqual([kept]);
    expect(result.sha256).toBe(sha256);
    expect(readFileSync(join(modelsDir, 'tiny.gguf')).equals(model)).toBe(true);
  });

  it('refuses a file whose checksum does not match and installs nothing', async () => {
    const manager = new ModelManager({ modelsDir, catalogue: [entry(`${server.url}/other.gguf`)] });
    await expect(manager.pull('tiny')).rejects.toMatchObject({
      code: ErrorCode.Download,
      message: expect.stringContaining('failed its checksum'),
    });
    expect(existsSync(join(modelsDir, 'tiny.gguf'))).toBe(false);
    expect(existsSync(join(modelsDir, 'tiny.gguf.part'))).toBe(false);
  });

  it('refuses a model that will not fit in memory before downloading a byte', async () => {
    const huge = entry(`${server.url}/tiny.gguf`, { approxBytes: 1e15, sizeBytes: null });
    const manager = new ModelManager({ modelsDir, catalogue: [huge] });
    await expect(manager.pull('tiny')).rejects.toMatchObject({
      code: ErrorCode.ModelTooLarge,
      message: expect.stringContaining('Choose a smaller model'),
    });
    expect(server.requests).toEqual([]);
    const { catalogue } = await manager.list();
    expect(catalogue[0]?.fits).toBe(false);
  });

  it('pulls any GGUF by URL with a given checksum, uses it as the default and removes it', async () => {
    const manager = new ModelManager({ modelsDir, catalogue: [] });
    const result = await manager.pull(`${server.url}/tiny.gguf`, { sha256 });
    expect(result.verified).toBe('sha256');
    const link = await manager.use('tiny.gguf');
    expect(link).toBe(join(modelsDir, 'default.gguf'));
    expect(readlinkSync(link)).toBe('tiny.gguf');
    expect((await manager.list()).otherFiles).toEqual(['tiny.gguf']);
    const removed = await manager.remove('tiny');
    expect(removed).toContain(join(modelsDir, 'default.gguf'));
    expect(existsSync(join(modelsDir, 'tiny.gguf'))).toBe(false);
    await expect(manager.use('tiny')).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });

  it('names what is wrong with an unknown model or an unreachable server', async () => {
    const manager = new ModelManager({ modelsDir, catalogue: [] });
    await expect(manager.pull('no-such-model')).rejects.toMatchObject({ code: ErrorCode.NotFound });
    await expect(manager.pull(`${server.url}/missing.gguf`)).rejects.toMatchObject({
      code: ErrorCode.Download,
      message: expect.stringContaining('HTTP 404'),
    });
  });
});

describe('readModelInfo', () => {
  it('reads stories260K’s header without loading it', async () => {
    const info = await readModelInfo(testModelPath('stories260K.gguf'));
    expect(info).toMatchObject({
      file: 'stories260K.gguf',
      sizeBytes: 1_185_376,
      ggufVersion: 3,
      architecture: 'llama',
      contextLength: 2048,
      embeddingLength: 64,
      blockCount: 5,
      vocabularySize: 512,
      hasChatTemplate: false,
      tensorCount: 48,
      fileType: null, // the file has no general.file_type key
    });
    expect(info.parameterCount).toBeGreaterThan(200_000);
    expect(info.parameterCount).toBeLessThan(300_000);
  });

  it('reads llama-2-tiny-random’s header', async () => {
    const info = await readModelInfo(testModelPath('llama-2-tiny-random.gguf'));
    expect(info).toMatchObject({
      name: 'LLaMA v2',
      architecture: 'llama',
      contextLength: 4096,
      embeddingLength: 8,
      blockCount: 1,
      vocabularySize: 32_000,
      tensorCount: 12,
      fileType: 'MOSTLY_F16',
    });
  });

  it('refuses a file that is not GGUF with ModelLoad', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'figment-info-'));
    try {
      writeFileSync(join(dir, 'x.gguf'), 'not a model');
      await expect(readModelInfo(join(dir, 'x.gguf'))).rejects.toMatchObject({ code: ErrorCode.ModelLoad });
      await expect(readModelInfo(join(dir, 'absent.gguf'))).rejects.toMatchObject({
        code: ErrorCode.NotFound,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
