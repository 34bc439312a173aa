// A Lyrics3 tag (id3.org, Lyrics3 v1 and v2) between an MP3's last frame
// and its ID3v1 tag, walked as part of the MP3 (media-shape.ts): v1 is
// `LYRICSBEGIN`, up to 5,100 bytes of text, `LYRICSEND`; v2 is
// `LYRICSBEGIN`, fields of a 3-letter id, a 5-digit size and that many bytes
// of text, then a 6-digit size of the tag (from `LYRICSBEGIN` to it) and
// `LYRICS200`. What a field or v1 holds must be text (no control bytes but
// tab and line breaks): it is read by the text scanner like any text in a
// binary file, and encrypted bytes cannot pass as lyrics.

/** A unit's length; 0: no unit starts here; -1: more bytes are needed to tell. */
type Unit = number;

const V1_MAX = 5100;

/** Is the byte one text holds (not a control but tab and line breaks)? */
export function isTextByte(c: number): boolean {
  return c >= 0x20 ? c !== 0x7f : c === 0x09 || c === 0x0a || c === 0x0d;
}

function ascii(h: Uint8Array, from: number, s: string): boolean | undefined {
  for (let i = 0; i < s.length; i++) {
    if (from + i >= h.length) return undefined;
    if (h[from + i] !== s.charCodeAt(i)) return false;
  }
  return true;
}

function digits(h: Uint8Array, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    if (h[i]! < 0x30 || h[i]! > 0x39) return -1;
    v = v * 10 + h[i]! - 0x30;
  }
  return v;
}

export class Lyrics3 {
  /** 0: outside a tag; 1: in a v1 tag's text; 2: among a v2 tag's fields; 3: right after `LYRICSBEGIN`. */
  #mode = 0;
  #begin = 0;
  /** Bytes of text that follow the last unit (a v2 field's data): the caller checks them. */
  text = 0;

  get inside(): boolean {
    return this.#mode !== 0;
  }

  /** At `at`, outside a tag: does one start (`LYRICSBEGIN`)? */
  start(h: Uint8Array, at: number): Unit {
    const is = ascii(h, 0, 'LYRICSBEGIN');
    if (is === undefined) return -1;
    if (!is) return 0;
    this.#begin = at;
    this.#mode = 3;
    return 11;
  }

  /** Inside a tag, at `at`. */
  unit(h: Uint8Array, at: number): Unit {
    // v2 when a field follows (three capitals and five digits), else v1 text.
    if (this.#mode === 3) {
      if (h.length < 8) return -1;
      this.#mode = this.#field(h, 0) >= 0 ? 2 : 1;
    }
    if (this.#mode === 1) {
      const end = ascii(h, 0, 'LYRICSEND');
      if (end === undefined && h.length < 9) return -1;
      if (end) {
        this.#mode = 0;
        return 9;
      }
      if (at - this.#begin > 11 + V1_MAX || !isTextByte(h[0]!)) return 0;
      return 1;
    }
    if (h.length < 15) return -1;
    const size = this.#field(h, 0);
    if (size >= 0) {
      this.text = size;
      return 8;
    }
    if (ascii(h, 6, 'LYRICS200') && digits(h, 0, 6) === at - this.#begin) {
      this.#mode = 0;
      return 15;
    }
    return 0;
  }

  /** A v2 field's header at `from` (3 capitals, 5 digits): its data's size, or -1. */
  #field(h: Uint8Array, from: number): number {
    for (let i = from; i < from + 3; i++) if (h[i]! < 0x41 || h[i]! > 0x5a) return -1;
    return digits(h, from + 3, 5);
  }
}
