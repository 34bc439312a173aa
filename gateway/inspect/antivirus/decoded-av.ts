import { verdictFindings } from './av-findings.js';
import { ClamdScan, type ClamdTarget } from './clamd-client.js';
import type { FindingTally } from '../context/finding-tally.js';

// clamd reads the transfer as sent and unpacks what it knows (zip, gzip, tar,
// OLE2, PDF, mail). What only Ferry's own decoders produce — text views with
// escapes resolved (percent, entities, JSON \u, quoted-printable, UTF-7…) and
// zstd streams — clamd never sees. It goes to clamd as well, all of one
// transfer in one further stream, under the same fail-closed rule: anything
// but a clean answer is a finding. (Decoded base64 runs have their own scans.)

export const DECODED_PATH = '(decoded content)';

export class DecodedAv {
  #target: ClamdTarget;
  #scan: ClamdScan | null = null;
  #gap = Buffer.from('\n');

  constructor(target: ClamdTarget) {
    this.#target = target;
  }

  /** Bytes of decoded content, one piece after another (a line break between pieces). */
  async write(b: Buffer): Promise<void> {
    if (!b.length) return;
    const scan = (this.#scan ??= new ClamdScan(this.#target));
    await scan.write(b);
  }

  /** Ends a piece, so that two pieces' bytes do not run together into a false match. */
  async endPiece(): Promise<void> {
    if (this.#scan) await this.#scan.write(this.#gap);
  }

  async finish(tally: FindingTally): Promise<void> {
    const scan = this.#scan;
    this.#scan = null;
    if (!scan) return;
    for (const f of verdictFindings(await scan.verdict(), DECODED_PATH)) tally.add(f);
  }

  abort(): void {
    this.#scan?.abort();
    this.#scan = null;
  }
}
