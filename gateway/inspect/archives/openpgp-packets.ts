import type { InspectContext } from '../context/inspect-context.js';
import type { Member } from '../context/member.js';
import { DecompressHandler } from './decompress-handler.js';
import { isZlib } from '../signatures/compression-magic.js';
import { mayStartDeflate } from '../signatures/deflate-head.js';
import { EntropyMeter } from '../opaque/entropy-meter.js';
import { judgedBytes, strayBytes } from './openpgp-structure.js';

// An OpenPGP message walked packet by packet as it streams (RFC 9580 §4–5; RFC 4880 for the old headers), so that
// a signed file is read as the file it carries (ninth red team, W3: `gpg -s` of a memo, binary or armoured, crossed:
// its literal data sits in a compressed data packet, raw deflate behind two bytes). The literal data packet's body is
// content of its own, named by its file name; a compressed data packet (ZIP = raw deflate, ZLIB, BZip2, or none) is
// decompressed and walked again; signature, key, user ID and marker packets are read as text (notation data and user
// IDs are); encrypted packets (session keys, SED, SEIPD, AEAD) are cipher text: the content is uninspectable.
// What no reader here reads (padding, private or unknown tags) is uninspectable too. An armoured message's base64
// is decoded by the scanner's base64 runs and comes back here as content.

/** Packets whose body is cipher text or a key to one. */
const ENCRYPTED = new Set([1, 3, 9, 18, 20]);
/** Packets read as text: signature, one-pass signature, keys, marker, trust, user ID, user attribute, MDC. */
const READ_AS_TEXT = new Set([2, 4, 5, 6, 7, 10, 12, 13, 14, 17, 19]);
const COMPRESSIONS = ['none', 'deflate', 'zlib', 'bzip2'] as const;
/** Compressed data packets inside compressed data packets: a quine's nesting is a limit. */
const MAX_NESTING = 4;
const LITERAL_FORMATS = new Set([0x62, 0x74, 0x75, 0x6c, 0x31, 0x6d]); // b t u l 1 m
/** A packet read as text is gathered to this size for its layout (openpgp-structure.ts); past it, its bytes are judged as they come. */
const MAX_LAYOUT = 256 * 1024;

/** Body bytes of one packet, as they come. */
interface Body {
  write(b: Buffer): Promise<void>;
  end(): Promise<void>;
  abort(): void;
}

export interface PgpOptions {
  ctx: InspectContext;
  path: string | undefined;
  open: (name: string, kind: 'content' | 'view') => Member;
  /** Nesting of compressed data packets (0: the content itself). */
  nesting?: number;
  /** Shared by the walkers of one message: what they met. */
  state?: PgpState;
  /**
   * Found in a decoded view (a base64 run the view's decoding may have cut short, text-views.ts): a packet
   * that does not walk or a corrupt stream is no finding there; its content read in full is the content's own.
   */
  speculative?: boolean;
}

export interface PgpState {
  encrypted: boolean;
  broken: boolean;
  unread: string | null;
  /** The bytes of packets read as text that are not random by nature (openpgp-structure.ts), judged as content is. */
  judged: EntropyMeter;
}

/** Does this head start as an OpenPGP packet a program writes first (tag and version or algorithm checked)? */
export function isOpenPgp(head: Buffer): boolean {
  const h = header(head, 0);
  if (!h || h.at >= head.length) return false;
  const v = head[h.at]!;
  switch (h.tag) {
    case 1: return v === 3 || v === 6;
    case 2: return v >= 3 && v <= 6;
    case 3: return v >= 4 && v <= 6;
    case 4: return v === 3 || v === 6;
    case 5: case 6: return v >= 4 && v <= 6;
    // A compressed packet is one byte of algorithm and a tag in a byte's top bits: a CBOR map of two entries (A2)
    // starts so. Its data must start as its algorithm's does (falsefix, 2 December: such a map was archive-broken).
    case 8: return v <= 3 && h.length !== 0 && compressedStart(v, head.subarray(h.at + 1));
    case 10: return head.subarray(h.at, h.at + 3).toString('latin1') === 'PGP';
    case 11: return LITERAL_FORMATS.has(v);
    case 18: return v === 1 || v === 2;
    default: return false;
  }
}

/** Do these bytes start as data of this compression algorithm (RFC 9580 9.4: 0 none, 1 deflate, 2 zlib, 3 bzip2)? */
function compressedStart(alg: number, data: Buffer): boolean {
  if (data.length === 0) return true;
  if (alg === 0) return isOpenPgp(data);
  if (alg === 1) return mayStartDeflate(data);
  if (alg === 2) return isZlib(data);
  return data.subarray(0, 3).toString('latin1') === 'BZh'.slice(0, Math.min(3, data.length));
}

/** A packet header at b[i]: its tag, where its body starts, its length (-1 indeterminate, -2 partial of `part`). */
function header(b: Buffer, i: number): { tag: number; at: number; length: number; part?: number } | null {
  const c = b[i];
  if (c === undefined || !(c & 0x80)) return null;
  if (!(c & 0x40)) {
    const tag = (c >> 2) & 0x0f;
    const t = c & 3;
    if (t === 3) return { tag, at: i + 1, length: -1 };
    const n = [1, 2, 4][t]!;
    if (b.length < i + 1 + n) return null;
    return { tag, at: i + 1 + n, length: b.readUIntBE(i + 1, n) };
  }
  const l = newLength(b, i + 1);
  return l && { tag: c & 0x3f, at: l.at, length: l.partial ? -2 : l.length, part: l.length };
}

/** A new-format length at b[i] (RFC 9580 §4.2.1). */
function newLength(b: Buffer, i: number): { length: number; at: number; partial: boolean } | null {
  const o1 = b[i];
  if (o1 === undefined) return null;
  if (o1 < 192) return { length: o1, at: i + 1, partial: false };
  if (o1 < 224) return b.length < i + 2 ? null : { length: ((o1 - 192) << 8) + b[i + 1]! + 192, at: i + 2, partial: false };
  if (o1 === 255) return b.length < i + 5 ? null : { length: b.readUInt32BE(i + 1), at: i + 5, partial: false };
  return { length: 1 << (o1 & 0x1f), at: i + 1, partial: true };
}

export class PgpPackets implements Member {
  #o: PgpOptions;
  readonly state: PgpState;
  /** Header bytes gathered (a header cut by a chunk's end). */
  #hdr = Buffer.alloc(0);
  /** 'tag': a packet header is read next; 'len': a partial body's next length; 'body': `#need` bytes of body; 'rest': to the end. */
  #mode: 'tag' | 'len' | 'body' | 'rest' | 'stop' = 'tag';
  #need = 0;
  #partial = false;
  #body: Body | null = null;
  #text: Member | null = null;
  #literals = 0;
  /** The last packet was cut short by the data's end (or ran to it with no length). */
  #cut = false;

  constructor(o: PgpOptions) {
    this.#o = o;
    this.state = o.state ?? { encrypted: false, broken: false, unread: null, judged: new EntropyMeter() };
  }

  /** Walked to its end, every packet read, none encrypted, no cipher text in what was read as text. */
  get valid(): boolean {
    return this.#mode === 'tag' && !this.state.broken && !this.state.encrypted && this.state.unread === null && !this.state.judged.opaque();
  }

  async update(chunk: Buffer): Promise<void> {
    let p = 0;
    while (p < chunk.length && this.#mode !== 'stop') {
      if (this.#mode === 'body' || this.#mode === 'rest') {
        const n = this.#mode === 'rest' ? chunk.length - p : Math.min(this.#need, chunk.length - p);
        await this.#body?.write(chunk.subarray(p, p + n));
        p += n;
        if (this.#mode === 'body' && (this.#need -= n) === 0) {
          if (this.#partial) this.#mode = 'len';
          else await this.#endPacket();
        }
        continue;
      }
      // A header (or a partial body's next length): at most 6 bytes, gathered across chunks.
      const take = Math.min(6 - this.#hdr.length, chunk.length - p);
      const h = Buffer.concat([this.#hdr, chunk.subarray(p, p + take)]);
      const had = this.#hdr.length;
      if (this.#mode === 'len') {
        const l = newLength(h, 0);
        if (!l) {
          this.#hdr = h;
          p += take;
          continue;
        }
        p += l.at - had;
        this.#hdr = Buffer.alloc(0);
        this.#need = l.length;
        this.#partial = l.partial;
        this.#mode = 'body';
        if (this.#need === 0 && !l.partial) await this.#endPacket();
        continue;
      }
      if (!(h[0]! & 0x80)) {
        this.#break(`a byte that starts no packet (${h[0]!.toString(16)})`);
        return;
      }
      const hd = header(h, 0);
      if (!hd) {
        if (h.length >= 6) return this.#break('a packet header that does not parse');
        this.#hdr = h;
        p += take;
        continue;
      }
      p += hd.at - had;
      this.#hdr = Buffer.alloc(0);
      if (!this.#begin(hd.tag)) return;
      if (hd.length === -1) this.#mode = 'rest';
      else {
        this.#partial = hd.length === -2;
        this.#need = this.#partial ? hd.part! : hd.length;
        this.#mode = 'body';
        if (this.#need === 0 && !this.#partial) await this.#endPacket();
      }
    }
  }

  #break(why: string): void {
    this.#mode = 'stop';
    this.#body?.abort();
    this.#body = null;
    this.#broken(why);
  }

  #broken(why: string): void {
    // The content itself may be no OpenPGP at all (its first bytes looked so): the text handler judges it as before.
    // Inside a compressed packet, what does not walk is a message broken.
    if ((this.#o.nesting ?? 0) > 0 && !this.#o.speculative) this.#o.ctx.tally.add({ kind: 'archive-broken', path: this.#o.path, detail: `an OpenPGP compressed data packet holds ${why}` });
    this.state.broken = true;
  }

  #unread(what: string): void {
    this.state.unread ??= what;
    this.#o.ctx.tally.add({ kind: 'uninspectable', subkind: 'application/pgp', path: this.#o.path, detail: what });
  }

  /** Starts a packet's body; false when the walk stops at it. */
  #begin(tag: number): boolean {
    const { ctx, path } = this.#o;
    if (ENCRYPTED.has(tag)) {
      if (!this.state.encrypted) ctx.tally.add({ kind: 'uninspectable', subkind: 'application/pgp-encrypted', path, detail: `an OpenPGP message holds an encrypted packet (tag ${tag}): cipher text no inspector decodes` });
      this.state.encrypted = true;
      this.#body = null;
    } else if (tag === 11) this.#body = this.#literal();
    else if (tag === 8) this.#body = this.#compressed();
    else if (READ_AS_TEXT.has(tag)) this.#body = this.#asText(tag);
    else {
      this.#unread(`an OpenPGP packet of tag ${tag} (padding, private or unknown), which no reader here reads`);
      this.#mode = 'stop';
      return false;
    }
    return true;
  }

  async #endPacket(): Promise<void> {
    const b = this.#body;
    this.#body = null;
    this.#mode = 'tag';
    await b?.end();
  }

  /** Signature, key and user ID packets: their bytes as a text view (notation data, user IDs, a signer's user ID). */
  #asText(tag: number): Body {
    const ctx = this.#o.ctx;
    const judged = this.state.judged;
    let body: Buffer[] | null = [];
    let size = 0;
    return {
      write: async (b) => {
        if (body) {
          body.push(Buffer.from(b));
          size += b.length;
          if (size > MAX_LAYOUT) {
            for (const p of body) judged.write(p);
            body = null;
          }
        } else judged.write(b);
        if (!ctx.spend(b.length)) return;
        await (this.#text ??= this.#o.open('(pgp-packets)', 'view')).update(Buffer.from(b));
        await this.#text.update(NL);
      },
      end: async () => {
        if (body) {
          const whole = Buffer.concat(body);
          for (const p of judgedBytes(tag, whole)) judged.write(p);
          // Bytes that are neither the packet's layout nor text: cipher text may ride there, in any number. A packet
          // cut short by the data's end is held to its layout as far as it goes (binfp, 2 Dec: it was let go, and the
          // broken message judged as content is, under 1 KiB not at all).
          const stray = strayBytes(tag, whole, this.#cut);
          if (stray) this.#unread(`an OpenPGP packet (tag ${tag}) carries ${stray}: bytes that are neither its layout nor text, which no reader here vouches for`);
        }
        body = null;
      },
      abort: () => {
        body = null;
      },
    };
  }

  /** A literal data packet (RFC 9580 §5.9): format, file name, date, then the data: a file of its own. */
  #literal(): Body {
    const { ctx, path } = this.#o;
    let head = Buffer.alloc(0);
    let member: Member | null = null;
    let dead = false;
    return {
      write: async (b) => {
        if (dead) return;
        if (!member) {
          head = Buffer.concat([head, b]);
          if (head.length < 2 || head.length < 6 + head[1]!) return;
          const n = head[1]!;
          b = head.subarray(6 + n);
          if (!ctx.countMember(path)) {
            dead = true;
            return;
          }
          const name = head.subarray(2, 2 + n).toString('utf8').replace(/[/\\]/g, '_') || `(pgp-literal-${++this.#literals})`;
          member = this.#o.open(name === '_CONSOLE' ? '(pgp-literal)' : name, 'content');
        }
        if (b.length && ctx.spend(b.length)) await member.update(Buffer.from(b));
      },
      end: async () => {
        if (!member && !dead && head.length) {
          // A packet shorter than its header says: its name and what there is, read as text.
          member = this.#o.open('(pgp-literal)', 'view');
          await member.update(head);
        }
        await member?.finish();
      },
      abort: () => member?.abort(),
    };
  }

  /** A compressed data packet (RFC 9580 §5.6): its algorithm byte, then packets compressed. */
  #compressed(): Body {
    const { ctx, path } = this.#o;
    const nesting = (this.#o.nesting ?? 0) + 1;
    let inner: Member | null | undefined;
    const walker = (): PgpPackets => new PgpPackets({ ...this.#o, nesting, state: this.state });
    return {
      write: async (b) => {
        if (inner === undefined) {
          const id = b[0]!;
          const algo = COMPRESSIONS[id];
          b = b.subarray(1);
          if (nesting > MAX_NESTING) {
            ctx.limit('depth', path, `OpenPGP compressed data packets nested deeper than ${MAX_NESTING}; not opened`);
            inner = null;
          } else if (!algo) {
            this.#unread(`an OpenPGP compressed data packet of algorithm ${id}, which no reader here decodes`);
            inner = null;
          } else inner = algo === 'none' ? walker() : new DecompressHandler(ctx, path, algo, walker, '(pgp-compressed)', { speculative: this.#o.speculative === true });
        }
        if (inner && b.length) await inner.update(Buffer.from(b));
      },
      end: async () => {
        await inner?.finish();
      },
      abort: () => inner?.abort(),
    };
  }

  async finish(): Promise<void> {
    const cut = this.#mode === 'body' || this.#mode === 'len' || (this.#mode === 'tag' && this.#hdr.length > 0);
    // A packet cut short: what there is of it is read all the same.
    this.#cut = cut || this.#mode === 'rest';
    if (cut || this.#mode === 'rest') await this.#endPacket();
    if (cut) {
      this.#mode = 'stop';
      this.#broken('a packet cut short by the end of the data');
    }
    const t = this.#text;
    this.#text = null;
    await t?.finish();
  }

  abort(): void {
    this.#mode = 'stop';
    this.#body?.abort();
    this.#text?.abort();
  }
}

const NL = Buffer.from('\n');
