import { describe, expect, it } from 'vitest';
import { FrameSupervisor } from '../../../shell/ui/FrameSupervisor.js';

function clocked(limits = {}) {
  let now = 0;
  const supervisor = new FrameSupervisor(limits, () => now);
  return { supervisor, advance: (ms: number) => (now += ms) };
}

describe('FrameSupervisor', () => {
  it('gives a new frame its start-up time, then stops it when it never answers', () => {
    const { supervisor, advance } = clocked({ startupMs: 10_000 });
    advance(9_000);
    expect(supervisor.check()).toBeUndefined();
    advance(2_000);
    expect(supervisor.check()).toBe('unresponsive');
  });

  it('keeps a frame that answers and stops it once it falls silent', () => {
    const { supervisor, advance } = clocked({ unresponsiveMs: 5_000 });
    for (let i = 0; i < 10; i++) {
      advance(1_000);
      expect(supervisor.heartbeat({ seq: supervisor.nextHeartbeat(), domNodes: 10 })).toBeUndefined();
      expect(supervisor.check()).toBeUndefined();
    }
    advance(5_001);
    expect(supervisor.check()).toBe('unresponsive');
  });

  it('ignores answers to heartbeats it never sent', () => {
    const { supervisor, advance } = clocked({ startupMs: 1_000 });
    advance(900);
    supervisor.heartbeat({ seq: 5, domNodes: 1 });
    advance(200);
    expect(supervisor.check()).toBe('unresponsive');
  });

  it('stops a frame whose DOM or heap grows past the limits', () => {
    const dom = clocked({ maxDomNodes: 100 }).supervisor;
    expect(dom.heartbeat({ seq: dom.nextHeartbeat(), domNodes: 101 })).toBe('dom');
    const heap = clocked({ maxHeapBytes: 1000 }).supervisor;
    expect(heap.heartbeat({ seq: heap.nextHeartbeat(), domNodes: 1, heapBytes: 300 })).toBeUndefined();
    expect(heap.heartbeat({ seq: heap.nextHeartbeat(), domNodes: 1, heapBytes: 1301 })).toBe('memory');
  });

  it('counts heap growth, not what other apps sharing the process left behind', () => {
    const { supervisor } = clocked({ maxHeapBytes: 1000 });
    const report = (heapBytes: number) =>
      supervisor.heartbeat({ seq: supervisor.nextHeartbeat(), domNodes: 1, heapBytes });
    expect(report(5000)).toBeUndefined(); // a stopped app's garbage, not yet collected
    expect(report(5900)).toBeUndefined();
    expect(report(200)).toBeUndefined(); // collected: the figure to grow from drops with it
    expect(report(1100)).toBeUndefined();
    expect(report(1201)).toBe('memory');
  });

  it('stops a frame that floods errors or refused messages within the window, not one that errs now and then', () => {
    const { supervisor, advance } = clocked({ maxErrors: 3, windowMs: 1_000 });
    for (let i = 0; i < 10; i++) {
      expect(supervisor.errorReported()).toBeUndefined();
      advance(600);
    }
    for (let i = 0; i < 3; i++) supervisor.errorReported();
    expect(supervisor.errorReported()).toBe('errors');
    const flood = clocked({ maxRefused: 40 }).supervisor;
    expect(flood.messageRefused(20)).toBeUndefined();
    expect(flood.messageRefused(21)).toBe('flood');
  });

  it('keeps the first reason it stopped for', () => {
    const { supervisor } = clocked({ maxDomNodes: 1, maxErrors: 0 });
    expect(supervisor.errorReported()).toBe('errors');
    expect(supervisor.heartbeat({ seq: supervisor.nextHeartbeat(), domNodes: 5 })).toBe('errors');
  });
});
