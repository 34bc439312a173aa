import type { InspectContext } from '../context/inspect-context.js';
import type { Member } from '../context/member.js';

// A WARC record cut in segments (ISO 28500 §5.8: WARC-Segment-Number 1, then `continuation` records naming it by
// WARC-Segment-Origin-ID, the last with WARC-Segment-Total-Length) read as one block, as a reader joins them,
// wherever its segments stand in the file (ways12: a record between two segments ended the first, and a marking or
// an id cut between them crossed; review13 had joined segments that follow one another). The first segment's
// member stays open while other records are read; a segment that comes before its turn is held until the ones
// before it are read. Bounded: MAX_CHAINS records open in segments at once (past it inspection-limit:warc-segments,
// and the further one is read a segment at a time) and MAX_HELD bytes held. Past that a record's segments are read
// in the order they come (a WARC file that starts with the continuation of a record of the file before it, as
// crawlers cut files, is read so), and a segment of it that comes after a later one, which could not be joined in
// its place, is inspection-limit:warc-segments. Nothing is dropped.

export const MAX_CHAINS = 16;
export const MAX_HELD = 8 * 1024 * 1024;

/** Where a spilled record's segments go when its member could not be opened (the members' limit, reported). */
const NOWHERE: Member = { update: async () => {}, finish: async () => {}, abort: () => {} };

interface Chain {
  /** The member the record's block is read as; null while only later segments have come. */
  member: Member | null;
  /** The segment whose block goes on in the member next. */
  next: number;
  /** Segments that came before their turn: their blocks, and whether each is the last. */
  held: Map<number, { bytes: Buffer[]; last: boolean }>;
  /** Past the bound on held bytes: its segments are read in the order they come. */
  spilled: boolean;
  /** Spilled: the highest segment number read so far (one below it coming now is out of its place). */
  top: number;
  /** A name for a member opened for held segments alone. */
  name: string;
}

export class WarcSegments {
  #ctx: InspectContext;
  #path: string | undefined;
  #open: (name: string) => Member | null;
  #chains = new Map<string, Chain>();
  #held = 0;
  /** The segment whose block is under way. */
  #under: { id: string; chain: Chain; n: number; last: boolean } | null = null;

  constructor(ctx: InspectContext, path: string | undefined, open: (name: string) => Member | null) {
    this.#ctx = ctx;
    this.#path = path;
    this.#open = open;
  }

  /** A first segment (number 1) read as `member`: true when its chain is open (the walker leaves the member to it). */
  first(id: string, member: Member, name: string): boolean {
    let chain = this.#chains.get(id);
    if (chain?.spilled) this.#lost();
    if (chain?.member || (!chain && !this.#room())) return false;
    chain ??= this.#chain(id, name);
    chain.member = member;
    this.#under = { id, chain, n: 1, last: false };
    return true;
  }

  /**
   * A continuation (number n ≥ 2): the member its block goes to (its record's, or one that holds it until its
   * turn), or null when it is read apart (a segment again, or past the bound on open records).
   */
  continuation(origin: string, n: number, last: boolean, name: string): Member | null {
    let chain = this.#chains.get(origin);
    if (!chain) {
      if (!this.#room()) return null;
      chain = this.#chain(origin, name);
    }
    if (chain.spilled) {
      if (n < chain.top) this.#lost();
      chain.top = Math.max(chain.top, n);
    }
    if (chain.spilled || (chain.member && n === chain.next)) {
      this.#under = { id: origin, chain, n, last };
      return chain.member ?? NOWHERE;
    }
    if (n < chain.next || chain.held.has(n)) return null;
    const held = { bytes: [] as Buffer[], last };
    chain.held.set(n, held);
    this.#under = { id: origin, chain, n, last };
    return { update: (b) => this.#hold(chain, held.bytes, b), finish: async () => {}, abort: () => {} };
  }

  /** The block of the segment under way has ended: the segments held after it follow, and a whole record ends. */
  async endBlock(): Promise<void> {
    const u = this.#under;
    this.#under = null;
    if (!u || u.chain.spilled || !u.chain.member || u.n !== u.chain.next) return;
    const chain = u.chain;
    let last = u.last;
    chain.next++;
    for (let h = chain.held.get(chain.next); h && !last; h = chain.held.get(chain.next)) {
      await this.#give(chain, chain.next);
      last = h.last;
      chain.next++;
    }
    if (!last) return;
    this.#chains.delete(u.id);
    // (Segments held past the last one hold nothing of it: read apart.)
    await this.#end(chain);
  }

  /** The end of the file: records whose last segment is not in it are read as far as they go. */
  async finish(): Promise<void> {
    const chains = [...this.#chains.values()];
    this.#chains.clear();
    for (const chain of chains) await this.#end(chain);
  }

  abort(): void {
    for (const chain of this.#chains.values()) chain.member?.abort();
    this.#chains.clear();
  }

  #room(): boolean {
    if (this.#chains.size < MAX_CHAINS) return true;
    this.#ctx.inspectionLimit('warc-segments', this.#path, `more than ${MAX_CHAINS} WARC records open in segments at once; a further one was read a segment at a time`);
    return false;
  }

  /** A segment comes before one already read in its stead, past the bound on held bytes: not joined in its place. */
  #lost(): void {
    this.#ctx.inspectionLimit('warc-segments', this.#path, `WARC segments out of order held more than ${MAX_HELD} bytes; an earlier segment that came later was not joined in its place`);
  }

  #chain(id: string, name: string): Chain {
    const chain: Chain = { member: null, next: 1, held: new Map(), spilled: false, top: 0, name };
    this.#chains.set(id, chain);
    return chain;
  }

  async #hold(chain: Chain, into: Buffer[], b: Buffer): Promise<void> {
    if (chain.spilled) return chain.member?.update(b);
    into.push(Buffer.from(b));
    this.#held += b.length;
    if (this.#held <= MAX_HELD) return;
    // Past the bound: what the record holds is read now, in segment order, and its segments from here on as they come.
    chain.spilled = true;
    const numbers = [...chain.held.keys()].sort((x, y) => x - y);
    chain.top = numbers[numbers.length - 1]!;
    for (const n of numbers) await this.#give(chain, n);
  }

  /** A held segment's block into its record's member (opened for it when the first segment has not come). */
  async #give(chain: Chain, n: number): Promise<void> {
    const h = chain.held.get(n)!;
    chain.held.delete(n);
    if (!chain.member) chain.member = this.#ctx.countMember(this.#path) ? this.#open(chain.name) : null;
    for (const b of h.bytes) {
      this.#held -= b.length;
      await chain.member?.update(b);
    }
    h.bytes.length = 0;
  }

  /** A record ends: its member, then the segments it still holds (the ones before them never came), joined in order. */
  async #end(chain: Chain): Promise<void> {
    const member = chain.member;
    chain.member = null;
    await member?.finish();
    if (!chain.held.size) return;
    for (const n of [...chain.held.keys()].sort((x, y) => x - y)) await this.#give(chain, n);
    const rest = chain.member as Member | null;
    chain.member = null;
    await rest?.finish();
  }
}
