import { describe, expect, it } from 'vitest';
import { FrameCapabilities } from '../../../../services/figmentd/api/FrameCapabilities.js';

describe('FrameCapabilities', () => {
  it('accepts its own cap for that version only', () => {
    const frames = new FrameCapabilities();
    const cap = frames.sign('ver_aaaaaaaa');
    expect(frames.verify('ver_aaaaaaaa', cap)).toBe(true);
    expect(frames.verify('ver_bbbbbbbb', cap)).toBe(false);
    expect(frames.verify('ver_aaaaaaaa', null)).toBe(false);
    expect(frames.verify('ver_aaaaaaaa', `${cap}x`)).toBe(false);
  });

  it('does not accept caps from an earlier start', () => {
    const before = new FrameCapabilities().sign('ver_aaaaaaaa');
    expect(new FrameCapabilities().verify('ver_aaaaaaaa', before)).toBe(false);
  });

  it('builds the frame URL the daemon serves', () => {
    const frames = new FrameCapabilities();
    expect(frames.frameUrl('ver_aaaaaaaa')).toBe(`/frame/ver_aaaaaaaa?cap=${frames.sign('ver_aaaaaaaa')}`);
  });
});
