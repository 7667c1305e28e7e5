import { collectDoctorReport } from '../models/collectDoctorReport.js';
import { describeDoctorReport } from '../models/describeDoctorReport.js';
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
  const lines = [
    'Figment doctor',
    ...describeDoctorReport(report).map((row) => `  ${row.label.padEnd(11)} ${row.value}`),
    '  Install a model with "figment models pull <name>", then "figment models use <name>".',
  ];
  context.out.write(`${lines.join('\n')}\n`);
  return 0;
}
