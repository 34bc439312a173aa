import { verdictFindings } from './av-findings.js';
import { ShiftedRun } from './base64-alignment.js';
import { ClamdScan } from './clamd-client.js';
import { MAX_EXTRA_SCANS, type InspectContext } from './inspect-context.js';
import type { Member } from './zip-walker.js';

// One reading of a decoded base64 run, inspected as content of its own and,
// when clamd is configured, scanned as a stream of its own.

export class DecodedRun {
  #ctx: InspectContext;
  #member: Member;
  #scan: ClamdScan | null = null;
  #path: string;
  #shift: ShiftedRun | null;

  /** shift: read from this many characters after the run's start (base64-alignment.ts), 0 for the run as it is. */
  constructor(ctx: InspectContext, parentPath: string | undefined, open: (name: string) => Member, offset: number, shift: number) {
    this.#ctx = ctx;
    const name = shift ? `base64@${offset}+${shift}` : `base64@${offset}`;
    this.#member = open(name);
    this.#path = parentPath ? `${parentPath}!/${name}` : name;
    this.#shift = shift ? new ShiftedRun(shift) : null;
    if (!ctx.av) return;
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
