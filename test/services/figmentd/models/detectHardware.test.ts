import { describe, expect, it } from 'vitest';
import { detectHardware } from '../../../../services/figmentd/models/detectHardware.js';

describe('detectHardware', () => {
  it('reports a whole number of physical cores and the installed memory', async () => {
    const facts = await detectHardware();
    expect(Number.isInteger(facts.physicalCores)).toBe(true);
    expect(facts.physicalCores).toBeGreaterThanOrEqual(1);
    expect(facts.totalMemoryBytes).toBeGreaterThan(64 * 1024 * 1024);
    expect(facts.availableMemoryBytes).toBeGreaterThan(0);
    expect(facts.availableMemoryBytes).toBeLessThanOrEqual(facts.totalMemoryBytes);
    expect(facts.logicalCores).toBeGreaterThanOrEqual(facts.physicalCores);
    expect(Array.isArray(facts.gpus)).toBe(true);
    for (const gpu of facts.gpus) expect(gpu.vramBytes).toBeGreaterThanOrEqual(0);
  });
});
