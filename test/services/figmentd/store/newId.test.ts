import { describe, expect, it } from 'vitest';
import { newId } from '../../../../services/figmentd/store/newId.js';
import { AppSummary } from '../../../../services/protocol/index.js';

describe('newId', () => {
  it('makes ids of 16 url-safe characters after the prefix', () => {
    expect(newId('app')).toMatch(/^app_[A-Za-z0-9_-]{16}$/);
    expect(newId('ver')).toMatch(/^ver_[A-Za-z0-9_-]{16}$/);
  });

  it('makes ids that the protocol accepts', () => {
    const summary = {
      id: newId('app'),
      name: 'x',
      description: '',
      capabilities: [],
      currentVersionId: newId('ver'),
      createdAt: 1,
      updatedAt: 1,
      lastOpenedAt: null,
    };
    expect(AppSummary.safeParse(summary).success).toBe(true);
  });

  it('does not repeat itself', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId('app')));
    expect(ids.size).toBe(10_000);
  });
});
