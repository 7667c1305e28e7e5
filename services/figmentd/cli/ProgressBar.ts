import { formatBytes } from '../models/formatBytes.js';

/**
 * A download progress bar on a stream: redrawn in place on a terminal, one
 * line per tenth of the way otherwise (logs, CI).
 */
export class ProgressBar {
  private lastTenth = -1;
  private lastDraw = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly label: string,
  ) {}

  update(received: number, total: number | null): void {
    const fraction = total ? Math.min(1, received / total) : null;
    const amount = `${formatBytes(received)}${total ? ` / ${formatBytes(total)}` : ''}`;
    if (this.out.isTTY) {
      const now = Date.now();
      if (now - this.lastDraw < 100 && received !== total) return;
      this.lastDraw = now;
      const width = 30;
      const filled = fraction === null ? 0 : Math.round(fraction * width);
      const percent = fraction === null ? '' : ` ${Math.floor(fraction * 100)}%`;
      this.out.write(
        `\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${percent} ${amount}  `,
      );
      return;
    }
    const tenth = fraction === null ? Math.floor(received / 100_000_000) : Math.floor(fraction * 10);
    if (tenth === this.lastTenth) return;
    this.lastTenth = tenth;
    this.out.write(`${this.label} ${fraction === null ? '' : `${Math.floor(fraction * 100)}% `}${amount}\n`);
  }

  done(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}
