import { createHash, type Hash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { ErrorCode, FigmentError } from '../../protocol/errors.js';

export interface DownloadOptions {
  url: string;
  /** The partial file; what is already there is kept and the rest is asked for (HTTP Range). */
  partPath: string;
  /** Called with the total size before any byte is written; throw to refuse the download. */
  onStart?: (totalBytes: number | null, resumedFromBytes: number) => void;
  /** Called as bytes arrive. */
  onProgress?: (receivedBytes: number, totalBytes: number | null) => void;
  signal?: AbortSignal;
}

export interface DownloadResult {
  bytes: number;
  sha256: string;
}

/**
 * Downloads `url` into `partPath`, resuming a partial file when the server
 * honours Range requests (else starting over). An interrupted transfer keeps
 * what arrived, so the next call resumes; it throws FigmentError(Download).
 * The caller verifies size and checksum and renames the file.
 */
export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const { url, partPath, signal } = options;
  let have = existsSync(partPath) ? statSync(partPath).size : 0;
  const response = await request(url, have, signal);
  let total: number | null;
  if (response.status === 206) {
    const range = parseContentRange(response.headers.get('content-range'));
    if (!range || range.start !== have) {
      await response.body?.cancel();
      throw new FigmentError(
        ErrorCode.Download,
        `${url} answered a range that does not continue the partial file`,
      );
    }
    total = range.total;
  } else {
    have = 0; // a 200 is the whole file: start over
    const length = response.headers.get('content-length');
    total = length === null ? null : Number(length);
  }
  try {
    options.onStart?.(total, have);
  } catch (error) {
    await response.body?.cancel();
    throw error;
  }

  const hash = createHash('sha256');
  if (have > 0) await hashFile(partPath, hash);
  const file = await open(partPath, have > 0 ? 'a' : 'w');
  try {
    if (!response.body) throw new FigmentError(ErrorCode.Download, `${url} sent no body`);
    for await (const chunk of response.body) {
      await file.write(chunk);
      hash.update(chunk);
      have += chunk.byteLength;
      options.onProgress?.(have, total);
    }
  } catch (error) {
    if (signal?.aborted)
      throw new FigmentError(
        ErrorCode.Cancelled,
        'the download was cancelled; run the same pull again to resume',
      );
    if (error instanceof FigmentError) throw error;
    throw new FigmentError(
      ErrorCode.Download,
      `the download of ${url} was interrupted after ${have} bytes (${(error as Error).message}); run the same pull again to resume`,
    );
  } finally {
    await file.close();
  }
  return { bytes: have, sha256: hash.digest('hex') };
}

async function request(url: string, have: number, signal: AbortSignal | undefined): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: have > 0 ? { range: `bytes=${have}-` } : {},
      redirect: 'follow',
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw new FigmentError(ErrorCode.Cancelled, 'the download was cancelled');
    const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new FigmentError(ErrorCode.Download, `could not reach ${url}: ${cause}`);
  }
  if (response.status === 416 && have > 0) {
    // The partial file is longer than what the server has (the file changed): start over.
    await response.body?.cancel();
    return request(url, 0, signal);
  }
  if (response.status !== 200 && response.status !== 206) {
    await response.body?.cancel();
    throw new FigmentError(
      ErrorCode.Download,
      `${url} answered HTTP ${response.status} ${response.statusText}`,
    );
  }
  return response;
}

function parseContentRange(header: string | null): { start: number; total: number | null } | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), total: match[2] === '*' ? null : Number(match[2]) };
}

function hashFile(path: string, hash: Hash): Promise<void> {
  return new Promise((resolve, reject) => {
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve())
      .on('error', reject);
  });
}
