import { availableParallelism } from 'node:os';
import { cpu, mem } from 'systeminformation';

/** What figmentd needs to know about the machine to size the model's work. */
export interface HardwareFacts {
  /** Physical cores, not hardware threads (SMT siblings share a core's arithmetic units). */
  physicalCores: number;
  /** Installed memory in bytes. */
  totalMemoryBytes: number;
}

/** Reads the machine's physical cores and memory. */
export async function detectHardware(): Promise<HardwareFacts> {
  const [cpuData, memData] = await Promise.all([cpu(), mem()]);
  // Some VMs and ARM boards report 0 physical cores; the OS's count is the next best guess.
  const physicalCores = cpuData.physicalCores > 0 ? cpuData.physicalCores : availableParallelism();
  return { physicalCores, totalMemoryBytes: memData.total };
}
