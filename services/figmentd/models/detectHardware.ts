import { availableParallelism } from 'node:os';
import { cpu, graphics, mem } from 'systeminformation';

/** One graphics adapter as the OS reports it. */
export interface GpuFacts {
  vendor: string;
  model: string;
  /** Dedicated video memory in bytes; 0 when shared with the CPU (integrated) or unknown. */
  vramBytes: number;
}

/** What figmentd needs to know about the machine to size the model's work. */
export interface HardwareFacts {
  /** Physical cores, not hardware threads (SMT siblings share a core's arithmetic units). */
  physicalCores: number;
  /** Hardware threads the OS schedules on. */
  logicalCores: number;
  /** CPU make and model, for the doctor report. */
  cpuName: string;
  /** Installed memory in bytes. */
  totalMemoryBytes: number;
  /** Memory free for new work (including reclaimable cache), in bytes. */
  availableMemoryBytes: number;
  /** Graphics adapters; empty on a headless VM. */
  gpus: GpuFacts[];
}

const MIB = 1024 * 1024;

/** Reads the machine's cores, memory and graphics adapters. */
export async function detectHardware(): Promise<HardwareFacts> {
  const [cpuData, memData, gpuData] = await Promise.all([
    cpu(),
    mem(),
    // Graphics probing shells out (lspci, nvidia-smi); a failure must not hide the rest.
    graphics().catch(() => ({ controllers: [] })),
  ]);
  // Some VMs and ARM boards report 0 physical cores; the OS's count is the next best guess.
  const physicalCores = cpuData.physicalCores > 0 ? cpuData.physicalCores : availableParallelism();
  return {
    physicalCores,
    logicalCores: cpuData.cores > 0 ? cpuData.cores : availableParallelism(),
    cpuName: `${cpuData.manufacturer} ${cpuData.brand}`.trim(),
    totalMemoryBytes: memData.total,
    availableMemoryBytes: memData.available,
    gpus: gpuData.controllers.map((controller) => ({
      vendor: controller.vendor ?? '',
      model: controller.model ?? '',
      vramBytes: controller.vramDynamic ? 0 : Math.max(0, (controller.vram ?? 0) * MIB),
    })),
  };
}
