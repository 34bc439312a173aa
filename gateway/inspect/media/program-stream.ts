// MPEG program streams (`00 00 01 BA`, file-type's video/MP1S and
// video/MP2P), walked unit by unit at the lengths their headers give
// (ISO/IEC 11172-1 §2.4.3, 13818-1 §2.5.3): pack headers (MPEG-1: 12 bytes;
// MPEG-2: 14 and up to 7 bytes of stuffing), system headers and PES packets
// (6 bytes and the length they give), the end code `00 00 01 B9`, zero bytes
// between them. One form of pack header throughout; the marker bits each
// form sets are checked. What the packets hold (video, audio, padding) is
// not: as for MPEG audio frames, their payload is out of reach, and the last
// packet is whole (a packet may be 64 KiB long: a stream cut short is judged).

/** A unit's length; 0: no unit starts here; -1: more bytes are needed to tell. */
export type Unit = number;

export class ProgramStream {
  /** Pack headers seen. */
  packs = 0;
  /** 1 or 2: the MPEG system the first pack header is of. */
  #version = 0;

  unit(h: Uint8Array): Unit {
    const n = h.length;
    if (n < 1) return -1;
    if (h[0] === 0 && (n < 2 || h[1] === 0) && (n < 3 || h[2]! <= 1)) {
      if (n < 4) return n >= 3 && h[2] === 0 ? 1 : -1;
    } else return 0;
    if (h[2] === 0) return 1; // a zero byte
    const code = h[3]!;
    if (code === 0xb9) return this.packs > 0 ? 4 : 0;
    if (code === 0xba) {
      if (n < 14) return -1;
      let version: number;
      let len: number;
      if ((h[4]! & 0xc4) === 0x44 && (h[6]! & 4) && (h[8]! & 4) && (h[9]! & 1) && (h[12]! & 3) === 3) {
        version = 2;
        len = 14 + (h[13]! & 7);
      } else if ((h[4]! & 0xf1) === 0x21 && (h[6]! & 1) && (h[8]! & 1) && (h[9]! & 0x80) && (h[11]! & 1)) {
        version = 1;
        len = 12;
      } else return 0;
      if (this.#version && version !== this.#version) return 0;
      this.#version = version;
      this.packs++;
      return len;
    }
    // A system header (BB) or a PES packet (stream ids BC-FF), after the first pack header.
    if (code < 0xbb || this.packs === 0) return 0;
    if (n < 6) return -1;
    const len = (h[4]! << 8) | h[5]!;
    // A system header: 6 bytes of rates and flags, then 3 bytes a stream (at most 48 streams, ids B8 and up).
    if (code === 0xbb && (len < 6 || len > 6 + 3 * 48 || (len - 6) % 3 !== 0 || (n >= 7 && !(h[6]! & 0x80)))) return 0;
    return 6 + len;
  }
}
