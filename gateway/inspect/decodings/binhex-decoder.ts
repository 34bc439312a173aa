// BinHex 4.0 (RFC 1741; Mac mail archives, Python's old `binhex`): after the
// line "(This file must be converted with BinHex 4.0)", a block between two
// colons of characters from a 64-letter alphabet (line breaks ignored), six
// bits each; the bytes run-length coded (0x90 n: the previous byte n times in
// all, 0x90 00: 0x90 itself); then a header (name length, name, version,
// type, creator, flags, data fork and resource fork lengths, CRC), the data
// fork, its CRC, the resource fork, its CRC. Each fork is inspected as a file
// of its own, as a uuencoded one is (the events are the same). CRCs are not
// checked: what a decoder would write is read whatever they say.

import type { UuEvent } from './uu-decoder.js';

const BANNER = '(This file must be converted with BinHex';
const ALPHABET = '!"#$%&\'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr';
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

type State = 'search' | 'colon' | 'data' | 'done';

export class BinHexDecoder {
  #state: State = 'search';
  #carry = '';
  #acc = 0;
  #bits = 0;
  #marker = false;
  #prev = 0;
  // Header, then forks.
  #header: number[] = [];
  #name = '';
  #fork = 0; // 0 header, 1 data fork, 2 its CRC, 3 resource fork, 4 done
  #left = 0;
  #rsrc = 0;
  #out: number[] = [];
  #events: UuEvent[] = [];
  #open = false;

  /** Text as it streams; the events of the forks found in it. */
  push(s: string, final: boolean): UuEvent[] {
    this.#events = [];
    // One block a turn: a text of many banners (or many blocks) is a loop, not a recursion that runs out of stack
    // (the review of 1 Dec: 100,000 banners were a false archive-broken).
    for (let rest: string | null = s; rest !== null; ) rest = this.#run(rest, final);
    return this.#end(final);
  }

  /** Reads s as far as one block goes; what is left to read after it, or null. */
  #run(s: string, final: boolean): string | null {
    let i = 0;
    let text = s;
    if (this.#state === 'search') {
      // The chunk alone, and the seam with the last one (not the two joined: a copy of every chunk).
      const seamed = this.#carry !== '' && (this.#carry + s.slice(0, BANNER.length)).includes(BANNER);
      if (seamed) text = this.#carry + s;
      // " 4.0)" closes the line; a banner left open is waited for only that long (the carry stays small).
      let at = text.indexOf(BANNER);
      let close = -1;
      for (; at >= 0; at = text.indexOf(BANNER, at + 1)) {
        close = text.indexOf(')', at);
        if (close >= 0 && close <= at + BANNER.length + 16) break;
        if (close < 0 && text.length - at <= BANNER.length + 16) {
          this.#carry = text.slice(at);
          return null;
        }
      }
      if (at < 0) {
        this.#carry = (this.#carry + s.slice(-BANNER.length)).slice(-BANNER.length);
        return null;
      }
      this.#carry = '';
      this.#state = 'colon';
      i = close + 1;
    }
    for (; i < text.length && this.#state !== 'done'; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a || c === 0x0d || c === 0x20 || c === 0x09) continue;
      if (this.#state === 'colon') {
        this.#state = c === 0x3a ? 'data' : 'search';
        if (this.#state === 'search') return text.slice(i);
        continue;
      }
      if (c === 0x3a) {
        this.#state = 'done';
        break;
      }
      const v = c < 128 ? VALUE[c]! : -1;
      if (v < 0) {
        this.#state = 'done';
        break;
      }
      this.#acc = ((this.#acc << 6) | v) & 0xffffff;
      this.#bits += 6;
      if (this.#bits >= 8) {
        this.#bits -= 8;
        this.#rle((this.#acc >> this.#bits) & 0xff);
      }
    }
    this.#flush();
    if (this.#state === 'done') {
      // Another block may follow in the same file.
      this.#end(final);
      this.#restart();
      if (i + 1 < text.length) return text.slice(i + 1);
    }
    return null;
  }

  #restart(): void {
    this.#state = 'search';
    this.#carry = '';
    this.#acc = this.#bits = this.#prev = this.#left = this.#rsrc = this.#fork = 0;
    this.#marker = false;
    this.#header = [];
  }

  #end(final: boolean): UuEvent[] {
    if ((final || this.#state === 'done') && this.#open) {
      this.#flush();
      this.#events.push({ kind: 'close' });
      this.#open = false;
    }
    return this.#events;
  }

  #rle(b: number): void {
    if (this.#marker) {
      this.#marker = false;
      if (b === 0) this.#byte((this.#prev = 0x90));
      else for (let n = 1; n < b; n++) this.#byte(this.#prev);
    } else if (b === 0x90) this.#marker = true;
    else this.#byte((this.#prev = b));
  }

  #byte(b: number): void {
    if (this.#fork === 0) {
      const h = this.#header;
      h.push(b);
      const n = h[0]!;
      if (h.length < n + 22) return;
      const buf = Buffer.from(h);
      this.#name = buf.subarray(1, 1 + n).toString('latin1') || '(binhex)';
      this.#left = buf.readUInt32BE(n + 12);
      this.#rsrc = buf.readUInt32BE(n + 16);
      this.#header = [];
      this.#fork = 1;
      this.#events.push({ kind: 'open', name: this.#name });
      this.#open = true;
      if (this.#left === 0) this.#nextFork();
      return;
    }
    if (this.#fork === 1 || this.#fork === 3) {
      this.#out.push(b);
      if (this.#out.length >= 65536) this.#flush();
      if (--this.#left === 0) this.#nextFork();
      return;
    }
    if (this.#fork === 2 && --this.#left === 0) {
      this.#fork = 3;
      this.#left = this.#rsrc;
      if (this.#left === 0) this.#fork = 4;
      else {
        this.#events.push({ kind: 'open', name: `${this.#name}/rsrc` });
        this.#open = true;
      }
    }
  }

  #nextFork(): void {
    this.#flush();
    this.#events.push({ kind: 'close' });
    this.#open = false;
    if (this.#fork === 1) {
      this.#fork = 2;
      this.#left = 2;
    } else this.#fork = 4;
  }

  #flush(): void {
    if (!this.#out.length) return;
    this.#events.push({ kind: 'data', bytes: Buffer.from(this.#out) });
    this.#out = [];
  }
}
