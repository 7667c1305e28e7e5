import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Capability URLs for app frames: /frame/<versionId>?cap=<mac>. A frame can
 * read its own URL, so the cap grants that one document and nothing else
 * (unlike the API token, which must never reach a frame).
 */
export class FrameCapabilities {
  constructor(private readonly secret: Buffer = randomBytes(32)) {}

  sign(versionId: string): string {
    return createHmac('sha256', this.secret).update(versionId).digest('base64url').slice(0, 32);
  }

  verify(versionId: string, cap: string | null): boolean {
    if (!cap) return false;
    const expected = Buffer.from(this.sign(versionId));
    const given = Buffer.from(cap);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  frameUrl(versionId: string): string {
    return `/frame/${versionId}?cap=${this.sign(versionId)}`;
  }
}
