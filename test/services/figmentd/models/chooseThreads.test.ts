import { describe, expect, it } from 'vitest';
import { chooseThreads } from '../../../../services/figmentd/models/chooseThreads.js';

describe('chooseThreads', () => {
  it('leaves one core free on a CPU-only machine', () => {
    expect(chooseThreads({ physicalCores: 2, gpu: false })).toBe(1);
    expect(chooseThreads({ physicalCores: 4, gpu: false })).toBe(3);
  });

  it('uses the only core when there is one', () => {
    expect(chooseThreads({ physicalCores: 1, gpu: false })).toBe(1);
  });

  it('never goes below one thread, whatever the hardware report says', () => {
    expect(chooseThreads({ physicalCores: 0, gpu: false })).toBe(1);
    expect(chooseThreads({ physicalCores: Number.NaN, gpu: false })).toBe(1);
  });

  it('caps threads on big machines, lower when a GPU does the arithmetic', () => {
    expect(chooseThreads({ physicalCores: 64, gpu: false })).toBe(8);
    expect(chooseThreads({ physicalCores: 64, gpu: 'cuda' })).toBe(4);
    expect(chooseThreads({ physicalCores: 2, gpu: 'vulkan' })).toBe(1);
  });
});
