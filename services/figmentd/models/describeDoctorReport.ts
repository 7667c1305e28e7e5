import type { DoctorReport } from './collectDoctorReport.js';
import { formatBytes } from './formatBytes.js';

/** One labelled line of the doctor report, as the CLI prints it and the shell's System page shows it. */
export interface DoctorRow {
  label: string;
  value: string;
}

/** The doctor report in plain words, shared by `figment doctor` and the shell. */
export function describeDoctorReport(report: DoctorReport): DoctorRow[] {
  const { hardware } = report;
  const gpus = hardware.gpus.map(
    (gpu) => `${gpu.vendor} ${gpu.model}${gpu.vramBytes ? ` (${formatBytes(gpu.vramBytes)})` : ''}`,
  );
  return [
    {
      label: 'CPU',
      value: `${hardware.cpuName}: ${hardware.physicalCores} physical cores, ${hardware.logicalCores} threads`,
    },
    {
      label: 'Memory',
      value: `${formatBytes(hardware.totalMemoryBytes)} (${formatBytes(hardware.availableMemoryBytes)} available)`,
    },
    { label: 'GPUs', value: gpus.length === 0 ? 'none found' : gpus.join('; ') },
    {
      label: 'Compute',
      value: `${report.gpu === false ? 'CPU' : `${report.gpu} (${formatBytes(report.vramBytes)} video memory)`}; prebuilt GPU backends usable here: ${report.supportedGpuTypes.join(', ') || 'none'}`,
    },
    { label: 'Threads', value: `${report.threads} (physical cores − 1, so the shell keeps a core)` },
    { label: 'Tier', value: report.tier },
    { label: 'Model', value: `${report.model.path}: ${describeModel(report.model)}` },
    ...report.recommended.map((entry) => ({
      label: 'Recommended',
      value: `${entry.name} (${entry.purpose}), about ${formatBytes(entry.approxBytes)}, ${entry.licence}`,
    })),
  ];
}

function describeModel(model: DoctorReport['model']): string {
  if (!model.present) return 'missing';
  if (model.error) return `unreadable (${model.error})`;
  const info = model.info;
  return info
    ? `${info.architecture}, ${info.fileType ?? 'unknown type'}, ${formatBytes(info.sizeBytes)}`
    : 'present';
}
