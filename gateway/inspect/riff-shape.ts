// RIFF (`RIFF`: WAV, AVI, WebP, QCP; little-endian) and IFF (`FORM`: AIFF,
// AIFC; big-endian) walked chunk by chunk (media-shape.ts, header-walk.ts):
// a form header (its ID, its size, a printable form type), then chunks of a
// printable FourCC and a size, each padded to an even length, that end
// exactly at the form's end; another form may follow (AVI's `AVIX`
// extensions past 1 GiB), and an ID3v1 tag some taggers append to WAV.
// Not taken: a form or chunk size the writer did not fill in (0 or
// 0xFFFFFFFF from a recorder that streamed), RF64: such files are judged.
import { HeaderWalk, fourCC, type Step } from './header-walk.js';

const FORM_HEAD = 12;
const CHUNK_HEAD = 8;

export class RiffShape extends HeaderWalk {
  #le: boolean;
  #id: string;
  /** Where the current form ends (-1 between forms). */
  #end = -1;
  #forms = 0;
  #tag = false;

  constructor(le: boolean) {
    super(FORM_HEAD);
    this.#le = le;
    this.#id = le ? 'RIFF' : 'FORM';
  }

  #u32(h: Uint8Array, at: number): number {
    return this.#le ? (h[at]! | (h[at + 1]! << 8) | (h[at + 2]! << 16) | (h[at + 3]! << 24)) >>> 0 : ((h[at]! << 24) | (h[at + 1]! << 16) | (h[at + 2]! << 8) | h[at + 3]!) >>> 0;
  }

  protected header(h: Uint8Array, at: number): Step {
    if (this.#end < 0) {
      // Between forms: a form header, or an ID3v1 tag (128 bytes: 'TAG' and 125 more) that ends the file.
      if (this.#forms > 0 && !this.#tag && h[0] === 0x54 && h[1] === 0x41 && h[2] === 0x47) {
        this.#tag = true;
        return { skip: 128 - FORM_HEAD, need: FORM_HEAD };
      }
      if (this.#tag || String.fromCharCode(h[0]!, h[1]!, h[2]!, h[3]!) !== this.#id) return `no ${this.#id} form at byte ${at}`;
      const size = this.#u32(h, 4);
      if (size < 4 || size === 0xffffffff || !fourCC(h, 8)) return `a ${this.#id} form of ${size} bytes at byte ${at}`;
      this.#end = at + 8 + size;
      this.#forms++;
      return this.#next(at + FORM_HEAD);
    }
    if (!fourCC(h, 0)) return `a chunk with no FourCC at byte ${at}`;
    const size = this.#u32(h, 4);
    const end = at + CHUNK_HEAD + size;
    // Padded to an even length; the last chunk's pad byte left out by some writers.
    const padded = end + (size & 1);
    if (padded > this.#end && end !== this.#end) return `a chunk at byte ${at} of ${size} bytes past its form's end (byte ${this.#end})`;
    const next = this.#next(Math.min(padded, this.#end), padded > end && padded <= this.#end ? 1 : 0);
    return { skip: size + next.skip, need: next.need };
  }

  /** After a header or a chunk, at byte `at` (and a pad byte to skip): the next chunk, or the next form. */
  #next(at: number, pad = 0): { skip: number; need: number } {
    if (at >= this.#end) {
      this.#end = -1;
      return { skip: pad, need: FORM_HEAD };
    }
    return { skip: pad, need: CHUNK_HEAD };
  }

  protected finish(): string {
    if (this.#end >= 0) return `a ${this.#id} form that ends at byte ${this.#end}, past the content's end`;
    return this.#forms > 0 ? '' : `no ${this.#id} form`;
  }
}
