import { verdictFindings } from '../antivirus/av-findings.js';
import { otherAlignments, ShiftedRun } from './base64-alignment.js';
import { ClamdScan } from '../antivirus/clamd-client.js';
import { MAX_EXTRA_SCANS, type InspectContext } from '../context/inspect-context.js';
import type { Member } from '../context/member.js';

// One reading of a decoded base64 run, inspected as content of its own and,
// when clamd is configured, scanned as a stream of its own.

export class DecodedRun {
  #ctx: InspectContext;
  #member: Member;
  #scan: ClamdScan | null = null;
  #path: string;
  #shift: ShiftedRun | null;

  /**
   * shift: read from this many characters after the run's start (base64-alignment.ts), 0 for the run as it
   * is; open gives the member, content of its own or, for a shifted reading taken because it is text, a view
   * (read as text, not judged: a shifted reading of random bytes is no content that was sent).
   */
  constructor(ctx: InspectContext, parentPath: string | undefined, open: (name: string) => Member, offset: number, shift: number) {
    this.#ctx = ctx;
    const name = shift ? `base64@${offset}+${shift}` : `base64@${offset}`;
    this.#member = open(name);
    this.#path = parentPath ? `${parentPath}!/${name}` : name;
    this.#shift = shift ? new ShiftedRun(shift) : null;
    // A shifted reading is a guess: not a stream of its own for clamd, whose separate scans are few (MAX_EXTRA_SCANS).
    if (!ctx.av || shift) return;
    if (ctx.extraScans >= MAX_EXTRA_SCANS) {
      ctx.tally.add({ kind: 'av-unavailable', subkind: 'too-many-runs', path: this.#path, detail: `more than ${MAX_EXTRA_SCANS} embedded base64 runs; the rest were not scanned` });
      return;
    }
    ctx.extraScans++;
    this.#scan = new ClamdScan(ctx.av);
  }

  async update(bytes: Uint8Array): Promise<void> {
    const b = this.#shift ? this.#shift.push(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    if (b.length && this.#ctx.spend(b.length)) await Promise.all([this.#scan?.write(b), this.#member.update(b)]);
  }

  async finish(): Promise<void> {
    await this.#member.finish();
    const scan = this.#scan;
    this.#scan = null;
    if (scan) for (const f of verdictFindings(await scan.verdict(), this.#path)) this.#ctx.tally.add(f);
  }

  abort(): void {
    this.#member.abort();
    this.#scan?.abort();
    this.#scan = null;
  }
}

/**
 * Bytes of a run judged at a time for another alignment: a multiple of 3, so that a window starts on a
 * character; small, so that a window seldom holds both sides of a stray character (neither reading of it is
 * text then). A shifted reading begins with the window before the one that showed it.
 */
const WINDOW = 192;

/**
 * The readings of one base64 run: as it is, and shifted by one to three
 * characters from any window of WINDOW bytes where its own reading is noise and
 * a shifted one is not (base64-alignment.ts). Judged window by window, not
 * only at the start: a stray character after 300 bytes of plain text put the
 * rest out of alignment (the red team, 30 Nov, evening).
 */
export class RunReadings {
  #open: (shift: number, text: boolean) => DecodedRun | null;
  #readings: DecodedRun[] = [];
  #shifts = new Set<number>();
  #window: Uint8Array[] = [];
  #windowSize = 0;
  #previous: Buffer | null = null;

  constructor(open: (shift: number, text: boolean) => DecodedRun | null) {
    this.#open = open;
    this.#add(0, false);
  }

  #add(shift: number, text: boolean): DecodedRun | null {
    this.#shifts.add(shift);
    const r = this.#open(shift, text);
    if (r) this.#readings.push(r);
    return r;
  }

  async update(bytes: Uint8Array): Promise<void> {
    for (const r of this.#readings) await r.update(bytes);
    let at = 0;
    while (at < bytes.length) {
      const take = Math.min(bytes.length - at, WINDOW - this.#windowSize);
      this.#window.push(bytes.subarray(at, at + take));
      this.#windowSize += take;
      at += take;
      if (this.#windowSize === WINDOW) await this.#judge();
    }
  }

  async #judge(): Promise<void> {
    const w = Buffer.concat(this.#window);
    const previous = this.#previous;
    this.#window = [];
    this.#windowSize = 0;
    this.#previous = w;
    if (this.#shifts.size === 4) return;
    for (const { shift, text } of otherAlignments(w)) {
      if (this.#shifts.has(shift)) continue;
      const r = this.#add(shift, text);
      if (previous) await r?.update(previous);
      await r?.update(w);
    }
  }

  async finish(): Promise<void> {
    if (this.#windowSize) await this.#judge();
    for (const r of this.#readings) await r.finish();
  }

  abort(): void {
    for (const r of this.#readings) r.abort();
  }
}
