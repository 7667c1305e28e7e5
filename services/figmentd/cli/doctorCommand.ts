import { collectDoctorReport } from '../models/collectDoctorReport.js';
import { formatBytes } from '../models/formatBytes.js';
import type { CliContext } from './types.js';

/** `figment doctor [--json]`: the machine, how the model runs on it, what to install. */
export async function doctorCommand(args: string[], context: CliContext): Promise<number> {
  const report = await collectDoctorReport({
    modelPath: context.config.model.path,
    gpu: context.config.model.gpu,
  });
  if (args.includes('--json')) {
    context.out.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const { hardware } = report;
  const lines = [
    'Figment doctor',
    `  CPU       ${hardware.cpuName}: ${hardware.physicalCores} physical cores, ${hardware.logicalCores} threads`,
    `  Memory    ${formatBytes(hardware.totalMemoryBytes)} (${formatBytes(hardware.availableMemoryBytes)} available)`,
    `  GPUs      ${hardware.gpus.length === 0 ? 'none found' : hardware.gpus.map((gpu) => `${gpu.vendor} ${gpu.model}${gpu.vramBytes ? ` (${formatBytes(gpu.vramBytes)})` : ''}`).join('; ')}`,
    `  Compute   ${report.gpu === false ? 'CPU' : `${report.gpu} (${formatBytes(report.vramBytes)} video memory)`}; prebuilt GPU backends usable here: ${report.supportedGpuTypes.join(', ') || 'none'}`,
    `  Threads   ${report.threads} (physical cores − 1, so the shell keeps a core)`,
    `  Tier      ${report.tier}`,
    `  Model     ${report.model.path}: ${describeModel(report.model)}`,
    '  Recommended for this machine:',
    ...report.recommended.map(
      (entry) =>
        `    ${entry.name.padEnd(26)} ${entry.purpose.padEnd(10)} ~${formatBytes(entry.approxBytes)}  ${entry.licence}`,
    ),
    '  Install one with "figment models pull <name>", then "figment models use <name>".',
  ];
  context.out.write(`${lines.join('\n')}\n`);
  return 0;
}

function describeModel(model: Awaited<ReturnType<typeof collectDoctorReport>>['model']): string {
  if (!model.present) return 'missing';
  if (model.error) return `unreadable (${model.error})`;
  const info = model.info;
  return info
    ? `${info.architecture}, ${info.fileType ?? 'unknown type'}, ${formatBytes(info.sizeBytes)}`
    : 'present';
}
