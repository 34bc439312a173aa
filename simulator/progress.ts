import type { Locale } from '../i18n/locale.js';
import type { TimelineEvent } from './faults.js';
import { padEndW, padStartW } from '../i18n/text-width.js';
import { faultLine, liveHeader } from './sim-text.js';
import type { Sampler } from './sampler.js';

// The live view on a terminal: one line per route, redrawn in place, with
// faults printed above it as they fire. Off a terminal, only the faults and
// the phases are printed, one line each.

export class Progress {
  #out: NodeJS.WritableStream;
  #tty: boolean;
  #lines = 0;
  #timer: NodeJS.Timeout | null = null;
  constructor(out: NodeJS.WritableStream, tty: boolean, private readonly sampler: Sampler, private readonly clock: () => number, private readonly locale: Locale = 'en') {
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
    this.say(faultLine(e, this.locale));
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
    const h = liveHeader(this.locale);
    const n = [6, 6, 7, 9];
    const lines = [`  ${padEndW(h.route, w)}  ${h.cols.map((c, j) => padStartW(c, n[j]!)).join(' ')}   t=${(this.clock() / 1000).toFixed(1)} s`];
    for (const [r, s] of rows) lines.push(`  ${padEndW(r, w)}  ${[s.sent, s.delivered, s.refused, s.inFlight].map((v, j) => padStartW(String(v), n[j]!)).join(' ')}`);
    this.#out.write(lines.join('\n') + '\n');
    this.#lines = lines.length;
  }
}
