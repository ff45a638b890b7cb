/**
 * A one-line progress bar with rate and ETA, redrawn in place on a terminal (at most
 * every 100 ms) and written as plain lines otherwise (at most every 2 s), on stderr
 * so that stdout stays for results.
 */
export class ProgressBar {
  private readonly startedAt = Date.now();
  private lastDrawnAt = 0;
  private done = 0;
  private readonly interactive: boolean;

  constructor(
    private readonly label: string,
    private total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.interactive = stream.isTTY;
  }

  /** Sets the total when it is learnt later (or grows). */
  setTotal(total: number): void {
    this.total = total;
  }

  tick(count = 1): void {
    this.done += count;
    const now = Date.now();
    if (now - this.lastDrawnAt >= (this.interactive ? 100 : 2000)) {
      this.lastDrawnAt = now;
      this.draw(now);
    }
  }

  finish(): void {
    this.draw(Date.now());
    if (this.interactive) this.stream.write('\n');
  }

  /** The line as drawn, for a given moment (exposed for tests). */
  line(now: number): string {
    const seconds = Math.max((now - this.startedAt) / 1000, 0.001);
    const rate = this.done / seconds;
    const fraction = this.total > 0 ? Math.min(this.done / this.total, 1) : 1;
    const width = 24;
    const filled = Math.round(fraction * width);
    const remaining = rate > 0 ? Math.max(this.total - this.done, 0) / rate : 0;
    return `${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(this.done)}/${String(this.total)} ${(fraction * 100).toFixed(0)}% ${rate.toFixed(0)}/s ETA ${formatDuration(remaining)}`;
  }

  private draw(now: number): void {
    const line = this.line(now);
    this.stream.write(this.interactive ? `\r${line}\u001b[K` : `${line}\n`);
  }
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(0)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60
    ? `${String(minutes)}m${(seconds % 60).toFixed(0)}s`
    : `${String(Math.floor(minutes / 60))}h${String(minutes % 60)}m`;
}
