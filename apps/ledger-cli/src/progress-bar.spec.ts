import { formatDuration, ProgressBar } from './progress-bar.js';

describe('ProgressBar', () => {
  it('shows count, percentage, rate and ETA', () => {
    const written: string[] = [];
    const stream = {
      isTTY: false,
      write: (text: string) => written.push(text),
    } as unknown as NodeJS.WriteStream;
    const bar = new ProgressBar('rebuild', 200, stream);
    bar.tick(50);

    const line = bar.line(Date.now() + 1000);

    expect(line).toMatch(/^rebuild \[#{6}-{18}\] 50\/200 25% \d+\/s ETA \d+s$/);
  });

  it('formats durations', () => {
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(125)).toBe('2m5s');
    expect(formatDuration(7260)).toBe('2h1m');
  });
});
