import { existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { rename, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';
import { checkModelFits, type MemoryBudget } from './checkModelFits.js';
import { detectHardware } from './detectHardware.js';
import { downloadFile } from './downloadFile.js';
import { type CatalogueEntry, type HardwareTier, MODEL_CATALOGUE } from './modelCatalogue.js';

/** The link figmentd loads by default (config `model.path` defaults to it). */
export const DEFAULT_MODEL_LINK = 'default.gguf';
/** The link for the embedding model (config `embedding.path` defaults to it). */
export const DEFAULT_EMBEDDING_LINK = 'embedding.gguf';

export interface ModelManagerOptions {
  /** Where models live: <stateDir>/models. */
  modelsDir: string;
  /** Defaults to the built-in catalogue. */
  catalogue?: readonly CatalogueEntry[];
  /** Memory the models may use. Defaults to this machine's RAM plus dedicated video memory. */
  budget?: MemoryBudget;
  /** The tier whose models are marked recommended. Defaults to none. */
  tier?: HardwareTier;
}

export interface CatalogueListing extends CatalogueEntry {
  installed: boolean;
  /** Whether it fits in this machine's memory. */
  fits: boolean;
  recommended: boolean;
  /** Whether the default (or embedding) link points at it. */
  active: boolean;
}

export interface PullOptions {
  /** Expected sha256 for a URI pull (catalogue entries carry their own). */
  sha256?: string;
  onStart?: (totalBytes: number | null, resumedFromBytes: number) => void;
  onProgress?: (receivedBytes: number, totalBytes: number | null) => void;
  signal?: AbortSignal;
}

export interface PullResult {
  path: string;
  bytes: number;
  sha256: string;
  /** What the file was checked against. */
  verified: 'sha256' | 'size' | 'length';
}

/**
 * The models on disk and the catalogue: download (only when asked), choose
 * the default, remove. Downloads are resumable and verified before a file
 * takes its final name, so a half-downloaded model is never loaded.
 */
export class ModelManager {
  private readonly dir: string;
  private readonly catalogue: readonly CatalogueEntry[];
  private readonly budgetOption: MemoryBudget | undefined;
  private readonly tier: HardwareTier | undefined;

  constructor(options: ModelManagerOptions) {
    this.dir = options.modelsDir;
    this.catalogue = options.catalogue ?? MODEL_CATALOGUE;
    this.budgetOption = options.budget;
    this.tier = options.tier;
  }

  async list(): Promise<{ catalogue: CatalogueListing[]; otherFiles: string[] }> {
    const budget = await this.budget();
    const active = new Set([this.linkTarget(DEFAULT_MODEL_LINK), this.linkTarget(DEFAULT_EMBEDDING_LINK)]);
    const catalogue = this.catalogue.map((entry) => ({
      ...entry,
      installed: existsSync(join(this.dir, entry.file)),
      fits: fits(entry.sizeBytes ?? entry.approxBytes, budget),
      recommended: this.tier !== undefined && entry.tiers.includes(this.tier),
      active: active.has(entry.file),
    }));
    const known = new Set(this.catalogue.map((entry) => entry.file));
    const otherFiles = this.files().filter((file) => !known.has(file));
    return { catalogue, otherFiles };
  }

  /** Downloads a catalogue model by name, or any GGUF by http(s) URI. */
  async pull(nameOrUri: string, options: PullOptions = {}): Promise<PullResult> {
    const target = this.resolvePull(nameOrUri, options.sha256);
    const budget = await this.budget();
    // Refuse before a byte is fetched when the catalogue already says it will not fit.
    if (target.approxBytes !== null) checkModelFits(`The model ${target.file}`, target.approxBytes, budget);
    mkdirSync(this.dir, { recursive: true });
    const path = join(this.dir, target.file);
    if (existsSync(path)) {
      throw new FigmentError(
        ErrorCode.BadMessage,
        `${target.file} is already downloaded; "figment models remove ${target.file}" first to fetch it again`,
      );
    }
    const partPath = `${path}.part`;
    let announced: number | null = null;
    const result = await downloadFile({
      url: target.url,
      partPath,
      onStart: (total, resumedFrom) => {
        announced = total;
        if (total !== null) checkModelFits(`The model ${target.file}`, total, budget);
        options.onStart?.(total, resumedFrom);
      },
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });

    const expectedBytes = target.sizeBytes ?? announced;
    if (expectedBytes !== null && result.bytes !== expectedBytes) {
      await rm(partPath, { force: true });
      throw new FigmentError(
        ErrorCode.Download,
        `${target.file} arrived with ${result.bytes} bytes where ${expectedBytes} were expected; the partial file was removed, pull it again`,
      );
    }
    if (target.sha256 !== null && result.sha256 !== target.sha256.toLowerCase()) {
      await rm(partPath, { force: true });
      throw new FigmentError(
        ErrorCode.Download,
        `${target.file} failed its checksum (sha256 ${result.sha256}, expected ${target.sha256}); it was removed and not installed`,
      );
    }
    await rename(partPath, path);
    // Kept beside the file so a later "info" or audit can compare it with the publisher's page.
    await writeFile(`${path}.sha256`, `${result.sha256}  ${target.file}\n`);
    const verified = target.sha256 !== null ? 'sha256' : target.sizeBytes !== null ? 'size' : 'length';
    return { path, bytes: result.bytes, sha256: result.sha256, verified };
  }

  /** Makes a downloaded model the default for its purpose; returns the link's path. */
  async use(name: string): Promise<string> {
    const file = this.installedFile(name);
    const entry = this.catalogue.find((candidate) => candidate.file === file);
    const link = join(this.dir, entry?.purpose === 'embedding' ? DEFAULT_EMBEDDING_LINK : DEFAULT_MODEL_LINK);
    if (existsSync(link) && !lstatSync(link).isSymbolicLink()) {
      throw new FigmentError(
        ErrorCode.Config,
        `${link} is a file, not a link figment made; move it into ${this.dir} under its own name first`,
      );
    }
    // A new link renamed over the old one: figmentd never sees the default missing.
    const temporary = `${link}.new`;
    await rm(temporary, { force: true });
    await symlink(file, temporary);
    await rename(temporary, link);
    return link;
  }

  /** Deletes a model (and a partial download of it); a default link to it goes too. */
  async remove(name: string): Promise<string[]> {
    const file = this.resolveFileName(name);
    const removed: string[] = [];
    for (const candidate of [file, `${file}.part`, `${file}.sha256`]) {
      const path = join(this.dir, candidate);
      if (existsSync(path)) {
        await rm(path);
        removed.push(path);
      }
    }
    for (const link of [DEFAULT_MODEL_LINK, DEFAULT_EMBEDDING_LINK]) {
      if (this.linkTarget(link) === file) {
        await rm(join(this.dir, link));
        removed.push(join(this.dir, link));
      }
    }
    if (removed.length === 0)
      throw new FigmentError(ErrorCode.NotFound, `no model named ${name} in ${this.dir}`);
    return removed;
  }

  private resolvePull(
    nameOrUri: string,
    sha256: string | undefined,
  ): {
    file: string;
    url: string;
    approxBytes: number | null;
    sizeBytes: number | null;
    sha256: string | null;
  } {
    const entry = this.catalogue.find((candidate) => candidate.name === nameOrUri);
    if (entry) return { ...entry, sha256: sha256 ?? entry.sha256 };
    let url: URL;
    try {
      url = new URL(nameOrUri);
    } catch {
      throw new FigmentError(
        ErrorCode.NotFound,
        `${nameOrUri} is neither a catalogue model nor a URL; "figment models list" shows the catalogue`,
      );
    }
    const file = decodeURIComponent(basename(url.pathname));
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !file.endsWith('.gguf')) {
      throw new FigmentError(ErrorCode.BadMessage, `${nameOrUri} must be an http(s) URL of a .gguf file`);
    }
    return { file, url: url.href, approxBytes: null, sizeBytes: null, sha256: sha256 ?? null };
  }

  private installedFile(name: string): string {
    const file = this.resolveFileName(name);
    if (!existsSync(join(this.dir, file)) || !statSync(join(this.dir, file)).isFile()) {
      throw new FigmentError(
        ErrorCode.NotFound,
        `${name} is not downloaded; "figment models pull ${name}" first`,
      );
    }
    return file;
  }

  /** A catalogue name, or a file name in the models folder (".gguf" optional). */
  private resolveFileName(name: string): string {
    const entry = this.catalogue.find((candidate) => candidate.name === name);
    if (entry) return entry.file;
    if (name.includes('/') || name.startsWith('.')) {
      throw new FigmentError(ErrorCode.BadMessage, `${name} must be a model name, not a path`);
    }
    return name.endsWith('.gguf') ? name : `${name}.gguf`;
  }

  private files(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir).filter(
      (file) =>
        file.endsWith('.gguf') &&
        file !== DEFAULT_MODEL_LINK &&
        file !== DEFAULT_EMBEDDING_LINK &&
        statSync(join(this.dir, file)).isFile(),
    );
  }

  private linkTarget(link: string): string | undefined {
    try {
      return readlinkSync(join(this.dir, link));
    } catch {
      return undefined;
    }
  }

  private async budget(): Promise<MemoryBudget> {
    if (this.budgetOption) return this.budgetOption;
    const hardware = await detectHardware();
    const gpuMemoryBytes = hardware.gpus.reduce((sum, gpu) => sum + gpu.vramBytes, 0);
    return { totalMemoryBytes: hardware.totalMemoryBytes, gpuMemoryBytes };
  }
}

function fits(bytes: number, budget: MemoryBudget): boolean {
  try {
    checkModelFits('', bytes, budget);
    return true;
  } catch {
    return false;
  }
}
