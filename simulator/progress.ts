import type { TimelineEvent } from './faults.js';
import type { Sampler } from './sampler.js';

// The live view on a terminal: one line per route, redrawn in place, with
// faults printed above it as they fire. Off a terminal, only the faults and
// the phases are printed, one line each.

export class Progress {
  #out: NodeJS.WritableStream;
  #tty: boolean;
  #lines = 0;
  #timer: NodeJS.Timeout | null = null;
  constructor(out: NodeJS.WritableStream, tty: boolean, private readonly sampler: Sampler, private readonly clock: () => number) {
    this.#out = out;
    this.#tty = tty;
  }
  start(): void {
    if (this.#tty) this.#timer = setInterval(() => this.#draw(), 250);
  }
  say(line: string): void {
    this.#clear();
    this.#out.write(`${line}\n`);
    if (this.#tty) this.#draw();
  }
  fault(e: TimelineEvent): void {
    this.say(`  [${(e.atMs / 1000).toFixed(1).padStart(5)} s] ${e.phase === 'start' ? 'fault ' : 'healed'} ${e.detail}`);
  }
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#clear();
  }
  #clear(): void {
    if (!this.#tty || !this.#lines) return;
    this.#out.write(`\x1b[${this.#lines}A\x1b[J`);
    this.#lines = 0;
  }
  #draw(): void {
    this.#clear();
    const rows = Object.entries(this.sampler.routes());
    const w = Math.max(5, ...rows.map(([r]) => r.length));
    const lines = [`  ${'route'.padEnd(w)}  ${'sent'.padStart(6)} ${'deliv.'.padStart(6)} ${'refused'.padStart(7)} ${'in flight'.padStart(9)}   t=${(this.clock() / 1000).toFixed(1)} s`];
    for (const [r, s] of rows) lines.push(`  ${r.padEnd(w)}  ${String(s.sent).padStart(6)} ${String(s.delivered).padStart(6)} ${String(s.refused).padStart(7)} ${String(s.inFlight).padStart(9)}`);
    this.#out.write(lines.join('\n') + '\n');
    this.#lines = lines.length;
  }
}
