// RIFF (`RIFF`: WAV, AVI, WebP, QCP; little-endian) and IFF (`FORM`: AIFF,
// AIFC; big-endian) walked chunk by chunk (media-shape.ts, header-walk.ts):
// a form header (its ID, a size, a printable form type), then chunks of a
// printable FourCC and a size, each padded to an even length (the last
// one's pad byte may be left out), to the content's end; an ID3v1 tag some
// taggers append to WAV may end it. The form's size is not held to: writers
// get it wrong (scipy's test WAVs), readers go by the chunks, and a chunk
// past it hides no more than one inside it would. AVI's further forms past
// 1 GiB (`RIFF` … `AVIX`) are chunks of the walk. Not taken: a chunk whose
// size the writer left unfilled (0xFFFFFFFF from a recorder that streamed;
// judged), RF64.
import { HeaderWalk, fourCC, type Step } from './header-walk.js';

const FORM_HEAD = 12;
const CHUNK_HEAD = 8;
const ID3V1 = 128;

export class RiffShape extends HeaderWalk {
  #le: boolean;
  #id: string;
  #form = false;
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
    if (!this.#form) {
      if (String.fromCharCode(h[0]!, h[1]!, h[2]!, h[3]!) !== this.#id || this.#u32(h, 4) < 4 || !fourCC(h, 8)) return `no ${this.#id} form header at byte ${at}`;
      this.#form = true;
      return { skip: 0, need: CHUNK_HEAD };
    }
    // An ID3v1 tag ('TAG' and 125 bytes) ends the file.
    if (this.#tag) return `bytes after the ID3v1 tag at byte ${at - ID3V1}`;
    if (h[0] === 0x54 && h[1] === 0x41 && h[2] === 0x47) {
      this.#tag = true;
      return { skip: ID3V1 - CHUNK_HEAD, need: CHUNK_HEAD };
    }
    if (!fourCC(h, 0)) return `a chunk with no FourCC at byte ${at}`;
    const size = this.#u32(h, 4);
    if (size === 0xffffffff) return `a chunk at byte ${at} of a size its writer did not fill in`;
    this.spare = size & 1;
    return { skip: size + (size & 1), need: CHUNK_HEAD };
  }

  protected finish(): string {
    return this.#form ? '' : `no ${this.#id} form header`;
  }
}
