import { describe, expect, it } from 'vitest';
import { RequestQueue } from '../../../../services/figmentd/models/RequestQueue.js';
import { ErrorCode, FigmentError } from '../../../../services/protocol/errors.js';

/** A task that records its start and finishes when released. */
function gate(order: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    task: async () => {
      order.push(name);
      await done;
      return name;
    },
    release: () => release(),
  };
}

describe('RequestQueue', () => {
  it('runs interactive work before background work queued earlier, in arrival order within a priority', async () => {
    const queue = new RequestQueue();
    const order: string[] = [];
    const first = gate(order, 'running');
    const running = queue.run('background', undefined, first.task);
    const runs = [
      queue.run('background', undefined, async () => void order.push('bg1')),
      queue.run('interactive', undefined, async () => void order.push('ia1')),
      queue.run('background', undefined, async () => void order.push('bg2')),
      queue.run('interactive', undefined, async () => void order.push('ia2')),
    ];
    expect(queue.pending).toBe(4);
    first.release();
    await Promise.all([running, ...runs]);
    expect(order).toEqual(['running', 'ia1', 'ia2', 'bg1', 'bg2']);
  });

  it('rejects a waiting task as Cancelled when its signal aborts, and never runs it', async () => {
    const queue = new RequestQueue();
    const order: string[] = [];
    const first = gate(order, 'first');
    const running = queue.run('interactive', undefined, first.task);
    const controller = new AbortController();
    const dropped = queue.run('interactive', controller.signal, async () => void order.push('dropped'));
    const after = queue.run('interactive', undefined, async () => void order.push('after'));
    controller.abort();
    await expect(dropped).rejects.toMatchObject({ code: ErrorCode.Cancelled });
    expect(queue.pending).toBe(1);
    first.release();
    await Promise.all([running, after]);
    expect(order).toEqual(['first', 'after']);
  });

  it('keeps going after a task fails and reports idle once drained', async () => {
    const queue = new RequestQueue();
    const failed = queue.run('interactive', undefined, async () => {
      throw new FigmentError(ErrorCode.Internal, 'boom');
    });
    const next = queue.run('interactive', undefined, async () => 'next');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('next');
    await queue.whenIdle();
    expect(queue.running).toBe(false);
  });

  it('refuses a task whose signal is already aborted', async () => {
    const queue = new RequestQueue();
    await expect(queue.run('interactive', AbortSignal.abort(), async () => 1)).rejects.toMatchObject({
      code: ErrorCode.Cancelled,
    });
  });
});
