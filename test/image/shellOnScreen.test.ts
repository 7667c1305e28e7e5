import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePng } from '../support/image/decodePng.js';
import { shellOnScreen } from '../support/image/shellOnScreen.js';

const repoRoot = new URL('../../', import.meta.url).pathname;

/** A PNG of one colour, rows filtered with "none" (what a console screendump looks like). */
function solidPng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, body, Buffer.alloc(4)]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('the boot test’s screen check', () => {
  it('decodes a real Chromium screenshot of the shell and judges the shell on screen', () => {
    const image = decodePng(readFileSync(`${repoRoot}docs/screenshots/shell-counter-app.png`));
    expect([image.width, image.height, image.channels]).toEqual([1280, 800, 3]);
    const verdict = shellOnScreen(image);
    expect(verdict.shell).toBe(true);
    expect(verdict.colours).toBeGreaterThan(100);
  });

  it('judges a black console screen and a blank white page not the shell', () => {
    expect(shellOnScreen(decodePng(solidPng(64, 40, [0, 0, 0]))).shell).toBe(false);
    const blank = decodePng(solidPng(64, 40, [255, 255, 255]));
    expect(blank.pixels.slice(0, 3)).toEqual(new Uint8Array([255, 255, 255]));
    expect(shellOnScreen(blank)).toMatchObject({ shell: false, colours: 1 });
  });

  it('refuses a file that is not a PNG', () => {
    expect(() => decodePng(Buffer.from('not a png at all'))).toThrow('not a PNG file');
  });
});
