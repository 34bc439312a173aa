// Ogg (`OggS`: Vorbis, Opus, FLAC, Theora in Ogg; RFC 3533 §6) walked page
// by page (media-shape.ts, header-walk.ts): a 27-byte header (capture
// pattern, version 0, flags of the three the format has), its segment
// table, a body of the lacing values' sum; pages one after another to the
// end. The CRC is not checked: whoever hides bytes in a page can compute
// it, and the bodies, like any media's payload, are out of reach.
import { HeaderWalk, type Step } from './header-walk.js';

const PAGE_HEAD = 27;

export class OggShape extends HeaderWalk {
  #pages = 0;
  /** The next header gathered is a segment table. */
  #table = false;

  constructor() {
    super(PAGE_HEAD);
  }

  protected header(h: Uint8Array, at: number): Step {
    if (this.#table) {
      this.#table = false;
      let body = 0;
      for (let k = 0; k < h.length; k++) body += h[k]!;
      return { skip: body, need: PAGE_HEAD };
    }
    if (h[0] !== 0x4f || h[1] !== 0x67 || h[2] !== 0x67 || h[3] !== 0x53 || h[4] !== 0 || h[5]! > 7) return `no Ogg page at byte ${at}`;
    this.#pages++;
    const segments = h[26]!;
    if (segments === 0) return { skip: 0, need: PAGE_HEAD };
    this.#table = true;
    return { skip: 0, need: segments };
  }

  protected finish(): string {
    return this.#pages > 0 ? '' : 'no Ogg page';
  }
}
