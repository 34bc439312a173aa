// Throughput and time left for `ferry send` and `ferry receive`, on a terminal
// only: nothing when stderr is piped or with --json, so scripts read clean output.
import cliProgress from 'cli-progress';
import { printable } from './report.js';

export interface Progress {
  update(n: number, total: number): void;
  stop(): void;
}

const NONE: Progress = { update: () => undefined, stop: () => undefined };

/** Whether a bar is drawn: a terminal, and not asked for JSON. */
export function wantsProgress(json: boolean | undefined): boolean {
  return Boolean(process.stderr.isTTY) && !json;
}

export function progressBar(enabled: boolean, label: string): Progress {
  if (!enabled) return NONE;
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    // Braces would be read as placeholders: a file called "{bar}" stays a name.
    format: `${printable(label).replace(/[{}]/g, '_')} [{bar}] {percentage}% {sent}/{size} MiB {rate} MiB/s ETA {eta_formatted}`,
    hideCursor: true,
    clearOnComplete: true,
    // The ETA from the last 200 updates rather than 10: steady on a link whose speed jitters.
    etaBuffer: 200,
    fps: 5,
  }, cliProgress.Presets.shades_classic);
  const mib = (n: number): string => (n / 1048576).toFixed(1);
  let started = 0;
  return {
    update(n, total) {
      if (!started) {
        bar.start(total, 0, { sent: mib(0), size: mib(total), rate: '0.0' });
        started = Date.now();
      }
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      bar.update(n, { sent: mib(n), rate: (n / 1048576 / seconds).toFixed(1) });
    },
    stop() {
      if (started) {
        bar.stop();
        started = 0;
      }
    },
  };
}
