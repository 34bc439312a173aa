import type { Member } from '../context/member.js';

// The body of one record in an archive laid out as header, body, pad (tar, ar): its bytes stream to the
// member opened for it, or are gathered whole when they are the archive's own metadata (a pax header, a GNU
// long name, ar's long-name table); then the pad up to the next header is skipped. The walkers keep their
// headers; this is the part they share.

export class RecordBody {
  #remaining = 0;
  #pad = 0;
  #member: Member | null = null;
  #gathered: Buffer[] | null = null;
  #ended: (gathered: Buffer | null) => Promise<void>;

  /** ended runs once per record when its body is complete, with the gathered bytes when they were gathered. */
  constructor(ended: (gathered: Buffer | null) => Promise<void>) {
    this.#ended = ended;
  }

  /** Starts a record of size bytes and pad bytes after them, its bytes going to member, or gathered. A record of no bytes ends here. */
  async start(size: number, pad: number, member: Member | null, gather = false): Promise<void> {
    this.#remaining = size;
    this.#pad = pad;
    this.#member = member;
    this.#gathered = gather ? [] : null;
    if (size === 0) await this.#end();
  }

  /** The body has bytes still to come (the pad does not count: a last pad may be missing). */
  get inBody(): boolean {
    return this.#remaining > 0;
  }

  /** Body and pad are consumed: the next header follows. */
  get done(): boolean {
    return this.#remaining === 0 && this.#pad === 0;
  }

  /** Takes what it can of data (body bytes, then pad) and returns how many bytes it took. */
  async feed(data: Buffer): Promise<number> {
    let used = 0;
    if (this.#remaining > 0) {
      used = Math.min(this.#remaining, data.length);
      const part = data.subarray(0, used);
      if (this.#member) await this.#member.update(part);
      else if (this.#gathered) this.#gathered.push(Buffer.from(part));
      this.#remaining -= used;
      if (this.#remaining === 0) await this.#end();
      if (this.#remaining > 0) return used;
    }
    const skip = Math.min(this.#pad, data.length - used);
    this.#pad -= skip;
    return used + skip;
  }

  async #end(): Promise<void> {
    const member = this.#member;
    this.#member = null;
    if (member) await member.finish();
    const gathered = this.#gathered;
    this.#gathered = null;
    await this.#ended(gathered ? Buffer.concat(gathered) : null);
  }

  abort(): void {
    this.#member?.abort();
    this.#member = null;
    this.#gathered = null;
  }
}
